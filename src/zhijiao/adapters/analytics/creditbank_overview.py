"""A province's credit bank at a glance: aggregate SQL, plain rows out.

`CreditbankOverview` reads the summaries that the repositories keep in step with outcomes and
accounts (`adapters/db/overview_tables.py`, decision 0019): a few hundred rows whatever the size of
the outcomes table. `CreditbankOverviewFromScratch` computes the same rows from outcomes and accounts
themselves; the tests check both agree, and `benchmarks/overview_latency.py` compares their speed.
`province_code=None` means the whole country. Revoked outcomes count for nothing, as in a transcript.

Two counts of a province's outcomes differ on purpose: outcomes *held by the province's learners*
(the headline, by year, by kind) and outcomes *issued by the province's institutions* (the
institution tables). The difference is outcomes that crossed the province's border either way;
each row carries that count so the page can reconcile the two.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import Connection, case, extract, func, literal, or_, select

from zhijiao.adapters.db.conversion_tables import conversion_applications
from zhijiao.adapters.db.overview_tables import overview_learners, overview_outcomes
from zhijiao.adapters.db.tables import institutions, learning_accounts, outcomes

ACTIVE = "active"


class InstitutionRow(NamedTuple):
    id: int
    name: str
    kind: str
    region_code: str
    learners: int  # accounts whose home institution this is
    outcomes: int  # active outcomes this institution issued
    credits: Decimal  # credits of those outcomes
    to_other_provinces: int  # of `outcomes`, those held by learners of another province


class OutcomeGroupRow(NamedTuple):
    kind: str
    year: int
    framework_level: int
    outcomes: int
    credits: Decimal
    hours: Decimal
    from_other_provinces: int  # of `outcomes`, those issued by an institution of another province


class LearnerGroupRow(NamedTuple):
    learner_type: str
    cohort_year: int  # 0: none recorded
    learners: int


def _dec(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))


class _Common:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def application_states(self, province_code: str | None) -> dict[str, int]:
        """Credit-conversion applications of the province's learners by state (read live: one row per
        application, far fewer than outcomes, found through the account index)."""
        c, a = conversion_applications.c, learning_accounts.c
        q = select(c.state, func.count()).group_by(c.state)
        if province_code is not None:
            q = q.join(learning_accounts, a.id == c.account_id).where(a.province_code == province_code)
        return {str(s): int(n) for s, n in self.conn.execute(q)}

    def _institutions(self, province_code: str | None) -> list[Any]:
        i = institutions.c
        q = select(i.id, i.name, i.kind, i.region_code).order_by(i.id)
        if province_code is not None:
            q = q.where(i.region_code.startswith(province_code))
        return list(self.conn.execute(q))

    def _outside(self, region: Any, province_code: str | None) -> Any:
        return (
            literal(False)
            if province_code is None
            else or_(region.is_(None), ~region.startswith(province_code))
        )


class CreditbankOverview(_Common):
    """From the summaries (the pages use this)."""

    def institutions(self, province_code: str | None) -> list[InstitutionRow]:
        s, lr = overview_outcomes.c, overview_learners.c
        insts = self._institutions(province_code)
        ids = [r.id for r in insts]
        other = (
            case((s.province_code != (province_code or ""), s.outcomes), else_=0)
            if province_code
            else literal(0)
        )
        issued: dict[int, tuple[int, Decimal, int]] = {}
        learners: dict[int, int] = {}
        for part in range(0, len(ids), 900):
            chunk = ids[part : part + 900]
            q = (
                select(s.issuer_id, func.sum(s.outcomes), func.sum(s.credits), func.sum(other))
                .where(s.issuer_id.in_(chunk))
                .group_by(s.issuer_id)
            )
            issued.update({r[0]: (int(r[1]), _dec(r[2]), int(r[3] or 0)) for r in self.conn.execute(q)})
            q2 = (
                select(lr.institution_id, func.sum(lr.learners))
                .where(lr.institution_id.in_(chunk))
                .group_by(lr.institution_id)
            )
            learners.update({r[0]: int(r[1]) for r in self.conn.execute(q2)})
        return [
            InstitutionRow(r.id, r.name, r.kind, r.region_code, learners.get(r.id, 0),
                           *issued.get(r.id, (0, Decimal(0), 0)))
            for r in insts
        ]  # fmt: skip

    def outcome_groups(self, province_code: str | None) -> list[OutcomeGroupRow]:
        s, i = overview_outcomes.c, institutions.c
        foreign = case((self._outside(i.region_code, province_code), s.outcomes), else_=0)
        q = (
            select(s.kind, s.year, s.framework_level, func.sum(s.outcomes), func.sum(s.credits), func.sum(s.hours),
                   func.sum(foreign))
            .select_from(overview_outcomes.outerjoin(institutions, i.id == s.issuer_id))
            .group_by(s.kind, s.year, s.framework_level)
            .order_by(s.kind, s.year, s.framework_level)
        )  # fmt: skip
        if province_code is not None:
            q = q.where(s.province_code == province_code)
        return [
            OutcomeGroupRow(r[0], int(r[1]), int(r[2]), int(r[3]), _dec(r[4]), _dec(r[5]), int(r[6] or 0))
            for r in self.conn.execute(q)
            if r[3]
        ]

    def learner_groups(self, province_code: str | None) -> list[LearnerGroupRow]:
        lr = overview_learners.c
        q = select(lr.learner_type, lr.cohort_year, func.sum(lr.learners)).group_by(
            lr.learner_type, lr.cohort_year
        )
        if province_code is not None:
            q = q.where(lr.province_code == province_code)
        q = q.order_by(lr.learner_type, lr.cohort_year)
        return [LearnerGroupRow(r[0], int(r[1]), int(r[2])) for r in self.conn.execute(q) if r[2]]


class CreditbankOverviewFromScratch(_Common):
    """The same rows computed from outcomes and accounts (the baseline and the tests' reference)."""

    def institutions(self, province_code: str | None) -> list[InstitutionRow]:
        a, o = learning_accounts.c, outcomes.c
        insts = self._institutions(province_code)
        learners = {
            r[0]: int(r[1])
            for r in self.conn.execute(
                select(a.institution_id, func.count())
                .where(a.institution_id.is_not(None))
                .group_by(a.institution_id)
            )
        }
        other = case((a.province_code != province_code, 1), else_=0) if province_code else literal(0)
        q = (
            select(o.issuer_id, func.count(), func.sum(o.credits), func.sum(other))
            .select_from(outcomes.join(learning_accounts, a.id == o.account_id))
            .where(o.status == ACTIVE)
            .group_by(o.issuer_id)
        )
        issued = {r[0]: (int(r[1]), _dec(r[2]), int(r[3] or 0)) for r in self.conn.execute(q)}
        return [
            InstitutionRow(r.id, r.name, r.kind, r.region_code, int(learners.get(r.id, 0)),
                           *issued.get(r.id, (0, Decimal(0), 0)))
            for r in insts
        ]  # fmt: skip

    def outcome_groups(self, province_code: str | None) -> list[OutcomeGroupRow]:
        a, o, i = learning_accounts.c, outcomes.c, institutions.c
        year = extract("year", o.obtained_on)
        foreign = case((self._outside(i.region_code, province_code), 1), else_=0)
        q = (
            select(o.kind, year, o.framework_level, func.count(), func.coalesce(func.sum(o.credits), 0),
                   func.coalesce(func.sum(o.hours), 0), func.sum(foreign))
            .select_from(outcomes.join(learning_accounts, a.id == o.account_id)
                         .outerjoin(institutions, i.id == o.issuer_id))
            .where(o.status == ACTIVE)
            .group_by(o.kind, year, o.framework_level)
            .order_by(o.kind, year, o.framework_level)
        )  # fmt: skip
        if province_code is not None:
            q = q.where(a.province_code == province_code)
        return [
            OutcomeGroupRow(r[0], int(r[1]), int(r[2]), int(r[3]), _dec(r[4]), _dec(r[5]), int(r[6] or 0))
            for r in self.conn.execute(q)
        ]

    def learner_groups(self, province_code: str | None) -> list[LearnerGroupRow]:
        a = learning_accounts.c
        cohort = func.coalesce(a.cohort_year, literal(0))
        q = select(a.learner_type, cohort, func.count()).group_by(a.learner_type, cohort)
        if province_code is not None:
            q = q.where(a.province_code == province_code)
        q = q.order_by(a.learner_type, cohort)
        return [LearnerGroupRow(r[0], int(r[1]), int(r[2])) for r in self.conn.execute(q)]
