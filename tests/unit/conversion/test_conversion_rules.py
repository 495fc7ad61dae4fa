from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from zhijiao.domain.conversion.plan import CurriculumPlan
from zhijiao.domain.conversion.rules import (
    Agreement,
    ExemptionCaps,
    IssuerScope,
    MappingKind,
    RuleSet,
    SourceCondition,
    allowed_issuers,
    check_against_plan,
    earliest_obtained,
    rules_in_force,
)
from zhijiao.domain.creditbank.model import OutcomeKind
from zhijiao.domain.errors import ValidationFailed

from .factories import rule

CERT = SourceCondition(OutcomeKind.skill_certificate, code="X1")


def test_version_in_force_on_a_date() -> None:
    v1 = rule("R1", ("H01",), version=1, effective_from=date(2020, 1, 1), effective_to=date(2022, 12, 31))
    v2 = rule("R1", ("H01",), version=2, effective_from=date(2023, 1, 1))
    later = rule("R2", ("H02",), effective_from=date(2024, 9, 1))
    rules = [v2, later, v1]
    assert rules_in_force(rules, date(2019, 12, 31)) == ()
    assert rules_in_force(rules, date(2022, 12, 31)) == (v1,)  # effective_to is inclusive
    assert rules_in_force(rules, date(2023, 1, 1)) == (v2,)
    assert rules_in_force(rules, date(2024, 9, 1)) == (v2, later)
    # overlapping windows: the highest version wins
    v3 = rule("R1", ("H01",), version=3, effective_from=date(2024, 1, 1), effective_to=date(2024, 6, 30))
    assert rules_in_force([v1, v2, v3], date(2024, 3, 1)) == (v3,)
    assert rules_in_force([v1, v2, v3], date(2024, 7, 1)) == (v2,)


def test_mapping_kinds() -> None:
    assert rule("a", ("H01",), CERT).mapping is MappingKind.one_to_one
    assert rule("b", ("H01",), CERT, CERT).mapping is MappingKind.many_to_one
    assert rule("c", ("H01", "H02"), CERT).mapping is MappingKind.one_to_many
    assert rule("d", ("H01", "H02"), CERT, CERT).mapping is MappingKind.many_to_many


def test_invalid_rules() -> None:
    with pytest.raises(ValidationFailed, match="失效日期早于生效日期"):
        rule("R1", ("H01",), effective_from=date(2023, 1, 1), effective_to=date(2022, 1, 1))
    with pytest.raises(ValidationFailed, match="目标课程不能为空或重复"):
        rule("R1", ("H01", "H01"))
    r = rule("R1", ("H01",))
    with pytest.raises(ValidationFailed, match="第1版重复"):
        RuleSet(1, r.plan, (r, r))


def test_rules_checked_against_the_plan(plan: CurriculumPlan) -> None:
    check_against_plan(RuleSet(1, plan.key, (rule("R1", ("H01",)),)), plan)
    with pytest.raises(ValidationFailed, match="没有课程 Z9") as info:
        check_against_plan(RuleSet(1, plan.key, (rule("R1", ("H01",)), rule("R2", ("H02", "Z9")))), plan)
    assert info.value.field == "rules[1].targets[1]"


def test_recency_cutoff_handles_29_february() -> None:
    cond = SourceCondition(OutcomeKind.skill_certificate, within_years=3)
    assert earliest_obtained(cond, date(2024, 6, 1)) == date(2021, 6, 1)
    assert earliest_obtained(cond, date(2024, 2, 29)) == date(2021, 2, 28)
    assert earliest_obtained(SourceCondition(OutcomeKind.course), date(2024, 6, 1)) is None


def test_issuer_scope_and_agreements() -> None:
    r = rule("R1", ("H01",))
    other = rule("R2", ("H02",))
    agreements = [
        Agreement("A", 1, 2, date(2020, 1, 1), date(2024, 12, 31)),
        Agreement("B", 1, 3, date(2020, 1, 1), rule_ids=frozenset({"R2"})),
        Agreement("C", 7, 4, date(2020, 1, 1)),  # another institution's agreement
    ]
    on = date(2024, 6, 1)
    own = SourceCondition(OutcomeKind.course, issuer_scope=IssuerScope.own)
    partner = SourceCondition(OutcomeKind.course, issuer_scope=IssuerScope.partner)
    anyone = SourceCondition(OutcomeKind.course)
    assert allowed_issuers(own, r, agreements, on) == {1}
    assert allowed_issuers(partner, r, agreements, on) == {1, 2}
    assert allowed_issuers(partner, other, agreements, on) == {1, 2, 3}
    assert allowed_issuers(partner, r, agreements, date(2025, 1, 1)) == {1}  # agreement A expired
    assert allowed_issuers(anyone, r, agreements, on) is None
    listed = SourceCondition(OutcomeKind.skill_certificate, issuer_ids=frozenset({100, 2}))
    assert allowed_issuers(listed, r, agreements, on) == {100, 2}
    both = SourceCondition(
        OutcomeKind.course, issuer_ids=frozenset({100, 2}), issuer_scope=IssuerScope.partner
    )
    assert allowed_issuers(both, r, agreements, on) == {2}


def test_plan_cap(plan: CurriculumPlan) -> None:
    assert ExemptionCaps().plan_limit(plan) is None
    assert ExemptionCaps(plan_ratio=Fraction(1, 3)).plan_limit(plan) == Decimal("7.5")
    assert ExemptionCaps(plan_ratio=Fraction(2, 7)).plan_limit(plan) == Decimal("6.42")  # floored
    assert ExemptionCaps(plan_ratio=Fraction(1, 3), plan_credits=Decimal(5)).plan_limit(plan) == 5
