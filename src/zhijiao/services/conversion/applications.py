"""学分兑换申请: submit with a pre-check, review, approve (exactly once), reject, withdraw, overdue lists.

Approval locks the learner's account row first (SELECT … FOR UPDATE on PostgreSQL; SQLite writers
are serial), then moves the application with a conditional UPDATE … WHERE state = 'under_review';
a second approver finds nothing to move and gets a Conflict. The unique constraints on transitions
(one per state) and exemptions (one per account, plan and course) hold even if that were bypassed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from zhijiao.domain.access import Principal, Role
from zhijiao.domain.conversion import application as flow
from zhijiao.domain.conversion.allocation import Allocation, Exemption, allocate, with_allocation
from zhijiao.domain.conversion.application import (
    DEFAULT_REVIEW_WORKING_DAYS,
    OPEN_STATES,
    ApplicationState,
    ConversionApplication,
)
from zhijiao.domain.conversion.eligibility import CourseVerdict, evaluate, find_claims
from zhijiao.domain.conversion.permissions import can_manage, require_can_apply, require_can_review
from zhijiao.domain.conversion.plan import CurriculumPlan
from zhijiao.domain.creditbank.ledger import canonical_json
from zhijiao.domain.creditbank.model import LearningAccount, LedgerAction, Outcome, OutcomeStatus
from zhijiao.domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
from zhijiao.services import clock
from zhijiao.services.conversion.plans import load_plan, parse_plan_key, plan_of_learner
from zhijiao.services.conversion.rules import rule_set_of
from zhijiao.services.creditbank import ledger
from zhijiao.services.creditbank.accounts import load_account

if TYPE_CHECKING:
    from zhijiao.adapters.db.conversion_repository import StoredApplication, StoredExemption, StoredPlan
    from zhijiao.adapters.db.uow import SqlUnitOfWork


@dataclass(frozen=True, slots=True)
class ApplicationView:
    id: int
    application: ConversionApplication
    account_no: str
    precheck: list[dict[str, Any]]
    actors: tuple[str, ...]
    exemptions: list[StoredExemption]
    overdue: bool
    learner_name: str = ""
    plan_name: str = ""  # the plan's title, e.g. "…专业2024级人才培养方案"
    course_names: dict[str, str] = field(default_factory=dict)  # the plan's course code → name
    outcome_titles: dict[int, str] = field(default_factory=dict)  # cited outcome id → title (detail only)
    submitted_at: datetime | None = None


def verdicts_as_data(verdicts: Sequence[CourseVerdict]) -> list[dict[str, Any]]:
    return [
        {"course_code": v.course_code, "course_name": v.course_name, "eligible": v.eligible,
         "granted": v.granted, "left_out_reason": v.left_out_reason, "left_out_reason_en": v.left_out_reason_en,
         "preference_reason": v.preference_reason, "preference_reason_en": v.preference_reason_en,
         "explanation": v.explanation}
        for v in verdicts
    ]  # fmt: skip


def _cited_outcomes(uow: SqlUnitOfWork, account_id: int, outcome_ids: Sequence[int]) -> list[Outcome]:
    owned = {o.id: o for o in uow.outcomes.for_account(account_id)}
    foreign = [str(i) for i in outcome_ids if i not in owned]
    if foreign:
        raise ValidationFailed(f"学习成果 #{'、#'.join(foreign)} 不在该学习账号中", field="outcome_ids")
    if len(set(outcome_ids)) != len(outcome_ids):
        raise ValidationFailed("引用的学习成果有重复", field="outcome_ids")
    return [owned[i] for i in outcome_ids]


def _verdicts(
    uow: SqlUnitOfWork,
    stored: StoredPlan,
    account_id: int,
    cited: Sequence[Outcome],
    targets: Sequence[str],
    on: date,
    preferred: Sequence[str] = (),
) -> tuple[CourseVerdict, ...]:
    """The verdict per course, each with what the allocation would grant (caps, prior exemptions and
    the learner's preference included, exactly as approval computes it) or why the course would be
    left out, and why a preferred course could not be kept."""
    if not targets:
        raise ValidationFailed("申请须指定至少一门免修课程或模块", field="target_courses")
    if len(set(targets)) != len(targets):
        raise ValidationFailed("目标课程有重复", field="target_courses")
    preferred = flow.check_preference(targets, preferred)
    rule_set = rule_set_of(uow, stored.id, stored.plan)
    verdicts = evaluate(cited, stored.plan, rule_set.in_force(on), on, rule_set.agreements, targets)
    allocation = _allocate(uow, account_id, stored, cited, targets, on, on, preferred)
    return tuple(with_allocation(v, allocation) for v in verdicts)


def _allocate(
    uow: SqlUnitOfWork,
    account_id: int,
    plan: StoredPlan,
    cited: Sequence[Outcome],
    targets: Sequence[str],
    submitted_on: date,
    on: date,
    preferred: Sequence[str] = (),
) -> Allocation:
    """Claims from the cited outcomes under the rules in force on the application date, limited to the
    courses applied for, allocated after the learner's prior exemptions with the learner's preference
    (the one path for pre-check and approval)."""
    rule_set = rule_set_of(uow, plan.id, plan.plan)
    rules = rule_set.in_force(submitted_on)
    wanted = set(targets)
    claims = [
        c
        for c in find_claims(cited, plan.plan, rules, submitted_on, rule_set.agreements)
        if set(c.targets) <= wanted
    ]
    prior = [e.exemption for e in uow.conversion.exemptions(account_id, plan.id) if e.status == "active"]
    return allocate(claims, plan.plan, rule_set.caps, on, prior, preferred)


def precheck(
    uow: SqlUnitOfWork,
    principal: Principal,
    account_no: str,
    outcome_ids: Sequence[int],
    targets: Sequence[str],
    preferred: Sequence[str] = (),
) -> tuple[CourseVerdict, ...]:
    """资格预审: a verdict per target course with one Chinese line per condition (nothing is stored).
    `preferred`: courses the learner wants exempted first (most wanted first), among `targets`."""
    with uow.read():
        account, _ = load_account(uow, principal, account_no)
        require_can_apply(principal, account)
        assert account.id is not None
        stored = plan_of_learner(uow, account.id)
        cited = _cited_outcomes(uow, account.id, outcome_ids)
        return _verdicts(uow, stored, account.id, cited, targets, clock.today(), preferred)


def submit(
    uow: SqlUnitOfWork,
    principal: Principal,
    account_no: str,
    outcome_ids: Sequence[int],
    targets: Sequence[str],
    *,
    review_working_days: int = DEFAULT_REVIEW_WORKING_DAYS,
    preferred: Sequence[str] = (),
) -> ApplicationView:
    """A learner (or the staff of their school) applies; the pre-check is stored with the application."""
    now = clock.utcnow()
    with uow:
        account, _ = load_account(uow, principal, account_no)
        require_can_apply(principal, account)
        assert account.id is not None
        stored = plan_of_learner(uow, account.id)
        cited = _cited_outcomes(uow, account.id, outcome_ids)
        verdicts = _verdicts(uow, stored, account.id, cited, targets, now.date(), preferred)
        app = flow.submit(
            account.id,
            str(stored.plan.key),
            outcome_ids,
            targets,
            now,
            review_working_days=review_working_days,
            preferred_courses=preferred,
        )
        app_id = uow.conversion.add_application(stored.id, app, verdicts_as_data(verdicts), now)
        step = flow.Transition(None, ApplicationState.submitted, principal.user_id, now)
        uow.conversion.add_transition(app_id, account.id, step, principal.actor)
        uow.commit()
    return get_application(uow, principal, app_id)


def _view(
    uow: SqlUnitOfWork,
    stored: StoredApplication,
    today: date,
    *,
    detail: bool = True,
    plans_seen: dict[int, StoredPlan | None] | None = None,
) -> ApplicationView:
    """The application with the names a clerk recognises: the learner, the plan, its courses, and
    (`detail`) the titles of the outcomes cited."""
    account = uow.accounts.get(stored.application.account_id)
    assert account is not None
    granted = [
        e for e in uow.conversion.exemptions(account.id or 0, stored.plan_id) if e.application_id == stored.id
    ]
    app = stored.application
    seen = {} if plans_seen is None else plans_seen
    if stored.plan_id not in seen:
        seen[stored.plan_id] = uow.conversion.plan(stored.plan_id)
    plan = seen[stored.plan_id]
    titles: dict[int, str] = {}
    if detail:
        cited = set(app.outcome_ids)
        titles = {o.id: o.title for o in uow.outcomes.for_account(account.id or 0) if o.id in cited}
    return ApplicationView(
        stored.id, app, account.account_no, stored.precheck, stored.actors, granted, app.is_overdue(today),
        learner_name=account.name, plan_name=(plan.plan.name or str(plan.plan.key)) if plan else app.plan_key,
        course_names={c.code: c.name for c in plan.plan.courses} if plan else {}, outcome_titles=titles,
        submitted_at=app.history[0].at if app.history else None,
    )  # fmt: skip


def _plan_institution(uow: SqlUnitOfWork, stored: StoredApplication) -> int:
    plan = uow.conversion.plan(stored.plan_id)
    assert plan is not None
    return plan.plan.institution_id


def _may_see(uow: SqlUnitOfWork, principal: Principal, stored: StoredApplication) -> bool:
    if principal.role is Role.learner:
        return principal.account_id == stored.application.account_id
    institution = uow.institutions.get(_plan_institution(uow, stored))
    assert institution is not None
    return can_manage(principal, institution)


def _load(uow: SqlUnitOfWork, principal: Principal, application_id: int) -> StoredApplication:
    stored = uow.conversion.application(application_id)
    if stored is None or not _may_see(uow, principal, stored):
        raise NotFound("学分兑换申请不存在或无权查看", code="application_not_found")
    return stored


def get_application(uow: SqlUnitOfWork, principal: Principal, application_id: int) -> ApplicationView:
    with uow.read():
        return _view(uow, _load(uow, principal, application_id), clock.today())


def list_applications(
    uow: SqlUnitOfWork,
    principal: Principal,
    *,
    state: ApplicationState | None = None,
    overdue: bool = False,
    plan: str | None = None,
    course_code: str | None = None,
    limit: int = 200,
) -> list[ApplicationView]:
    """A learner's own applications, or the review queue of the institutions the caller manages."""
    today = clock.today()
    filters: dict[str, Any] = {"course_code": course_code, "limit": max(1, min(limit, 500))}
    if overdue:
        open_states = OPEN_STATES if state is None else OPEN_STATES & {state}
        filters.update(states=open_states, deadline_before=today)
    elif state is not None:
        filters["states"] = [state]
    with uow.read():
        if plan:
            key = parse_plan_key(plan)
            filters["plan_id"] = load_plan(uow, key).id
        match principal.role:
            case Role.learner:
                filters["account_id"] = principal.account_id or 0
            case Role.institution_staff:
                filters["institution_ids"] = [principal.institution_id or 0]
            case Role.province_admin:
                filters["institution_ids"] = [
                    i.id for i in uow.institutions.list(province_code=principal.province_code) if i.id
                ]
            case Role.national_admin:
                pass
            case _:
                raise Forbidden("当前角色无权查看学分兑换申请", code="role_forbidden")
        seen: dict[int, StoredPlan | None] = {}
        return [
            _view(uow, s, today, detail=False, plans_seen=seen) for s in uow.conversion.applications(**filters)
        ]


def overdue_applications(uow: SqlUnitOfWork, principal: Principal) -> list[ApplicationView]:
    """Open applications past their review deadline, oldest deadline first."""
    return list_applications(uow, principal, overdue=True)


# ---- transitions ------------------------------------------------------------------------------


def _locked(uow: SqlUnitOfWork, principal: Principal, application_id: int) -> StoredApplication:
    """Lock the learner's account (serialising every decision on it), then read the application."""
    account_id = uow.conversion.application_account(application_id)
    if account_id is None:
        raise NotFound("学分兑换申请不存在或无权查看", code="application_not_found")
    uow.conversion.lock_account(account_id)
    return _load(uow, principal, application_id)


def _move(
    uow: SqlUnitOfWork, principal: Principal, stored: StoredApplication, moved: ConversionApplication
) -> None:
    """Store the domain's transition, unless another writer moved the application first."""
    step = moved.history[-1]
    assert step.from_state is not None
    now = step.at
    if not uow.conversion.move_application(stored.id, step.from_state, step.to_state, now):
        raise Conflict("申请已被他人处理，请刷新后查看", code="application_changed")
    uow.conversion.add_transition(stored.id, moved.account_id, step, principal.actor)


def start_review(uow: SqlUnitOfWork, principal: Principal, application_id: int) -> ApplicationView:
    with uow:
        stored = _locked(uow, principal, application_id)
        require_can_review(principal, _plan_institution(uow, stored))
        _move(
            uow, principal, stored, flow.start_review(stored.application, principal.user_id, clock.utcnow())
        )
        uow.commit()
    return get_application(uow, principal, application_id)


def reject(uow: SqlUnitOfWork, principal: Principal, application_id: int, reason: str) -> ApplicationView:
    with uow:
        stored = _locked(uow, principal, application_id)
        require_can_review(principal, _plan_institution(uow, stored))
        moved = flow.reject(stored.application, principal.user_id, clock.utcnow(), reason)
        _move(uow, principal, stored, moved)
        uow.commit()
    return get_application(uow, principal, application_id)


def withdraw(uow: SqlUnitOfWork, principal: Principal, application_id: int) -> ApplicationView:
    """Only the learner withdraws, and only their own application."""
    with uow:
        stored = _locked(uow, principal, application_id)
        if principal.role is not Role.learner or principal.account_id != stored.application.account_id:
            raise Forbidden("只有申请人本人可以撤回申请", code="withdraw_forbidden")
        moved = flow.transition(
            stored.application, ApplicationState.withdrawn, principal.user_id, clock.utcnow()
        )
        _move(uow, principal, stored, moved)
        uow.commit()
    return get_application(uow, principal, application_id)


def allocation_for(uow: SqlUnitOfWork, stored: StoredApplication, plan: StoredPlan, on: date) -> Allocation:
    """What approving would grant (the same allocation as the pre-check, with today's prior exemptions)."""
    app = stored.application
    cited = _cited_outcomes(uow, app.account_id, app.outcome_ids)
    return _allocate(
        uow, app.account_id, plan, cited, app.target_courses, app.submitted_on, on, app.preferred_courses
    )


def left_out_note(plan: CurriculumPlan, allocation: Allocation) -> str:
    """For the history: each course applied for but not granted, and why (with the figures)."""
    lines = [
        f"未免修 {plan.course(x.course_code).name}（{x.course_code}）：{x.reason}"
        for x in allocation.left_out
    ]
    lines += [
        f"未能按意愿优先免修 {plan.course(x.course_code).name}（{x.course_code}）：{x.reason}"
        for x in allocation.preferred_not_kept
    ]
    return "\n".join(lines)


def approve(uow: SqlUnitOfWork, principal: Principal, application_id: int) -> ApplicationView:
    """Approve: exemption rows and one `exempt` ledger entry each, written exactly once."""
    now = clock.utcnow()
    with uow:
        stored = _locked(uow, principal, application_id)
        plan = uow.conversion.plan(stored.plan_id)
        assert plan is not None
        require_can_review(principal, plan.plan.institution_id)
        allocation = allocation_for(uow, stored, plan, now.date())
        moved = flow.approve(stored.application, principal.user_id, now, left_out_note(plan.plan, allocation))
        _move(uow, principal, stored, moved)
        if not allocation.exemptions:
            reasons = "；".join(x.reason for x in allocation.left_out) or "引用的学习成果不满足任何转换规则"
            raise ValidationFailed(
                f"没有可以批准的免修（{reasons}），请驳回并说明理由", field="target_courses"
            )
        account_id = stored.application.account_id
        uow.conversion.add_exemptions(account_id, plan.id, stored.id, allocation.exemptions)
        for e in allocation.exemptions:
            ledger.append(
                uow,
                account_id=account_id,
                action=LedgerAction.exempt,
                outcome_id=None,
                payload=exemption_payload(stored.id, str(plan.plan.key), e),
                actor=principal.actor,
                now=now,
                note=f"免修 {plan.plan.course(e.course_code).name}（申请 #{stored.id}）",
            )
        uow.commit()
    return get_application(uow, principal, application_id)


def exemption_payload(application_id: int, plan_key: str, e: Exemption) -> str:
    """The canonical JSON an `exempt` ledger entry keeps."""
    return canonical_json(
        {
            "application_id": application_id,
            "plan": plan_key,
            "course_code": e.course_code,
            "credits": e.credits,
            "category": e.category,
            "rule_id": e.rule_id,
            "rule_version": e.rule_version,
            "outcome_ids": list(e.outcome_ids),
            "granted_on": e.granted_on,
        }
    )


def move(
    uow: SqlUnitOfWork, principal: Principal, application_id: int, to: ApplicationState, reason: str = ""
) -> ApplicationView:
    """One entry point for every transition (API and pages)."""
    match to:
        case ApplicationState.under_review:
            return start_review(uow, principal, application_id)
        case ApplicationState.approved:
            return approve(uow, principal, application_id)
        case ApplicationState.rejected:
            return reject(uow, principal, application_id, reason)
        case ApplicationState.withdrawn:
            return withdraw(uow, principal, application_id)
    raise ValidationFailed("申请只能转入：审核中、已批准、已驳回、已撤回", field="to")


@dataclass(frozen=True, slots=True)
class ApplyContext:
    """What the apply form offers: the learner, their plan and their active outcomes."""

    account: LearningAccount
    plan: CurriculumPlan
    outcomes: list[Outcome]


def apply_context(uow: SqlUnitOfWork, principal: Principal, account_no: str | None = None) -> ApplyContext:
    """For a learner their own account (no number needed); for school staff the learner they name."""
    with uow.read():
        if account_no is None:
            own = uow.accounts.get(principal.account_id) if principal.account_id is not None else None
            if own is None:
                raise ValidationFailed("请填写学习账号", field="account_no")
            account_no = own.account_no
        account, _ = load_account(uow, principal, account_no)
        require_can_apply(principal, account)
        assert account.id is not None
        stored = plan_of_learner(uow, account.id)
        active = [o for o in uow.outcomes.for_account(account.id) if o.status is OutcomeStatus.active]
    return ApplyContext(account, stored.plan, active)
