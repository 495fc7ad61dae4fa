"""The demo's 分类考试招生: a published run over the demo province's 高职 and 技工 schools, with exempt groups,
免试 skill champions, certificate exemptions and the demo learners' accounts checked in the credit bank."""

from __future__ import annotations

from collections import Counter

from zhijiao.bootstrap import Platform
from zhijiao.demo.build import DEMO_PASSWORD, build_demo
from zhijiao.services.admissions import published
from zhijiao.services.users import authenticate


def test_demo_publishes_an_admission_run_the_pages_show(platform: Platform) -> None:
    summary = build_demo(platform, scale="small", seed=7, learners=120)
    assert "1500 名考生" in summary.admissions
    office = authenticate(platform.uow(), "gd_admin", DEMO_PASSWORD)
    assert office is not None
    (run,) = published.visible_runs(platform.uow(), office)
    assert run["province_code"] == "44" and run["record"]["counts"]["candidates"] == 1500
    assert run["record"]["credit_bank"]["accounts"] >= 1  # the demo learners' accounts were checked
    items = published.run_results(platform.uow(), office, run["id"], limit=1000).items
    items += published.run_results(platform.uow(), office, run["id"], offset=1000, limit=1000).items
    results = Counter(i["result"] for i in items)
    assert results["录取"] > 900 and results["退档"] > 0 and results["未投档"] > 0
    reasons = " ".join(i["reason"] for i in items)
    assert "技能拔尖免试" in reasons and "征集志愿" in reasons
    view = published.run_view(platform.uow(), office, run["id"])
    assert any(ln["quota"] > ln["admitted"] for ln in view.lines) or results["未投档"] > 0
    # a school's staff member sees only that school's part
    staff = authenticate(platform.uow(), "staff2", DEMO_PASSWORD)
    assert staff is not None
    mine = published.run_view(platform.uow(), staff, run["id"])
    assert mine.school_code and {ln["school_code"] for ln in mine.lines} == {mine.school_code}
    page = published.run_results(platform.uow(), staff, run["id"], limit=1000)
    assert page.total > 0 and {i["school_code"] for i in page.items} == {mine.school_code}
