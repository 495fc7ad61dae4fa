from __future__ import annotations

from fastapi import APIRouter

from zhijiao.api.deps import CurrentPrincipal, UoW
from zhijiao.api.schemas import RecordingRuleRead, RecordingRuleUpdate
from zhijiao.domain.creditbank.model import OutcomeKind
from zhijiao.domain.creditbank.recording import RecordingRule
from zhijiao.services.creditbank import recording

router = APIRouter(prefix="/api/v1/recording-rules", tags=["学时学分记录规则 recording rules"])


def _read(rule: RecordingRule) -> RecordingRuleRead:
    return RecordingRuleRead(
        kind=rule.kind, hours_per_credit=rule.hours_per_credit, step=rule.step, max_credits=rule.max_credits,
        credits_by_level=dict(rule.credits_by_level),
    )  # fmt: skip


@router.get("", response_model=list[RecordingRuleRead], operation_id="list_recording_rules")
def list_rules(_: CurrentPrincipal, uow: UoW) -> list[RecordingRuleRead]:
    return [_read(r) for r in recording.list_rules(uow).values()]


@router.put("/{kind}", response_model=RecordingRuleRead, operation_id="save_recording_rule")
def save_rule(
    kind: OutcomeKind, body: RecordingRuleUpdate, principal: CurrentPrincipal, uow: UoW
) -> RecordingRuleRead:
    rule = RecordingRule(
        kind, body.hours_per_credit, body.step, body.max_credits, tuple(sorted(body.credits_by_level.items()))
    )
    return _read(recording.save_rule(uow, principal, rule))
