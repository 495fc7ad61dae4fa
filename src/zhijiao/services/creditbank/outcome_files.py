"""Importing an outcome file as read by the spreadsheet adapter: header problems and rows together.

The CLI, the API and the web page all call `import_file`, so the three report the same problems.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING

from zhijiao.domain.access import Principal
from zhijiao.domain.identity import is_example_national_id
from zhijiao.services.creditbank.imports import ImportResult, Progress, RowProblem, import_outcomes

if TYPE_CHECKING:
    from zhijiao.adapters.db.uow import SqlUnitOfWork
    from zhijiao.adapters.spreadsheets.reading import Sheet

READ_STAGE = "读取"
NO_DATA_ROWS = "文件没有数据行（只有表头）"
_REPORT_EVERY = 1000


def import_file(
    uow: SqlUnitOfWork, principal: Principal, sheet: Sheet, *, progress: Progress | None = None
) -> ImportResult:
    """Import every row of `sheet`, or none: a bad header blocks the import like a bad row does.

    With a required column missing, the other columns' cell problems are still reported; the
    checks that need whole rows (issuer, duplicates, names) wait until the column is there."""
    header = [RowProblem(1, "", message) for message in sheet.header_problems]
    rows: Iterator[tuple[int, dict[str, str]]] = sheet.rows
    first = next(rows, None)
    if first is None:  # a header and nothing else is not "nothing new": it is refused
        header.append(RowProblem(1, "", NO_DATA_ROWS))
    else:
        rows = itertools.chain((first,), rows)
    rows = _reporting(rows, progress, sheet.size_hint or 0) if progress else rows
    examples: list[int] = []
    result = import_outcomes(
        uow, principal, _without_examples(rows, examples), filename=sheet.filename,
        file_sha256=sheet.sha256, progress=progress, file_problems=header,
    )  # fmt: skip
    result.example_rows = examples
    if sheet.missing_columns:
        # a missing column is reported once, in the header, not again as an empty cell on every row
        result.problems = [p for p in result.problems if p.row == 1 or p.column not in sheet.missing_columns]
    return result


def _without_examples(
    rows: Iterator[tuple[int, dict[str, str]]], skipped: list[int]
) -> Iterator[tuple[int, dict[str, str]]]:
    """The rows, less the template's example rows (their ID numbers are born on 30 February, so
    they cannot be anyone's: `domain.identity.example_national_id`); their row numbers go to `skipped`."""
    for row_no, cells in rows:
        if is_example_national_id(cells.get("national_id") or ""):
            skipped.append(row_no)
        else:
            yield row_no, cells


def _reporting(
    rows: Iterator[tuple[int, dict[str, str]]], progress: Progress, total: int
) -> Iterator[tuple[int, dict[str, str]]]:
    done = 0
    for item in rows:
        yield item
        done += 1
        if done % _REPORT_EVERY == 0:
            progress(READ_STAGE, done, max(total, done))
    progress(READ_STAGE, done, max(total, done))
