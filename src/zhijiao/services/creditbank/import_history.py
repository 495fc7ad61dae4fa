"""Import history (导入记录): who imported which file when, with what counts, and — for runs refused
because of problems — where the problems were. Scoped like the imports themselves: a school or
certifier sees its own runs, a province those of its institutions and its own, the nation all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from zhijiao.domain.access import Principal, Role, require_role
from zhijiao.domain.errors import NotFound
from zhijiao.services.clock import utcnow

if TYPE_CHECKING:
    from zhijiao.adapters.db.uow import SqlUnitOfWork
    from zhijiao.services.creditbank.imports import ImportResult

IMPORT_ROLES = (Role.institution_staff, Role.certifier, Role.province_admin, Role.national_admin)


@dataclass(frozen=True, slots=True)
class ImportRun:
    id: int
    filename: str
    actor: str
    institution_id: int | None
    at: datetime
    status: str  # imported / refused
    rows_total: int
    outcomes_created: int
    accounts_created: int
    rows_skipped: int
    problems_count: int
    problem_cells: tuple[tuple[int, str], ...]


@dataclass(frozen=True, slots=True)
class ImportHistory:
    items: list[ImportRun]
    total: int


def record_refused(uow: SqlUnitOfWork, principal: Principal, result: ImportResult, file_sha256: str) -> None:
    """A run that imported nothing: its own small transaction, after the import's was rolled back."""
    with uow:
        uow.import_batches.refused(
            filename=result.filename, file_sha256=file_sha256, actor=principal.actor,
            institution_id=principal.institution_id, rows_total=result.rows_total,
            cells=[(p.row, p.column) for p in result.problems], problems=len(result.problems), now=utcnow(),
        )  # fmt: skip
        uow.commit()


def _run(r: dict[str, Any]) -> ImportRun:
    return ImportRun(
        r["id"], r["filename"], r["actor"], r["institution_id"], r["created_at"], r["status"], r["rows_total"],
        r["outcomes_created"], r["accounts_created"], r["rows_skipped"], r["problems_count"],
        tuple((int(row), str(col)) for row, col in (r["problem_cells"] or [])),
    )  # fmt: skip


def _scope(uow: SqlUnitOfWork, principal: Principal) -> tuple[list[int] | None, str | None]:
    require_role(principal, *IMPORT_ROLES)
    match principal.role:
        case Role.national_admin:
            return None, None
        case Role.province_admin:
            ids = [i.id for i in uow.institutions.list(province_code=principal.province_code) if i.id]
            return ids, principal.actor
        case _:
            return [principal.institution_id or 0], None


def history(uow: SqlUnitOfWork, principal: Principal, *, offset: int = 0, limit: int = 20) -> ImportHistory:
    with uow.read():
        ids, actor = _scope(uow, principal)
        rows, total = uow.import_batches.history(
            institution_ids=ids, actor=actor, offset=max(0, offset), limit=max(1, min(limit, 500))
        )
    return ImportHistory([_run(r) for r in rows], total)


def run(uow: SqlUnitOfWork, principal: Principal, run_id: int) -> ImportRun:
    with uow.read():
        ids, actor = _scope(uow, principal)
        r = uow.import_batches.get(run_id)
    visible = r is not None and (
        ids is None or r["institution_id"] in ids or (actor is not None and r["actor"] == actor)
    )
    if r is None or not visible:
        raise NotFound("导入记录不存在或无权查看", code="import_not_found")
    return _run(r)
