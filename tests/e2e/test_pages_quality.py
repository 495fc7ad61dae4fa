"""The quality pages: over HTTP on both databases (who may open what, problems on one page, the
submission with its declaration), and in a real headless Chromium (a school's data officer uploads
a file with a mistake, fixes it, submits; the province sees the card and approves)."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import TEST_SECRET
from tests.e2e.test_browser import browser, free_port, page, sign_in  # noqa: F401  (fixtures)
from tests.factories import PASSWORD, World, build_world
from tests.quality_world import long_csv, long_rows
from zhijiao.bootstrap import Platform
from zhijiao.config import Settings


def _sign_in(client: TestClient, username: str) -> None:
    client.cookies.clear()
    r = client.post("/signin", data={"username": username, "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303


def test_pages_over_http(client: TestClient, world: World) -> None:
    code = world.school.moe_code
    _sign_in(client, "school_staff")
    r = client.get("/quality", follow_redirects=True)
    assert r.status_code == 200 and "本年度尚无数据" in r.text
    files = {"file": ("状态数据.csv", long_csv(long_rows(code, "2023-2024", books="x")), "text/csv")}
    r = client.post("/quality/school/upload", data={"org": code, "year": "2024"}, files=files)
    assert r.status_code == 422 and "第 20 行“值”列" in r.text and "未导入任何数据" in r.text
    files = {"file": ("状态数据.csv", long_csv(long_rows(code, "2023-2024")), "text/csv")}
    r = client.post("/quality/school/upload", data={"org": code, "year": "2024"}, files=files)
    assert r.status_code == 200 and "合格" in r.text and 'data-indicator="student_teacher_ratio"' in r.text
    r = client.post("/quality/school/submit", data={"org": code, "year": "2024", "declared_by": "王芳"})
    assert r.status_code == 422 and "真实性声明" in r.text
    r = client.post(
        "/quality/school/submit", data={"org": code, "year": "2024", "declared_by": "王芳", "confirm": "1"}
    )
    assert r.status_code == 200 and "已提交待审核" in r.text
    assert client.get(f"/quality/trace?org={code}&year=2024&indicator=books_per_student").status_code == 200
    r = client.get(f"/quality/school?org={code}&year=2024&lang=en")
    assert "Quality monitoring" in r.text and "Student-teacher ratio" in r.text

    _sign_in(client, "other_staff")
    for path in (f"/quality/school?org={code}&year=2024", f"/quality/trace?org={code}&year=2024&indicator=books_per_student",
                 f"/quality/school/form.xlsx?org={code}&year=2024"):  # fmt: skip
        r = client.get(path)
        assert r.status_code == 404 and r.headers["content-type"].startswith("text/html"), path
    _sign_in(client, "hn_admin")
    assert client.get("/quality/province?province=44").status_code == 403
    _sign_in(client, "gd_admin")
    r = client.get("/quality/province?year=2024")
    assert r.status_code == 200 and world.school.name in r.text and "未填报" in r.text
    x = client.get("/quality/province/export.xlsx?year=2024")
    assert x.status_code == 200 and x.content[:2] == b"PK"
    r = client.post("/quality/province/review", data={"org": code, "year": "2024", "action": "approve"})
    assert r.status_code == 200 and "已审核（锁定）" in r.text
    _sign_in(client, "national")
    assert "44" in client.get("/quality/national?year=2024").text


def test_pages_in_english(client: TestClient, world: World) -> None:
    code = world.school.moe_code
    _sign_in(client, "school_staff")
    files = {"file": ("state.csv", long_csv(long_rows(code, "2023-2024", books="x")), "text/csv")}
    r = client.post("/quality/school/upload?lang=en", data={"org": code, "year": "2024"}, files=files)
    assert r.status_code == 422 and "row 20 column “Value”" in r.text and "“x” is not a number" in r.text
    files = {"file": ("state.csv", long_csv(long_rows(code, "2023-2024", books=200000)), "text/csv")}
    r = client.post("/quality/school/upload?lang=en", data={"org": code, "year": "2024"}, files=files)
    assert "Books per student = printed books ÷ weighted students" in r.text
    assert "Yellow card (enrolment restricted): Books per student misses" in r.text
    assert "达不到限制招生线" not in r.text  # the Chinese explanations are not shown on the English page
    r = client.get(f"/quality/trace?org={code}&year=2024&indicator=books_per_student&lang=en")
    assert "printed books" in r.text and "row 20" in r.text
    _sign_in(client, "gd_admin")
    r = client.get("/quality/province?year=2024&lang=en")
    assert "Yellow card (enrolment restricted)" in r.text and "Books per student" in r.text


def test_standards_page_sets_province_lines_and_school_targets(client: TestClient, world: World) -> None:
    form = {"indicator": "dual_qualified_share", "level": "higher", "document": "广东省职业教育质量标准",
            "sentence": "双师型教师占比不低于60%", "effective_from": "2023-01-01"}  # fmt: skip
    _sign_in(client, "gd_admin")
    r = client.get("/quality/standards")
    assert r.status_code == 200 and "教发〔2004〕2号" in r.text and "未能对照原文核实" in r.text
    r = client.post("/quality/standards", data={**form, "pass_line": "0.4"})
    assert r.status_code == 422 and "只能高于国家标准" in r.text
    r = client.post("/quality/standards", data={**form, "pass_line": "0.6"})
    assert r.status_code == 200 and "标准已设定" in r.text and "省级标准" in r.text
    _sign_in(client, "school_staff")
    r = client.post("/quality/standards", data={**form, "pass_line": "0.7"})
    assert r.status_code == 200 and "学校目标" in r.text and "local-standards" in r.text
    r = client.get("/quality/standards?lang=en")
    assert "School target" in r.text and "Standard set" not in r.text
    _sign_in(client, "other_staff")
    assert (
        "local-standards" not in client.get("/quality/standards").text
    )  # another school's target is not shown


@pytest.fixture(scope="module")
def quality_site(
    tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path
) -> Iterator[tuple[str, World]]:
    import uvicorn

    from zhijiao.api.app import create_app

    db = tmp_path_factory.mktemp("quality-browser") / "zhijiao.db"
    shutil.copy(sqlite_template, db)
    platform = Platform(Settings(database_url=f"sqlite:///{db}", secret_key=TEST_SECRET))
    world = build_world(platform)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(platform), host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", world
    server.should_exit = True
    thread.join(10)
    platform.dispose()


@pytest.mark.browser
def test_school_uploads_fixes_submits_and_province_approves(
    page: Any,  # noqa: F811
    quality_site: tuple[str, World],
    tmp_path: Path,
) -> None:
    base, world = quality_site
    code = world.school.moe_code
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_bytes(long_csv(long_rows(code, "2023-2024", teachers_fulltime="-5")))
    good.write_bytes(long_csv(long_rows(code, "2023-2024", books=200000)))
    sign_in(page, base, "school_staff")
    page.goto(f"{base}/quality/school?year=2024")
    assert page.get_by_role("heading", level=1).inner_text().startswith("质量监测")
    page.get_by_test_id("upload-form").locator("input[type=file]").set_input_files(str(bad))
    page.get_by_role("button", name="上传").click()
    page.wait_for_load_state()
    assert "第 9 行“值”列" in page.get_by_test_id("problems").inner_text()
    page.get_by_test_id("upload-form").locator("input[type=file]").set_input_files(str(good))
    page.get_by_role("button", name="上传").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("card").inner_text() == "黄牌（限制招生）"
    assert page.locator('tr[data-indicator="books_per_student"] td').nth(4).inner_text() == "不达标"
    page.get_by_label("我已阅读并确认").check()
    page.get_by_label("责任人姓名").fill("王芳")
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("status").inner_text() == "已提交待审核"

    page.get_by_role("button", name="退出").click()
    sign_in(page, base, "gd_admin")
    page.goto(f"{base}/quality/province?year=2024")
    assert page.get_by_test_id("counts").inner_text().replace("\n", " ").count("1") >= 1
    page.get_by_test_id("card-filter").select_option("yellow")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state()
    rows = page.get_by_test_id("schools").locator("tbody tr")
    assert rows.count() == 1 and "生均图书" in rows.inner_text()
    rows.get_by_role("link", name=world.school.name).click()
    page.wait_for_load_state()
    page.get_by_role("button", name="审核通过并锁定").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("status").inner_text() == "已审核（锁定）"
    page.get_by_role("link", name="24.07册/生").click()
    page.wait_for_load_state()
    assert "good.csv" in page.get_by_test_id("cells").inner_text()


@pytest.mark.browser
def test_province_filters_sorts_exports_and_drills_down_nation_counts(
    page: Any,  # noqa: F811
    quality_site: tuple[str, World],
    tmp_path: Path,
) -> None:
    import io

    from openpyxl import load_workbook

    from zhijiao.adapters.spreadsheets.quality_form import read_quality_file
    from zhijiao.services.quality import collection

    base, world = quality_site
    code = world.other_school.moe_code
    for period, changes in (
        ("2022-2023", {"books": 560000}),
        ("2023-2024", {"books": 150000, "equipment_value_yuan": 9000000}),
    ):
        read = read_quality_file(f"{period}.csv", long_csv(long_rows(code, period, **changes)))
        assert collection.import_values(world.platform.uow(), world.p("gd_admin"), read.values, filename=read.filename,
                                        file_sha256=read.sha256, file_kind=read.kind).ok  # fmt: skip
    sign_in(page, base, "gd_admin")
    page.goto(f"{base}/quality/province?year=2024")
    page.get_by_test_id("sort").select_option("name")
    page.get_by_test_id("card-filter").select_option("red")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_load_state()
    rows = page.get_by_test_id("schools").locator("tbody tr")
    assert rows.count() == 1 and world.other_school.name in rows.inner_text() and "红牌" in rows.inner_text()
    # the export is the table as filtered
    with page.expect_download() as info:
        page.get_by_test_id("export-link").click()
    ws = load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).active
    exported = [r for r in ws.iter_rows(min_row=2, values_only=True)]
    assert [(r[0], r[4]) for r in exported] == [(code, "红牌（暂停招生）")]
    assert "生均图书" in exported[0][5] and "生均教学科研仪器设备值" in exported[0][5]
    # drill down: a failing indicator → the cells it came from
    rows.get_by_role("link", name="生均图书").click()
    page.wait_for_load_state()
    cells = page.get_by_test_id("cells").inner_text()
    assert "2023-2024.csv" in cells and "150000" in cells and "纸质图书" in cells
    assert page.get_by_test_id("where").first.inner_text().startswith("第 ")
    # the school's indicators with last year beside them
    page.goto(f"{base}/quality/school?org={code}&year=2024")
    books = page.locator('tr[data-indicator="books_per_student"] td')
    assert books.nth(2).inner_text() != "—" and books.nth(4).inner_text() == "不达标"
    assert float(books.nth(2).inner_text().removesuffix("册/生")) > float(
        books.nth(1).inner_text().removesuffix("册/生")
    )
    page.get_by_role("button", name="退出").click()

    sign_in(page, base, "national")
    page.goto(f"{base}/quality/national?year=2024")
    table = page.get_by_test_id("provinces")
    row44 = table.locator("tbody tr", has_text="44")
    cells44 = row44.locator("td").all_inner_texts()
    assert cells44[0] == "44" and int(cells44[1]) == 2 and int(cells44[7]) >= 1  # schools, red cards
    assert table.locator("tbody tr", has_text="43").count() == 1  # every province, not only one
    row44.get_by_role("link", name="44").click()
    page.wait_for_load_state()
    assert world.other_school.name in page.get_by_test_id("schools").inner_text()
