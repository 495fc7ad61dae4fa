"""免修 (exemptions) of a learner, flagging them when a source outcome is revoked, and the graduation audit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from zhijiao.domain.access import Principal
from zhijiao.domain.conversion.audit import AuditResult, audit
from zhijiao.domain.conversion.plan import CurriculumPlan, PlanKey
from zhijiao.domain.conversion.revocation import flag_revoked
from zhijiao.domain.creditbank.ledger import canonical_json
from zhijiao.domain.creditbank.model import LearningAccount, LedgerAction
from zhijiao.domain.errors import Forbidden
from zhijiao.services.conversion.plans import load_plan, plan_of_learner
from zhijiao.services.creditbank import ledger
from zhijiao.services.creditbank.accounts import load_account

if TYPE_CHECKING:
    from zhijiao.adapters.db.conversion_repository import StoredExemption, StoredPlan
    from zhijiao.adapters.db.uow import SqlUnitOfWork

ACTIVE, FLAGGED = "active", "flagged"


def _full_account(uow: SqlUnitOfWork, principal: Principal, account_no: str) -> LearningAccount:
    account, relation = load_account(uow, principal, account_no)
    if relation != "full":
        raise Forbidden("只有账号本人、所属院校和主管部门可查看免修与审核结果", code="exemptions_forbidden")
    return account


def account_exemptions(uow: SqlUnitOfWork, principal: Principal, account_no: str) -> list[StoredExemption]:
    with uow.read():
        account = _full_account(uow, principal, account_no)
        return uow.conversion.exemptions(account.id or 0)


def flag_for_revoked_outcome(
    uow: SqlUnitOfWork, account_id: int, outcome_id: int, reason: str, actor: str, now: datetime
) -> list[StoredExemption]:
    """Inside the revocation's unit of work: flag the active exemptions that rest on the outcome,
    with one `flag_exemption` ledger entry each. They stop counting in audits until reviewed."""
    active = [s for s in uow.conversion.exemptions(account_id) if s.status == ACTIVE]
    hits = set(flag_revoked(outcome_id, [s.exemption for s in active]))
    flagged = [s for s in active if s.exemption in hits]
    why = f"来源学习成果 #{outcome_id} 已撤销：{reason}"
    for s in flagged:
        uow.conversion.flag_exemption(s.id, why, now)
        ledger.append(
            uow,
            account_id=account_id,
            action=LedgerAction.flag_exemption,
            outcome_id=None,
            payload=canonical_json(
                {
                    "exemption_id": s.id,
                    "application_id": s.application_id,
                    "course_code": s.exemption.course_code,
                    "revoked_outcome_id": outcome_id,
                }
            ),
            actor=actor,
            now=now,
            note=why,
        )
    return flagged


@dataclass(frozen=True, slots=True)
class AuditView:
    account: LearningAccount
    plan: CurriculumPlan
    result: AuditResult
    flagged: list[StoredExemption]


def audit_learner(
    uow: SqlUnitOfWork, principal: Principal, account_no: str, plan: PlanKey | None = None
) -> AuditView:
    """毕业/资格审核: the learner's earned credits and active exemptions against a plan (theirs by default)."""
    with uow.read():
        account = _full_account(uow, principal, account_no)
        assert account.id is not None
        stored = load_plan(uow, plan) if plan is not None else plan_of_learner(uow, account.id)
        result, flagged = audit_in(uow, account.id, stored)
    return AuditView(account, stored.plan, result, flagged)


def audit_in(
    uow: SqlUnitOfWork, account_id: int, stored: StoredPlan
) -> tuple[AuditResult, list[StoredExemption]]:
    """Inside an open unit of work: the audit against the plan, and the flagged exemptions left out of it."""
    exemptions = uow.conversion.exemptions(account_id, stored.id)
    outcomes = uow.outcomes.for_account(account_id)
    active = [e.exemption for e in exemptions if e.status == ACTIVE]
    return audit(stored.plan, outcomes, active), [e for e in exemptions if e.status == FLAGGED]
