"""Spreadsheet reading and writing without a database: template, neutralising, encodings, cells."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from zhijiao.adapters.spreadsheets.reading import SpreadsheetError, cell_text, decode_text, read_outcome_file
from zhijiao.adapters.spreadsheets.writing import neutralise, outcome_template, write_table
from zhijiao.domain.creditbank.model import LEVEL_LABELS, OUTCOME_KIND_LABELS
from zhijiao.domain.creditbank.rows import COLUMNS, parse_row
from zhijiao.domain.identity import is_example_national_id, make_national_id
from zhijiao.services.creditbank.exports import TableExport


def test_template_headers_dropdowns_formats_and_instructions() -> None:
    wb = load_workbook(io.BytesIO(outcome_template()))
    assert wb.sheetnames == ["学习成果", "填写说明"]
    ws = wb["学习成果"]
    assert [c.value for c in ws[1]] == [c.header for c in COLUMNS]
    assert ws["A1"].font.b and ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].number_format == "@"  # IDs stay text
    assert ws.column_dimensions["K"].number_format == "yyyy-mm-dd"
    assert ws.column_dimensions["D"].width >= 20
    lists = {str(dv.sqref).split(":")[0]: dv for dv in ws.data_validations.dataValidation}
    kinds, levels = lists["C2"], lists["J2"]
    assert kinds.type == "list" and kinds.formula1 == '"' + ",".join(OUTCOME_KIND_LABELS.values()) + '"'
    assert levels.type == "list" and levels.formula1.strip('"').split(",") == list(LEVEL_LABELS.values())
    assert lists["K2"].type == "date" and lists["A2"].type == "textLength"
    notes = wb["填写说明"]
    text = [[c.value for c in row] for row in notes.iter_rows()]
    for c in COLUMNS:
        assert any(row[0] == c.header and c.help in row for row in text), c.header
    header_at = next(
        i for i, row in enumerate(text) if row[0] == COLUMNS[0].header and row[1] == COLUMNS[1].header
    )
    example = dict(zip([c.key for c in COLUMNS], [str(v or "") for v in text[header_at + 1]], strict=False))
    # the example row is valid in every cell but its ID number, which is born on 30 February so that it
    # cannot be anyone's (issue 8 item 5); with a real number it is a valid row
    assert is_example_national_id(example["national_id"])
    parsed, errors = parse_row(example, date(2025, 1, 1))
    assert parsed is None and [key for key, _ in errors] == ["national_id"]
    real = {**example, "national_id": make_national_id("440103", date(2004, 5, 6), 1)}
    parsed, errors = parse_row(real, date(2025, 1, 1))
    assert parsed is not None and not errors


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("x")'])
def test_formula_starts_are_neutralised(value: str) -> None:
    assert neutralise(value) == "'" + value
    rows = list(csv.reader(io.StringIO(_written("csv", value).decode("utf-8-sig"))))
    assert rows[1] == ["'" + value]
    ws = load_workbook(io.BytesIO(_written("xlsx", value))).active
    assert ws["A2"].data_type == "s" and ws["A2"].value == "'" + value


def _written(fmt: str, value: str) -> bytes:
    out = io.BytesIO()
    write_table(out, fmt, TableExport("t", ["h"], [(value,)]))
    return out.getvalue()


@pytest.mark.parametrize("value", ["张三", "a=b", "", 12, None])
def test_plain_values_pass(value: object) -> None:
    assert neutralise(value) == value


def test_decoding() -> None:
    text = "身份证号,姓名\n"
    assert decode_text("a.csv", text.encode("utf-8")) == text
    assert decode_text("a.csv", b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert decode_text("a.csv", text.encode("gbk")) == text
    assert decode_text("a.csv", "𠀀".encode("gb18030")) == "𠀀"  # beyond GBK
    with pytest.raises(SpreadsheetError, match="UTF-16"):
        decode_text("a.csv", text.encode("utf-16"))


def test_cell_text() -> None:
    assert cell_text(datetime(2024, 6, 30)) == "2024-06-30"
    assert cell_text(date(2024, 6, 30)) == "2024-06-30"
    assert cell_text(72.0) == "72" and cell_text(72.5) == "72.5" and cell_text(3) == "3"
    assert cell_text(None) == ""


def test_header_problems_are_kept_for_the_import() -> None:
    sheet = read_outcome_file("x.csv", "身份证号,姓名,姓名,备注\n".encode())
    assert "列“姓名”重复" in sheet.header_problems and "无法识别的列“备注”" in sheet.header_problems
    assert {"成果类型", "成果名称", "颁发机构", "获得日期"} == sheet.missing_columns
    assert list(sheet.rows) == []


def test_quoted_multiline_cell_is_one_row() -> None:
    data = '身份证号,成果名称\n1,"两行\n名称"\n2,x\n'.encode()
    rows = list(read_outcome_file("x.csv", data).rows)
    assert [n for n, _ in rows] == [2, 3] and rows[0][1]["title"] == "两行\n名称"
