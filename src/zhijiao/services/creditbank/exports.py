"""Exports (read side): the outcomes a caller may take out of the platform, as table rows.

A school exports the outcomes it issued and those of its own learners; a certifier what it issued;
a province the outcomes of its province's learners; the national level everything. Learners are
named by account number and masked ID — the national ID never leaves the platform.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from zhijiao.domain.access import Principal, Role
from zhijiao.domain.creditbank.model import (
    LEVEL_LABELS,
    OUTCOME_KIND_LABELS,
    Level,
    OutcomeKind,
    OutcomeStatus,
)
from zhijiao.domain.errors import Forbidden, NotFound

if TYPE_CHECKING:
    from zhijiao.adapters.db.uow import SqlUnitOfWork

Cell = str | Decimal | int | date | None

OUTCOME_EXPORT_HEADERS = (
    "学习账号", "姓名", "证件号码（脱敏）", "成果类型", "成果名称", "成果代码", "颁发机构", "学时", "学分",
    "成绩", "等级", "资历框架等级", "获得日期", "状态",
)  # fmt: skip
_STATUS_LABELS = {OutcomeStatus.active: "有效", OutcomeStatus.revoked: "已撤销"}


T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class TableExport:
    title: str
    headers: Sequence[str]
    rows: Iterable[tuple[Cell, ...]]  # produced while the export is written: read once


def export_outcomes(
    uow: SqlUnitOfWork,
    principal: Principal,
    write: Callable[[TableExport], T],
    *,
    institution_id: int | None = None,
) -> T:
    """Hand `write` the outcomes `principal` may export, optionally only those of one institution
    (issued by it or held by its learners), and return what it returns. The rows stream from the
    database while `write` consumes them, so a province's export never sits in memory whole."""
    province: str | None = None
    issuer: int | None = None
    issuer_or_home: int | None = institution_id
    match principal.role:
        case Role.national_admin:
            pass
        case Role.province_admin:
            province = principal.province_code
        case Role.institution_staff | Role.certifier:
            if institution_id not in (None, principal.institution_id):
                raise Forbidden("只能导出本机构的学习成果", code="institution_scope")
            issuer_or_home = principal.institution_id
            if principal.role is Role.certifier:  # a certifier has no learners of its own
                issuer, issuer_or_home = principal.institution_id, None
        case _:
            raise Forbidden("当前角色无权导出学习成果", code="role_forbidden")
    with uow.read():
        if institution_id is not None and uow.institutions.get(institution_id) is None:
            raise NotFound("机构不存在", code="institution_not_found")
        found = uow.outcome_exports.rows(
            province_code=province, issuer_id=issuer, issuer_or_home_id=issuer_or_home
        )
        rows = (
            (
                r.account_no,
                r.name,
                r.id_masked,
                OUTCOME_KIND_LABELS[OutcomeKind(r.kind)],
                r.title,
                r.code,
                r.issuer_name,
                r.hours,
                r.credits,
                r.score if r.score is not None else r.grade,
                LEVEL_LABELS[Level(r.level)] if r.level else None,
                r.framework_level,
                r.obtained_on,
                _STATUS_LABELS[OutcomeStatus(r.status)],
            )
            for r in found
        )
        return write(TableExport("学习成果", OUTCOME_EXPORT_HEADERS, rows))
