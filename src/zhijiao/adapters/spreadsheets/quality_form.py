"""Quality data in spreadsheets: the Excel form generated from the metadata (one sheet per section,
locked labels, input cells with data validation, hidden element codes and form version, an
instructions sheet), and the readers of that form and of the long data-value set
(`机构代码,期间,数据元代码,分类,值` / `org,period,element,category,value`, CSV or Excel)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation

from zhijiao.adapters.spreadsheets.reading import (
    SpreadsheetError,
    cell_text,
    checked_upload,
    csv_records,
    decode_text,
)
from zhijiao.domain.quality.elements import ELEMENTS, SECTIONS, Period, ValueType
from zhijiao.domain.quality.values import (
    LONG_HEADER,
    REQUIRED_COLUMNS,
    RawValue,
    ValueProblem,
    Where,
    clean,
)

FORM_VERSION = "zhijiao-quality-basic-1"
META_SHEET = "_meta"
INSTRUCTIONS = "填写说明"
FIRST_ROW = 3  # rows 1-2: title and header
VALUE_COLUMN, CODE_COLUMN, CATEGORY_COLUMN = "C", "F", "G"
_HEAD = Font(bold=True, color="FFFFFF")
_FILL = PatternFill("solid", fgColor="305496")
_INPUT = PatternFill("solid", fgColor="FFF2CC")


@dataclass
class QualityFile:
    filename: str
    sha256: str
    kind: str  # form | long
    values: list[RawValue] = field(default_factory=list)
    problems: list[ValueProblem] = field(default_factory=list)


def form_template(
    *,
    org_code: str,
    school_name: str,
    period: Period,
    current: Mapping[tuple[str, str], Decimal] | None = None,
) -> bytes:
    """The school's form for `period`, with the values already stored filled in."""
    current = current or {}
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    _instructions(wb.create_sheet(INSTRUCTIONS), school_name, org_code, period)
    for section in SECTIONS:
        ws = wb.create_sheet(section)
        ws["A1"] = f"{section} · {school_name}（{org_code}） · {period.label}"
        ws["A1"].font = Font(bold=True, size=13)
        for col, title in zip(
            "ABCDEFG", ("数据元", "分类", "填报值", "单位", "说明", "代码", "分类代码"), strict=True
        ):
            cell = ws[f"{col}2"]
            cell.value, cell.font, cell.fill = title, _HEAD, _FILL
        integer = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        number = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
        for dv, what in ((integer, "非负整数"), (number, "非负数")):
            dv.error, dv.errorTitle, dv.showErrorMessage = f"应为{what}", "填报值有误", True
            ws.add_data_validation(dv)
        row = FIRST_ROW
        for e in (e for e in ELEMENTS if e.section == section):
            for category in ("", *e.categories):
                ws[f"A{row}"] = e.name if not category else f"  其中：{category}"
                ws[f"B{row}"] = category or "合计"
                ws[f"D{row}"] = e.unit
                ws[f"E{row}"] = "合计可留空，按分类汇总" if e.categories and not category else e.note
                ws[f"{CODE_COLUMN}{row}"] = e.code
                ws[f"{CATEGORY_COLUMN}{row}"] = category
                cell = ws[f"{VALUE_COLUMN}{row}"]
                cell.protection = Protection(locked=False)
                cell.fill = _INPUT
                stored = current.get((e.code, category))
                if stored is not None:
                    cell.value = int(stored) if e.value_type is ValueType.integer else float(stored)
                (integer if e.value_type is ValueType.integer else number).add(cell.coordinate)
                row += 1
        ws.column_dimensions["A"].width = 34
        ws.column_dimensions["B"].width = 12
        ws.column_dimensions["C"].width = 16
        ws.column_dimensions["E"].width = 26
        ws.column_dimensions[CODE_COLUMN].hidden = True
        ws.column_dimensions[CATEGORY_COLUMN].hidden = True
        ws.protection.sheet = True
        ws.freeze_panes = "A3"
    meta = wb.create_sheet(META_SHEET)
    for key, value in (
        ("form_version", FORM_VERSION),
        ("org", org_code),
        ("period", period.code),
        ("school", school_name),
    ):
        meta.append([key, value])
    meta.sheet_state = "hidden"
    meta.protection.sheet = True
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _instructions(ws: object, school: str, org: str, period: Period) -> None:
    lines = (
        f"{school}（机构代码 {org}） · {period.label} 人才培养工作状态数据（基本办学条件）填报表",
        "1. 只在黄色单元格中填写数值；标签、单位和隐藏的代码列已锁定，请勿修改工作表结构。",
        "2. 人数、册数、学时、门数填非负整数；面积（平方米）和金额（元）可带两位小数。未掌握的数据请留空，不要填 0。",
        "3. 有分类的数据元（如专任教师按职称）可只填各分类，合计由系统汇总；也可只填合计。",
        "4. 上传后系统整体校验：有任何问题时一项也不导入，并逐项列出工作表和单元格（如 工作表“师资” C7：应为非负整数）。",
        "5. 同一文件重复上传不会产生变化；修改过的数值记为新版本，原值保留可查。提交审核后数据锁定，退回或重新开放后方可修改。",
        "6. 也可上传长表（CSV 或 Excel），列为：机构代码,期间,数据元代码,分类,值（英文表头 org,period,element,category,value）。",
    )
    sheet = ws  # openpyxl Worksheet
    for line in lines:
        sheet.append([line])  # type: ignore[attr-defined]
    sheet["A1"].font = Font(bold=True, size=14)  # type: ignore[index]
    sheet.column_dimensions["A"].width = 110  # type: ignore[attr-defined]
    for row in sheet.iter_rows():  # type: ignore[attr-defined]
        for cell in row:
            cell.alignment = Alignment(wrap_text=True)


