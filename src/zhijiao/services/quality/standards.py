"""The standards in force: the national lines and the local ones (a province's lines, a school's own
higher targets) recorded in the database — the plan's 国家、省、校三级标准体系."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from zhijiao.domain.access import Principal, Role
from zhijiao.domain.errors import Forbidden, ValidationFailed
from zhijiao.domain.quality.elements import DisciplineType, SchoolLevel
from zhijiao.domain.quality.indicators import INDICATOR_BY_CODE, Direction, Source
from zhijiao.domain.quality.standards import NATIONAL, Standard, resolve
from zhijiao.services.clock import utcnow
from zhijiao.services.quality.schools import find_school, own_school

if TYPE_CHECKING:
    from zhijiao.adapters.db.uow import SqlUnitOfWork


def standards_in_force(uow: SqlUnitOfWork) -> list[Standard]:
    local = [
        Standard(
            t["indicator"], SchoolLevel(t["level"]), Decimal(t["pass_line"]),
            Source(t["document"], t["number"], t["sentence"]),
            DisciplineType(t["discipline_type"]) if t["discipline_type"] else None,
            effective_from=t["effective_from"], scope=t["scope"],
        )
        for t in uow.quality.targets()
    ]  # fmt: skip
    return [*NATIONAL, *local]


def set_target(
    uow: SqlUnitOfWork, principal: Principal, *, indicator: str, level: SchoolLevel, pass_line: str,
    document: str, number: str, sentence: str, effective_from: date, school: str | None = None,
    discipline: DisciplineType | None = None,
) -> Standard:  # fmt: skip
    """A province's own line (province administrators) or a school's own target (its staff, or
    `school` given by an administrator). Local lines may only be stricter than the national one."""
    ind = INDICATOR_BY_CODE.get(indicator)
    if ind is None:
        raise ValidationFailed(f"未知的指标“{indicator}”", field="indicator")
    try:
        line = Decimal(pass_line)
    except InvalidOperation:
        raise ValidationFailed("标准值应为数字", field="pass_line") from None
    if not (document.strip() and sentence.strip()):
        raise ValidationFailed("标准须注明依据的文件和条文", field="sentence")
    with uow:
        if principal.role is Role.institution_staff or school is not None:
            found = find_school(uow, principal, school) if school else own_school(uow, principal)
            if principal.role is Role.institution_staff and found.id != principal.institution_id:
                raise Forbidden("只能为本校设定目标", code="quality_forbidden")
            scope, province, sid = f"school:{found.id}", found.province, found.id
        elif principal.role is Role.province_admin and principal.province_code:
            scope, province, sid = f"province:{principal.province_code}", principal.province_code, 0
        else:
            raise Forbidden("只有省级管理员或学校可以设定本级标准", code="quality_forbidden")
        national = resolve(NATIONAL, indicator, level, discipline or DisciplineType.engineering, effective_from,
                           province=province, school_id=sid)  # fmt: skip
        if national is not None:
            looser = (
                line < national.pass_line
                if ind.direction is Direction.at_least
                else line > national.pass_line
            )
            if looser:
                raise ValidationFailed(
                    f"省级标准和学校目标只能高于国家标准（国家标准 {ind.show(national.pass_line)}）",
                    field="pass_line",
                )
        uow.quality.add_target(
            scope=scope, indicator=indicator, level=level.value, discipline_type=discipline.value if discipline else None,
            pass_line=line, document=document.strip(), number=number.strip(), sentence=sentence.strip(),
            effective_from=effective_from, set_by=principal.actor, created_at=utcnow(),
        )  # fmt: skip
        uow.commit()
    return Standard(indicator, level, line, Source(document, number, sentence), discipline,
                    effective_from=effective_from, scope=scope)  # fmt: skip
