from __future__ import annotations

from fastapi import APIRouter

from zhijiao.api.deps import CurrentPrincipal, UoW
from zhijiao.api.schemas import InstitutionCreate, InstitutionRead
from zhijiao.domain.creditbank.model import InstitutionKind
from zhijiao.services import institutions

router = APIRouter(prefix="/api/v1/institutions", tags=["机构 institutions"])


@router.post("", response_model=InstitutionRead, status_code=201, operation_id="register_institution")
def register(body: InstitutionCreate, principal: CurrentPrincipal, uow: UoW) -> InstitutionRead:
    inst = institutions.register_institution(uow, principal, **body.model_dump())
    return InstitutionRead.of(inst)


@router.get("", response_model=list[InstitutionRead], operation_id="list_institutions")
def list_all(
    principal: CurrentPrincipal, uow: UoW, kind: InstitutionKind | None = None
) -> list[InstitutionRead]:
    return [InstitutionRead.of(i) for i in institutions.list_institutions(uow, principal, kind=kind)]


@router.get("/{institution_id}", response_model=InstitutionRead, operation_id="get_institution")
def get_one(institution_id: int, principal: CurrentPrincipal, uow: UoW) -> InstitutionRead:
    return InstitutionRead.of(institutions.get_institution(uow, principal, institution_id))
