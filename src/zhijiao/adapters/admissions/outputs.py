"""The run's output files: 录取结果.csv, 投档线.csv, an Excel workbook with both, and 运行记录.json
with the SHA-256 of every input and output, so anyone holding the published inputs can recompute."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import operator
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from zhijiao.adapters.spreadsheets.fast_xlsx import MAX_ROWS, Rendered, text_cells, write_xlsx
from zhijiao.domain.admissions.model import Line, Programme, Result, RunResult
from zhijiao.domain.admissions.rounds import RESULTS

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
    nos, inverse, tails = result_tails(result, candidates, programmes)
    return (((no, *tails[k])) for no, k in zip(nos, inverse.tolist(), strict=True))


def result_tails(
    result: RunResult, candidates: Sequence[Any], programmes: Sequence[Programme]
) -> tuple[list[str], np.ndarray, list[tuple[str, str, str, str]]]:
    """The results table as 考生号 and, per row, an index into the distinct (结果, 专业组代码, 专业代码,
    原因) combinations: a million rows have only some thousands of those, each rendered once."""
    nos = list(candidates.no) if hasattr(candidates, "no") else [c.no for c in candidates]
    cols = result.columns
    if cols is None:  # outcomes as objects (the reference implementation's)
        codes = [g.code for g in programmes]
        rows = [(o.result.value, codes[o.group] if o.group >= 0 and o.result is not Result.not_dispatched else "",
                 o.major, o.reason) for o in result.outcomes]  # fmt: skip
        index = {r: k for k, r in enumerate(dict.fromkeys(rows))}
        return nos, np.array([index[r] for r in rows], np.int64), list(index)
    n_groups = len(programmes)
    group = np.where((cols.group >= 0) & (cols.result != 0), cols.group, n_groups).astype(np.int64)
    mi, majors = cols.major_index()
    ri, reasons = cols.reason_index()
    combo = ((cols.result.astype(np.int64) * (n_groups + 1) + group) * len(majors) + mi) * len(reasons) + ri
    distinct, inverse = np.unique(combo, return_inverse=True)
    results = [r.value for r in RESULTS]
    codes = [g.code for g in programmes] + [""]
    tails = []
    for c in distinct.tolist():
        c, r_ = divmod(c, len(reasons))
        c, m_ = divmod(c, len(majors))
        res, g_ = divmod(c, n_groups + 1)
        tails.append((results[res], codes[g_], majors[m_], reasons[r_]))
    return nos, inverse.reshape(-1), tails


_NEEDS_QUOTES = re.compile('[,"\r\n]')


def _csv_field(v: str) -> str:
    return '"' + v.replace('"', '""') + '"' if _NEEDS_QUOTES.search(v) else v


def _csv_results(
    header: Sequence[str], nos: list[str], inverse: np.ndarray, tails: list[tuple[str, ...]]
) -> bytes:
    """As `_csv_bytes` (csv.writer's minimal quoting, CRLF, BOM); each distinct row tail is quoted and
    joined once. (考生号 passed rows.CODE: nothing to quote.)"""
    ends = np.array(["," + ",".join(map(_csv_field, t)) + "\r\n" for t in tails] or [""], dtype=object)
    body = "".join(map(operator.add, nos, ends[inverse].tolist()))
    return ("\ufeff" + ",".join(map(_csv_field, header)) + "\r\n" + body).encode("utf-8")


def _rendered(
    nos: list[str], inverse: np.ndarray, tails: list[tuple[str, ...]], chunk: int = 50_000
) -> Iterator[str]:
    """The results sheet's rows as XML; each distinct row tail's cells are built once. (考生号 passed
    rows.CODE: nothing to escape, never empty.)"""
    cells = text_cells(v for t in tails for v in t)
    ends = np.array(["".join(cells[v] for v in t) + "</row>" for t in tails] or [""], dtype=object)[
        inverse
    ].tolist()
    template = '<row r="%d"><c t="inlineStr"><is><t>%s</t></is></c>%s'
    n = len(nos)
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        yield "".join(
            [
                template % t
                for t in zip(range(start + 2, stop + 2), nos[start:stop], ends[start:stop], strict=True)
            ]
        )


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
    table = result_tails(result, candidates, programmes)
    files: dict[str, bytes] = {
        RESULTS_CSV: _csv_results(RESULT_HEADER, *table),
        LINES_CSV: _csv_bytes(LINE_HEADER, line_rows(result.lines, programmes)),
    }
    if result.separate_lines:
        files[SEPARATE_LINES_CSV] = _csv_bytes(LINE_HEADER, line_rows(result.separate_lines, programmes))
    if result.supplementary_lines:
        files[SUPPLEMENTARY_LINES_CSV] = _csv_bytes(
            LINE_HEADER, line_rows(result.supplementary_lines, programmes)
        )
    if workbook:
        files[WORKBOOK] = workbook_bytes(result, candidates, programmes, table)
    digests = {}
    for name, data in files.items():
        part = outdir / (name + ".part")
        part.write_bytes(data)
        part.replace(outdir / name)
        digests[name] = hashlib.sha256(data).hexdigest()
    return digests


def workbook_bytes(
    result: RunResult,
    candidates: Sequence[Any],
    programmes: Sequence[Programme],
    table: tuple[list[str], np.ndarray, list[tuple[str, str, str, str]]] | None = None,
    *,
    rows_per_sheet: int = MAX_ROWS - 1,
) -> bytes:
    """录取结果 and 投档线 sheets (and the separate-plan / supplementary lines when there are any). More
    results than a sheet holds (Excel: 1,048,576 rows with the header) continue on 录取结果（2）, ….."""
    nos, inverse, tails = table or result_tails(result, candidates, programmes)
    sheets: list[tuple[str, Sequence[str], Iterator[Sequence[str]] | Rendered]] = []
    for k, start in enumerate(range(0, max(len(nos), 1), rows_per_sheet)):
        part = slice(start, start + rows_per_sheet)
        sheets.append((f"录取结果（{k + 1}）" if k else "录取结果", RESULT_HEADER,
                       Rendered(_rendered(nos[part], inverse[part], tails))))  # fmt: skip
    sheets.append(("投档线", LINE_HEADER, line_rows(result.lines, programmes)))
    if result.separate_lines:
        sheets.append(("投档线（单列计划）", LINE_HEADER, line_rows(result.separate_lines, programmes)))
    if result.supplementary_lines:
        sheets.append(("投档线（征集志愿）", LINE_HEADER, line_rows(result.supplementary_lines, programmes)))
    return write_xlsx(sheets, numeric_columns={"投档线": (1, 2, 3, 4)})


def write_record(outdir: Path, record: dict[str, Any]) -> str:
    data = json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8")
    (outdir / RECORD).write_bytes(data)
    return hashlib.sha256(data).hexdigest()
