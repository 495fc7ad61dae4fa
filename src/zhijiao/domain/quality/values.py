"""Data values as they arrive from a file (form or long data-value set), before they are checked:
the text of each field and where it came from, so every problem names its sheet and cell (or row and
column), and every stored value keeps that place as its provenance."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from zhijiao.domain.quality.elements import DataElement, ValueType
from zhijiao.domain.text import clean_compact

# the long exchange format (DHIS2-style data-value set): Chinese or English headers
LONG_COLUMNS = (
    ("org", "机构代码"),
    ("period", "期间"),
    ("element", "数据元代码"),
    ("category", "分类"),
    ("value", "值"),
)
LONG_HEADER = {zh: key for key, zh in LONG_COLUMNS} | {key: key for key, _ in LONG_COLUMNS}
COLUMN_LABEL = dict(LONG_COLUMNS)
COLUMN_LABEL_EN = {
    "org": "Code",
    "period": "Period",
    "element": "Element code",
    "category": "Category",
    "value": "Value",
}
REQUIRED_COLUMNS = ("org", "period", "element", "value")


@dataclass(frozen=True, slots=True)
class Where:
    """A value's place: a form's sheet and cell, or a long file's row (and its sheet, for .xlsx)."""

    sheet: str | None = None
    cell: str | None = None
    row: int | None = None

    def describe(self, column: str | None = None) -> str:
        if self.cell is not None:
            return f"工作表“{self.sheet}” {self.cell}"
        where = f"工作表“{self.sheet}”" if self.sheet else ""
        where += f"第 {self.row} 行"
        if column:
            where += f"“{COLUMN_LABEL.get(column, column)}”列"
        return where

    def describe_en(self, column: str | None = None) -> str:
        """In English. The sheet keeps the form's own (Chinese) name, so it can be found in the file,
        with its English name beside it: sheet “师资” (Teachers) C7; row 20 column “Value”."""
        from zhijiao.domain.quality.elements import SECTION_LABELS_EN

        parts = []
        if self.sheet:
            gloss = SECTION_LABELS_EN.get(self.sheet)
            parts.append(f"sheet “{self.sheet}”" + (f" ({gloss})" if gloss else ""))
        if self.cell is not None:
            parts.append(self.cell)
        elif self.row is not None:
            parts.append(f"row {self.row}")
            if column:
                parts.append(f"column “{COLUMN_LABEL_EN.get(column, column)}”")
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class RawValue:
    org: str
    period: str
    element: str
    category: str
    value: str
    where: Where


@dataclass(frozen=True, slots=True)
class ValueProblem:
    where: Where
    column: str | None
    message: str

    def describe(self, filename: str) -> str:
        place = (
            self.where.describe(self.column)
            if (self.where.cell or self.where.row or self.where.sheet)
            else ""
        )
        return f"{filename}：{place}：{self.message}" if place else f"{filename}：{self.message}"


_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")


def clean(text: str) -> str:
    """NFKC, no zero-width characters, no surrounding or inner runs of spaces."""
    return clean_compact(text)


def parse_number(element: DataElement, text: str) -> Decimal | str:
    """The value of `text` for `element`, or the problem in Chinese."""
    t = clean(text).replace(" ", "")
    integer = element.value_type is ValueType.integer
    expected = "应为非负整数" if integer else "应为非负数（至多两位小数）"
    if not t:
        return f"{expected}，不能为空"
    if _THOUSANDS.match(t):
        t = t.replace(",", "")
    try:
        value = Decimal(t)
    except InvalidOperation:
        return f"{expected}，“{t}”不是数字"
    if not value.is_finite() or value < 0:
        return expected
    if integer and value != value.to_integral_value():
        return expected
    if not integer and value.as_tuple().exponent < -2:  # type: ignore[operator]
        return expected
    if value >= Decimal("1e15"):
        return "数值过大"
    return value.quantize(Decimal(1)) if integer else value
