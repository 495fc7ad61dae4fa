"""学分兑换申请 (ConversionApplication): states, recorded transitions, review deadlines."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from zhijiao.domain.errors import Conflict, ValidationFailed

DEFAULT_REVIEW_WORKING_DAYS = 15


class ApplicationState(StrEnum):
    submitted = "submitted"
    under_review = "under_review"
    approved = "approved"
    rejected = "rejected"
    withdrawn = "withdrawn"


STATE_LABELS = {
    ApplicationState.submitted: "已提交",
    ApplicationState.under_review: "审核中",
    ApplicationState.approved: "已批准",
    ApplicationState.rejected: "已驳回",
    ApplicationState.withdrawn: "已撤回",
}

TRANSITIONS: dict[ApplicationState, frozenset[ApplicationState]] = {
    ApplicationState.submitted: frozenset({ApplicationState.under_review, ApplicationState.withdrawn}),
    ApplicationState.under_review: frozenset(
        {ApplicationState.approved, ApplicationState.rejected, ApplicationState.withdrawn}
    ),
    ApplicationState.approved: frozenset(),
    ApplicationState.rejected: frozenset(),
    ApplicationState.withdrawn: frozenset(),
}
OPEN_STATES = frozenset({ApplicationState.submitted, ApplicationState.under_review})


@dataclass(frozen=True, slots=True)
class Transition:
    from_state: ApplicationState | None
    to_state: ApplicationState
    by: int
    at: datetime
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ConversionApplication:
    """A learner's application citing outcomes and target courses. Immutable: moves return copies."""

    application_id: int | None
    account_id: int
    plan_key: str
    outcome_ids: tuple[int, ...]
    target_courses: tuple[str, ...]
    submitted_on: date
    state: ApplicationState
    history: tuple[Transition, ...]
    review_deadline: date
    preferred_courses: tuple[str, ...] = ()  # courses the learner wants exempted first, most wanted first

    @property
    def reason(self) -> str:
        return self.history[-1].reason if self.history else ""

    def is_overdue(self, today: date) -> bool:
        return self.state in OPEN_STATES and today > self.review_deadline


def submit(
    account_id: int,
    plan_key: str,
    outcome_ids: Iterable[int],
    target_courses: Iterable[str],
    at: datetime,
    *,
    application_id: int | None = None,
    review_working_days: int = DEFAULT_REVIEW_WORKING_DAYS,
    holidays: Collection[date] = frozenset(),
    preferred_courses: Iterable[str] = (),
) -> ConversionApplication:
    outcomes, targets = tuple(outcome_ids), tuple(target_courses)
    if not outcomes:
        raise ValidationFailed("申请须引用至少一项学习成果", field="outcome_ids")
    if not targets:
        raise ValidationFailed("申请须指定至少一门免修课程或模块", field="target_courses")
    preferred = check_preference(targets, preferred_courses)
    return ConversionApplication(
        application_id=application_id,
        account_id=account_id,
        plan_key=plan_key,
        outcome_ids=outcomes,
        target_courses=targets,
        submitted_on=at.date(),
        state=ApplicationState.submitted,
        history=(Transition(None, ApplicationState.submitted, account_id, at),),
        review_deadline=add_working_days(at.date(), review_working_days, holidays),
        preferred_courses=preferred,
    )


def check_preference(targets: Sequence[str], preferred: Iterable[str]) -> tuple[str, ...]:
    """The preferred courses (most wanted first): each one of the courses applied for, none twice."""
    wanted = tuple(preferred)
    if len(set(wanted)) != len(wanted):
        raise ValidationFailed("优先免修的课程有重复", field="preferred_courses")
    outside = [c for c in wanted if c not in targets]
    if outside:
        raise ValidationFailed(
            f"优先免修的课程须是申请免修的课程：{'、'.join(outside)}", field="preferred_courses"
        )
    return wanted


def transition(
    application: ConversionApplication, to: ApplicationState, by: int, at: datetime, reason: str = ""
) -> ConversionApplication:
    """Move to `to`, recording who and when; a rejection needs a reason."""
    current = application.state
    if to not in TRANSITIONS[current]:
        raise Conflict(
            f"申请状态不能从「{STATE_LABELS[current]}」变为「{STATE_LABELS[to]}」", code="invalid_transition"
        )
    if to is ApplicationState.rejected and not reason.strip():
        raise ValidationFailed("驳回申请必须填写理由", field="reason")
    if application.history and at < application.history[-1].at:
        raise ValidationFailed("状态变更时间不能早于上一次变更", field="at")
    step = Transition(current, to, by, at, reason.strip())
    return replace(application, state=to, history=(*application.history, step))


def start_review(application: ConversionApplication, by: int, at: datetime) -> ConversionApplication:
    return transition(application, ApplicationState.under_review, by, at)


def approve(
    application: ConversionApplication, by: int, at: datetime, note: str = ""
) -> ConversionApplication:
    """`note`: for the history, each course applied for that the allocation leaves out, and why."""
    return transition(application, ApplicationState.approved, by, at, note)


def reject(application: ConversionApplication, by: int, at: datetime, reason: str) -> ConversionApplication:
    return transition(application, ApplicationState.rejected, by, at, reason)


def withdraw(application: ConversionApplication, by: int, at: datetime) -> ConversionApplication:
    if by != application.account_id:
        raise Conflict("只有申请人本人可以撤回申请", code="forbidden")
    return transition(application, ApplicationState.withdrawn, by, at)


def is_working_day(day: date, holidays: Collection[date] = frozenset()) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(start: date, days: int, holidays: Collection[date] = frozenset()) -> date:
    """The date `days` working days after `start` (weekends and `holidays` skipped)."""
    if days < 0:
        raise ValidationFailed("工作日天数不能为负数", field="review_working_days")
    current = start
    while days:
        current += timedelta(days=1)
        if is_working_day(current, holidays):
            days -= 1
    return current


def overdue(applications: Iterable[ConversionApplication], today: date) -> tuple[ConversionApplication, ...]:
    """Open applications past their review deadline, oldest deadline first."""
    late = [a for a in applications if a.is_overdue(today)]
    return tuple(sorted(late, key=lambda a: (a.review_deadline, a.submitted_on)))
