"""Reading an outcome file (.xlsx or .csv) into numbered rows of column key → cell text.

The header is row 1; data rows keep the numbers Excel shows, so every problem can name its row.
Fully empty rows are skipped. A file that cannot be read at all raises `SpreadsheetError`, naming it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import threading
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import PurePath
from typing import Any, BinaryIO

from zhijiao.domain.creditbank.rows import COLUMNS, NumberText, header_map
from zhijiao.domain.errors import ValidationFailed
from zhijiao.domain.text import is_clean

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


def checked_upload(filename: str, data: bytes) -> tuple[str, str]:
    """The file's own name and lower-case suffix, once it is known to be a non-empty .xlsx or .csv file."""
    name = PurePath(filename).name or "上传文件"
    suffix = PurePath(name).suffix.lower()
    if suffix == ".xls":
        raise UnsupportedFileType(name, "是旧版 Excel（.xls）文件：请在 Excel 中另存为 .xlsx 后再导入")
    if suffix not in SUFFIXES:
        raise UnsupportedFileType(name, "不是 .xlsx 或 .csv 文件")
    if not data.strip():
        raise SpreadsheetError(name, "是空文件")
    return name, suffix


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
    name, suffix = checked_upload(filename, data)
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


def read_table(filename: str, data: bytes) -> Table:
    """Any table file (.csv UTF-8/GBK, or .xlsx, first sheet): its header and its non-empty data rows
    (numbered as the spreadsheet shows them), streamed."""
    name, suffix = checked_upload(filename, data)
    normalised = False
    if suffix == ".xlsx":
        header, rows, _ = _xlsx_rows(name, data)
    else:
        text = decode_text(name, data)
        normalised = is_clean(text)
        header, rows = _csv_stream(name, text)
    return Table(header, ((n, r) for n, r in rows if any(r)), normalised)


