"""Issue 9 over HTTP (TestClient, SQLite and PostgreSQL): one navigation per role whose links all
answer, the landing page, names instead of ids, 北京时间, English explanations, look-up by ID number in
a POST body, filters, exports (masked, neutralised), outcome correction/revocation, import history,
credential status only where allowed, errors with a way back."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

from fastapi.testclient import TestClient

from tests.conftest import token_for
from tests.conversion_world import build
from tests.factories import PASSWORD, World, national_id
from zhijiao.domain.creditbank.model import OutcomeDraft, OutcomeKind
from zhijiao.services.creditbank import outcomes
from zhijiao.web.pages import NAV

ROLE_USERS = {
    "learner": "liming", "institution_staff": "school_staff", "certifier": "certifier",
    "province_admin": "gd_admin", "national_admin": "national",
}  # fmt: skip


def _signin(client: TestClient, username: str) -> None:
    client.cookies.clear()
    r = client.post("/signin", data={"username": username, "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303


def _nav(html: str) -> list[tuple[str, str]]:
    m = re.search(r'data-testid="nav">(.*?)</nav>', html, re.S)
    assert m
    return re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', m.group(1))


def test_every_role_gets_its_links_and_none_answers_403(client: TestClient, world: World) -> None:
    build(world)
    expected = {
        "liming": ["我的账号", "我的凭证", "人才培养方案", "学分兑换申请", "毕业审核"],
        "school_staff": ["本校学习者", "颁发记录", "导入", "人才培养方案", "审核队列", "毕业审核", "凭证", "质量监测", "招生录取"],
        "certifier": ["已颁发", "导入", "凭证"],
        "gd_admin": ["省级概况", "学习者", "导入", "人才培养方案", "审核队列", "毕业审核", "凭证", "质量监测", "招生录取"],
    }  # fmt: skip
    for role, username in ROLE_USERS.items():
        _signin(client, username)
        home = client.get("/")
        assert home.status_code == 200
        links = _nav(home.text)
        if username in expected:
            assert [label for _, label in links] == expected[username], username
        assert links == [(n.href.replace("&", "&amp;"), n.label) for n in NAV if role in n.roles]
        for href, _label in links:
            r = client.get(href.replace("&amp;", "&"))
            assert r.status_code == 200, (username, href, r.status_code)
            assert _nav(r.text) == links, f"{href}: every page has the same navigation"
            assert 'aria-current="page"' in r.text, (username, href)
    _signin(client, "national")
    assert "省级概况" not in client.get("/province").text


def test_landing_page_and_verification_by_link(client: TestClient, world: World) -> None:
    page = client.get("/")
    assert page.status_code == 200 and 'action="/verify"' in page.text and 'href="/signin"' in page.text
    bad = client.post("/verify", data={"link": "https://example.org/nothing"})
    assert bad.status_code == 200 and "未能识别该链接或凭证编号" in bad.text
    cid = "0b6c5f0e-1d2a-4c3b-9e8f-7a6b5c4d3e2f"
    link = client.post(
        "/verify", data={"link": f" http://127.0.0.1:8000/verify/{cid} "}, follow_redirects=False
    )
    assert link.status_code == 303 and link.headers["location"] == f"/verify/{cid}"
    assert "Employers" in client.get("/?lang=en").text
    client.get("/plans?lang=zh")
    _signin(client, "liming")
    assert client.get("/", follow_redirects=False).headers["location"] == "/me"


def test_staff_apply_with_an_account_field_and_names_in_the_queue(client: TestClient, world: World) -> None:
    cw = build(world)
    _signin(client, "school_staff")
    form = client.get("/conversion/apply")
    assert form.status_code == 200 and 'name="account_no"' in form.text  # no 422 “请填写学习账号”
    filled = client.get(f"/conversion/apply?account_no={cw.account_no}")
    assert filled.status_code == 200 and "Web前端开发职业技能等级证书（中级）" in filled.text
    data = {"account_no": cw.account_no, "outcome_ids": [str(cw.certificate.id)], "target_courses": ["H01"]}
    pre = client.post("/conversion/apply", data={**data, "action": "precheck"})
    assert "工业和信息化部教育与考试中心" in pre.text or "发证机构" not in pre.text  # names, not ids
    assert not re.search(r"发证机构 \d+ 属于", pre.text)
    english = client.post("/conversion/apply?lang=en", data={**data, "action": "precheck"})
    assert "certificate level" in english.text and "required" in english.text and "满足" not in english.text
    client.get("/plans?lang=zh")  # back to Chinese (the choice is remembered in a cookie)
    done = client.post("/conversion/apply", data={**data, "action": "submit"}, follow_redirects=False)
    url = done.headers["location"]
    app = client.get(url).text
    assert "李明" in app and "Web前端开发职业技能等级证书（中级）" in app  # learner, cited outcome by title
    assert "提交时间（北京时间）" in app and "院校工作人员" in app and "institution_staff:" not in app
    queue = client.get("/conversion/applications?sort=-learner")
    assert queue.status_code == 200 and "李明" in queue.text and "提交时间（北京时间）" in queue.text
    assert '<select name="plan">' in queue.text and str(cw.key) in queue.text
    exported = client.get("/conversion/applications?format=csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][1] == "提交时间（北京时间）" and rows[1][3] == "李明"


def test_approving_an_ineligible_application_ends_with_the_reason_and_a_way_back(
    client: TestClient, world: World
) -> None:
    cw = build(world)
    _signin(client, "liming")
    data = {"account_no": cw.account_no, "outcome_ids": [str(cw.certificate.id)], "target_courses": ["H01"],
            "action": "submit"}  # fmt: skip
    url = client.post("/conversion/apply", data=data, follow_redirects=False).headers["location"]
    _signin(client, "school_staff")
    client.post(url + "/transitions", data={"to": "under_review"})
    assert cw.certificate.id is not None
    outcomes.revoke_outcome(world.platform.uow(), world.p("certifier"), cw.certificate.id, "证书作废")
    refused = client.post(url + "/transitions", data={"to": "approved"})
    assert refused.status_code in (409, 422), refused.status_code
    assert 'data-testid="error"' in refused.text and f'href="{url}"' in refused.text


def test_find_a_learner_by_id_number_in_a_post_body(client: TestClient, world: World) -> None:
    _signin(client, "school_staff")
    no = world.learner_account.account_no
    found = client.post("/learners/find", data={"q": national_id(1)}, follow_redirects=False)
    assert found.status_code == 303 and found.headers["location"] == f"/accounts/{no}"
    assert national_id(1) not in found.headers["location"]
    by_no = client.post("/learners/find", data={"q": f" {no} "}, follow_redirects=False)
    assert by_no.headers["location"] == f"/accounts/{no}"
    unknown = client.post("/learners/find", data={"q": national_id(77)})
    _signin(client, "far_staff")  # out of scope answers exactly like unknown
    outside = client.post("/learners/find", data={"q": national_id(1)})
    assert unknown.status_code == outside.status_code == 404
    assert "没有找到该学习者" in outside.text


def test_roster_filters_school_column_and_masked_neutralised_exports(
    client: TestClient, world: World
) -> None:
    outcomes.record_outcome(
        world.platform.uow(), world.p("school_staff"), world.learner_account.account_no,
        OutcomeDraft(OutcomeKind.course, "=HYPERLINK(\"http://x\")", world.school.id or 0, date(2024, 6, 1)),
    )  # fmt: skip
    _signin(client, "gd_admin")
    page = client.get("/institution")
    assert (
        "学校" in page.text and "广州番禺职业技术学院" in page.text and 'name="institution_id"' in page.text
    )
    social = client.get("/institution?learner_type=adult")
    assert "李明" not in social.text
    students = client.get(f"/institution?learner_type={world.learner_account.learner_type.value}")
    assert "李明" in students.text
    assert "李明" not in client.get("/institution?year=1999").text
    blank = client.get("/institution?institution_id=&q=&learner_type=&year=")  # the form as sent
    assert blank.status_code == 200 and "李明" in blank.text
    one = client.get(f"/institution?institution_id={world.school.id}")
    assert "李明" in one.text
    xlsx = client.get("/institution?format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    text = client.get("/institution?format=csv").content.decode("utf-8-sig")
    assert "李明" in text and national_id(1) not in text and "4401**********" in text
    _signin(client, "school_staff")
    issued = client.get("/institution?view=issued&format=csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in issued and national_id(1) not in issued


def test_correct_and_revoke_an_outcome_with_the_reason_required(client: TestClient, world: World) -> None:
    o = outcomes.record_outcome(
        world.platform.uow(), world.p("school_staff"), world.learner_account.account_no,
        OutcomeDraft(OutcomeKind.course, "网页设计", world.school.id or 0, date(2024, 6, 1)),
    )  # fmt: skip
    _signin(client, "school_staff")
    form = client.get(f"/outcomes/{o.id}/correct")
    assert form.status_code == 200 and "网页设计" in form.text
    fields = {"title": "网页设计基础", "code": "", "obtained_on": "2024-06-01", "hours": "", "credits": "",
              "score": "", "grade": "", "level": ""}  # fmt: skip
    missing = client.post(f"/outcomes/{o.id}/correct", data={**fields, "reason": " "})
    assert (
        missing.status_code == 422 and "请填写原因" in missing.text and 'aria-invalid="true"' in missing.text
    )
    done = client.post(
        f"/outcomes/{o.id}/correct", data={**fields, "reason": "课程名称录错"}, follow_redirects=False
    )
    assert done.status_code == 303
    account = client.get(done.headers["location"]).text
    assert "网页设计基础" in account and "课程名称录错" in account
    _signin(client, "far_staff")
    assert client.get(f"/outcomes/{o.id}/revoke").status_code == 404
    assert client.post(f"/outcomes/{o.id}/revoke", data={"reason": "x"}).status_code == 404
    _signin(client, "school_staff")
    assert client.post(f"/outcomes/{o.id}/revoke", data={"reason": ""}).status_code == 422
    revoked = client.post(f"/outcomes/{o.id}/revoke", data={"reason": "重复录入"}, follow_redirects=False)
    assert revoked.status_code == 303 and "学习成果已撤销" in client.get(revoked.headers["location"]).text


def test_import_history_records_refused_and_imported_runs(client: TestClient, world: World) -> None:
    _signin(client, "school_staff")
    header = "身份证号,姓名,成果类型,成果名称,成果代码,颁发机构,学时,学分,成绩,等级,获得日期\n"
    good = header + f"{national_id(31)},周杰,课程,电工基础,,广州番禺职业技术学院,32,,80,,2024-06-30\n"
    bad = header + f"{national_id(32)},吴敏,课程,电工基础,,不存在的学校,32,,80,,2024-06-30\n"
    client.post("/institution/import", files={"file": ("坏文件.csv", bad.encode("utf-8"))})
    client.post("/institution/import", files={"file": ("好文件.csv", good.encode("utf-8"))})
    history = client.get("/imports")
    assert history.status_code == 200 and "坏文件.csv" in history.text and "好文件.csv" in history.text
    assert "未导入" in history.text and "成功" in history.text and "导入时间（北京时间）" in history.text
    run_id = re.findall(r'href="/imports/(\d+)"', history.text)[-1]  # the older one: refused
    detail = client.get(f"/imports/{run_id}").text
    assert "坏文件.csv" in detail and "颁发机构" in detail and "不存在的学校" not in detail
    _signin(client, "other_staff")
    assert client.get(f"/imports/{run_id}").status_code == 404
    assert "坏文件.csv" not in client.get("/imports").text
    _signin(client, "liming")
    assert client.get("/imports").status_code == 403


def test_staff_see_status_changes_only_where_they_may_make_them(client: TestClient, world: World) -> None:
    staff = token_for(client, "school_staff")
    body = {"kind": "competition_award", "title": "技能大赛一等奖", "issuer_id": world.school.id,
            "obtained_on": "2024-05-01", "credits": 2}  # fmt: skip
    no = world.learner_account.account_no
    oid = client.post(f"/api/v1/accounts/{no}/outcomes", json=body, headers=staff).json()["id"]
    award = client.post(f"/api/v1/outcomes/{oid}/credential", headers=staff).json()["id"]
    _signin(client, "liming")
    client.post("/me/credentials/transcript", data={"account_no": no, "outcome_ids": [str(oid)]})
    _signin(client, "school_staff")
    page = client.get(f"/credentials?account={no}")
    assert page.status_code == 200 and "<h1>凭证" in page.text and "我的凭证" not in page.text
    links = re.findall(r'href="/credentials/([^/]+)/status"', page.text)
    assert links == [award]  # the transcript is the platform's: not the school's to change
    transcript = next(c for c in re.findall(r'href="/verify/([^"]+)"', page.text) if c != award)
    assert client.get(f"/credentials/{transcript}/status").status_code == 404
    assert (
        client.post(f"/credentials/{transcript}/status", data={"action": "revoke", "reason": "x"}).status_code
        == 404
    )
    assert client.get(f"/me/credentials?account={no}", follow_redirects=False).headers["location"] == (
        f"/credentials?account={no}"
    )
