"""Read side of exports: outcomes joined with their account and issuer, as plain rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, or_, select

from zhijiao.adapters.db.tables import institutions, learning_accounts, outcomes
from zhijiao.adapters.db.values import as_date, as_decimal
from zhijiao.domain.identity import make_account_no

BATCH = 5000  # rows fetched at a time


@dataclass(frozen=True, slots=True)
class ExportedOutcome:
    """One outcome as exported: the account by number and masked ID, never the ID itself."""

    account_no: str
    name: str
    id_masked: str
    kind: str
    title: str
    code: str | None
    issuer_name: str
    hours: Decimal | None
    credits: Decimal
    score: Decimal | None
    grade: str | None
    level: int | None
    framework_level: int
    obtained_on: date
    status: str


class OutcomeExportQuery:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def rows(
        self,
        *,
        province_code: str | None = None,
        issuer_id: int | None = None,
        issuer_or_home_id: int | None = None,
    ) -> Iterator[ExportedOutcome]:
        """Outcomes of accounts in `province_code`, issued by `issuer_id`, and/or issued by or held
        by learners of `issuer_or_home_id` (each filter applies only when given). Fetched in batches
        (a server-side cursor on PostgreSQL), to be consumed inside the unit of work."""
        o, a, i = outcomes.c, learning_accounts.c, institutions.c
        conds: list[Any] = []
        if province_code is not None:
            conds.append(a.province_code == province_code)
        if issuer_id is not None:
            conds.append(o.issuer_id == issuer_id)
        if issuer_or_home_id is not None:
            conds.append(or_(o.issuer_id == issuer_or_home_id, a.institution_id == issuer_or_home_id))
        q = (
            select(
                a.province_code,
                a.id.label("account_id"),
                a.name,
                a.id_masked,
                o.kind,
                o.title,
                o.code,
                i.name.label("issuer_name"),
                o.hours,
                o.credits,
                o.score,
                o.grade,
                o.level,
                o.framework_level,
                o.obtained_on,
                o.status,
            )
            .select_from(
                outcomes.join(learning_accounts, a.id == o.account_id).join(institutions, i.id == o.issuer_id)
            )
            .order_by(a.id, o.obtained_on, o.id)
        )
        if conds:
            q = q.where(and_(*conds))
        for r in self.conn.execution_options(yield_per=BATCH).execute(q):
            yield ExportedOutcome(
                account_no=make_account_no(r.province_code, r.account_id),
                name=r.name,
                id_masked=r.id_masked,
                kind=r.kind,
                title=r.title,
                code=r.code,
                issuer_name=r.issuer_name,
                hours=as_decimal(r.hours),
                credits=as_decimal(r.credits) or Decimal(0),
                score=as_decimal(r.score),
                grade=r.grade,
                level=r.level,
                framework_level=r.framework_level,
                obtained_on=as_date(r.obtained_on),
                status=r.status,
            )
