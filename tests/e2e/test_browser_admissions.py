"""分类考试招生 pages in a real headless Chromium: the examination office tries and publishes a run from
the page, a school sees only its own candidates and records 退档, another province gets the 404 page,
and a candidate looks up their result on a phone (390 px, no horizontal scroll, nothing in the URL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e import test_browser
from tests.e2e.page_world import PageWorld
from tests.e2e.test_browser import PHONE, sign_in
from tests.factories import PASSWORD
from tests.integration.test_admissions_cli import CANDIDATES, MAJORS
from zhijiao.adapters.admissions.policy_io import policy_template

pytestmark = pytest.mark.browser
site, browser, page = test_browser.site, test_browser.browser, test_browser.page  # the same fixtures


def _files(tmp: Path, pw: PageWorld) -> dict[str, Path]:
    w = pw.world
    texts = {
        "P.yaml": policy_template(),
        "G.csv": f"专业组代码,院校代码,院校名称,计划数\nG001,{w.school.moe_code},{w.school.name},2\n"
        f"G002,{w.other_school.moe_code},{w.other_school.name},1\n",
        "M.csv": MAJORS,
        "C.csv": CANDIDATES,
    }
    for name, text in texts.items():
        (tmp / name).write_bytes(text.encode("gbk" if name == "C.csv" else "utf-8"))
    return {name: tmp / name for name in texts}


def _choose(tab: Any, files: dict[str, Path]) -> None:
    tab.get_by_label("录取政策（.yaml / .json）").set_input_files(str(files["P.yaml"]))
    tab.get_by_label("专业组文件").set_input_files(str(files["G.csv"]))
    tab.get_by_label("专业文件（选填）").set_input_files(str(files["M.csv"]))
    tab.get_by_label("考生文件").set_input_files(str(files["C.csv"]))


def test_office_publishes_school_rejects_other_province_denied(
    page: Any, site: tuple[str, PageWorld], tmp_path: Path
) -> None:
    base, pw = site
    files = _files(tmp_path, pw)
    sign_in(page, base, "gd_admin")
    page.get_by_role("link", name="招生录取").click()
    page.wait_for_load_state()
    assert page.url == f"{base}/admissions/runs"
    _choose(page, files)
    page.get_by_role("button", name="试运行（不发布）").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("preview").is_visible()
    assert page.get_by_test_id("lines").locator("tbody tr").count() == 2
    _choose(page, files)
    page.get_by_role("button", name="执行并发布").click()
    page.wait_for_load_state()
    assert "/admissions/runs/" in page.url
    run_url = page.url
    assert page.get_by_test_id("results").locator("tbody tr").count() == 5
    assert page.get_by_test_id("lines").locator("tr[data-group=G001]").is_visible()

    page.context.clear_cookies()
    sign_in(page, base, "school_staff")
    page.goto(run_url)
    rows = page.get_by_test_id("results").locator("tbody tr")
    assert sorted(rows.nth(i).get_attribute("data-candidate") for i in range(rows.count())) == [
        "K001",
        "K002",
    ]
    assert page.locator("tr[data-group=G002]").count() == 0
    form = page.get_by_test_id("reject-form")
    form.get_by_label("考生号").fill("K001")
    form.get_by_label("退档理由").fill("专业体检不合格")
    form.get_by_role("button", name="退档").click()
    page.wait_for_load_state()
    assert "K001" in page.get_by_test_id("notice").inner_text()
    assert "院校退档：专业体检不合格" in page.locator("tr[data-candidate=K001]").inner_text()

    page.context.clear_cookies()
    sign_in(page, base, "hn_admin")
    response = page.goto(run_url)
    assert response is not None and response.status == 404
    assert page.get_by_role("heading", level=1).inner_text().startswith("页面不存在")


def _publish(base: str, pw: PageWorld, tmp: Path) -> None:
    files = _files(tmp, pw)
    token = httpx.post(
        f"{base}/api/v1/auth/token", data={"username": "gd_admin", "password": PASSWORD}
    ).json()
    upload = {
        "policy": files["P.yaml"],
        "programmes": files["G.csv"],
        "majors": files["M.csv"],
        "candidates": files["C.csv"],
    }
    r = httpx.post(f"{base}/api/v1/admissions/runs", headers={"Authorization": f"Bearer {token['access_token']}"},
                   files={k: (p.name, p.read_bytes()) for k, p in upload.items()}, timeout=60)  # fmt: skip
    assert r.status_code == 201, r.text


def test_candidate_looks_up_on_a_phone(browser: Any, site: tuple[str, PageWorld], tmp_path: Path) -> None:
    base, pw = site
    _publish(base, pw, tmp_path)
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{base}/admissions/lookup")
        page.get_by_label("考生号").fill("K003")
        page.get_by_label("姓名").fill("王五")
        page.get_by_role("button", name="查询").click()
        page.wait_for_load_state()
        assert page.url == f"{base}/admissions/lookup"  # the POST body carried both: nothing in the URL
        assert page.get_by_test_id("result").inner_text() == "录取"
        assert "第1志愿投档并录取" in page.get_by_test_id("reason").inner_text()
        fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert fits, page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        page.get_by_label("考生号").fill("K003")
        page.get_by_label("姓名").fill("王六")
        page.get_by_role("button", name="查询").click()
        page.wait_for_load_state()
        assert page.get_by_role("alert").inner_text() == "未查到与考生号、姓名和查询码相符的录取结果"
        assert page.get_by_test_id("found").count() == 0
    finally:
        context.close()
