"""Registering and listing institutions (院校, 企业, 培训评价组织)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhijiao.domain.access import Principal, Role, can_view_institution, require_role
from zhijiao.domain.creditbank.model import Institution, InstitutionKind
from zhijiao.domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
from zhijiao.domain.identity import validate_moe_code, validate_region_code, validate_uscc
from zhijiao.domain.text import clean
from zhijiao.services.clock import utcnow

if TYPE_CHECKING:
    from zhijiao.adapters.db.uow import SqlUnitOfWork


def register_institution(
    uow: SqlUnitOfWork,
    principal: Principal,
    *,
    name: str,
    kind: InstitutionKind,
    region_code: str,
    moe_code: str | None = None,
    uscc: str | None = None,
) -> Institution:
    require_role(principal, Role.national_admin, Role.province_admin)
    name = clean(name)
    if not name:
        raise ValidationFailed("机构名称不能为空", field="name")
    region_code = validate_region_code(region_code)
    if principal.role is Role.province_admin and region_code[:2] != principal.province_code:
        raise Forbidden("省级管理员只能登记本省机构", code="province_scope")
    moe = validate_moe_code(moe_code) if moe_code else None
    code = validate_uscc(uscc) if uscc else None
    if moe is None and code is None:
        raise ValidationFailed("学校标识码与统一社会信用代码至少填写一项", field="uscc")
    with uow:
        if uow.institutions.find_by_codes(moe_code=moe, uscc=code) is not None:
            raise Conflict("已存在相同学校标识码或统一社会信用代码的机构", code="institution_exists")
        inst = Institution(None, name, kind, region_code, moe, code)
        new_id = uow.institutions.add(inst, utcnow())
        uow.commit()
    return Institution(new_id, name, kind, region_code, moe, code)


def list_institutions(
    uow: SqlUnitOfWork, principal: Principal, *, kind: InstitutionKind | None = None
) -> list[Institution]:
    with uow:
        province = principal.province_code if principal.role is Role.province_admin else None
        found = uow.institutions.list(province_code=province, kind=kind)
    return [i for i in found if can_view_institution(principal, i)]


def get_institution(uow: SqlUnitOfWork, principal: Principal, inst_id: int) -> Institution:
    with uow:
        inst = uow.institutions.get(inst_id)
    if inst is None or not can_view_institution(principal, inst):
        raise NotFound("机构不存在或无权查看", code="institution_not_found")
    return inst
