"""人才培养方案 as an Excel workbook: a sheet of courses (课程) and a sheet of requirements (毕业要求).

Reading turns the workbook into the plain data `parse_plan` takes; every error names the sheet,
row and column in Chinese (the domain's field paths are translated back to cells).
"""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from zhijiao.domain.conversion.plan import (
    CATEGORY_LABELS,
    COURSE_KIND_LABELS,
    CourseCategory,
    CurriculumPlan,
    parse_plan,
)
from zhijiao.domain.errors import ValidationFailed

COURSES, REQUIREMENTS = "课程", "毕业要求"
COURSE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", "课程代码"),
    ("name", "课程名称"),
    ("credits", "学分"),
    ("category", "类别"),
    ("required", "必修"),
    ("hours_theory", "理论学时"),
    ("hours_practical", "实践学时"),
    ("kind", "类型"),
)
REQUIREMENT_ROWS: tuple[tuple[str, str], ...] = (
    ("name", "培养方案名称"),
    ("institution_id", "院校编号"),
    ("major_code", "专业代码"),
    ("cohort_year", "年级"),
    ("total_credits", "总学分"),
)
_MIN_SUFFIX = "最低学分"
_YES, _NO = ("是", "必修", "true", "1", "y", "yes"), ("否", "选修", "false", "0", "n", "no")


def _where(sheet: str, row: int, column: str) -> str:
    return f"「{sheet}」表第{row}行「{column}」列"


def _cell(value: object) -> object:
    """Excel numbers arrive as floats: keep them exact as decimal text (the domain refuses floats)."""
    if isinstance(value, float):
        return str(Decimal(repr(value)).normalize()) if not value.is_integer() else int(value)
    if isinstance(value, str):
        return value.strip() or None
    return value


def _boolean(value: object, where: str) -> bool:
    text = str(value).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValidationFailed(f"{where}：应为“是”或“否”，实际为 {value!r}", field="required")


def read_plan_workbook(content: bytes, filename: str = "") -> CurriculumPlan:
    """A plan from an .xlsx workbook; ValidationFailed names the file, sheet, row and column."""
    prefix = f"{filename}：" if filename else ""
    try:
        wb = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise ValidationFailed(f"{prefix}无法读取 Excel 文件（应为 .xlsx）", field="file") from exc
    for sheet in (COURSES, REQUIREMENTS):
        if sheet not in wb.sheetnames:
            raise ValidationFailed(f"{prefix}缺少工作表「{sheet}」", field="file")
    cells: dict[str, str] = {}  # domain field path → where it came from
    data: dict[str, Any] = {"courses": [], "requirements": {"min_by_category": {}}}

    rows = list(wb[COURSES].iter_rows(values_only=True))
    header = [str(h).strip() if h is not None else "" for h in (rows[0] if rows else ())]
    columns: dict[str, int] = {}
    for key, label in COURSE_COLUMNS:
        if label in header:
            columns[key] = header.index(label)
        elif key in ("code", "name", "credits", "category"):
            raise ValidationFailed(f"{prefix}「{COURSES}」表第1行缺少列「{label}」", field="file")
    labels = dict(COURSE_COLUMNS)
    for number, row in enumerate(rows[1:], start=2):
        if all(v is None or str(v).strip() == "" for v in row):
            continue
        course: dict[str, Any] = {}
        index = len(data["courses"])
        for key, col in columns.items():
            value = _cell(row[col]) if col < len(row) else None
            where = _where(COURSES, number, labels[key])
            cells[f"courses[{index}].{key}"] = where
            if value is None:
                continue
            course[key] = _boolean(value, prefix + where) if key == "required" else value
        if "code" in course:
            course["code"] = str(course["code"])
        cells[f"courses[{index}]"] = f"「{COURSES}」表第{number}行"
        data["courses"].append(course)

    by_label = {label: key for key, label in REQUIREMENT_ROWS}
    categories = {label + _MIN_SUFFIX: c.value for c, label in CATEGORY_LABELS.items()}
    for number, row in enumerate(wb[REQUIREMENTS].iter_rows(values_only=True), start=1):
        label = str(row[0]).strip() if row and row[0] is not None else ""
        value = _cell(row[1]) if len(row) > 1 else None
        where = _where(REQUIREMENTS, number, "值")
        if label in by_label:
            key = by_label[label]
            target = (
                data
                if key in ("name", "institution_id", "major_code", "cohort_year")
                else data["requirements"]
            )
            target[key] = str(value) if key == "major_code" and value is not None else value
            cells[key if target is data else f"requirements.{key}"] = where
        elif label in categories:
            data["requirements"]["min_by_category"][categories[label]] = value
            cells[f"requirements.min_by_category.{categories[label]}"] = where
        elif label and number > 1:
            raise ValidationFailed(
                f"{prefix}{_where(REQUIREMENTS, number, '项目')}：未知项目「{label}」", field="file"
            )
    wb.close()
    try:
        return parse_plan(data)
    except ValidationFailed as exc:
        raise ValidationFailed(prefix + _locate(exc, cells), field=exc.field) from exc


def _locate(exc: ValidationFailed, cells: dict[str, str]) -> str:
    """Replace the domain's field path at the head of the message by the cell it came from."""
    path = exc.field or ""
    message = exc.message
    head = path
    while head and head not in cells:
        head = re.sub(r"(\.[^.\[]+|\[\d+\])$", "", head)
    if not head:
        return message
    detail = message.split("：", 1)[1] if message.startswith(path + "：") else message
    return f"{cells[head]}：{detail}"


def plan_workbook(plan: CurriculumPlan) -> bytes:
    """The plan as a workbook in the same layout `read_plan_workbook` reads."""
    wb = Workbook()
    courses = wb.active
    assert courses is not None
    courses.title = COURSES
    courses.append([label for _, label in COURSE_COLUMNS])
    for c in plan.courses:
        courses.append(
            [c.code, c.name, str(c.credits), CATEGORY_LABELS[c.category], "是" if c.required else "否",
             c.hours_theory, c.hours_practical, COURSE_KIND_LABELS[c.kind]]
        )  # fmt: skip
    req = wb.create_sheet(REQUIREMENTS)
    req.append(["项目", "值"])
    req.append(["培养方案名称", plan.name])
    req.append(["院校编号", plan.institution_id])
    req.append(["专业代码", plan.major_code])
    req.append(["年级", plan.cohort_year])
    req.append(["总学分", str(plan.requirements.total_credits)])
    for category in CourseCategory:
        if category in plan.requirements.min_by_category:
            req.append(
                [CATEGORY_LABELS[category] + _MIN_SUFFIX, str(plan.requirements.min_by_category[category])]
            )
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
