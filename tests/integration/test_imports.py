"""Bulk import of learning outcomes from spreadsheets: all rows or none, every problem at once."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook

from tests.factories import World, national_id
from tests.spreadsheets import HEADERS, csv_bytes, outcome_row, snapshot, xlsx_bytes
from zhijiao.adapters.spreadsheets.reading import SpreadsheetError, read_outcome_file
from zhijiao.adapters.spreadsheets.writing import outcome_template
from zhijiao.bootstrap import Platform
from zhijiao.domain.access import SYSTEM, Principal
from zhijiao.services.creditbank.imports import ImportResult
from zhijiao.services.creditbank.outcome_files import import_file


def run(platform: Platform, filename: str, data: bytes, principal: Principal = SYSTEM) -> ImportResult:
    return import_file(platform.uow(), principal, read_outcome_file(filename, data))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_each_encoding_imports(platform: Platform, world: World, encoding: str) -> None:
    rows = [outcome_row(world, 1), outcome_row(world, 2, 姓名="欧阳锋", 成果名称="数控车床编程（中级）")]
    data = csv_bytes(rows, encoding=encoding)
    if encoding == "gbk":
        assert data.decode("gbk") and not _is_utf8(data)  # really GBK bytes
    result = run(platform, "成果.csv", data)
    assert result.ok, result.problems
    assert (result.outcomes_created, result.accounts_created, result.rows_skipped) == (2, 2, 0)
    with platform.uow().read() as uow:
        names = {a.name for a in uow.accounts.list(limit=10)[0]}
    assert {"学员1", "欧阳锋"} <= names


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_xlsx_with_real_dates_and_numbers_imports(platform: Platform, world: World) -> None:
    row: dict[str, object] = dict(outcome_row(world, 1))
    row.update({"学时": 48, "成绩": 91.5, "获得日期": datetime(2024, 1, 15)})
    result = run(platform, "成果.xlsx", xlsx_bytes([row]))
    assert result.ok, result.problems
    assert result.outcomes_created == 1
    with platform.uow().read() as uow:
        (outcome,) = list(uow.outcomes.iter_all())
    assert outcome.obtained_on == date(2024, 1, 15)
    assert str(outcome.hours) == "48.0" and str(outcome.score) == "91.5" and str(outcome.credits) == "3.0"


def test_english_headers_are_accepted(platform: Platform, world: World) -> None:
    english = [
        "national_id",
        "name",
        "kind",
        "title",
        "code",
        "issuer",
        "hours",
        "credits",
        "score",
        "level",
        "obtained_on",
    ]
    rows = [outcome_row(world, 1, 成果类型="course")]
    assert run(platform, "en.csv", csv_bytes(rows, headers=english)).outcomes_created == 1
    assert (
        run(platform, "en.xlsx", xlsx_bytes([outcome_row(world, 2)], headers=english)).outcomes_created == 1
    )


def test_every_problem_is_reported_at_once_and_nothing_is_written(platform: Platform, world: World) -> None:
    bad_id = national_id(103)[:-1] + ("0" if national_id(103)[-1] != "0" else "1")
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    rows = [
        outcome_row(world, 1),  # row 2: fine
        outcome_row(world, 3, 身份证号=bad_id),  # 3
        outcome_row(world, 4, 颁发机构="不存在的学院"),  # 4
        outcome_row(world, 5, 获得日期=tomorrow),  # 5
        outcome_row(world, 6, 学时="-5"),  # 6
        outcome_row(world, 7, 成绩="120"),  # 7
        outcome_row(world, 8, 成果类型="讲座"),  # 8
        outcome_row(world, 1),  # 9: the same as row 2
    ]
    headers = [*HEADERS, "备注"]  # and a column nobody knows
    before = snapshot(platform)
    for name, data in (
        ("坏.csv", csv_bytes(rows, headers=headers)),
        ("坏.xlsx", xlsx_bytes(rows, headers=headers)),
    ):
        result = run(platform, name, data)
        assert not result.ok and result.outcomes_created == 0
        found = {(p.row, p.column): p.message for p in result.problems}
        assert set(found) == {
            (1, ""), (3, "身份证号"), (4, "颁发机构"), (5, "获得日期"), (6, "学时"), (7, "成绩"), (8, "成果类型"), (9, ""),
        }, found  # fmt: skip
        assert found[(1, "")] == "无法识别的列“备注”"
        assert found[(3, "身份证号")] == "身份证号校验码错误"
        assert found[(4, "颁发机构")] == "未登记的颁发机构“不存在的学院”"
        assert "晚于今天" in found[(5, "获得日期")]
        assert found[(6, "学时")] == "学时不能为负数"
        assert "超出范围" in found[(7, "成绩")]
        assert "未知的成果类型“讲座”" in found[(8, "成果类型")]
        assert found[(9, "")] == "与第 2 行重复"
        described = [p.describe(name) for p in result.problems]
        assert f"{name}：第 6 行“学时”列：学时不能为负数" in described
        assert snapshot(platform) == before


def test_a_missing_column_is_reported_once_with_the_other_cell_problems(
    platform: Platform, world: World
) -> None:
    rows = [outcome_row(world, 1), outcome_row(world, 2, 学时="-5"), outcome_row(world, 3, 成果类型="讲座")]
    headers = [h for h in HEADERS if h not in ("成果名称", "颁发机构")]
    before = snapshot(platform)
    result = run(platform, "缺列.csv", csv_bytes(rows, headers=headers))
    assert [(p.row, p.column, p.message) for p in result.problems] == [
        (1, "", "缺少必需的列：成果名称、颁发机构"),
        (3, "学时", "学时不能为负数"),
        (4, "成果类型", result.problems[2].message),
    ]
    assert "讲座" in result.problems[2].message
    assert snapshot(platform) == before


def test_reimporting_the_same_file_adds_nothing(platform: Platform, world: World) -> None:
    data = csv_bytes([outcome_row(world, n) for n in range(1, 6)])
    first = run(platform, "a.csv", data)
    assert (first.outcomes_created, first.accounts_created) == (5, 5)
    after_first = snapshot(platform)
    again = run(platform, "a.csv", data)
    assert again.ok
    assert (again.outcomes_created, again.accounts_created, again.rows_skipped) == (0, 0, 5)
    after_second = snapshot(platform)
    # only the import log grows (a record that the file was handed in again)
    assert after_second.pop("import_batches") == after_first.pop("import_batches") + 1
    assert after_second == after_first


def test_a_school_cannot_import_in_a_certifiers_name(platform: Platform, world: World) -> None:
    rows = [
        outcome_row(world, 1),
        outcome_row(
            world, 2, 成果类型="职业技能等级证书", 颁发机构=world.certifier.name, 等级="中级", 学时=""
        ),
    ]
    before = snapshot(platform)
    result = run(platform, "混合.csv", csv_bytes(rows), world.p("school_staff"))
    assert [(p.row, p.column, p.message) for p in result.problems] == [
        (3, "颁发机构", f"无权以“{world.certifier.name}”的名义记录学习成果")
    ]
    assert snapshot(platform) == before
    granted = run(platform, "证书.csv", csv_bytes(rows[1:]), world.p("certifier"))
    assert granted.ok and granted.outcomes_created == 1


def test_a_certified_learner_gets_no_certifier_as_home(platform: Platform, world: World) -> None:
    row = outcome_row(
        world, 2, 成果类型="职业技能等级证书", 颁发机构=world.certifier.name, 等级="初级", 学时=""
    )
    assert run(platform, "证书.csv", csv_bytes([row]), world.p("certifier")).accounts_created == 1
    with platform.uow().read() as uow:
        account = next(a for a in uow.accounts.list(limit=10)[0] if a.name == "学员2")
    assert account.institution_id is None and account.province_code == "44"  # from the ID, not Beijing


def test_unreadable_files_are_named_in_the_error(platform: Platform) -> None:
    cases = {
        "a.txt": (b"x", "不是 .xlsx 或 .csv 文件"),
        "b.xls": (b"\xd0\xcf\x11\xe0", "另存为 .xlsx"),
        "c.xlsx": (b"not a zip at all", "不是有效的 .xlsx 文件"),
        "d.csv": (b"\xff\xfe\x00a", "UTF-16"),
        "e.csv": (bytes([0x81, 0x20, 0xFF, 0x30, 0x80]), "不是 UTF-8 或 GBK 编码"),
        "f.csv": (b"  \n", "空文件"),
    }
    for name, (data, reason) in cases.items():
        with pytest.raises(SpreadsheetError) as e:
            read_outcome_file(name, data)
        assert e.value.message.startswith(f"文件“{name}”") and reason in e.value.message


def test_empty_rows_are_skipped_and_rows_keep_excel_numbers(platform: Platform, world: World) -> None:
    empty = dict.fromkeys(HEADERS, "")
    rows = [outcome_row(world, 1), empty, empty, outcome_row(world, 2, 学时="-1")]
    result = run(platform, "gaps.xlsx", xlsx_bytes(rows))
    assert [(p.row, p.column) for p in result.problems] == [(5, "学时")]
    assert result.rows_total == 2


def test_filled_template_imports(platform: Platform, world: World) -> None:
    wb = load_workbook(io.BytesIO(outcome_template()))
    ws = wb["学习成果"]
    ws.append(list(outcome_row(world, 1).values()))
    ws.append(
        [national_id(102), "王芳", "职业技能等级证书", "Web前端开发", None, world.certifier.uscc, None, None, "优",
         "中级", datetime(2024, 12, 20)]
    )  # fmt: skip
    buf = io.BytesIO()
    wb.save(buf)
    result = run(platform, "模板.xlsx", buf.getvalue())
    assert result.ok, result.problems
    assert (result.outcomes_created, result.accounts_created) == (2, 2)


def test_an_export_streams_in_batches_in_account_order(
    platform: Platform, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zhijiao.adapters.db import exports as export_query
    from zhijiao.adapters.spreadsheets.writing import write_table
    from zhijiao.services.creditbank.exports import export_outcomes

    rows = [
        outcome_row(world, n, 成果名称=f"课程{n}-{k}", 成果代码=f"C{n}{k}") for n in (3, 1, 2) for k in (1, 2)
    ]
    assert run(platform, "成果.csv", csv_bytes(rows)).ok
    monkeypatch.setattr(export_query, "BATCH", 2)  # three fetches for six rows
    for fmt in ("csv", "xlsx"):
        out = io.BytesIO()
        n = export_outcomes(platform.uow(), world.p("national"), lambda t: write_table(out, fmt, t))  # noqa: B023
        if fmt == "csv":
            got = [line.split(",")[4] for line in out.getvalue().decode("utf-8-sig").splitlines()[1:]]
        else:
            sheet = load_workbook(io.BytesIO(out.getvalue())).active
            assert sheet is not None
            got = [str(r[4]) for r in sheet.iter_rows(min_row=2, values_only=True)]
        assert n == 6
        # accounts in the order they were opened (learner 3 first), each one's outcomes in date order
        assert got == ["课程3-1", "课程3-2", "课程1-1", "课程1-2", "课程2-1", "课程2-2"]
