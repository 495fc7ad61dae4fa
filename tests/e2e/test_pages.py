"""The credit-bank pages over HTTP: who may open which page, masked identity numbers, English."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.e2e.conftest import SignIn
from tests.e2e.page_world import LEARNER_ID, PageWorld
from tests.factories import national_id
from zhijiao.domain.identity import IdType
from zhijiao.services.creditbank import accounts


def text_of(html: str, testid: str) -> str:
    """The visible text of the element marked data-testid=..., spaces collapsed."""
    m = re.search(rf'data-testid="{testid}"[^>]*>(.*?)</(?:ul|table|dd)>', html, re.S)
    assert m, f"no element {testid}"
    return " ".join(re.sub(r"<[^>]+>", " ", m.group(1)).split())


def assert_html_error(r: object, status: int, message: str) -> None:
    assert r.status_code == status  # type: ignore[attr-defined]
    assert r.headers["content-type"].startswith("text/html")  # type: ignore[attr-defined]
    assert message in r.text  # type: ignore[attr-defined]


def test_anonymous_visitors_are_sent_to_sign_in(client: TestClient, pw: PageWorld) -> None:
    for path in ("/me", f"/accounts/{pw.world.learner_account.account_no}", "/institution", "/province"):
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303
        assert r.headers["location"] == f"/signin?next={path}"


def test_learner_sees_own_account_and_transcript(client: TestClient, pw: PageWorld, sign_in: SignIn) -> None:
    sign_in("liming")
    r = client.get("/me")
    assert r.status_code == 200
    html = r.text
    no = pw.world.learner_account.account_no
    assert text_of(html, "account-no") == no
    assert "李明" in html and "4401**********0013" in html and "在校学生" in html
    assert "广州番禺职业技术学院" in html
    # 4.5 (72 h course) + 3 (48 h course) + 6 (intermediate 1+X); the revoked 2-credit course counts for nothing
    assert text_of(html, "totals") == "13.5 学分 120 学时 3 项成果"
    transcript = text_of(html, "transcript")
    assert "Python程序设计" in transcript and "优" in transcript and "中级" in transcript
    assert '<tr class="revoked">' in html and "<s>误录课程</s>" in html and "已撤销" in transcript
    assert f'href="/accounts/{no}/transcript.pdf"' in html
    assert "录入错误" in text_of(html, "ledger")  # the revocation's reason, in the ledger
    assert LEARNER_ID not in html

    assert client.get(f"/accounts/{no}").status_code == 200


def test_learner_cannot_open_another_account_or_staff_pages(
    client: TestClient, pw: PageWorld, sign_in: SignIn
) -> None:
    sign_in("liming")
    for no in (pw.classmate.account_no, pw.far_learner.account_no, "4400000009999", "not-a-number"):
        r = client.get(f"/accounts/{no}")
        assert_html_error(r, 404, "学习账号不存在或无权查看")
        assert "王芳" not in r.text and "赵强" not in r.text
    assert_html_error(client.get("/institution"), 403, "当前角色无权执行此操作")
    assert_html_error(client.get("/province"), 403, "当前角色无权执行此操作")


def test_school_staff_search_their_own_learners(client: TestClient, pw: PageWorld, sign_in: SignIn) -> None:
    sign_in("school_staff")
    html = client.get("/institution").text
    learners = text_of(html, "learners")
    assert "李明" in learners and "王芳" in learners and "陈静" not in learners
    assert f'href="/accounts/{pw.classmate.account_no}"' in html
    assert 'href="/institution/import"' in html
    found = text_of(client.get("/institution", params={"q": "王"}).text, "learners")
    assert "王芳" in found and "李明" not in found
    assert "没有找到学习者" in client.get("/institution", params={"q": "张"}).text

    page = client.get(f"/accounts/{pw.classmate.account_no}")
    assert page.status_code == 200 and "王芳" in page.text and 'data-testid="ledger"' in page.text
    assert_html_error(
        client.get(f"/accounts/{pw.other_school_learner.account_no}"), 404, "学习账号不存在或无权查看"
    )
    assert_html_error(
        client.get("/institution", params={"institution_id": pw.world.other_school.id}),
        404,
        "机构不存在或无权查看",
    )
    assert_html_error(client.get("/province"), 403, "当前角色无权执行此操作")


def test_the_roster_pages(client: TestClient, pw: PageWorld, sign_in: SignIn) -> None:
    w = pw.world
    for n in range(21):
        accounts.open_account(
            w.platform.uow(), w.p("school_staff"), name=f"张{n:02d}", id_type=IdType.national_id,
            id_number=national_id(100 + n), institution_id=w.school.id,
        )  # fmt: skip
    sign_in("school_staff")
    first = client.get("/institution", params={"q": "张"}).text
    assert "共 21 人" in first and "第 1 页，共 2 页" in first
    assert first.count('<td data-label="学习账号"') == 20
    assert 'name="page" type="number"' in first  # the pager can jump
    second = client.get("/institution", params={"q": "张", "page": 2}).text
    assert "张20" in second and "张00" not in second and 'rel="prev"' in second
    assert_html_error(client.get("/institution", params={"page": 0}), 400, "网址中的参数不正确")


def test_certifier_sees_what_it_issued_and_only_that(
    client: TestClient, pw: PageWorld, sign_in: SignIn
) -> None:
    sign_in("certifier")
    html = client.get("/institution").text
    issued = text_of(html, "issued")
    assert "Web前端开发" in issued and "李明" in issued and "4401**********0013" in issued
    assert "Python程序设计" not in issued
    page = client.get(f"/accounts/{pw.world.learner_account.account_no}").text
    assert "仅显示本机构颁发的学习成果" in page
    assert "Web前端开发" in page and "Python程序设计" not in page and 'data-testid="ledger"' not in page
    assert_html_error(client.get(f"/accounts/{pw.classmate.account_no}"), 404, "学习账号不存在或无权查看")


def test_province_admin_sees_own_province_only(client: TestClient, pw: PageWorld, sign_in: SignIn) -> None:
    sign_in("gd_admin")
    html = client.get("/province").text
    assert "广东省 · 学分银行概况" in html
    # 李明, 王芳, 陈静; three active outcomes of 广东 learners (the revoked one and 湖南's are not counted)
    assert text_of(html, "overview-totals") == "3 名学习者 3 项成果 13.5 学分 120 学时"
    assert (
        text_of(html, "by-institution-kind")
        == "按机构类型 类型 机构数 学习者数 颁发成果 高职专科 2 3 2 企业 1 0 0"
    )
    assert text_of(html, "by-outcome-kind") == "按成果类型 类型 成果数 学分 课程 2 7.5 职业技能等级证书 1 6"
    assert text_of(html, "by-year") == "按年度 年度 成果数 学分 2023 1 4.5 2024 2 9"
    assert "广州番禺职业技术学院 高职专科 2 2 7.5" in text_of(html, "top-institutions")
    assert "湖南" not in html and '<select id="province"' not in html

    assert_html_error(client.get("/province", params={"province": "43"}), 403, "省级管理员只能查看本省概况")
    assert_html_error(
        client.get("/institution", params={"institution_id": pw.world.far_school.id}),
        404,
        "机构不存在或无权查看",
    )
    assert_html_error(client.get(f"/accounts/{pw.far_learner.account_no}"), 404, "学习账号不存在或无权查看")
    roster = text_of(client.get("/institution").text, "learners")
    assert "陈静" in roster and "赵强" not in roster
    assert client.get(f"/accounts/{pw.other_school_learner.account_no}").status_code == 200


def test_national_admin_chooses_a_province(client: TestClient, pw: PageWorld, sign_in: SignIn) -> None:
    sign_in("national")
    everything = client.get("/province").text
    assert "全国 · 学分银行概况" in everything
    assert text_of(everything, "overview-totals") == "4 名学习者 4 项成果 14.5 学分 136 学时"
    hunan = client.get("/province", params={"province": "43"}).text
    assert text_of(hunan, "overview-totals") == "1 名学习者 1 项成果 1 学分 16 学时"
    assert "湖南铁道职业技术学院" in text_of(hunan, "top-institutions")
    assert '<option value="43" selected>' in hunan
    assert_html_error(client.get("/province", params={"province": "99"}), 404, "省份不存在")
    roster = client.get("/institution", params={"institution_id": pw.world.far_school.id}).text
    assert "湖南铁道职业技术学院" in roster and "赵强" in text_of(roster, "learners")


def test_no_page_shows_a_full_identity_number(client: TestClient, pw: PageWorld, sign_in: SignIn) -> None:
    w = pw.world
    full_numbers = [LEARNER_ID, national_id(7), national_id(8, "440105"), national_id(9, "430211")]
    accounts_ = [w.learner_account, pw.classmate, pw.other_school_learner, pw.far_learner]
    pages = {
        "liming": ["/me", f"/accounts/{w.learner_account.account_no}"],
        "school_staff": ["/institution", "/institution?view=issued"]
        + [f"/accounts/{a.account_no}" for a in accounts_],
        "certifier": ["/institution", f"/accounts/{w.learner_account.account_no}"],
        "national": ["/province", "/institution"] + [f"/accounts/{a.account_no}" for a in accounts_],
    }
    shown = 0
    for user, paths in pages.items():
        sign_in(user)
        for path in paths:
            html = client.get(path).text
            shown += sum(a.id_masked in html for a in accounts_)
            for number in full_numbers:
                assert number not in html, (user, path)
    assert shown >= 10  # the masked numbers are there, so the pages did show the learners


def test_english_is_one_click_away_and_remembered(client: TestClient, pw: PageWorld, sign_in: SignIn) -> None:
    sign_in("liming")
    r = client.get("/me", params={"lang": "en"})
    assert r.cookies.get("zhijiao_lang") == "en"
    html = r.text
    assert '<html lang="en">' in html
    assert text_of(html, "totals") == "13.5 credits 120 hours 3 outcomes"
    assert "Transcript" in html and "Vocational skill level certificate (1+X)" in html and "Revoked" in html
    assert "Download transcript (PDF)" in html and "Enrolled student" in html
    assert "学分积累" not in html and "成果类型" not in html
    again = client.get("/me").text  # the cookie remembers the choice
    assert "Accumulated credits" in again
    assert 'href="http://testserver/me?lang=zh"' in again
    denied = client.get(f"/accounts/{pw.classmate.account_no}")
    assert_html_error(denied, 404, "The learning account does not exist or you may not see it")
    assert "学分积累" in client.get("/me", params={"lang": "zh"}).text


def test_unknown_pages_are_html_and_the_api_stays_json(client: TestClient, pw: PageWorld) -> None:
    assert_html_error(client.get("/no-such-page"), 404, "页面不存在")
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.headers["content-type"].startswith("application/problem+json")
