"""Conversion pages through the TestClient: public plan pages, applying, reviewing, auditing; denials."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conversion_world import ConversionWorld, build
from tests.factories import PASSWORD, World


def _signin(client: TestClient, username: str) -> None:
    client.cookies.clear()
    r = client.post("/signin", data={"username": username, "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303


def test_public_plan_pages(client: TestClient, world: World) -> None:
    cw = build(world)
    listing = client.get("/plans")
    assert listing.status_code == 200 and "计算机应用技术 2023级" in listing.text
    page = client.get(f"/plans/{cw.key}")
    assert page.status_code == 200 and "Web前端开发" in page.text and "R-DB（第2版）" in page.text
    assert "Curriculum plans" in client.get("/plans?lang=en").text
    assert client.get("/plans/1/999999/2020").status_code == 404


def _apply(client: TestClient, cw: ConversionWorld) -> str:
    form = {"account_no": cw.account_no, "outcome_ids": [str(cw.certificate.id)], "target_courses": ["H01"]}
    pre = client.post("/conversion/apply", data={**form, "action": "precheck"})
    assert pre.status_code == 200 and "证书等级 中级 ≥ 要求 中级：满足" in pre.text
    done = client.post("/conversion/apply", data={**form, "action": "submit"}, follow_redirects=False)
    assert done.status_code == 303
    return str(done.headers["location"])


def test_learner_applies_staff_reviews(client: TestClient, world: World) -> None:
    cw = build(world)
    assert client.get("/conversion/apply", follow_redirects=False).status_code == 303  # sign in first
    _signin(client, "liming")
    form = client.get("/conversion/apply")
    assert form.status_code == 200 and "Web前端开发职业技能等级证书（中级）" in form.text
    url = _apply(client, cw)
    assert "已提交" in client.get(url).text
    assert client.post(url + "/transitions", data={"to": "approved"}).status_code == 403
    _signin(client, "far_staff")
    assert client.get(url).status_code == 404
    _signin(client, "school_staff")
    queue = client.get("/conversion/applications?state=submitted&course=H01")
    assert queue.status_code == 200 and cw.account_no in queue.text
    assert cw.account_no not in client.get("/conversion/applications?state=approved").text
    client.post(url + "/transitions", data={"to": "under_review"})
    empty = client.post(url + "/transitions", data={"to": "rejected", "reason": ""})
    assert empty.status_code == 422 and "驳回申请必须填写理由" in empty.text
    client.post(url + "/transitions", data={"to": "approved"})
    page = client.get(url).text
    assert "已批准" in page and "4 学分 · 规则" in page
    audit = client.get(f"/conversion/audit?account_no={cw.account_no}")
    assert audit.status_code == 200 and "其中免修 4" in audit.text
    _signin(client, "liming")
    assert "其中免修 4" in client.get("/conversion/audit").text
    assert client.get("/conversion/applications").status_code == 200


def test_learner_withdraws_and_others_are_denied(client: TestClient, world: World) -> None:
    cw = build(world)
    _signin(client, "liming")
    url = _apply(client, cw)
    client.post(url + "/transitions", data={"to": "withdrawn"})
    assert "已撤回" in client.get(url).text
    _signin(client, "far_staff")
    denied = client.get(f"/conversion/audit?account_no={cw.account_no}")
    assert denied.status_code == 404
    assert client.get(f"/conversion/apply?account_no={cw.account_no}").status_code == 404


def test_preference_on_the_apply_page(client: TestClient, world: World) -> None:
    """The category cap (专业核心 6) takes H01 (4) or H02 (3.5), not both: by default the 4 credits;
    a learner who prefers H02 gets it, and the page says why H01 is left out, in Chinese and English."""
    cw = build(world)
    _signin(client, "liming")
    assert 'data-testid="preference"' in client.get("/conversion/apply").text
    form = {
        "account_no": cw.account_no,
        "outcome_ids": [str(cw.certificate.id), str(cw.db_course.id)],
        "target_courses": ["H01", "H02"],
        "preferred_courses": ["H02", "", ""],
    }
    pre = client.post("/conversion/apply", data={**form, "action": "precheck"})
    assert pre.status_code == 200
    assert "本次不能免修：超出专业核心类免修学分上限：剩余 2.5 学分，本课程 4 学分" in pre.text
    assert '<option value="H02" selected>' in pre.text
    english = client.post("/conversion/apply?lang=en", data={**form, "action": "precheck"})
    assert (
        "over the cap for professional core courses: 2.5 credits left, this course has 4 credits"
        in english.text
    )
    client.get("/conversion/apply?lang=zh")  # back to Chinese
    bad = client.post("/conversion/apply", data={**form, "preferred_courses": ["E01"], "action": "precheck"})
    assert bad.status_code == 422 and "优先免修的课程须是申请免修的课程" in bad.text
    done = client.post("/conversion/apply", data={**form, "action": "submit"}, follow_redirects=False)
    url = str(done.headers["location"])
    assert "优先免修：H02" in client.get(url).text
    _signin(client, "school_staff")
    client.post(url + "/transitions", data={"to": "under_review"})
    client.post(url + "/transitions", data={"to": "approved"})
    page = client.get(url).text
    approved = page.split("已批准的免修", 1)[1].split("</ul>", 1)[0]
    assert approved.count("<li>") == 1 and "· 3.5 学分" in approved and "· 4 学分" not in approved  # H02, not H01