def _csv_stream(filename: str, text: str) -> tuple[list[str], Iterator[tuple[int, Sequence[str]]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, [])
    except csv.Error as e:
        raise _csv_error(filename, text, e) from None
    if not any(c.strip() for c in header):
        raise SpreadsheetError(filename, "第 1 行没有表头")

    def rows() -> Iterator[tuple[int, Sequence[str]]]:
        row_no = 1
        try:
            for row_no, record in enumerate(reader, start=2):
                yield row_no, record
        except csv.Error as e:
            raise _csv_error(filename, text, e, row_no + 1) from None

    return header, rows()


def _keyed(
    rows: Iterator[tuple[int, Sequence[str]]], positions: dict[int, str]
) -> Iterator[tuple[int, dict[str, str]]]:
    for row_no, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        yield row_no, {key: cells[i] for i, key in positions.items() if i < len(cells)}


# --- CSV -----------------------------------------------------------------------------------------


_GB_FAMILY = frozenset({"gb18030", "gbk", "gb2312"})
ASK_ENCODING = "请在 Excel 或 WPS 中另存为“CSV UTF-8（逗号分隔）”或 GBK 编码的 CSV 文件后再导入"


def decode_text(filename: str, data: bytes) -> str:
    """The text of a CSV file, or `SpreadsheetError` when it is not plausibly what the clerk typed.

    One decoder for every CSV import of the platform (outcomes, quality data, admissions). UTF-8 (with
    or without BOM) is taken when every byte decodes; otherwise charset-normalizer judges the bytes and
    only GBK/GB18030 text is taken (decoded strictly). A UTF-8 file with a few broken bytes (which
    GB18030 would decode as "寮犱紵"), a Latin-1/Windows-1252 file ("J閍n M黮ler") or anything else is
    refused with the file's name, so nothing garbled reaches the database.
    """
    if data.startswith(_BOM):
        try:
            return _no_nul(filename, data.decode("utf-8-sig"))
        except UnicodeDecodeError as e:
            raise _broken_utf8(filename, data, e) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SpreadsheetError(filename, "是 UTF-16 编码：请另存为“CSV UTF-8（逗号分隔）”后再导入")
    try:
        return _no_nul(filename, data.decode("utf-8"))
    except UnicodeDecodeError as e:
        if _mostly_utf8(data):
            raise _broken_utf8(filename, data, e) from None
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding not in _GB_FAMILY:
        # (charset-normalizer's guess for other bytes is not named: on a few bytes it is often wrong)
        raise SpreadsheetError(
            filename, f"不是 UTF-8 或 GBK 编码的文本，导入会变成乱码：{ASK_ENCODING}", code="encoding"
        )
    try:
        return _no_nul(filename, data.decode("gb18030"))
    except UnicodeDecodeError as e:  # charset-normalizer judges samples; the whole file must decode
        raise SpreadsheetError(
            filename,
            f"第 {_line_of(data, e.start)} 行有不属于 GBK 编码的字节：{ASK_ENCODING}",
            code="encoding",
        ) from None


def _no_nul(filename: str, text: str) -> str:
    if "\x00" in text:
        raise SpreadsheetError(filename, f"含有空字符（NUL），不是文本文件：{ASK_ENCODING}", code="encoding")
    return text


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _mostly_utf8(data: bytes) -> bool:
    """True when most non-ASCII bytes form valid UTF-8 sequences: a UTF-8 file with some broken bytes.
    (GBK text seldom forms a valid UTF-8 sequence: its bytes pair up, UTF-8's come in threes.)"""
    text = data.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    good = sum(1 for ch in text if ord(ch) > 0x7F and ch != "\ufffd")
    return good > 2 * broken


def _broken_utf8(filename: str, data: bytes, e: UnicodeDecodeError) -> SpreadsheetError:
    return SpreadsheetError(
        filename,
        f"是 UTF-8 编码，但第 {_line_of(data, e.start)} 行有无效的字节（文件可能已损坏或被截断），"
        f"导入会变成乱码：{ASK_ENCODING}",
        code="encoding",
    )


_csv_limit_lock = threading.Lock()


def csv_records(filename: str, text: str) -> list[list[str]]:
    """Every CSV record; a malformed file or an over-long cell is refused naming its row (and column)."""
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as e:
        raise _csv_error(filename, text, e) from None


def _csv_error(filename: str, text: str, error: csv.Error, row: int | None = None) -> SpreadsheetError:
    """`error` as a Chinese message. An over-long cell (the csv module's field limit) is found again
    with the limit lifted, to name its row and column."""
    if "field larger than field limit" in str(error):
        with _csv_limit_lock:
            old = csv.field_size_limit()
            csv.field_size_limit(max(len(text) + 1, old))
            try:
                header: list[str] = []
                for row_no, record in enumerate(csv.reader(io.StringIO(text, newline="")), start=1):
                    header = header or record
                    for col, cell in enumerate(record):
                        if len(cell) > old:
                            name = header[col].strip() if col < len(header) and row_no > 1 else ""
                            column = f"“{name}”列" if name else f"第 {col + 1} 列"
                            return SpreadsheetError(
                                filename,
                                f"第 {row_no} 行{column}的内容过长（{len(cell):,} 个字符，上限 {old:,}）："
                                "可能是引号不成对或粘贴了大段内容",
                                code="cell_too_long",
                            )
            except csv.Error:
                pass
            finally:
                csv.field_size_limit(old)
    where = f"第 {row} 行" if row else ""
    return SpreadsheetError(filename, f"{where}不是有效的 CSV 文件（{error}）")


def _csv_rows(
    filename: str, data: bytes
) -> tuple[list[str], Iterator[tuple[int, Sequence[str]]], int | None]:
    text = decode_text(filename, data)
    records = csv_records(filename, text)
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


def _data_cell(value: Any) -> str:
    """A data cell's text; a number-typed cell is marked (an ID stored as a number is refused as such)."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return NumberText(cell_text(value))
    return cell_text(value)


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
                yield row_no, [_data_cell(v) for v in row]
        finally:
            workbook.close()

    return header, rows(), size
