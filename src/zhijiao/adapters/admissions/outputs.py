"""The run's output files: 录取结果.csv, 投档线.csv, an Excel workbook with both, and 运行记录.json
with the SHA-256 of every input and output, so anyone holding the published inputs can recompute."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from zhijiao.domain.admissions.model import Line, Programme, Result, RunResult

RESULTS_CSV = "录取结果.csv"
LINES_CSV = "投档线.csv"
SEPARATE_LINES_CSV = "投档线_单列计划.csv"
SUPPLEMENTARY_LINES_CSV = "投档线_征集志愿.csv"
WORKBOOK = "录取结果.xlsx"
RECORD = "运行记录.json"
RESULT_HEADER = ("考生号", "结果", "专业组代码", "专业代码", "原因")
LINE_HEADER = ("专业组代码", "计划数", "投档数", "最低投档分", "最低位次")
XLSX_ROW_LIMIT = 1_048_575


def score_text(total: int | None) -> str:
    """A total in ten-thousandths of a point as the figure people read (“523.5”)."""
    if total is None:
        return ""
    whole, frac = divmod(total, 10_000)
    return str(whole) if frac == 0 else f"{whole}.{frac:04d}".rstrip("0")


def result_rows(
    result: RunResult, candidates: Sequence[Any], programmes: Sequence[Programme]
) -> Iterator[tuple[str, ...]]:
    codes = [g.code for g in programmes]
    for c, o in zip(candidates, result.outcomes, strict=True):
        group = codes[o.group] if o.group >= 0 and o.result is not Result.not_dispatched else ""
        yield c.no, o.result.value, group, o.major, o.reason


def line_rows(lines: Sequence[Line], programmes: Sequence[Programme]) -> Iterator[tuple[str, ...]]:
    for line in lines:
        yield (programmes[line.group].code, str(line.quota), str(line.dispatched), score_text(line.min_total),
               "" if line.min_rank is None else str(line.min_rank))  # fmt: skip


def _csv_bytes(header: Sequence[str], rows: Iterator[Sequence[str]]) -> bytes:
    """UTF-8 with a BOM (Excel opens the Chinese correctly). No cell needs neutralising against formula
    injection: 考生号 and the codes passed `rows.CODE` (letters, digits, - and _), the rest is ours."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def write_outputs(
    outdir: Path,
    result: RunResult,
    candidates: Sequence[Any],
    programmes: Sequence[Programme],
    *,
    workbook: bool = True,
) -> dict[str, str]:
    """Write the files; return file name → SHA-256."""
    outdir.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {
        RESULTS_CSV: _csv_bytes(RESULT_HEADER, result_rows(result, candidates, programmes)),
        LINES_CSV: _csv_bytes(LINE_HEADER, line_rows(result.lines, programmes)),
    }
    if result.separate_lines:
        files[SEPARATE_LINES_CSV] = _csv_bytes(LINE_HEADER, line_rows(result.separate_lines, programmes))
    if result.supplementary_lines:
        files[SUPPLEMENTARY_LINES_CSV] = _csv_bytes(
            LINE_HEADER, line_rows(result.supplementary_lines, programmes)
        )
    if workbook:
        files[WORKBOOK] = workbook_bytes(result, candidates, programmes)
    digests = {}
    for name, data in files.items():
        part = outdir / (name + ".part")
        part.write_bytes(data)
        part.replace(outdir / name)
        digests[name] = hashlib.sha256(data).hexdigest()
    return digests


def workbook_bytes(result: RunResult, candidates: Sequence[Any], programmes: Sequence[Programme]) -> bytes:
    """录取结果 and 投档线 sheets (and the separate-plan / supplementary lines when there are any)."""
    from zhijiao.adapters.spreadsheets.fast_xlsx import write_xlsx

    sheets: list[tuple[str, Sequence[str], Iterator[Sequence[str]]]] = [
        ("录取结果", RESULT_HEADER, result_rows(result, candidates, programmes)),
        ("投档线", LINE_HEADER, line_rows(result.lines, programmes)),
    ]
    if result.separate_lines:
        sheets.append(("投档线（单列计划）", LINE_HEADER, line_rows(result.separate_lines, programmes)))
    if result.supplementary_lines:
        sheets.append(("投档线（征集志愿）", LINE_HEADER, line_rows(result.supplementary_lines, programmes)))
    return write_xlsx(sheets, numeric_columns={"投档线": (1, 2, 3, 4)})


def write_record(outdir: Path, record: dict[str, Any]) -> str:
    data = json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8")
    (outdir / RECORD).write_bytes(data)
    return hashlib.sha256(data).hexdigest()
