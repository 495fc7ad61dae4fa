from __future__ import annotations

from fastapi import APIRouter

from zhijiao.api.deps import CurrentPrincipal, UoW
from zhijiao.api.schemas import OutcomeCorrection, OutcomeRead, Revocation
from zhijiao.services.creditbank import outcomes

router = APIRouter(prefix="/api/v1/outcomes", tags=["学习成果 outcomes"])


@router.post("/{outcome_id}/corrections", response_model=OutcomeRead, operation_id="correct_outcome")
def correct(outcome_id: int, body: OutcomeCorrection, principal: CurrentPrincipal, uow: UoW) -> OutcomeRead:
    changes = body.model_dump(exclude_unset=True, exclude={"reason"})
    return OutcomeRead.of(outcomes.correct_outcome(uow, principal, outcome_id, changes, body.reason))


@router.post("/{outcome_id}/revocation", response_model=OutcomeRead, operation_id="revoke_outcome")
def revoke(outcome_id: int, body: Revocation, principal: CurrentPrincipal, uow: UoW) -> OutcomeRead:
    return OutcomeRead.of(outcomes.revoke_outcome(uow, principal, outcome_id, body.reason))
