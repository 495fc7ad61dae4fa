from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from zhijiao.domain.conversion.allocation import Exemption, allocate, remaining_budget
from zhijiao.domain.conversion.eligibility import Claim, find_claims
from zhijiao.domain.conversion.plan import CourseCategory, CurriculumPlan, parse_plan
from zhijiao.domain.conversion.revocation import flag_revoked
from zhijiao.domain.conversion.rules import ExemptionCaps, SourceCondition
from zhijiao.domain.creditbank.model import OutcomeKind

from .factories import PLAN_DATA, outcome, rule

ON = date(2024, 6, 1)
NO_CAPS = ExemptionCaps()


def claim(
    rule_id: str, targets: tuple[str, ...], ids: tuple[int, ...], plan: CurriculumPlan, reuse: bool = False
) -> Claim:
    credits = sum((plan.course(c).credits for c in targets), Decimal(0))
    return Claim(rule_id, 1, ids, targets, credits, reuse)


def test_most_credits_first_and_no_outcome_twice(plan: CurriculumPlan) -> None:
    claims = [
        claim("R1", ("H02",), (1,), plan),
        claim("R2", ("H01",), (1,), plan),
        claim("R3", ("G01",), (2,), plan),
    ]
    result = allocate(claims, plan, NO_CAPS, ON)
    assert [(e.course_code, e.outcome_ids) for e in result.exemptions] == [("H01", (1,)), ("G01", (2,))]
    assert [s.reason for s in result.skipped] == ["学习成果已用于其他免修"]
    assert result.credits == 7


def test_reuse_allowed_by_rule(plan: CurriculumPlan) -> None:
    claims = [claim("R1", ("H01",), (1,), plan), claim("R2", ("H02",), (1,), plan, reuse=True)]
    assert [e.course_code for e in allocate(claims, plan, NO_CAPS, ON).exemptions] == ["H01", "H02"]


def test_target_exempted_once(plan: CurriculumPlan) -> None:
    claims = [claim("R1", ("H01", "H02"), (1,), plan), claim("R2", ("H01",), (2,), plan)]
    result = allocate(claims, plan, NO_CAPS, ON)
    assert [e.course_code for e in result.exemptions] == ["H01", "H02"]
    assert result.skipped[0].reason == "目标课程已免修"


def test_plan_category_and_year_caps(plan: CurriculumPlan) -> None:
    claims = [
        claim("R1", ("H01",), (1,), plan),
        claim("R2", ("H02",), (2,), plan),
        claim("R3", ("G01",), (3,), plan),
    ]
    third = allocate(claims, plan, ExemptionCaps(plan_ratio=Fraction(1, 3)), ON)  # 7.5 credits
    assert [e.course_code for e in third.exemptions] == ["H01", "H02"]
    assert third.skipped[0].reason == "超出免修学分上限（剩余 0 学分）"
    core = allocate(
        claims, plan, ExemptionCaps(per_category={CourseCategory.professional_core: Decimal(4)}), ON
    )
    assert [e.course_code for e in core.exemptions] == ["H01", "G01"]
    assert core.skipped[0].reason == "超出专业核心类免修学分上限（剩余 0 学分）"
    prior = [Exemption("P01", Decimal(6), CourseCategory.practice, "R0", 1, (9,), date(2024, 1, 5))]
    yearly = allocate(claims, plan, ExemptionCaps(per_year=Decimal(10)), ON, prior)
    assert [e.course_code for e in yearly.exemptions] == ["H01"]
    last_year = [Exemption("P01", Decimal(6), CourseCategory.practice, "R0", 1, (9,), date(2023, 12, 5))]
    assert len(allocate(claims, plan, ExemptionCaps(per_year=Decimal(10)), ON, last_year).exemptions) == 2
    # a prior exemption also blocks its outcome and its course
    reuse_prior = allocate(
        [claim("R4", ("P01",), (5,), plan), claim("R5", ("E01",), (9,), plan)], plan, NO_CAPS, ON, prior
    )
    assert reuse_prior.exemptions == ()


