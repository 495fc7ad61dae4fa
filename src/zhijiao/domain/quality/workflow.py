"""The workflow of one school's data set for one period: draft → submitted (with the 真实性声明
confirmed by a named person) → returned with comments, or approved by the province → locked.
Locked data change only after a recorded reopening."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from zhijiao.domain.errors import Conflict, ValidationFailed
from zhijiao.domain.quality.elements import Period

DATA_SET = "basic"  # 基本办学条件与人才培养状态数据
DATA_SET_LABELS = {DATA_SET: "人才培养工作状态数据（基本办学条件）"}
DECLARATION = "本人承诺：所填报数据真实、准确、完整，与学校原始记录一致，如有不实愿承担相应责任。"


class Status(StrEnum):
    draft = "draft"
    submitted = "submitted"
    returned = "returned"
    approved = "approved"  # approved by the province, and locked


STATUS_LABELS = {
    Status.draft: "草稿",
    Status.submitted: "已提交待审核",
    Status.returned: "已退回修改",
    Status.approved: "已审核（锁定）",
}
EDITABLE = frozenset({Status.draft, Status.returned})


class Action(StrEnum):
    submit = "submit"
    approve = "approve"
    return_ = "return"
    reopen = "reopen"


ACTION_LABELS = {
    Action.submit: "提交",
    Action.approve: "审核通过并锁定",
    Action.return_: "退回",
    Action.reopen: "重新开放",
}
_MOVES = {
    Action.submit: ({Status.draft, Status.returned}, Status.submitted),
    Action.approve: ({Status.submitted}, Status.approved),
    Action.return_: ({Status.submitted}, Status.returned),
    Action.reopen: ({Status.approved}, Status.returned),
}


def move(status: Status, action: Action, *, comment: str = "", declared_by: str = "") -> Status:
    """The status after `action`, or the reason it is not allowed now."""
    allowed, after = _MOVES[action]
    if status not in allowed:
        raise Conflict(
            f"当前状态为“{STATUS_LABELS[status]}”，不能{ACTION_LABELS[action]}", code="quality_workflow"
        )
    if action is Action.submit and not declared_by.strip():
        raise ValidationFailed(
            "提交前须由具名责任人确认真实性声明", code="declaration_required", field="declared_by"
        )
    if action in (Action.return_, Action.reopen) and not comment.strip():
        raise ValidationFailed(
            f"{ACTION_LABELS[action]}须填写意见或理由", code="comment_required", field="comment"
        )
    return after


def locked_message(status: Status, period: Period) -> str:
    return f"{period.label}数据当前状态为“{STATUS_LABELS[status]}”，不能修改；如需更改请由省级管理员重新开放"


def deadline(period: Period) -> date:
    """The reporting deadline: 10月15日 of the year the period ends in (the statistics' 报送时间)."""
    return date(period.end_year, 10, 15)
