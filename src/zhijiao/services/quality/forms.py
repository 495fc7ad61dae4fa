"""The school's Excel form for a year, with what is already stored filled in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from zhijiao.adapters.spreadsheets.quality_form import form_template
from zhijiao.domain.access import Principal
from zhijiao.domain.quality.elements import periods_of_year
from zhijiao.services.quality.schools import find_school
from zhijiao.services.quality.verdicts import check_year

if TYPE_CHECKING:
    from zhijiao.adapters.db.uow import SqlUnitOfWork


def school_form(uow: SqlUnitOfWork, principal: Principal, code: str, year: int) -> bytes:
    """The form of the academic year ending in `year` (e.g. 2024 → 2023-2024)."""
    check_year(year)
    period = periods_of_year(year)[0]
    with uow.read():
        school = find_school(uow, principal, code)
        current = {(v.element, v.category): v.value for v in uow.quality.values([school.id], [period.code])}
    return form_template(org_code=school.code, school_name=school.name, period=period, current=current)
