"""Enrolments: which major (2021 catalog code) and cohort a learner's account belongs to."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from zhijiao.domain.access import Principal, Role, require_role
from zhijiao.domain.errors import NotFound, ValidationFailed
from zhijiao.domain.identity import IdType, parse_national_id
from zhijiao.services.clock import today

if TYPE_CHECKING:
    from zhijiao.adapters.db.uow import SqlUnitOfWork

NOT_IN_SCOPE = "有 {missing} 个身份证号不在本单位范围内或尚未开设学习账号"
_MAJOR_CODE = re.compile(r"^\d{6}K?$")


@dataclass(frozen=True, slots=True)
class Enrolment:
    national_id: str
    major_code: str
    cohort_year: int


def record_enrolments(uow: SqlUnitOfWork, principal: Principal, items: Sequence[Enrolment]) -> int:
    """Set major and cohort on existing accounts (found by national ID); all or nothing. Returns the count."""
    require_role(principal, Role.national_admin, Role.province_admin, Role.institution_staff)
    this_year = today().year
    for i, e in enumerate(items, start=1):
        if not _MAJOR_CODE.match(e.major_code):
            raise ValidationFailed(
                f"第 {i} 项：专业代码“{e.major_code}”无效（应为6位数字）", field="major_code"
            )
        if not 1950 <= e.cohort_year <= this_year:
            raise ValidationFailed(f"第 {i} 项：入学年份 {e.cohort_year} 不合理", field="cohort_year")
    numbers = [parse_national_id(e.national_id).value for e in items]
    with uow:
        index = [uow.vault.index(IdType.national_id.value, n) for n in numbers]
        found = uow.accounts.by_indexes(index)

        # decision 0016: a number without an account and one whose account is outside the caller's
        # scope get the same answer, so nobody learns that a person they cannot see has an account
        def in_scope(province: str, institution_id: int | None) -> bool:
            if principal.role is Role.province_admin:
                return province == principal.province_code
            if principal.role is Role.institution_staff:
                return institution_id == principal.institution_id
            return True

        scoped = {
            account_id
            for account_id, province, institution_id in uow.accounts.scopes([v[0] for v in found.values()])
            if in_scope(province, institution_id)
        }
        missing = sum(1 for h in index if h not in found or found[h][0] not in scoped)
        if missing:
            raise NotFound(NOT_IN_SCOPE.format(missing=missing), code="account_not_found")
        ids = [found[h][0] for h in index]
        uow.accounts.set_enrolments(
            [(account_id, e.major_code, e.cohort_year) for account_id, e in zip(ids, items, strict=True)]
        )
        uow.commit()
    return len(items)
