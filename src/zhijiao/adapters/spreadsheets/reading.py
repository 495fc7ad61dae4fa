"""Reading an outcome file (.xlsx or .csv) into numbered rows of column key → cell text.

The header is row 1; data rows keep the numbers Excel shows, so every problem can name its row.
Fully empty rows are skipped. A file that cannot be read at all raises `SpreadsheetError`, naming it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import PurePath
from typing import Any, BinaryIO

from zhijiao.domain.creditbank.rows import COLUMNS, header_map
from zhijiao.domain.errors import ValidationFailed

SHEET_NAME = "学习成果"
SUFFIXES = (".xlsx", ".csv")
_BOM = b"\xef\xbb\xbf"


class SpreadsheetError(ValidationFailed):
    """The file as a whole cannot be read (wrong type, unknown encoding, no header...)."""

    code = "spreadsheet_unreadable"

    def __init__(self, filename: str, reason: str, *, code: str | None = None) -> None:
        super().__init__(f"文件“{filename}”{reason}", code=code)
        self.filename = filename


class UnsupportedFileType(SpreadsheetError):
    code = "unsupported_file_type"


class FileTooLarge(SpreadsheetError):
    code = "file_too_large"


def read_limited(filename: str, stream: BinaryIO, limit_bytes: int) -> bytes:
    """Read an upload, refusing one larger than `limit_bytes`."""
    data = stream.read(limit_bytes + 1)
    if len(data) > limit_bytes:
        mb = 1024 * 1024
        size = f"{limit_bytes // mb} MB" if limit_bytes >= mb else f"{limit_bytes} 字节"
        raise FileTooLarge(filename, f"超过 {size}的上限，请拆分后分批导入")
    return data


@dataclass
class Sheet:
    """One outcome file, read: header problems (row 1) and the data rows."""

    filename: str
    sha256: str
    header_problems: list[str] = field(default_factory=list)
    missing_columns: frozenset[str] = frozenset()  # Chinese headers of required columns not present
    rows: Iterator[tuple[int, dict[str, str]]] = field(default_factory=lambda: iter(()))
    size_hint: int | None = None  # data rows expected (from the sheet's dimension), if known


def read_outcome_file(filename: str, data: bytes) -> Sheet:
    """Read an uploaded or local file by its name's suffix (.xlsx or .csv)."""
    name = PurePath(filename).name or "上传文件"
    suffix = PurePath(name).suffix.lower()
    if suffix == ".xls":
        raise UnsupportedFileType(name, "是旧版 Excel（.xls）文件：请在 Excel 中另存为 .xlsx 后再导入")
    if suffix not in SUFFIXES:
        raise UnsupportedFileType(name, "不是 .xlsx 或 .csv 文件")
    if not data.strip():
        raise SpreadsheetError(name, "是空文件")
    digest = hashlib.sha256(data).hexdigest()
    if suffix == ".xlsx":
        header, rows, size = _xlsx_rows(name, data)
    else:
        header, rows, size = _csv_rows(name, data)
    positions, problems = header_map(header)
    present = set(positions.values())
    missing = frozenset(c.header for c in COLUMNS if c.required and c.key not in present)
    return Sheet(name, digest, problems, missing, _keyed(rows, positions), size)


@dataclass
class Table:
    header: list[str]
    rows: Iterator[tuple[int, Sequence[str]]]
    normalised: bool  # the whole text is NFKC with no zero-width characters: cells need only stripping


_ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")


