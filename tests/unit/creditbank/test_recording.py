from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhijiao.domain.creditbank.model import InstitutionKind, Level, OutcomeKind
from zhijiao.domain.creditbank.recording import (
    DEFAULT_RULES,
    RecordingRule,
    check_credits,
    compute_credits,
    framework_level,
)
from zhijiao.domain.errors import ValidationFailed

COURSE = DEFAULT_RULES[OutcomeKind.course]


@pytest.mark.parametrize(
    ("hours", "credits"), [(16, "1.0"), (24, "1.5"), (23, "1.0"), (72, "4.5"), (0, "0.0"), (10000, "10.0")]
)
def test_sixteen_hours_make_a_credit_in_half_steps_with_a_cap(hours: int, credits: str) -> None:
    assert compute_credits(COURSE, Decimal(hours), None) == Decimal(credits)


def test_certificates_earn_credits_by_level() -> None:
    rule = DEFAULT_RULES[OutcomeKind.skill_certificate]
    assert compute_credits(rule, None, Level.junior) == Decimal(4)
    assert compute_credits(rule, None, Level.senior) == Decimal(8)


def test_explicit_credits_must_sit_on_the_grid_and_under_the_cap() -> None:
    assert check_credits(COURSE, Decimal("2.5")) == Decimal("2.5")
    for bad in ("2.3", "-1", "11"):
        with pytest.raises(ValidationFailed):
            check_credits(COURSE, Decimal(bad))


def test_rules_refuse_nonsense() -> None:
    with pytest.raises(ValidationFailed):
        RecordingRule(OutcomeKind.course, Decimal(0))


@given(st.decimals(min_value=0, max_value=5000, places=1), st.sampled_from(list(DEFAULT_RULES.values())))
def test_computed_credits_never_exceed_the_cap_and_stay_on_the_grid(
    hours: Decimal, rule: RecordingRule
) -> None:
    c = compute_credits(rule, hours, None)
    assert c >= 0
    assert rule.max_credits is None or c <= rule.max_credits
    assert (c / rule.step) % 1 == 0


def test_framework_levels() -> None:
    assert framework_level(OutcomeKind.course, None, InstitutionKind.secondary) == 3
    assert framework_level(OutcomeKind.course, None, InstitutionKind.bachelor) == 6
    assert framework_level(OutcomeKind.skill_certificate, Level.intermediate, InstitutionKind.certifier) == 4
    assert framework_level(OutcomeKind.training, None, InstitutionKind.bachelor) == 4
