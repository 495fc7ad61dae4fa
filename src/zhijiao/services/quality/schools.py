"""The schools quality monitoring reports on: the credit bank's institutions (one table), seen
through the scope rules of `domain/access.py` — a school sees itself, a province its schools."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from zhijiao.domain.access import Principal, Role, can_view_institution
from zhijiao.domain.creditbank.model import Institution
from zhijiao.domain.errors import Forbidden, NotFound, ValidationFailed
from zhijiao.domain.quality.elements import DEFAULT_DISCIPLINE, DisciplineType, SchoolLevel, level_of
from zhijiao.domain.quality.values import clean

if TYPE_CHECKING:
    from zhijiao.adapters.db.uow import SqlUnitOfWork


@dataclass(frozen=True, slots=True)
class School:
    institution: Institution
    level: SchoolLevel
    discipline: DisciplineType

    @property
    def id(self) -> int:
        assert self.institution.id is not None
        return self.institution.id

    @property
    def code(self) -> str:
        return self.institution.moe_code or self.institution.uscc or str(self.id)

    @property
    def name(self) -> str:
        return self.institution.name

    @property
    def province(self) -> str:
        return self.institution.province_code


def school_not_found(code: str) -> NotFound:
    # the same answer for a code that does not exist and one out of the caller's scope
    return NotFound(f"学校“{code}”不存在或无权查看", code="quality_school_not_found")


def as_schools(uow: SqlUnitOfWork, found: list[Institution]) -> list[School]:
    kinds = {i.id: level_of(i.kind) for i in found}
    disciplines = uow.quality.discipline_types([i.id for i in found if i.id is not None])
    out = []
    for inst in found:
        level = kinds[inst.id]
        if level is None or inst.id is None:
            continue
        d = disciplines.get(inst.id)
        out.append(School(inst, level, DisciplineType(d) if d else DEFAULT_DISCIPLINE))
    return out


def visible_schools(uow: SqlUnitOfWork, principal: Principal, province: str | None = None) -> list[School]:
    """Every monitored school `principal` may see (in `province`, when given)."""
    if principal.role is Role.province_admin:
        if province and province != principal.province_code:
            raise Forbidden("省级管理员只能查看本省学校", code="province_scope")
        province = principal.province_code
    if principal.role in (Role.institution_staff, Role.certifier):
        inst = uow.institutions.get(principal.institution_id) if principal.institution_id else None
        found = [inst] if inst is not None else []
    elif principal.role is Role.learner:
        found = []
    else:
        found = uow.institutions.list(province_code=province)
    return as_schools(uow, [i for i in found if can_view_institution(principal, i)])


def own_school(uow: SqlUnitOfWork, principal: Principal) -> School:
    """The school of a school's staff member."""
    found = visible_schools(uow, principal) if principal.role is Role.institution_staff else []
    if not found:
        raise school_not_found("")
    return found[0]


def find_school(uow: SqlUnitOfWork, principal: Principal, code: str) -> School:
    """The school whose 学校标识码 (moe_code) or 统一社会信用代码 is `code` — if `principal` may see it."""
    text = clean(code).upper()
    # only the two public codes: an internal row id is not a 机构代码
    inst = uow.institutions.find_by_codes(moe_code=text, uscc=text) if text else None
    if inst is None or not can_view_institution(principal, inst):
        raise school_not_found(code)
    schools = as_schools(uow, [inst])
    if not schools:
        raise ValidationFailed(
            f"“{inst.name}”不是质量监测范围内的学校（中职、高职专科或职业本科）", code="not_a_school"
        )
    return schools[0]


def set_discipline_type(
    uow: SqlUnitOfWork, principal: Principal, code: str, discipline: DisciplineType
) -> School:
    """Record a school's discipline type (办学类型, decides its national lines): province or nation."""
    return set_discipline_types(uow, principal, {code: discipline})[0]


def set_discipline_types(
    uow: SqlUnitOfWork, principal: Principal, types: dict[str, DisciplineType]
) -> list[School]:
    """Several schools' discipline types, in one transaction."""
    if principal.role not in (Role.province_admin, Role.national_admin):
        raise Forbidden("只有省级或国家级管理员可以设置学校的办学类型", code="role_forbidden")
    out = []
    with uow:
        for code, discipline in types.items():
            school = find_school(uow, principal, code)
            uow.quality.set_discipline_type(school.id, discipline.value)
            out.append(School(school.institution, school.level, discipline))
        uow.commit()
    return out
