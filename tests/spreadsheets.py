"""Building outcome files for tests: rows as dicts of Chinese headers, written as CSV or Excel."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook
from sqlalchemy import func, select

from tests.factories import World, national_id
from zhijiao.adapters.db.tables import metadata
from zhijiao.bootstrap import Platform
from zhijiao.domain.creditbank.rows import COLUMNS

HEADERS = [c.header for c in COLUMNS]


def outcome_row(world: World, n: int, **overrides: str) -> dict[str, str]:
    """A valid course row for learner `n`, issued by the world's school."""
    row = {
        "身份证号": national_id(100 + n),
        "姓名": f"学员{n}",
        "成果类型": "课程",
        "成果名称": f"课程{n}",
        "成果代码": f"C{n:04d}",
        "颁发机构": world.school.name,
        "学时": "32",
        "学分": "",
        "成绩": "85",
        "等级": "",
        "获得日期": "2024-06-30",
    }
    row.update(overrides)
    return row


def csv_bytes(
    rows: Sequence[dict[str, str]], *, encoding: str = "utf-8", headers: Sequence[str] = HEADERS
) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(headers)
    for r in rows:
        writer.writerow([r.get(h, "") for h in _source(headers)])
    return out.getvalue().encode(encoding)


def _source(headers: Sequence[str]) -> list[str]:
    """The Chinese header each written column takes its value from (English aliases map back)."""
    by_alias = {c.aliases[0]: c.header for c in COLUMNS}
    return [by_alias.get(h, h) for h in headers]


def xlsx_bytes(rows: Sequence[dict[str, str | object]], *, headers: Sequence[str] = HEADERS) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "学习成果"
    ws.append(list(headers))
    for r in rows:
        ws.append([r.get(h, "") or None for h in _source(headers)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def snapshot(platform: Platform) -> dict[str, int]:
    """Row counts of every table: what an import may have changed."""
    with platform.engine.connect() as c:
        return {
            t.name: c.execute(select(func.count()).select_from(t)).scalar_one()
            for t in metadata.sorted_tables
        }
