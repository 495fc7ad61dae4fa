"""The pages in a real headless Chromium (Debian's `chromium`), driven by Playwright.

The app runs under uvicorn on a free loopback port against a migrated SQLite file (the API and
page tests cover PostgreSQL). Without a Chromium binary the tests say so and skip; the browser
is never downloaded.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TEST_SECRET
from tests.e2e.page_world import LEARNER_ID, PageWorld, build_page_world
from tests.factories import PASSWORD, build_world
from zhijiao.bootstrap import Platform
from zhijiao.config import Settings

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}


def chromium_path() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if found is None:
        pytest.skip("未找到 Chromium 浏览器（Debian 包 chromium），跳过浏览器测试")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[tuple[str, PageWorld]]:
    """The real app under uvicorn, in a background thread, over a small world in SQLite."""
    import uvicorn

    from zhijiao.api.app import create_app

    db = tmp_path_factory.mktemp("browser") / "zhijiao.db"
    shutil.copy(sqlite_template, db)
    platform = Platform(Settings(database_url=f"sqlite:///{db}", secret_key=TEST_SECRET))
    pw = build_page_world(build_world(platform))
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(platform), host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn 未能启动"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", pw
    server.should_exit = True
    thread.join(10)
    platform.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN")
    yield context.new_page()
    context.close()


def sign_in(page: Any, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/signin")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state()


def test_learner_signs_in_sees_the_transcript_and_switches_to_english(
    page: Any, site: tuple[str, PageWorld]
) -> None:
    base, pw = site
    sign_in(page, base, "liming")
    assert page.url == f"{base}/me"
    assert page.get_by_role("heading", level=1).inner_text() == "我的学分银行账号"
    assert page.get_by_test_id("account-no").inner_text() == pw.world.learner_account.account_no
    totals = page.get_by_test_id("totals").inner_text()
    assert "13.5" in totals and "学分" in totals and "120" in totals
    transcript = page.get_by_test_id("transcript")
    assert transcript.get_by_role("row").count() == 5  # a header and four outcomes
    revoked = transcript.locator("tr.revoked")
    assert "误录课程" in revoked.inner_text()
    assert (
        revoked.locator("s").first.evaluate("e => getComputedStyle(e).textDecorationLine") == "line-through"
    )
    assert LEARNER_ID not in page.content()

    page.get_by_test_id("lang-switch").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "My credit bank account"
    assert "credits" in page.get_by_test_id("totals").inner_text()
    assert page.get_by_role("columnheader", name="Framework level").count() == 1
    page.goto(f"{base}/me")  # remembered
    assert page.get_by_role("heading", name="Accumulated credits").count() == 1


def test_school_staff_search_a_learner_and_open_the_account(page: Any, site: tuple[str, PageWorld]) -> None:
    base, pw = site
    sign_in(page, base, "school_staff")
    assert page.url == f"{base}/institution"
    page.get_by_label("按姓名查找").fill("王")
    page.get_by_role("button", name="查找", exact=True).click()
    page.wait_for_load_state()
    rows = page.get_by_test_id("learners").locator("tbody tr")
    assert rows.count() == 1
    rows.get_by_role("link", name="王芳").click()
    page.wait_for_load_state()
    assert page.url == f"{base}/accounts/{pw.classmate.account_no}"
    assert page.get_by_role("heading", level=1).inner_text() == "个人学习账号"
    assert "开户" in page.get_by_test_id("ledger").inner_text()
    page.goto(f"{base}/accounts/{pw.far_learner.account_no}")
    assert page.get_by_role("heading", level=1).inner_text().startswith("页面不存在")


def test_province_admin_sees_the_overview(page: Any, site: tuple[str, PageWorld]) -> None:
    base, _ = site
    sign_in(page, base, "gd_admin")
    assert page.url == f"{base}/province"
    assert page.get_by_role("heading", level=1).inner_text() == "广东省 · 学分银行概况"
    assert "13.5" in page.get_by_test_id("overview-totals").inner_text()
    assert "广州番禺职业技术学院" in page.get_by_test_id("top-institutions").inner_text()
    page.goto(f"{base}/province?province=43")
    assert page.get_by_role("heading", level=1).inner_text().startswith("无权访问")


def test_wrong_password_shows_the_chinese_error(page: Any, site: tuple[str, PageWorld]) -> None:
    base, _ = site
    sign_in(page, base, "liming", "not-the-password")
    assert page.get_by_role("alert").inner_text() == "用户名或密码错误"
    assert page.url == f"{base}/signin"


def test_the_transcript_fits_a_phone(browser: Any, site: tuple[str, PageWorld], tmp_path: Path) -> None:
    base, _ = site
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, locale="zh-CN")
    page = context.new_page()
    try:
        sign_in(page, base, "liming")
        assert page.url == f"{base}/me"
        fits = page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert fits, page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        # the table has turned into labelled cards: the column headers are hidden, each cell names itself
        assert not page.get_by_test_id("transcript").locator("thead").is_visible()
        label = (
            page.get_by_test_id("transcript")
            .locator("td")
            .first.evaluate("e => getComputedStyle(e, '::before').content")
        )
        assert "获得日期" in label
        shot = tmp_path / "transcript-phone.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
    finally:
        context.close()