def read_table(filename: str, data: bytes) -> Table:
    """Any table file (.csv UTF-8/GBK, or .xlsx, first sheet): its header and its non-empty data rows
    (numbered as the spreadsheet shows them), streamed."""
    name = PurePath(filename).name or "上传文件"
    suffix = PurePath(name).suffix.lower()
    if suffix == ".xls":
        raise UnsupportedFileType(name, "是旧版 Excel（.xls）文件：请在 Excel 中另存为 .xlsx")
    if suffix not in SUFFIXES:
        raise UnsupportedFileType(name, "不是 .xlsx 或 .csv 文件")
    if not data.strip():
        raise SpreadsheetError(name, "是空文件")
    normalised = False
    if suffix == ".xlsx":
        header, rows, _ = _xlsx_rows(name, data)
    else:
        text = decode_text(name, data)
        normalised = text.isascii() or (
            unicodedata.is_normalized("NFKC", text) and not any(z in text for z in _ZERO_WIDTH)
        )
        header, rows = _csv_stream(name, text)
    return Table(header, ((n, r) for n, r in rows if any(r)), normalised)


def _csv_stream(filename: str, text: str) -> tuple[list[str], Iterator[tuple[int, Sequence[str]]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
    except csv.Error as e:
        raise SpreadsheetError(filename, f"不是有效的 CSV 文件（{e}）") from None
    if not any(c.strip() for c in header):
        raise SpreadsheetError(filename, "第 1 行没有表头")

    def rows() -> Iterator[tuple[int, Sequence[str]]]:
        row_no = 1
        try:
            for row_no, record in enumerate(reader, start=2):
                yield row_no, record
        except csv.Error as e:
            raise SpreadsheetError(filename, f"第 {row_no + 1} 行不是有效的 CSV（{e}）") from None

    return header, rows()


def _keyed(
    rows: Iterator[tuple[int, Sequence[str]]], positions: dict[int, str]
) -> Iterator[tuple[int, dict[str, str]]]:
    for row_no, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        yield row_no, {key: cells[i] for i, key in positions.items() if i < len(cells)}


# --- CSV -----------------------------------------------------------------------------------------


def decode_text(filename: str, data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK and GB2312)."""
    if data.startswith(_BOM):
        encodings: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SpreadsheetError(filename, "是 UTF-16 编码：请另存为“CSV UTF-8（逗号分隔）”后再导入")
    else:
        encodings = ("utf-8", "gb18030")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise SpreadsheetError(filename, "的编码无法识别：请另存为 UTF-8 或 GBK 编码的 CSV 文件")


def _csv_rows(
    filename: str, data: bytes
) -> tuple[list[str], Iterator[tuple[int, Sequence[str]]], int | None]:
    text = decode_text(filename, data)
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as e:
        raise SpreadsheetError(filename, f"不是有效的 CSV 文件（{e}）") from None
    if not records or not any(c.strip() for c in records[0]):
        raise SpreadsheetError(filename, "第 1 行没有表头")
    # a CSV record is one spreadsheet row even when a quoted cell spans lines
    rows = ((i, r) for i, r in enumerate(records[1:], start=2))
    return records[0], rows, len(records) - 1


# --- Excel ---------------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    """A cell's value as the text the row parser understands (dates ISO, integers without '.0')."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int | Decimal):
        return str(value)
    return str(value)


def _xlsx_rows(
    filename: str, data: bytes
) -> tuple[list[str], Iterator[tuple[int, Sequence[str]]], int | None]:
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SpreadsheetError(filename, "不是有效的 .xlsx 文件（可能已损坏，或只是改了扩展名）")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken package
        raise SpreadsheetError(filename, "不是有效的 .xlsx 文件（可能已损坏，或只是改了扩展名）") from None
    sheet = workbook[SHEET_NAME] if SHEET_NAME in workbook.sheetnames else workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    first = next(values, None)
    header = [cell_text(v) for v in first or ()]
    if not any(h.strip() for h in header):
        workbook.close()
        raise SpreadsheetError(filename, f"的工作表“{sheet.title}”第 1 行没有表头")
    size = sheet.max_row - 1 if isinstance(sheet.max_row, int) and sheet.max_row > 1 else None

    def rows() -> Iterator[tuple[int, Sequence[str]]]:
        try:
            # read-only sheets yield gap rows as empty tuples, so the count matches Excel's numbers
            for row_no, row in enumerate(values, start=2):
                yield row_no, [cell_text(v) for v in row]
        finally:
            workbook.close()

    return header, rows(), size
