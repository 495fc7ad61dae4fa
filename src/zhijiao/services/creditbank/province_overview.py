"""A province's credit bank at a glance (省级概况; 全国概况 for the nation), for its administrators.

Read from summaries kept in step with outcomes and accounts (decision 0019), so the page costs the
same at any size. Outcomes *held by* the province's learners and outcomes *issued by* its
institutions are different counts; `issued`, `issued_to_other_provinces` and
`held_from_other_provinces` reconcile them: held − from others = issued − to others.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from zhijiao.domain.access import Principal, Role, require_role
from zhijiao.domain.creditbank.model import InstitutionKind, OutcomeKind
from zhijiao.domain.errors import Forbidden, NotFound
from zhijiao.domain.identity import PROVINCE_CODES

if TYPE_CHECKING:
    from zhijiao.adapters.analytics.creditbank_overview import (
        InstitutionRow,
        LearnerGroupRow,
        OutcomeGroupRow,
    )
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
    credits_by_level: dict[int, OutcomeStats]
    outcomes_by_year_kind: dict[int, dict[OutcomeKind, int]]
    learners_by_year: dict[int, dict[str, int]]  # cohort year (0: none) → learner type → learners
    applications_by_state: dict[str, int]
    issued: int  # active outcomes issued by the province's institutions
    issued_to_other_provinces: int
    held_from_other_provinces: int

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
        learner_groups = uow.creditbank_overview.learner_groups(province)
        applications = uow.creditbank_overview.application_states(province)
    return summarise(province, insts, groups, learner_groups, applications)


def summarise(
    province: str | None,
    insts: list[InstitutionRow],
    groups: list[OutcomeGroupRow],
    learner_groups: list[LearnerGroupRow],
    applications: dict[str, int],
) -> ProvinceOverview:
    """Fold the read side's rows into the overview (pure: the benchmark feeds it both read sides)."""
    by_inst_kind: dict[InstitutionKind, KindStats] = {}
    for r in insts:
        k = InstitutionKind(r.kind)
        s = by_inst_kind.get(k, KindStats())
        by_inst_kind[k] = KindStats(s.institutions + 1, s.learners + r.learners, s.outcomes + r.outcomes)
    by_kind: dict[OutcomeKind, OutcomeStats] = {}
    by_year: dict[int, OutcomeStats] = {}
    by_level: dict[int, OutcomeStats] = {}
    by_year_kind: dict[int, dict[OutcomeKind, int]] = {}
    total = OutcomeStats()
    from_other = 0
    for g in groups:
        kind = OutcomeKind(g.kind)
        by_kind[kind] = by_kind.get(kind, OutcomeStats()).plus(g)
        by_year[g.year] = by_year.get(g.year, OutcomeStats()).plus(g)
        by_level[g.framework_level] = by_level.get(g.framework_level, OutcomeStats()).plus(g)
        total = total.plus(g)
        from_other += g.from_other_provinces
        cell = by_year_kind.setdefault(g.year, {})
        cell[kind] = cell.get(kind, 0) + g.outcomes
    learners_by_year: dict[int, dict[str, int]] = {}
    for lg in learner_groups:
        row = learners_by_year.setdefault(lg.cohort_year, {})
        row[lg.learner_type] = row.get(lg.learner_type, 0) + lg.learners
    top = sorted((r for r in insts if r.outcomes), key=lambda r: (-r.outcomes, r.id))[:TOP]
    return ProvinceOverview(
        province_code=province,
        learners=sum(lg.learners for lg in learner_groups),
        institutions_by_kind={k: by_inst_kind[k] for k in InstitutionKind if k in by_inst_kind},
        outcomes_by_kind={k: by_kind[k] for k in OutcomeKind if k in by_kind},
        outcomes_by_year=dict(sorted(by_year.items())),
        total=total,
        top_institutions=top,
        credits_by_level=dict(sorted(by_level.items())),
        outcomes_by_year_kind=dict(sorted(by_year_kind.items())),
        learners_by_year=dict(sorted(learners_by_year.items())),
        applications_by_state=applications,
        issued=sum(r.outcomes for r in insts),
        issued_to_other_provinces=sum(r.to_other_provinces for r in insts),
        held_from_other_provinces=from_other,
    )
