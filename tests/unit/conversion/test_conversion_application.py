from __future__ import annotations

from datetime import date, datetime

import pytest

from zhijiao.domain.conversion.application import (
    ApplicationState,
    add_working_days,
    approve,
    overdue,
    reject,
    start_review,
    submit,
    transition,
    withdraw,
)
from zhijiao.domain.errors import Conflict, ValidationFailed

T0 = datetime(2024, 9, 2, 9, 0)  # a Monday
LEARNER, REVIEWER = 9, 500


def new() -> object:
    return submit(LEARNER, "1/510201/2023", [11, 12], ["H01"], T0)


def test_happy_path_records_who_and_when() -> None:
    app = submit(LEARNER, "1/510201/2023", [11], ["H01"], T0)
    app = start_review(app, REVIEWER, datetime(2024, 9, 3, 10))
    app = approve(app, REVIEWER, datetime(2024, 9, 5, 16))
    assert app.state is ApplicationState.approved
    assert [(t.from_state, t.to_state, t.by, t.at.day) for t in app.history] == [
        (None, ApplicationState.submitted, LEARNER, 2),
        (ApplicationState.submitted, ApplicationState.under_review, REVIEWER, 3),
        (ApplicationState.under_review, ApplicationState.approved, REVIEWER, 5),
    ]


def test_reject_needs_a_reason() -> None:
    app = start_review(submit(LEARNER, "p", [11], ["H01"], T0), REVIEWER, T0)
    with pytest.raises(ValidationFailed, match="驳回申请必须填写理由"):
        reject(app, REVIEWER, T0, "  ")
    rejected = reject(app, REVIEWER, T0, "证书已过时效")
    assert rejected.state is ApplicationState.rejected and rejected.reason == "证书已过时效"


@pytest.mark.parametrize(
    ("steps", "to", "message"),
    [
        ([], ApplicationState.approved, "不能从「已提交」变为「已批准」"),
        (
            [ApplicationState.under_review, ApplicationState.approved],
            ApplicationState.withdrawn,
            "不能从「已批准」变为「已撤回」",
        ),
        ([ApplicationState.withdrawn], ApplicationState.under_review, "不能从「已撤回」变为「审核中」"),
        ([ApplicationState.under_review], ApplicationState.submitted, "不能从「审核中」变为「已提交」"),
    ],
)
def test_invalid_transitions(steps: list[ApplicationState], to: ApplicationState, message: str) -> None:
    app = submit(LEARNER, "p", [11], ["H01"], T0)
    for step in steps:
        app = transition(app, step, LEARNER, T0)
    with pytest.raises(Conflict, match=message):
        transition(app, to, REVIEWER, T0, "理由")


def test_withdraw_only_by_the_applicant_and_time_moves_forward() -> None:
    app = submit(LEARNER, "p", [11], ["H01"], T0)
    with pytest.raises(Conflict, match="只有申请人本人"):
        withdraw(app, REVIEWER, T0)
    assert withdraw(app, LEARNER, T0).state is ApplicationState.withdrawn
    with pytest.raises(ValidationFailed, match="不能早于上一次变更"):
        start_review(app, REVIEWER, datetime(2024, 9, 1))


def test_submission_needs_outcomes_and_targets() -> None:
    with pytest.raises(ValidationFailed, match="至少一项学习成果"):
        submit(LEARNER, "p", [], ["H01"], T0)
    with pytest.raises(ValidationFailed, match="至少一门"):
        submit(LEARNER, "p", [1], [], T0)


def test_working_days() -> None:
    assert add_working_days(date(2024, 9, 2), 15) == date(2024, 9, 23)  # three weeks of weekdays
    assert add_working_days(date(2024, 9, 6), 1) == date(2024, 9, 9)  # Friday → Monday
    assert add_working_days(date(2024, 9, 7), 0) == date(2024, 9, 7)
    national_day = {date(2024, 10, d) for d in range(1, 8)}
    assert add_working_days(date(2024, 9, 30), 1, national_day) == date(2024, 10, 8)
    with pytest.raises(ValidationFailed):
        add_working_days(date(2024, 9, 2), -1)


def test_deadline_and_overdue_list() -> None:
    a = submit(LEARNER, "p", [11], ["H01"], T0, application_id=1)
    b = submit(LEARNER, "p", [12], ["H02"], datetime(2024, 9, 9), application_id=2, review_working_days=5)
    done = approve(
        start_review(submit(LEARNER, "p", [13], ["G01"], T0, application_id=3), REVIEWER, T0), REVIEWER, T0
    )
    assert a.review_deadline == date(2024, 9, 23) and b.review_deadline == date(2024, 9, 16)
    assert overdue([a, b, done], date(2024, 9, 16)) == ()
    assert [x.application_id for x in overdue([a, b, done], date(2024, 9, 24))] == [2, 1]
    assert not done.is_overdue(date(2025, 1, 1))
