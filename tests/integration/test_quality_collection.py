"""Collecting quality data on SQLite and PostgreSQL: imports (long format and the Excel form),
versions, provenance, the workflow with its lock, and the scope rules' denials."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.factories import World
from tests.quality_world import long_csv, long_rows
from zhijiao.adapters.spreadsheets.quality_form import read_quality_file
from zhijiao.domain.errors import Forbidden, NotFound, ValidationFailed
from zhijiao.domain.quality.workflow import Action, Status
from zhijiao.services.quality import collection, forms, verdicts
from zhijiao.services.quality.collection import QualityImportResult


def load(world: World, who: str, name: str, data: bytes) -> QualityImportResult:
    read = read_quality_file(name, data)
    return collection.import_values(
        world.platform.uow(), world.p(who), read.values, filename=read.filename, file_sha256=read.sha256,
        file_kind=read.kind, file_problems=read.problems,
    )  # fmt: skip


def stored(world: World, current_only: bool = True) -> list:
    with world.platform.uow().read() as uow:
        return uow.quality.values([world.school.id, world.other_school.id, world.far_school.id],
                                  ["2023-2024", "2024", "2022-2023"], current_only=current_only)  # fmt: skip


def test_long_file_all_or_nothing_then_idempotent_then_versions(world: World) -> None:
    code = world.school.moe_code
    bad = [*long_rows(code, "2023-2024", teachers_fulltime="四百", books="-3"), [code, "2023/24", "books", "", "1"]]
    r = load(world, "school_staff", "状态数据.csv", long_csv(bad))
    assert not r.ok and stored(world) == []
    messages = [p.describe(r.filename) for p in r.problems]
    assert "状态数据.csv：第 9 行“值”列：应为非负整数，“四百”不是数字" in messages
    assert any("第 20 行“值”列：应为非负整数" in m for m in messages)
    assert any("第 29 行“期间”列" in m for m in messages)

    data = long_csv(long_rows(code, "2023-2024"), header=("org", "period", "element", "category", "value"))
    first = load(world, "school_staff", "state.csv", data)
    assert first.ok and first.values_written == 27
    again = load(world, "school_staff", "state.csv", data)
    assert again.ok and again.values_written == 0 and again.values_unchanged == 27 and again.batch_id is None

    changed = load(world, "school_staff", "state-2.csv", long_csv(long_rows(code, "2023-2024", books=650000)))
    assert changed.values_written == 1
    books = [v for v in stored(world, current_only=False) if v.element == "books"]
    assert [(v.version, v.value, v.is_current, v.filename) for v in books] == [
        (1, Decimal("600000"), False, "state.csv"), (2, Decimal("650000"), True, "state-2.csv"),
    ]  # fmt: skip

    t = verdicts.trace(world.platform.uow(), world.p("gd_admin"), code, 2024, "books_per_student")
    cell = next(v for v in t.cells if v.element == "books")
    assert (cell.value, cell.row_no, cell.filename, cell.submitted_by) == (
        Decimal(650000),
        20,
        "state-2.csv",
        "institution_staff:school_staff",
    )
    assert len(cell.file_sha256) == 64
    assert [v.value for v in t.history] == [Decimal(600000)]


def test_duplicates_unknown_codes_and_categories_are_named(world: World) -> None:
    code = world.school.moe_code
    rows = [
        [code, "2024", "books", "", "10"], [code, "2024", "books", "", "11"], [code, "2024", "bookz", "", "1"],
        [code, "2024", "teachers_fulltime", "教授", "1"], ["0000000000", "2024", "books", "", "1"],
    ]  # fmt: skip
    r = load(world, "school_staff", "x.csv", long_csv(rows))
    text = "\n".join(p.describe("x.csv") for p in r.problems)
    assert "第 3 行“数据元代码”列：与第 2 行重复" in text
    assert "未知的数据元代码“bookz”" in text
    assert "“教授”不是“专任教师数”的分类" in text
    assert "第 6 行“机构代码”列：未登记或无权查看的机构代码“0000000000”" in text
    assert stored(world) == []


def test_excel_form_round_trip_names_sheet_and_cell(world: World) -> None:
    code = world.school.moe_code
    data = forms.school_form(world.platform.uow(), world.p("school_staff"), code, 2024)
    wb = load_workbook(io.BytesIO(data))
    assert wb["_meta"].sheet_state == "hidden" and wb["师资"].protection.sheet
    ws = wb["师资"]
    rows = {
        ws[f"F{r}"].value + (":" + ws[f"G{r}"].value if ws[f"G{r}"].value else ""): r
        for r in range(3, ws.max_row + 1)
    }
    assert ws.column_dimensions["F"].hidden and ws[f"C{rows['teachers_external']}"].protection.locked is False
    assert ws[f"A{rows['teachers_external']}"].protection.locked is True
    ws[f"C{rows['teachers_fulltime:正高级']}"] = 60
    ws[f"C{rows['teachers_fulltime:副高级']}"] = 90
    ws[f"C{rows['teachers_external']}"] = "十二"
    buf = io.BytesIO()
    wb.save(buf)
    r = load(world, "school_staff", "2024-状态数据.xlsx", buf.getvalue())
    cell = f"C{rows['teachers_external']}"
    assert [p.describe("f.xlsx") for p in r.problems] == [
        f"f.xlsx：工作表“师资” {cell}：应为非负整数，“十二”不是数字"
    ]
    ws[cell] = 12
    buf = io.BytesIO()
    wb.save(buf)
    ok = load(world, "school_staff", "2024-状态数据.xlsx", buf.getvalue())
    assert ok.ok and ok.values_written == 3
    values = {(v.element, v.category): v for v in stored(world)}
    assert (
        values[("teachers_external", "")].cell == cell and values[("teachers_external", "")].sheet == "师资"
    )
    assert values[("teachers_fulltime", "正高级")].value == 60
    # the form downloaded again carries what is stored
    again = load_workbook(
        io.BytesIO(forms.school_form(world.platform.uow(), world.p("school_staff"), code, 2024))
    )
    assert again["师资"][cell].value == 12


def test_approved_period_is_locked_until_reopened(world: World) -> None:
    code, uow = world.school.moe_code, world.platform.uow
    assert load(world, "school_staff", "a.csv", long_csv(long_rows(code, "2023-2024"))).ok
    with pytest.raises(ValidationFailed):
        collection.act(uow(), world.p("school_staff"), code, "2023-2024", Action.submit)  # no named person
    collection.act(uow(), world.p("school_staff"), code, "2023-2024", Action.submit, declared_by="王芳")
    with pytest.raises(Forbidden):
        collection.act(uow(), world.p("school_staff"), code, "2023-2024", Action.approve)
    state = collection.act(uow(), world.p("gd_admin"), code, "2023-2024", Action.approve)
    assert state.status is Status.approved and state.declared_by == "王芳"

    later = load(world, "school_staff", "b.csv", long_csv(long_rows(code, "2023-2024", books=1)))
    assert not later.ok and "已审核（锁定）" in later.problems[0].message
    assert load(world, "gd_admin", "b.csv", long_csv(long_rows(code, "2023-2024", books=1))).ok is False
    assert next(v for v in stored(world) if v.element == "books").value == 600000
    same = load(world, "school_staff", "a.csv", long_csv(long_rows(code, "2023-2024")))
    assert same.ok and same.values_written == 0

    with pytest.raises(ValidationFailed):
        collection.act(uow(), world.p("gd_admin"), code, "2023-2024", Action.reopen)  # no reason
    collection.act(uow(), world.p("gd_admin"), code, "2023-2024", Action.reopen, comment="图书数更正")
    assert (
        load(world, "school_staff", "b.csv", long_csv(long_rows(code, "2023-2024", books=1))).values_written
        == 1
    )
    history = collection.submission_state(uow(), world.p("school_staff"), code, "2023-2024").history
    assert [(e["action"], e["to"]) for e in history] == [
        ("submit", "submitted"), ("approve", "approved"), ("reopen", "returned"),
    ]  # fmt: skip
    assert history[-1]["comment"] == "图书数更正" and history[-1]["actor"] == "province_admin:gd_admin"


def test_scope_denials(world: World) -> None:
    code, uow = world.school.moe_code, world.platform.uow
    data = long_csv(long_rows(code, "2023-2024"))
    for who in ("other_staff", "far_staff", "hn_admin", "certifier", "learner"):
        r = load(world, who, "a.csv", data)
        assert not r.ok and stored(world) == []
        assert "未登记或无权查看的机构代码" in r.problems[0].message, who  # no sign that the school exists
    assert load(world, "school_staff", "a.csv", data).ok
    for who in ("other_staff", "far_staff", "hn_admin", "learner"):
        with pytest.raises(NotFound):
            verdicts.school_year(uow(), world.p(who), code, 2024)
        with pytest.raises(NotFound):
            verdicts.trace(uow(), world.p(who), code, 2024, "books_per_student")
        with pytest.raises(NotFound):
            forms.school_form(uow(), world.p(who), code, 2024)
    with pytest.raises(Forbidden):
        verdicts.cards(uow(), world.p("hn_admin"), 2024, "44")
    assert [c.school.code for c in verdicts.cards(uow(), world.p("school_staff"), 2024)] == [code]
    assert {c.school.code for c in verdicts.cards(uow(), world.p("gd_admin"), 2024)} == {
        code, world.other_school.moe_code,
    }  # fmt: skip
    with pytest.raises(NotFound):
        collection.act(uow(), world.p("hn_admin"), code, "2023-2024", Action.approve)


def test_completeness_counts_submissions(world: World) -> None:
    code, uow = world.school.moe_code, world.platform.uow
    load(world, "school_staff", "a.csv", long_csv(long_rows(code, "2023-2024")))
    collection.act(uow(), world.p("school_staff"), code, "2023-2024", Action.submit, declared_by="王芳")
    rates = {c.province: c for c in collection.completeness(uow(), world.p("national"), "2023-2024")}
    assert (rates["44"].schools, rates["44"].reported, rates["44"].submitted) == (2, 1, 1)
    assert rates["44"].completeness_rate == 0.5 and rates["43"].submitted == 0
    assert [c.province for c in collection.completeness(uow(), world.p("gd_admin"), "2023-2024")] == ["44"]