# --- reading ---------------------------------------------------------------------------------


def read_quality_file(filename: str, data: bytes) -> QualityFile:
    """A form (recognised by its hidden version sheet) or a long data-value set (.csv or .xlsx)."""
    name, suffix = checked_upload(filename, data)
    digest = hashlib.sha256(data).hexdigest()
    if suffix == ".csv":
        records = csv_records(name, decode_text(name, data))
        return _long(QualityFile(name, digest, "long"), None, list(enumerate(records, start=1)))
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise SpreadsheetError(name, "不是有效的 .xlsx 文件（可能已损坏，或只是改了扩展名）")
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise SpreadsheetError(name, "不是有效的 .xlsx 文件（可能已损坏，或只是改了扩展名）") from None
    try:
        if META_SHEET in wb.sheetnames:
            return _form(QualityFile(name, digest, "form"), wb)
        ws = wb.worksheets[0]
        rows = [(i, [cell_text(v) for v in r]) for i, r in enumerate(ws.iter_rows(values_only=True), start=1)]
        return _long(QualityFile(name, digest, "long"), ws.title, rows)
    finally:
        wb.close()


def _long(out: QualityFile, sheet: str | None, rows: list[tuple[int, list[str]]]) -> QualityFile:
    if not rows or not any(c.strip() for c in rows[0][1]):
        raise SpreadsheetError(out.filename, "第 1 行没有表头（应为 机构代码,期间,数据元代码,分类,值）")
    positions: dict[str, int] = {}
    for i, h in enumerate(rows[0][1]):
        key = LONG_HEADER.get(clean(h).lower()) or LONG_HEADER.get(clean(h))
        if key is None and clean(h):
            out.problems.append(ValueProblem(Where(sheet, None, 1), None, f"第 1 行有未知的列“{clean(h)}”"))
        elif key is not None:
            positions.setdefault(key, i)
    missing = [LONG_HEADER_LABEL[k] for k in REQUIRED_COLUMNS if k not in positions]
    if missing:
        out.problems.append(ValueProblem(Where(sheet, None, 1), None, f"缺少必需的列：{'、'.join(missing)}"))
        return out
    for row_no, cells in rows[1:]:
        if not any(c.strip() for c in cells):
            continue

        def get(key: str, cells: list[str] = cells) -> str:
            i = positions.get(key)
            return cells[i] if i is not None and i < len(cells) else ""

        out.values.append(
            RawValue(
                get("org"),
                get("period"),
                get("element"),
                get("category"),
                get("value"),
                Where(sheet, None, row_no),
            )
        )
    return out


LONG_HEADER_LABEL = {
    "org": "机构代码",
    "period": "期间",
    "element": "数据元代码",
    "category": "分类",
    "value": "值",
}


def _form(out: QualityFile, wb: object) -> QualityFile:
    meta = {str(r[0]): cell_text(r[1]) for r in wb[META_SHEET].iter_rows(values_only=True) if r and r[0]}  # type: ignore[index]
    if meta.get("form_version") != FORM_VERSION:
        out.problems.append(
            ValueProblem(Where(), None, f"表单版本“{meta.get('form_version')}”不是当前版本，请重新下载填报表")
        )
        return out
    org, period = meta.get("org", ""), meta.get("period", "")
    for section in SECTIONS:
        if section not in wb.sheetnames:  # type: ignore[attr-defined]
            out.problems.append(ValueProblem(Where(), None, f"缺少工作表“{section}”，请使用下载的原表填报"))
            continue
        ws = wb[section]  # type: ignore[index]
        for row_no, row in enumerate(
            ws.iter_rows(min_row=FIRST_ROW, max_col=7, values_only=True), start=FIRST_ROW
        ):
            row = tuple(row) + (None,) * (7 - len(row))
            code, category, value = cell_text(row[5]), cell_text(row[6]), cell_text(row[2])
            if not code:
                continue
            if not value.strip():
                continue  # not reported
            out.values.append(
                RawValue(org, period, code, category, value, Where(section, f"{VALUE_COLUMN}{row_no}"))
            )
    return out
