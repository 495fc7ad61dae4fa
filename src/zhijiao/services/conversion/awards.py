"""Credentials for conversion results: an AchievementCredential for an approved exemption (免修), and
a qualification (资历, OB `Diploma`) credential when the graduation audit finds every requirement met."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhijiao.domain.access import Principal, Role, require_can_record
from zhijiao.domain.conversion.plan import PlanKey
from zhijiao.domain.credentials.records import IssuedCredential
from zhijiao.domain.creditbank.model import OutcomeKind
from zhijiao.domain.creditbank.recording import framework_level
from zhijiao.domain.errors import Conflict, Forbidden, NotFound
from zhijiao.services import clock
from zhijiao.services.conversion.exemptions import ACTIVE, audit_in
from zhijiao.services.conversion.plans import load_plan, plan_of_learner
from zhijiao.services.credentials.issuance import IssueOptions, check_validity, issue_sources
from zhijiao.services.credentials.issuers import IssuingSite
from zhijiao.services.credentials.sources import (
    AchievementSource,
    exemption_ref,
    exemption_sources,
    qualification_ref,
)
from zhijiao.services.creditbank.accounts import account_not_found, load_account

if TYPE_CHECKING:
    from zhijiao.adapters.db.uow import SqlUnitOfWork


def issue_for_exemption(
    uow: SqlUnitOfWork,
    principal: Principal,
    site: IssuingSite,
    exemption_id: int,
    options: IssueOptions | None = None,
) -> IssuedCredential:
    """An AchievementCredential for one active exemption, in the name of the school whose plan it
    concerns. The learner may ask for their own; that school's staff and admins in scope for any.
    An exemption that already has a live credential gets that one back."""
    options = options or IssueOptions()
    check_validity(options)
    hidden = NotFound("免修记录不存在或无权签发凭证", code="exemption_not_found")
    with uow:
        stored = uow.conversion.exemption(exemption_id)
        plan = uow.conversion.plan(stored.plan_id) if stored is not None else None
        issuer = uow.institutions.get(plan.plan.institution_id) if plan is not None else None
        if stored is None or issuer is None:
            raise hidden
        if principal.role is Role.learner:
            if principal.account_id != stored.account_id:
                raise hidden
        else:
            try:
                require_can_record(principal, issuer)
            except Forbidden:
                raise hidden from None
        if stored.status != ACTIVE:
            raise Conflict(
                f"该免修已被标记待复核，不能签发凭证：{stored.flagged_reason or ''}", code="exemption_flagged"
            )
        ref = exemption_ref(stored.id)
        existing = uow.credentials.live_for_refs([stored.account_id], [ref]).get(ref)
        if existing is not None:
            return existing
        (issued,) = issue_sources(uow, site, exemption_sources(uow, [stored]), options, principal.actor)
        uow.commit()
    return issued


def issue_qualification(
    uow: SqlUnitOfWork,
    principal: Principal,
    site: IssuingSite,
    account_no: str,
    plan: PlanKey | None = None,
    options: IssueOptions | None = None,
) -> IssuedCredential:
    """A qualification credential for the plan (the learner's own by default), signed by the plan's
    school, once the graduation audit says every requirement is met; refused with the audit's reasons
    otherwise. Issued by that school's staff or admins in scope; a live one is returned again."""
    options = options or IssueOptions()
    check_validity(options)
    with uow:
        account, relation = load_account(uow, principal, account_no)
        assert account.id is not None
        stored = load_plan(uow, plan) if plan is not None else plan_of_learner(uow, account.id)
        issuer = uow.institutions.get(stored.plan.institution_id)
        assert issuer is not None
        try:
            require_can_record(principal, issuer)
        except Forbidden:
            raise Forbidden(
                f"只有“{issuer.name}”及其主管部门可签发该培养方案的资历凭证", code="qualification_forbidden"
            ) from None
        if relation != "full":
            raise account_not_found()
        ref = qualification_ref(stored.id)
        existing = uow.credentials.live_for_refs([account.id], [ref]).get(ref)
        if existing is not None:
            return existing
        result, _flagged = audit_in(uow, account.id, stored)
        if not result.met:
            unmet = "；".join(c.explanation for c in result.checks if not c.met)
            raise Conflict(
                f"尚未满足培养方案 {stored.plan.key} 的毕业要求，不能签发资历凭证：{unmet}",
                code="requirements_not_met",
            )
        level = framework_level(OutcomeKind.course, None, issuer.kind)
        source = AchievementSource.of_qualification(
            account.id, stored.id, stored.plan, result, issuer, level, clock.today()
        )
        (issued,) = issue_sources(uow, site, [source], options, principal.actor)
        uow.commit()
    return issued