def test_budget(plan: CurriculumPlan) -> None:
    caps = ExemptionCaps(
        plan_ratio=Fraction(1, 3), per_year=Decimal(5), per_category={CourseCategory.practice: Decimal(8)}
    )
    prior = [Exemption("P01", Decimal(6), CourseCategory.practice, "R0", 1, (9,), date(2023, 1, 5))]
    budget = remaining_budget(plan, caps, ON, prior)
    assert budget.total == Decimal("1.5") and budget.by_category == {CourseCategory.practice: Decimal(2)}


def test_revoked_outcome_flags_exemptions(plan: CurriculumPlan) -> None:
    result = allocate(
        [claim("R1", ("H01", "H02"), (1, 2), plan), claim("R2", ("G01",), (3,), plan)], plan, NO_CAPS, ON
    )
    flagged = flag_revoked(2, result.exemptions)
    assert [e.course_code for e in flagged] == ["H01", "H02"]
    assert flag_revoked(42, result.exemptions) == ()


# ---- properties -------------------------------------------------------------------------------

PLAN = parse_plan(PLAN_DATA)
CODES = [c.code for c in PLAN.courses]
conditions = st.builds(
    SourceCondition, kind=st.just(OutcomeKind.skill_certificate), code=st.sampled_from(["X1", "X2", "X3"])
)
rules = st.lists(
    st.tuples(
        st.lists(conditions, min_size=1, max_size=3),
        st.lists(st.sampled_from(CODES), min_size=1, max_size=3, unique=True),
        st.booleans(),
    ),
    max_size=8,
).map(lambda items: [rule(f"R{i}", tuple(t), *s, reuse=r) for i, (s, t, r) in enumerate(items)])
outcomes = st.lists(st.sampled_from(["X1", "X2", "X3"]), max_size=6).map(
    lambda codes: [outcome(i + 1, code=c) for i, c in enumerate(codes)]
)
caps = st.builds(
    ExemptionCaps,
    plan_ratio=st.one_of(st.none(), st.sampled_from([Fraction(1, 3), Fraction(1, 2), Fraction(1, 5)])),
    per_category=st.dictionaries(
        st.sampled_from(list(CourseCategory)), st.sampled_from([Decimal(0), Decimal(3), Decimal("4.5")])
    ),
    per_year=st.one_of(st.none(), st.sampled_from([Decimal(5), Decimal("7.5")])),
)


@settings(max_examples=150, deadline=None)
@given(rules=rules, outcomes=outcomes, caps=caps)
def test_no_outcome_double_counted_and_caps_never_exceeded(rules, outcomes, caps) -> None:  # type: ignore[no-untyped-def]
    claims = find_claims(outcomes, PLAN, rules, ON)
    result = allocate(claims, PLAN, caps, ON)
    exemptions = result.exemptions
    # every course exempted at most once
    assert len({e.course_code for e in exemptions}) == len(exemptions)
    # an outcome backs at most one claim, except under rules that allow reuse
    used = Counter(
        i
        for (rule_id, ids) in {(e.rule_id, e.outcome_ids) for e in exemptions if not e.reuse_sources}
        for i in ids
    )
    assert all(n == 1 for n in used.values())
    # caps
    total = sum((e.credits for e in exemptions), Decimal(0))
    limit = caps.plan_limit(PLAN)
    assert limit is None or total <= limit
    assert caps.per_year is None or total <= caps.per_year
    for category, cap in caps.per_category.items():
        assert sum((e.credits for e in exemptions if e.category is category), Decimal(0)) <= cap
    # deterministic, whatever the order of the claims
    assert allocate(list(reversed(claims)), PLAN, caps, ON) == result
    # maximal: a skipped claim really was blocked
    assert all(s.reason for s in result.skipped)
    assert len(result.skipped) + len({(e.rule_id, e.outcome_ids) for e in exemptions}) == len(claims)
