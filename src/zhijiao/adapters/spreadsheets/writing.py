"""Writing spreadsheets: the outcome import template, and exports to CSV / Excel.

Exported text is neutralised against spreadsheet formula injection (OWASP "CSV injection"):
a cell starting with = + - @ TAB or CR gets a leading apostrophe, so Excel, WPS and LibreOffice
show it as text instead of running it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, BinaryIO, Protocol, TextIO

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from zhijiao.adapters.spreadsheets.reading import SHEET_NAME
from zhijiao.domain.creditbank.model import LEVEL_LABELS, OUTCOME_KIND_LABELS
from zhijiao.domain.creditbank.rows import COLUMN_BY_KEY, COLUMNS
from zhijiao.domain.identity import example_national_id

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
INSTRUCTIONS_SHEET = "填写说明"
TEMPLATE_ROWS = 5000  # rows that carry the drop-downs
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_REQUIRED_FONT = Font(bold=True, color="FFE699")
_THIN = Side(style="thin", color="A6A6A6")
_WIDTHS = {"national_id": 22, "name": 10, "kind": 18, "title": 30, "code": 14, "issuer": 30,
           "hours": 8, "credits": 8, "score": 8, "level": 10, "obtained_on": 13}  # fmt: skip

_FORMATS = {"national_id": "@", "code": "@", "obtained_on": "yyyy-mm-dd"}

EXAMPLES: tuple[dict[str, str], ...] = (
    {"national_id": example_national_id(1), "name": "张三", "kind": "课程",
     "title": "Python程序设计", "code": "C0101", "issuer": "广州番禺职业技术学院", "hours": "72",
     "credits": "", "score": "88", "level": "", "obtained_on": "2024-06-30"},
    {"national_id": example_national_id(1), "name": "张三",
     "kind": "职业技能等级证书", "title": "Web前端开发", "code": "", "issuer": "工业和信息化部教育与考试中心",
     "hours": "", "credits": "", "score": "优", "level": "中级", "obtained_on": "2024-12-20"},
)  # fmt: skip


class Table(Protocol):  # e.g. services.exports.TableExport
    @property
    def title(self) -> str: ...
    @property
    def headers(self) -> Sequence[str]: ...
    @property
    def rows(self) -> Iterable[Sequence[Any]]: ...


def write_table(out: BinaryIO, fmt: str, table: Table) -> int:
    """Write `table` to the binary file `out` as `fmt` ("csv" or "xlsx") row by row, so that a large
    export never sits in memory whole; return the number of rows written."""
    if fmt == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        try:
            n = _write_csv(text, table.headers, table.rows)
            text.flush()
        finally:
            text.detach()  # leave `out` open for the caller
        return n
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(table.title[:31])
    ws.freeze_panes = "A2"
    ws.append([neutralise(h) for h in table.headers])
    n = 0
    for row in table.rows:
        ws.append([_xlsx_value(v) for v in row])
        n += 1
    wb.save(out)
    return n


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula gets a leading apostrophe; other values pass."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _write_csv(out: TextIO, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """CSV (the caller's UTF-8 with a BOM lets Excel open the Chinese text correctly)."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in headers])
    n = 0
    for row in rows:
        writer.writerow(["" if v is None else neutralise(_plain(v)) for v in row])
        n += 1
    return n


def _plain(v: Any) -> Any:
    if isinstance(v, date):
        return v.isoformat()
    return str(v) if isinstance(v, Decimal) else v


def _xlsx_value(v: Any) -> Any:
    if isinstance(v, Decimal):
        return float(v) if v == v.quantize(Decimal("0.1")) else str(v)
    return neutralise(v)


def _save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# --- the import template -------------------------------------------------------------------------


def outcome_template() -> bytes:
    """The Excel template: the data sheet with drop-downs and formats, and the instructions sheet."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_NAME
    _data_sheet(ws)
    _instructions(wb.create_sheet(INSTRUCTIONS_SHEET))
    return _save(wb)


def _data_sheet(ws: Worksheet) -> None:
    letter = {c.key: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
    for i, c in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=i, value=c.header)
        cell.font = _REQUIRED_FONT if c.required else _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.border = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
        cell.comment = Comment(("必填。" if c.required else "选填。") + c.help, "职教平台")
        dim = ws.column_dimensions[letter[c.key]]
        dim.width = _WIDTHS.get(c.key, 12)
        # identity numbers and codes are text (Excel would round 18 digits); dates show as YYYY-MM-DD
        dim.number_format = _FORMATS.get(c.key, "General")
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 22
    last = TEMPLATE_ROWS + 1

    def add(key: str, dv: DataValidation) -> None:
        column = COLUMN_BY_KEY[key]
        dv.error = column.help
        dv.errorTitle = f"“{column.header}”填写有误"
        dv.showErrorMessage = True
        dv.prompt = column.help
        dv.promptTitle = column.header
        dv.showInputMessage = True
        dv.add(f"{letter[key]}2:{letter[key]}{last}")
        ws.add_data_validation(dv)

    kinds = ",".join(OUTCOME_KIND_LABELS.values())
    levels = ",".join(LEVEL_LABELS.values())
    add("kind", DataValidation(type="list", formula1=f'"{kinds}"', allow_blank=True))
    add("level", DataValidation(type="list", formula1=f'"{levels}"', allow_blank=True))
    add("national_id", DataValidation(type="textLength", operator="equal", formula1="18", allow_blank=True))
    add("hours", DataValidation(type="decimal", operator="between", formula1="0", formula2="20000",
                                allow_blank=True))  # fmt: skip
    add("credits", DataValidation(type="decimal", operator="between", formula1="0", formula2="100",
                                  allow_blank=True))  # fmt: skip
    add("obtained_on", DataValidation(type="date", operator="between", formula1="DATE(1950,1,1)",
                                      formula2="TODAY()", allow_blank=True))  # fmt: skip


def _instructions(ws: Worksheet) -> None:
    ws.append(["学分银行学习成果批量导入模板 · 填写说明"])
    ws["A1"].font = Font(bold=True, size=14)
    notes = (
        "1. 在“学习成果”工作表中从第 2 行起每行填写一项学习成果，第 1 行表头请勿修改；表头也可用英文别名。",
        "2. 整个文件要么全部导入，要么一行也不导入：有任何问题时会列出所有问题（第几行、哪一列、原因）。",
        "3. 同一文件重复导入不会重复记录；学习者尚无学习账号时自动开设。",
        "4. 身份证号请以文本格式填写（模板已设置），避免 Excel 把 18 位数字改写为科学计数法。",
        "5. 也可导入 CSV 文件（UTF-8 或 GBK 编码），列与本模板相同。",
        "6. 示例行的身份证号出生日期为 2 月 30 日，不可能属于任何人；导入时示例行会被识别并跳过。",
    )
    for note in notes:
        ws.append([note])
    ws.append([])
    ws.append(["列名", "是否必填", "英文别名", "填写说明", "示例"])
    head = ws.max_row
    for cell in ws[head]:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
    for c in COLUMNS:
        ws.append([c.header, "必填" if c.required else "选填", ", ".join(c.aliases), c.help,
                   EXAMPLES[1][c.key] or EXAMPLES[0][c.key]])  # fmt: skip
    ws.append([])
    ws.append(["示例行（可复制到“学习成果”工作表）"])
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    ws.append([c.header for c in COLUMNS])
    for example in EXAMPLES:
        ws.append([example[c.key] for c in COLUMNS])
    for letter, width in zip("ABCDE", (14, 10, 36, 70, 30), strict=True):
        ws.column_dimensions[letter].width = width
