"""Admissions repository: published runs, their lines and results ⇄ plain rows. No business rules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from zhijiao.adapters.db.admissions_tables import (
    admission_lines,
    admission_majors,
    admission_results,
    admission_runs,
)
from zhijiao.adapters.db.values import as_utc

BATCH = 5_000


class AdmissionsRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_run(self, *, province_code: str, name: str, year: int, record: dict[str, Any], created_by: str,
                now: datetime) -> int:  # fmt: skip
        row = self.conn.execute(
            insert(admission_runs).values(province_code=province_code, name=name, year=year, record=record,
                                          created_by=created_by, created_at=now).returning(admission_runs.c.id)
        )  # fmt: skip
        return int(row.scalar_one())

    def add_lines(self, run_id: int, rows: Sequence[dict[str, Any]]) -> None:
        if rows:
            self.conn.execute(insert(admission_lines), [{**r, "run_id": run_id} for r in rows])

    def add_results(self, run_id: int, rows: Sequence[dict[str, Any]]) -> None:
        for i in range(0, len(rows), BATCH):
            self.conn.execute(
                insert(admission_results), [{**r, "run_id": run_id} for r in rows[i : i + BATCH]]
            )

    def add_majors(self, run_id: int, rows: Sequence[dict[str, Any]]) -> None:
        for i in range(0, len(rows), BATCH):
            self.conn.execute(insert(admission_majors), [{**r, "run_id": run_id} for r in rows[i : i + BATCH]])

    def majors(self, run_id: int, group_codes: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """The run's majors (of `group_codes` only, when given), each with its 计划数 and admitted count."""
        admitted = (
            select(func.count())
            .select_from(admission_results)
            .where(
                admission_results.c.run_id == admission_majors.c.run_id,
                admission_results.c.group_code == admission_majors.c.group_code,
                admission_results.c.major_code == admission_majors.c.major_code,
                admission_results.c.result == "录取",
            )
            .scalar_subquery()
        )
        q = select(admission_majors, admitted.label("admitted")).where(admission_majors.c.run_id == run_id)
        if group_codes is not None:
            q = q.where(admission_majors.c.group_code.in_(list(group_codes)))
        q = q.order_by(admission_majors.c.group_code, admission_majors.c.major_code)
        return [dict(r._mapping) for r in self.conn.execute(q)]

    def lock_run(self, run_id: int) -> dict[str, Any] | None:
        """The run, its row locked until the transaction ends (PostgreSQL; SQLite writes one at a time),
        so that changes to its results and record are made one after another."""
        r = self.conn.execute(select(admission_runs).where(admission_runs.c.id == run_id).with_for_update()).first()
        return self._run(r._mapping) if r else None

    def set_record(self, run_id: int, record: dict[str, Any]) -> None:
        self.conn.execute(update(admission_runs).where(admission_runs.c.id == run_id).values(record=record))

    def runs(self, province_code: str | None) -> list[dict[str, Any]]:
        q = select(admission_runs).order_by(admission_runs.c.id.desc())
        if province_code is not None:
            q = q.where(admission_runs.c.province_code == province_code)
        return [self._run(r._mapping) for r in self.conn.execute(q)]

    def run(self, run_id: int) -> dict[str, Any] | None:
        r = self.conn.execute(select(admission_runs).where(admission_runs.c.id == run_id)).first()
        return self._run(r._mapping) if r else None

    @staticmethod
    def _run(m: Any) -> dict[str, Any]:
        return {**dict(m), "created_at": as_utc(m["created_at"])}

    def lines(self, run_id: int, school_code: str | None = None) -> list[dict[str, Any]]:
        q = select(admission_lines).where(admission_lines.c.run_id == run_id)
        if school_code is not None:
            q = q.where(admission_lines.c.school_code == school_code)
        q = q.order_by(admission_lines.c.round, admission_lines.c.plan, admission_lines.c.group_code)
        return [dict(r._mapping) for r in self.conn.execute(q)]

    def results(self, run_id: int, *, school_code: str | None, result: str | None, offset: int,
                limit: int) -> tuple[list[dict[str, Any]], int]:  # fmt: skip
        where = [admission_results.c.run_id == run_id]
        if school_code is not None:
            where.append(admission_results.c.school_code == school_code)
        if result is not None:
            where.append(admission_results.c.result == result)
        total = self.conn.execute(
            select(func.count()).select_from(admission_results).where(*where)
        ).scalar_one()
        q = (select(admission_results).where(*where)
             .order_by(admission_results.c.group_code, admission_results.c.rank, admission_results.c.candidate_no)
             .offset(offset).limit(limit))  # fmt: skip
        return [dict(r._mapping) for r in self.conn.execute(q)], int(total)

    def all_results(self, run_id: int, school_code: str | None) -> list[dict[str, Any]]:
        """Every result of the run (a school's only), in one query, for the export."""
        where = [admission_results.c.run_id == run_id]
        if school_code is not None:
            where.append(admission_results.c.school_code == school_code)
        q = (
            select(admission_results)
            .where(*where)
            .order_by(
                admission_results.c.group_code, admission_results.c.rank, admission_results.c.candidate_no
            )
        )
        return [dict(r._mapping) for r in self.conn.execute(q)]

    def result_of(self, candidate_no: str) -> list[dict[str, Any]]:
        """The candidate's results in every run, newest first (with the run's name and province)."""
        q = (
            select(admission_results, admission_runs.c.name.label("run_name"), admission_runs.c.province_code,
                   admission_runs.c.created_at)
            .join(admission_runs, admission_runs.c.id == admission_results.c.run_id)
            .where(admission_results.c.candidate_no == candidate_no)
            .order_by(admission_runs.c.id.desc())
        )  # fmt: skip
        return [dict(r._mapping) for r in self.conn.execute(q)]

    def result_in(self, run_id: int, candidate_no: str) -> dict[str, Any] | None:
        q = select(admission_results).where(
            admission_results.c.run_id == run_id, admission_results.c.candidate_no == candidate_no
        )
        r = self.conn.execute(q).first()
        return dict(r._mapping) if r else None

    def set_result(self, result_id: int, *, result: str, major_code: str | None, reason: str) -> None:
        self.conn.execute(
            update(admission_results).where(admission_results.c.id == result_id)
            .values(result=result, major_code=major_code, reason=reason)
        )  # fmt: skip

    def admitted_by_group(self, run_id: int, group_code: str) -> int:
        q = select(func.count()).select_from(admission_results).where(
            admission_results.c.run_id == run_id, admission_results.c.group_code == group_code,
            admission_results.c.result == "录取",
        )  # fmt: skip
        return int(self.conn.execute(q).scalar_one())

    def set_admitted(self, run_id: int, group_code: str, admitted: int) -> None:
        self.conn.execute(
            update(admission_lines)
            .where(admission_lines.c.run_id == run_id, admission_lines.c.group_code == group_code)
            .values(admitted=admitted)
        )
