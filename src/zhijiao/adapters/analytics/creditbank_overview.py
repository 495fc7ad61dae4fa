"""A province's credit bank at a glance: aggregate SQL over institutions, accounts and outcomes.

Each query returns plain rows; `province_code=None` means the whole country. Revoked outcomes
count for nothing, as in a transcript.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import Connection, extract, func, select

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


class OutcomeGroupRow(NamedTuple):
    kind: str
    year: int
    outcomes: int
    credits: Decimal
    hours: Decimal


def _dec(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))


class CreditbankOverview:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def institutions(self, province_code: str | None) -> list[InstitutionRow]:
        """One row per institution of the province, with its learners and the outcomes it issued."""
        a, o, i = learning_accounts.c, outcomes.c, institutions.c
        learners = (
            select(a.institution_id.label("inst"), func.count().label("n"))
            .where(a.institution_id.is_not(None))
            .group_by(a.institution_id)
            .subquery()
        )
        issued = (
            select(o.issuer_id.label("inst"), func.count().label("n"), func.sum(o.credits).label("credits"))
            .where(o.status == ACTIVE)
            .group_by(o.issuer_id)
            .subquery()
        )
        q = (
            select(
                i.id,
                i.name,
                i.kind,
                i.region_code,
                func.coalesce(learners.c.n, 0),
                func.coalesce(issued.c.n, 0),
                func.coalesce(issued.c.credits, 0),
            )
            .outerjoin(learners, learners.c.inst == i.id)
            .outerjoin(issued, issued.c.inst == i.id)
            .order_by(i.id)
        )
        if province_code is not None:
            q = q.where(i.region_code.startswith(province_code))
        return [
            InstitutionRow(r[0], r[1], r[2], r[3], int(r[4]), int(r[5]), _dec(r[6]))
            for r in self.conn.execute(q)
        ]

    def outcome_groups(self, province_code: str | None) -> list[OutcomeGroupRow]:
        """Active outcomes of the province's learners, grouped by kind and year obtained."""
        a, o = learning_accounts.c, outcomes.c
        year = extract("year", o.obtained_on)
        q = (
            select(
                o.kind,
                year.label("year"),
                func.count(),
                func.coalesce(func.sum(o.credits), 0),
                func.coalesce(func.sum(o.hours), 0),
            )
            .select_from(outcomes.join(learning_accounts, a.id == o.account_id))
            .where(o.status == ACTIVE)
            .group_by(o.kind, year)
            .order_by(o.kind, year)
        )
        if province_code is not None:
            q = q.where(a.province_code == province_code)
        return [
            OutcomeGroupRow(r[0], int(r[1]), int(r[2]), _dec(r[3]), _dec(r[4])) for r in self.conn.execute(q)
        ]

    def learner_count(self, province_code: str | None) -> int:
        q = select(func.count()).select_from(learning_accounts)
        if province_code is not None:
            q = q.where(learning_accounts.c.province_code == province_code)
        return int(self.conn.execute(q).scalar_one())
