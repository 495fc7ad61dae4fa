"""Issue 8, items 9–12: imports that never store the wrong person or garbled text.

Each test here failed on main before the change (full-width IDs opened a second account, a broken
UTF-8 file was stored as GB18030 mojibake, a header-only file was "nothing new", 2023111 was read as
2023-11-01, 69.95 was stored as 70.0, a row's issuer and credit problems were missing, ...).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook
from sqlalchemy import func, select

from tests.conftest import token_for
from tests.factories import World, national_id
from tests.spreadsheets import HEADERS, csv_bytes, outcome_row, snapshot, xlsx_bytes
from zhijiao.adapters.db.tables import metadata
from zhijiao.adapters.spreadsheets.reading import SpreadsheetError, read_outcome_file
from zhijiao.bootstrap import Platform
from zhijiao.domain.access import SYSTEM, Principal
from zhijiao.domain.identity import IdType
from zhijiao.services.creditbank import accounts
from zhijiao.services.creditbank.imports import ImportResult
from zhijiao.services.creditbank.outcome_files import import_file


def run(platform: Platform, filename: str, data: bytes, principal: Principal = SYSTEM) -> ImportResult:
    return import_file(platform.uow(), principal, read_outcome_file(filename, data))


def _count_accounts(platform: Platform) -> int:
    table = metadata.tables["learning_accounts"]
    with platform.engine.connect() as c:
        return int(c.execute(select(func.count()).select_from(table)).scalar_one())


FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


# --- 9. one normalisation everywhere identity is read ----------------------------------------------


def test_a_full_width_id_finds_the_same_account_not_a_second_one(platform: Platform, world: World) -> None:
    number = national_id(1)  # 李明's, opened by the world
    wide = number.translate(FULL_WIDTH)
    assert wide != number and wide[:4] == "４４０１"
    before = _count_accounts(platform)
    rows = [
        outcome_row(world, 1, 身份证号=wide, 姓名="李明", 成果名称="数学"),
        outcome_row(world, 1, 身份证号=f" {number[:6]}\u200b{number[6:]}\u3000", 姓名="李\u200b明", 成果名称="语文"),
    ]
    result = run(platform, "全角.csv", csv_bytes(rows))
    assert result.ok, result.problems
    assert (result.outcomes_created, result.accounts_created) == (2, 0)
    assert _count_accounts(platform) == before
    with platform.uow().read() as uow:
        titles = {o.title for o in uow.outcomes.iter_all() if o.account_id == world.learner_account.id}
    assert {"数学", "语文"} <= titles
    # the look-up (service and API) finds the same account from the full-width number
    found = accounts.find_account_by_id_number(platform.uow(), world.p("national"), IdType.national_id, wide)
    assert found.id == world.learner_account.id


def test_the_api_look_up_and_sign_in_normalise(client: TestClient, world: World) -> None:
    number = national_id(1)
    headers = token_for(client, "ｎａｔｉｏｎａｌ")  # a full-width user name is the same user
    r = client.post(
        "/api/v1/accounts/lookup", json={"id_number": number.translate(FULL_WIDTH)}, headers=headers
    )
    assert r.status_code == 200, r.text
    assert r.json()["account_no"] == world.learner_account.account_no
    r = client.post("/api/v1/auth/token", data={"username": " school_staff\u200b", "password": "wrong-pass"})
    assert r.status_code == 401  # the name is found, the password still checked


# --- 10. encodings --------------------------------------------------------------------------------


def test_a_utf8_file_with_a_few_broken_bytes_is_refused_not_stored_as_mojibake(
    platform: Platform, world: World
) -> None:
    good = csv_bytes([outcome_row(world, n, 姓名="张伟", 成果名称="焊接", 颁发机构=world.school.uscc or "")
                      for n in range(1, 6)])  # fmt: skip
    # two stray bytes (a GBK "啊" pasted in) on row 4: no longer UTF-8, but GB18030 decodes it all
    broken = good.replace("焊接".encode(), "焊接".encode() + b"\xb0\xa1", 3).replace(
        "焊接".encode() + b"\xb0\xa1", "焊接".encode(), 2
    )
    before = snapshot(platform)
    with pytest.raises(SpreadsheetError) as e:
        run(platform, "坏编码.csv", broken)
    message = e.value.message
    assert message.startswith("文件“坏编码.csv”") and "UTF-8" in message and "GBK" in message
    assert "第 4 行" in message
    assert snapshot(platform) == before
    # on main this was decoded as GB18030 and stored as "寮犱紵"/"鐒婃帴"
    assert "寮犱紵" in broken.decode("gb18030") and "鐒婃帴" in broken.decode("gb18030")


def test_a_latin1_file_is_refused(platform: Platform, world: World) -> None:
    rows = [outcome_row(world, 1, 姓名="Jöan Müller", 成果名称="Schweißen", 成果类型="course",
                        颁发机构=world.school.uscc or "")]
    data = csv_bytes(rows, headers=["national_id", "name", "kind", "title", "code", "issuer", "hours",
                                    "credits", "score", "level", "obtained_on"]).decode().encode("latin-1")  # fmt: skip
    before = snapshot(platform)
    with pytest.raises(SpreadsheetError) as e:
        run(platform, "latin1.csv", data)
    assert e.value.message.startswith("文件“latin1.csv”") and "UTF-8 或 GBK" in e.value.message
    assert snapshot(platform) == before


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_correct_files_keep_working_with_rare_names(platform: Platform, world: World, encoding: str) -> None:
    rows = [outcome_row(world, 1, 姓名="欧阳喆"), outcome_row(world, 2, 姓名="张堃", 成果名称="数控车床编程（中级）")]
    result = run(platform, "成果.csv", csv_bytes(rows, encoding=encoding))
    assert result.ok and result.outcomes_created == 2, result.problems
    with platform.uow().read() as uow:
        names = {a.name for a in uow.accounts.list(limit=10)[0]}
    assert {"欧阳喆", "张堃"} <= names


# --- 11. files and cells that are not what they seem -----------------------------------------------


def test_a_header_only_file_is_refused(platform: Platform, world: World) -> None:
    before = snapshot(platform)
    for name, data in (("空.csv", csv_bytes([])), ("空.xlsx", xlsx_bytes([]))):
        result = run(platform, name, data)
        assert not result.ok and result.outcomes_created == 0
        assert [p.describe(name) for p in result.problems] == [f"{name}：第 1 行：文件没有数据行（只有表头）"]
    assert snapshot(platform) == before


def test_a_10_mb_cell_names_its_row_and_column_in_chinese(platform: Platform, world: World) -> None:
    rows = [outcome_row(world, 1), outcome_row(world, 2, 成果名称="长" * (10 * 1024 * 1024 // 3))]
    with pytest.raises(SpreadsheetError) as e:
        run(platform, "大.csv", csv_bytes(rows))
    assert e.value.message.startswith("文件“大.csv”第 3 行“成果名称”列的内容过长"), e.value.message


def test_ambiguous_and_too_fine_values_are_refused(platform: Platform, world: World) -> None:
    rows = [
        outcome_row(world, 1, 获得日期="2023111"),
        outcome_row(world, 2, 成绩="69.95"),
        outcome_row(world, 3, 学时="32.25"),
        outcome_row(world, 4, 成绩="A+"),
        outcome_row(world, 5, 获得日期="20231101", 成绩="69.5"),  # fine: eight digits, one decimal
    ]
    before = snapshot(platform)
    result = run(platform, "细.csv", csv_bytes(rows))
    found = {(p.row, p.column): p.message for p in result.problems}
    assert set(found) == {(2, "获得日期"), (3, "成绩"), (4, "学时"), (5, "成绩")}, found
    assert "有歧义" in found[(2, "获得日期")] and "YYYYMMDD" in found[(2, "获得日期")]
    assert "69.95" in found[(3, "成绩")] and "0.1" in found[(3, "成绩")]
    assert "32.25" in found[(4, "学时")]
    assert "优/良/中/及格/不及格" in found[(5, "成绩")]
    assert snapshot(platform) == before
    ok = run(platform, "好.csv", csv_bytes(rows[4:]))
    assert ok.ok and ok.outcomes_created == 1
    with platform.uow().read() as uow:
        (outcome,) = list(uow.outcomes.iter_all())
    assert str(outcome.score) == "69.5" and outcome.obtained_on.isoformat() == "2023-11-01"


def test_an_id_that_excel_stored_as_a_number_must_be_text(platform: Platform, world: World) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "学习成果"
    ws.append(HEADERS)
    row = outcome_row(world, 1)
    ws.append([float(row["身份证号"]) if h == "身份证号" else row[h] for h in HEADERS])
    import io

    out = io.BytesIO()
    wb.save(out)
    result = run(platform, "数字.xlsx", out.getvalue())
    (problem,) = result.problems
    assert (problem.row, problem.column) == (2, "身份证号")
    assert "数字格式" in problem.message and "文本" in problem.message
    csv_result = run(platform, "科学计数.csv", csv_bytes([outcome_row(world, 1, 身份证号="4.40103E+17")]))
    assert "文本" in csv_result.problems[0].message


@pytest.mark.parametrize("header", ["身份证号码", "证件号码"])
def test_common_id_header_variants_are_recognised(platform: Platform, world: World, header: str) -> None:
    headers = [header if h == "身份证号" else h for h in HEADERS]
    data = csv_bytes([outcome_row(world, 1)], headers=headers).replace(b"\xef\xbb\xbf", b"")
    text = data.decode()
    # csv_bytes takes values by header: put the ID under the variant header
    lines = text.splitlines()
    lines[1] = national_id(101) + lines[1]
    result = run(platform, "变体.csv", "\n".join(lines).encode())
    assert result.ok and result.outcomes_created == 1, result.problems


# --- 12. every problem of a row -------------------------------------------------------------------


def test_a_row_with_seven_problems_lists_all_seven(platform: Platform, world: World) -> None:
    bad_id = national_id(103)[:-1] + ("0" if national_id(103)[-1] != "0" else "1")
    row = outcome_row(
        world, 3, 身份证号=bad_id, 姓名="名" * 51, 颁发机构="不存在的学院", 学时="", 学分="1.3", 成绩="120",
        等级="特级", 获得日期="2023111",
    )  # fmt: skip
    for name, data in (("七.csv", csv_bytes([row])), ("七.xlsx", xlsx_bytes([row]))):
        result = run(platform, name, data)
        found = {p.column: p.message for p in result.problems}
        assert set(found) == {"身份证号", "姓名", "颁发机构", "学分", "成绩", "等级", "获得日期"}, found
        assert found["颁发机构"] == "未登记的颁发机构“不存在的学院”"
        assert found["学分"] == "学分须为 0.5 的整数倍"
        assert len(result.problems) == 7


def test_an_unregistered_issuer_with_bad_credits_lists_both(platform: Platform, world: World) -> None:
    row = outcome_row(world, 4, 颁发机构="不存在的学院", 学时="", 学分="1.3")
    result = run(platform, "二.csv", csv_bytes([row]))
    assert {(p.column, p.message) for p in result.problems} == {
        ("颁发机构", "未登记的颁发机构“不存在的学院”"), ("学分", "学分须为 0.5 的整数倍"),
    }  # fmt: skip
