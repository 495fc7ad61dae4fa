"""Reading and writing quality monitoring's tables (plain rows in, plain rows out)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, and_, func, insert, select, update

from zhijiao.adapters.db.quality_tables import (
    quality_batches,
    quality_submission_events,
    quality_submissions,
    quality_targets,
    quality_values,
)
from zhijiao.adapters.db.tables import institutions

V = quality_values


@dataclass(frozen=True, slots=True)
class StoredValue:
    id: int
    institution_id: int
    period: str
    element: str
    category: str
    value: Decimal
    version: int
    is_current: bool
    batch_id: int
    submitted_by: str
    submitted_at: datetime
    sheet: str | None
    cell: str | None
    row_no: int | None
    filename: str = ""
    file_sha256: str = ""


@dataclass(frozen=True, slots=True)
class SubmissionRow:
    id: int
    institution_id: int
    data_set: str
    period: str
    status: str
    declared_by: str | None
    submitted_at: datetime | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class EventRow:
    action: str
    from_status: str
    to_status: str
    actor: str
    comment: str | None
    at: datetime


_VALUE_COLUMNS = (
    V.c.id, V.c.institution_id, V.c.period, V.c.element, V.c.category, V.c.value, V.c.version,
    V.c.is_current, V.c.batch_id, V.c.submitted_by, V.c.submitted_at, V.c.sheet, V.c.cell, V.c.row_no,
    quality_batches.c.filename, quality_batches.c.file_sha256,
)  # fmt: skip


def _value(r: Sequence[Any]) -> StoredValue:
    return StoredValue(*r[:5], Decimal(r[5]), *r[6:])


class QualityRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    # --- schools ---
    def discipline_types(self, ids: Iterable[int]) -> dict[int, str | None]:
        wanted = sorted(set(ids))
        if not wanted:
            return {}
        q = select(institutions.c.id, institutions.c.discipline_type).where(institutions.c.id.in_(wanted))
        return {r[0]: r[1] for r in self.conn.execute(q)}

    def set_discipline_type(self, institution_id: int, discipline: str) -> None:
        self.conn.execute(
            update(institutions).where(institutions.c.id == institution_id).values(discipline_type=discipline)
        )

    # --- values ---
    def values(
        self, institution_ids: Iterable[int], periods: Iterable[str], *, current_only: bool = True,
        elements: Iterable[str] | None = None,
    ) -> list[StoredValue]:  # fmt: skip
        ids, pers = sorted(set(institution_ids)), sorted(set(periods))
        if not ids or not pers:
            return []
        q = (
            select(*_VALUE_COLUMNS)
            .join(quality_batches, quality_batches.c.id == V.c.batch_id)
            .where(V.c.institution_id.in_(ids), V.c.period.in_(pers))
            .order_by(V.c.institution_id, V.c.period, V.c.element, V.c.category, V.c.version)
        )
        if current_only:
            q = q.where(V.c.is_current.is_(True))
        if elements is not None:
            q = q.where(V.c.element.in_(sorted(set(elements))))
        return [_value(r) for r in self.conn.execute(q)]

    def province_values(
        self, province: str | None, periods: Iterable[str]
    ) -> list[tuple[int, str, str, str, Decimal]]:
        """(institution id, period, element, category, value) of the current values, for a province
        (or the nation: None), in one statement."""
        q = select(V.c.institution_id, V.c.period, V.c.element, V.c.category, V.c.value).where(
            V.c.is_current.is_(True), V.c.period.in_(sorted(set(periods)))
        )
        if province:
            q = q.join(institutions, institutions.c.id == V.c.institution_id).where(
                institutions.c.region_code.startswith(province)
            )
        return [(r[0], r[1], r[2], r[3], Decimal(r[4])) for r in self.conn.execute(q)]

    def start_batch(
        self, *, filename: str, file_sha256: str, file_kind: str, actor: str, now: datetime
    ) -> int:
        values = dict(filename=filename, file_sha256=file_sha256, file_kind=file_kind, actor=actor,
                      values_written=0, created_at=now)  # fmt: skip
        return int(
            self.conn.execute(
                insert(quality_batches).values(values).returning(quality_batches.c.id)
            ).scalar_one()
        )

    def finish_batch(self, batch_id: int, values_written: int) -> None:
        self.conn.execute(
            update(quality_batches)
            .where(quality_batches.c.id == batch_id)
            .values(values_written=values_written)
        )

    def supersede(self, ids: Sequence[int]) -> None:
        for start in range(0, len(ids), 500):
            self.conn.execute(update(V).where(V.c.id.in_(ids[start : start + 500])).values(is_current=False))

    def add_values(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            self.conn.execute(insert(V), rows)

    # --- workflow ---
    def submissions(
        self, institution_ids: Iterable[int], data_set: str, periods: Iterable[str]
    ) -> list[SubmissionRow]:
        ids = sorted(set(institution_ids))
        if not ids:
            return []
        q = (
            select(quality_submissions)
            .where(
                quality_submissions.c.institution_id.in_(ids),
                quality_submissions.c.data_set == data_set,
                quality_submissions.c.period.in_(sorted(set(periods))),
            )
            .order_by(quality_submissions.c.institution_id, quality_submissions.c.period)
        )
        return [SubmissionRow(*r) for r in self.conn.execute(q)]

    def submission(
        self, institution_id: int, data_set: str, period: str, *, lock: bool = False
    ) -> SubmissionRow | None:
        q = select(quality_submissions).where(
            quality_submissions.c.institution_id == institution_id,
            quality_submissions.c.data_set == data_set,
            quality_submissions.c.period == period,
        )
        if lock and self.conn.dialect.name == "postgresql":
            q = q.with_for_update()
        r = self.conn.execute(q).first()
        return SubmissionRow(*r) if r else None

    def ensure_submission(
        self, institution_id: int, data_set: str, period: str, now: datetime
    ) -> SubmissionRow:
        found = self.submission(institution_id, data_set, period, lock=True)
        if found is not None:
            return found
        self.conn.execute(
            insert(quality_submissions).values(
                institution_id=institution_id,
                data_set=data_set,
                period=period,
                status="draft",
                updated_at=now,
            )
        )
        created = self.submission(institution_id, data_set, period, lock=True)
        assert created is not None
        return created

    def set_status(
        self, row: SubmissionRow, *, action: str, status: str, actor: str, comment: str | None, now: datetime,
        declared_by: str | None = None,
    ) -> None:  # fmt: skip
        values: dict[str, Any] = {"status": status, "updated_at": now}
        if action == "submit":
            values |= {"declared_by": declared_by, "submitted_at": now}
        self.conn.execute(
            update(quality_submissions).where(quality_submissions.c.id == row.id).values(values)
        )
        self.conn.execute(
            insert(quality_submission_events).values(
                submission_id=row.id,
                action=action,
                from_status=row.status,
                to_status=status,
                actor=actor,
                comment=comment,
                at=now,
            )
        )

    def events(self, submission_id: int) -> list[EventRow]:
        e = quality_submission_events
        q = (
            select(e.c.action, e.c.from_status, e.c.to_status, e.c.actor, e.c.comment, e.c.at)
            .where(e.c.submission_id == submission_id)
            .order_by(e.c.id)
        )
        return [EventRow(*r) for r in self.conn.execute(q)]

    # --- local standards ---
    def targets(self) -> list[dict[str, Any]]:
        return [
            dict(r._mapping)
            for r in self.conn.execute(select(quality_targets).order_by(quality_targets.c.id))
        ]

    def add_target(self, **values: Any) -> None:
        self.conn.execute(insert(quality_targets).values(**values))

    def latest_year(self, institution_ids: Iterable[int] | None = None) -> int | None:
        """The latest year (a period's end year) with any current value, of these schools or any."""
        q = select(func.max(func.substr(V.c.period, func.length(V.c.period) - 3, 4))).where(V.c.is_current.is_(True))
        if institution_ids is not None:
            q = q.where(V.c.institution_id.in_(sorted(set(institution_ids))))
        found = self.conn.execute(q).scalar_one()
        return int(found) if found else None

    def reporting_ids(self, institution_ids: Iterable[int], period: str) -> set[int]:
        ids = sorted(set(institution_ids))
        found: set[int] = set()
        for start in range(0, len(ids), 1000):
            q = (
                select(V.c.institution_id)
                .distinct()
                .where(
                    V.c.is_current.is_(True),
                    V.c.period == period,
                    V.c.institution_id.in_(ids[start : start + 1000]),
                )
            )
            found.update(r[0] for r in self.conn.execute(q))
        return found

    def schools_with_values(self, province: str | None, periods: Iterable[str]) -> int:
        q = select(func.count(func.distinct(V.c.institution_id))).where(
            and_(V.c.is_current.is_(True), V.c.period.in_(sorted(set(periods))))
        )
        if province:
            q = q.join(institutions, institutions.c.id == V.c.institution_id).where(
                institutions.c.region_code.startswith(province)
            )
        return int(self.conn.execute(q).scalar_one())


def as_date(d: date | datetime) -> date:
    return d.date() if isinstance(d, datetime) else d
