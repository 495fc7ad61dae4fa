"""Recording rules (学时学分记录规则): hours → credits per outcome kind, and framework levels."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from zhijiao.domain.creditbank.model import (
    InstitutionKind,
    Level,
    OutcomeKind,
)
from zhijiao.domain.errors import ValidationFailed

CREDIT_STEP = Decimal("0.5")


@dataclass(frozen=True, slots=True)
class RecordingRule:
    """How hours of one outcome kind become credits.

    credits = floor(hours / hours_per_credit, to `step`), at most `max_credits` per outcome.
    Certificates may instead carry fixed credits per level (`credits_by_level`).
    """

    kind: OutcomeKind
    hours_per_credit: Decimal
    step: Decimal = CREDIT_STEP
    max_credits: Decimal | None = None
    credits_by_level: tuple[tuple[int, Decimal], ...] = ()

    def __post_init__(self) -> None:
        if self.hours_per_credit <= 0:
            raise ValidationFailed("每学分学时数必须大于0", field="hours_per_credit")
        if self.step <= 0:
            raise ValidationFailed("学分步长必须大于0", field="step")
        if self.max_credits is not None and self.max_credits < 0:
            raise ValidationFailed("学分上限不能为负数", field="max_credits")


DEFAULT_RULES: dict[OutcomeKind, RecordingRule] = {
    OutcomeKind.course: RecordingRule(OutcomeKind.course, Decimal(16), max_credits=Decimal(10)),
    OutcomeKind.online_course: RecordingRule(OutcomeKind.online_course, Decimal(16), max_credits=Decimal(4)),
    OutcomeKind.training: RecordingRule(OutcomeKind.training, Decimal(16), max_credits=Decimal(6)),
    OutcomeKind.skill_certificate: RecordingRule(
        OutcomeKind.skill_certificate,
        Decimal(16),
        max_credits=Decimal(10),
        credits_by_level=((1, Decimal(4)), (2, Decimal(6)), (3, Decimal(8))),
    ),
    OutcomeKind.qualification_certificate: RecordingRule(
        OutcomeKind.qualification_certificate,
        Decimal(16),
        max_credits=Decimal(12),
        credits_by_level=(
            (1, Decimal(4)),
            (2, Decimal(6)),
            (3, Decimal(8)),
            (4, Decimal(10)),
            (5, Decimal(12)),
        ),
    ),
    OutcomeKind.competition_award: RecordingRule(
        OutcomeKind.competition_award, Decimal(16), max_credits=Decimal(6)
    ),
    # a year of full-time work (≈ 2,000 hours) is worth 4 credits, at most 8
    OutcomeKind.work_experience: RecordingRule(
        OutcomeKind.work_experience, Decimal(500), step=Decimal(1), max_credits=Decimal(8)
    ),
}


def compute_credits(rule: RecordingRule, hours: Decimal | None, level: Level | None) -> Decimal:
    """Credits for an outcome that gave only hours (and maybe a level)."""
    if level is not None and rule.credits_by_level:
        by_level = dict(rule.credits_by_level)
        if int(level) in by_level:
            return _cap(rule, by_level[int(level)])
    if hours is None:
        return Decimal(0)
    steps = (hours / rule.hours_per_credit / rule.step).to_integral_value(rounding=ROUND_FLOOR)
    return _cap(rule, steps * rule.step)


def _cap(rule: RecordingRule, credits: Decimal) -> Decimal:
    if rule.max_credits is not None and credits > rule.max_credits:
        credits = rule.max_credits
    return credits.quantize(Decimal("0.1"))


def check_credits(rule: RecordingRule, credits: Decimal) -> Decimal:
    """Validate credits given explicitly: non-negative, on the step grid, within the cap."""
    if credits < 0:
        raise ValidationFailed("学分不能为负数", field="credits")
    if (credits / rule.step) % 1 != 0:
        raise ValidationFailed(f"学分须为 {rule.step} 的整数倍", field="credits")
    if rule.max_credits is not None and credits > rule.max_credits:
        raise ValidationFailed(f"单项成果学分不能超过 {rule.max_credits}", field="credits")
    return credits.quantize(Decimal("0.1"))


# 国家资历框架等级 (1–8, in the spirit of the EQF): where an outcome sits.
_SCHOOL_LEVEL: dict[InstitutionKind, int] = {
    InstitutionKind.secondary: 3,
    InstitutionKind.technician: 3,
    InstitutionKind.higher: 5,
    InstitutionKind.open_university: 5,
    InstitutionKind.bachelor: 6,
    InstitutionKind.university: 6,
    InstitutionKind.enterprise: 4,
    InstitutionKind.certifier: 4,
}
_CERT_LEVEL: dict[Level, int] = {
    Level.junior: 3,
    Level.intermediate: 4,
    Level.senior: 5,
    Level.technician: 6,
    Level.senior_technician: 7,
}


def framework_level(kind: OutcomeKind, level: Level | None, issuer_kind: InstitutionKind) -> int:
    """The qualifications-framework level of an outcome."""
    if level is not None and kind in (OutcomeKind.skill_certificate, OutcomeKind.qualification_certificate):
        return _CERT_LEVEL[level]
    if kind is OutcomeKind.competition_award and level is not None:
        return _CERT_LEVEL[level]
    base = _SCHOOL_LEVEL[issuer_kind]
    if kind in (OutcomeKind.training, OutcomeKind.online_course):
        return min(base, 4)
    if kind is OutcomeKind.work_experience:
        return 3
    return base
