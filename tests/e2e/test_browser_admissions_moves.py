"""In a real headless Chromium: a school moves an admitted candidate to another major of the group with
the form on its candidate list (select the major, give a reason), at desktop and phone width (390 px: no
horizontal scroll), and sees the change recorded; a full major is offered disabled; in English the
form is English."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.e2e import test_browser
from tests.e2e.page_world import PageWorld
from tests.e2e.test_api_admissions_moves import CANDIDATES, MAJORS
from tests.e2e.test_browser import PHONE, sign_in
from tests.factories import PASSWORD
from zhijiao.adapters.admissions.policy_io import policy_template

pytestmark = pytest.mark.browser
site, browser, page = test_browser.site, test_browser.browser, test_browser.page  # the same fixtures


def _publish(base: str, pw: PageWorld) -> int:
    w = pw.world
    programmes = (f"专业组代码,院校代码,院校名称,计划数\nG001,{w.school.moe_code},{w.school.name},3\n"
                  f"G002,{w.other_school.moe_code},{w.other_school.name},1\n")  # fmt: skip
    token = httpx.post(
        f"{base}/api/v1/auth/token", data={"username": "gd_admin", "password": PASSWORD}
    ).json()
    files = {"policy": ("P.yaml", policy_template().encode()), "programmes": ("G.csv", programmes.encode()),
             "majors": ("M.csv", MAJORS.encode()), "candidates": ("C.csv", CANDIDATES.encode())}  # fmt: skip
    r = httpx.post(f"{base}/api/v1/admissions/runs", headers={"Authorization": f"Bearer {token['access_token']}"},
                   files=files, timeout=60)  # fmt: skip
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def test_school_moves_a_candidate_on_desktop_and_phone(browser: Any, site: tuple[str, PageWorld]) -> None:
    base, pw = site
    rid = _publish(base, pw)
    for viewport, no, target in (({"width": 1366, "height": 900}, "K001", "03"), (PHONE, "K001", "01")):
        context = browser.new_context(viewport=viewport, locale="zh-CN")
        tab = context.new_page()
        errors: list[str] = []
        seen = errors.append
        # (the browser's own favicon request is not the page's: the site has none)
        tab.on("console", lambda m, seen=seen: seen(f"{m.text} {m.location}")
               if m.type == "error" and "favicon" not in str(m.location) else None)  # fmt: skip
        tab.on("pageerror", lambda e, seen=seen: seen(str(e)))
        try:
            sign_in(tab, base, "school_staff")
            tab.goto(f"{base}/admissions/runs/{rid}")
            form = tab.get_by_test_id(f"move-{no}")
            select = form.get_by_label(f"调入专业 {no}")
            disabled = select.locator("option[disabled]").all_inner_texts()
            assert any(t.startswith("02 ") for t in disabled), disabled  # 02 is full (K002)
            select.select_option(target)
            form.get_by_label(f"调整理由 {no}").fill("本人申请")
            form.get_by_role("button", name="调整").click()
            tab.wait_for_load_state()
            assert no in tab.get_by_test_id("notice").inner_text()
            row = tab.locator(f"tr[data-candidate={no}]")
            assert "院校调整专业：" in row.inner_text() and f"→ {target}" in row.inner_text()
            assert tab.get_by_test_id("changes").locator("tbody tr").count() >= 1
            fits = tab.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
            assert fits, tab.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
            assert not errors, errors
        finally:
            context.close()
    # English: the form speaks English
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
    tab = context.new_page()
    try:
        sign_in(tab, base, "school_staff")
        tab.goto(f"{base}/admissions/runs/{rid}?lang=en")
        form = tab.get_by_test_id("move-K002")
        assert form.get_by_role("button", name="Move").is_visible()
        assert form.get_by_label("Target major K002").is_visible()
        assert tab.get_by_test_id("majors").is_visible()
    finally:
        context.close()
