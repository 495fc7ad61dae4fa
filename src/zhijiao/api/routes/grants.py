"""A learner's access grants (decision 0016): which institutions may record into their account."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import BaseModel

from zhijiao.api.deps import CurrentPrincipal, UoW
from zhijiao.api.timestamps import Timestamp
from zhijiao.services.creditbank import grants

router = APIRouter(prefix="/api/v1/me/grants", tags=["学习账号 accounts"])


class GrantCreate(BaseModel):
    institution_id: int


class GrantRead(BaseModel):
    institution_id: int
    institution_name: str
    granted_at: Timestamp

    @classmethod
    def of(cls, g: grants.Grant) -> GrantRead:
        return cls(
            institution_id=g.institution_id, institution_name=g.institution_name, granted_at=g.granted_at
        )


@router.get("", response_model=list[GrantRead], operation_id="list_grants")
def list_grants(principal: CurrentPrincipal, uow: UoW) -> list[GrantRead]:
    """学习者本人：已授权可向本人学习账号记录学习成果的机构。"""
    return [GrantRead.of(g) for g in grants.list_grants(uow, principal)]


@router.post("", response_model=GrantRead, status_code=201, operation_id="grant_access")
def grant(body: GrantCreate, principal: CurrentPrincipal, uow: UoW) -> GrantRead:
    """授权一个机构向本人学习账号记录学习成果（不因此能查看本人的其他记录）；可随时撤回。"""
    return GrantRead.of(grants.grant_access(uow, principal, body.institution_id))


@router.delete("/{institution_id}", status_code=204, operation_id="revoke_access")
def revoke(institution_id: int, principal: CurrentPrincipal, uow: UoW) -> Response:
    """撤回授权；该机构已记录的学习成果保留在台账中。"""
    grants.revoke_access(uow, principal, institution_id)
    return Response(status_code=204)
