"""A province's credit bank at a glance (省级概况), for the province's own administrators."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from zhijiao.domain.access import Principal, Role, require_role
from zhijiao.domain.creditbank.model import InstitutionKind, OutcomeKind
from zhijiao.domain.errors import Forbidden, NotFound
from zhijiao.domain.identity import PROVINCE_CODES

if TYPE_CHECKING:
    from zhijiao.adapters.analytics.creditbank_overview import InstitutionRow, OutcomeGroupRow
    from zhijiao.adapters.db.uow import SqlUnitOfWork

TOP = 10


@dataclass(frozen=True, slots=True)
class KindStats:
    institutions: int = 0
    learners: int = 0
    outcomes: int = 0


@dataclass(frozen=True, slots=True)
class OutcomeStats:
    outcomes: int = 0
    credits: Decimal = Decimal(0)
    hours: Decimal = Decimal(0)

    def plus(self, row: OutcomeGroupRow) -> OutcomeStats:
        return OutcomeStats(self.outcomes + row.outcomes, self.credits + row.credits, self.hours + row.hours)


@dataclass(frozen=True, slots=True)
class ProvinceOverview:
    province_code: str | None  # None: the whole country
    learners: int
    institutions_by_kind: dict[InstitutionKind, KindStats]
    outcomes_by_kind: dict[OutcomeKind, OutcomeStats]
    outcomes_by_year: dict[int, OutcomeStats]
    total: OutcomeStats
    top_institutions: list[InstitutionRow]

    @property
    def province_name(self) -> str:
        return PROVINCE_CODES[self.province_code] if self.province_code else "全国"


def scope_province(principal: Principal, province_code: str | None) -> str | None:
    """The province `principal` may look at: a province admin only their own, the nation any (or all)."""
    require_role(principal, Role.province_admin, Role.national_admin)
    if province_code is not None and province_code not in PROVINCE_CODES:
        raise NotFound("省份不存在", code="province_not_found")
    if principal.role is Role.province_admin:
        if province_code not in (None, principal.province_code):
            raise Forbidden("省级管理员只能查看本省概况", code="province_scope")
        return principal.province_code
    return province_code


def province_overview(
    uow: SqlUnitOfWork, principal: Principal, province_code: str | None
) -> ProvinceOverview:
    province = scope_province(principal, province_code)
    with uow.read():
        insts = uow.creditbank_overview.institutions(province)
        groups = uow.creditbank_overview.outcome_groups(province)
        learners = uow.creditbank_overview.learner_count(province)
    by_inst_kind: dict[InstitutionKind, KindStats] = {}
    for r in insts:
        k = InstitutionKind(r.kind)
        s = by_inst_kind.get(k, KindStats())
        by_inst_kind[k] = KindStats(s.institutions + 1, s.learners + r.learners, s.outcomes + r.outcomes)
    by_kind: dict[OutcomeKind, OutcomeStats] = {}
    by_year: dict[int, OutcomeStats] = {}
    total = OutcomeStats()
    for g in groups:
        kind = OutcomeKind(g.kind)
        by_kind[kind] = by_kind.get(kind, OutcomeStats()).plus(g)
        by_year[g.year] = by_year.get(g.year, OutcomeStats()).plus(g)
        total = total.plus(g)
    top = sorted((r for r in insts if r.outcomes), key=lambda r: (-r.outcomes, r.id))[:TOP]
    return ProvinceOverview(
        province_code=province,
        learners=learners,
        institutions_by_kind={k: by_inst_kind[k] for k in InstitutionKind if k in by_inst_kind},
        outcomes_by_kind={k: by_kind[k] for k in OutcomeKind if k in by_kind},
        outcomes_by_year=dict(sorted(by_year.items())),
        total=total,
        top_institutions=top,
    )
