"""Overview pages (省级概况 / 全国概况): charts, thousands separators, the reconciliation, the national heading."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from fastapi.testclient import TestClient

from tests.e2e.conftest import SignIn
from tests.e2e.page_world import PageWorld
from tests.e2e.test_pages import text_of
from zhijiao.web.creditbank_pages import num


def test_province_page_has_accessible_charts_and_reconciles(
    client: TestClient, pw: PageWorld, sign_in: SignIn
) -> None:
    sign_in("gd_admin")
    html = client.get("/province").text
    assert re.search(r'<a href="/province"[^>]*>省级概况</a>', html)
    svgs = re.findall(r"<svg .*?</svg>", html, re.S)
    assert len(svgs) >= 3  # learners, outcomes by year and kind, credits by level
    for svg in svgs:
        root = ET.fromstring(svg)
        assert root.get("role") == "img" and root.get("aria-labelledby")
    assert "学习成果（按取得年份与类型）" in html and "学分（按资历框架等级）" in html
    assert html.count("<summary>数据表</summary>") == len(svgs)
    # 3 outcomes held by 广东's learners, 2 issued by its institutions: the page says why
    rec = re.search(r'data-testid="reconcile".*?</div>', html, re.S)
    assert rec is not None
    held = re.search(r'data-testid="held">([\d,]+)<', rec.group(0))
    issued = re.search(r'data-testid="issued">([\d,]+)<', rec.group(0))
    other_in = re.search(r'data-testid="held-from-other">([\d,]+)<', rec.group(0))
    other_out = re.search(r'data-testid="issued-to-other">([\d,]+)<', rec.group(0))
    assert held and issued and other_in and other_out
    assert int(held[1]) - int(other_in[1]) == int(issued[1]) - int(other_out[1])
    assert text_of(html, "overview-totals").startswith("3 名学习者 3 项成果")
    # English
    en = client.get("/province", params={"lang": "en"}).text
    assert "Outcomes by year obtained and kind" in en and "Data table" in en and "Two ways of counting" in en


def test_national_admin_sees_national_overview(client: TestClient, pw: PageWorld, sign_in: SignIn) -> None:
    sign_in("national")
    html = client.get("/province").text
    assert re.search(r'<a href="/province"[^>]*>全国概况</a>', html) and "省级概况" not in html
    assert "<title>全国概况" in html or "全国概况" in html.split("</title>")[0]
    assert 'data-testid="reconcile"' not in html  # the nation: held = issued
    assert "National overview" in client.get("/province", params={"lang": "en"}).text


def test_numbers_carry_thousands_separators() -> None:
    from decimal import Decimal

    assert num(Decimal("1344275.5")) == "1,344,275.5"
    assert num(41925540) == "41,925,540"
    assert num(Decimal("12.0")) == "12" and num(None) == "—"
