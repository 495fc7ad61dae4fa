"""Deriving an outcome's credits and framework level under the recording rules in force."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from zhijiao.domain.access import Principal, Role, require_role
from zhijiao.domain.creditbank.model import Institution, Level, OutcomeKind
from zhijiao.domain.creditbank.recording import (
    DEFAULT_RULES,
    RecordingRule,
    check_credits,
    compute_credits,
    framework_level,
)
from zhijiao.services.clock import utcnow

if TYPE_CHECKING:
    from zhijiao.adapters.db.uow import SqlUnitOfWork

TENTH = Decimal("0.1")


def rules_in_force(uow: SqlUnitOfWork) -> dict[OutcomeKind, RecordingRule]:
    """The stored rules, with the defaults for kinds that have none stored."""
    return {**DEFAULT_RULES, **uow.recording_rules.all()}


def list_rules(uow: SqlUnitOfWork) -> dict[OutcomeKind, RecordingRule]:
    with uow:
        return rules_in_force(uow)


def save_rule(uow: SqlUnitOfWork, principal: Principal, rule: RecordingRule) -> RecordingRule:
    require_role(principal, Role.national_admin)
    with uow:
        uow.recording_rules.save(rule, utcnow())
        uow.commit()
    return rule


def tenth(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(TENTH, rounding=ROUND_HALF_UP)


def derive(
    rule: RecordingRule,
    issuer: Institution,
    kind: OutcomeKind,
    hours: Decimal | None,
    credits: Decimal | None,
    level: Level | None,
) -> tuple[Decimal, int]:
    """(credits, framework level). Raises ValidationFailed when explicit credits break the rule."""
    earned = check_credits(rule, credits) if credits is not None else compute_credits(rule, hours, level)
    return earned, framework_level(kind, level, issuer.kind)
