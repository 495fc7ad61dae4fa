"""The credential pages with TestClient: public verification (paste, upload, QR link), a learner's
transcript selection and downloads, and the staff status form with its denials."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import token_for
from tests.factories import PASSWORD, World


def _signin(client: TestClient, username: str) -> None:
    r = client.post("/signin", data={"username": username, "password": PASSWORD}, follow_redirects=False)
    assert r.status_code == 303


def _issue(client: TestClient, world: World, title: str) -> tuple[int, str]:
    staff = token_for(client, "school_staff")
    body = {
        "kind": "competition_award",
        "title": title,
        "issuer_id": world.school.id,
        "obtained_on": "2024-05-01",
        "credits": 2,
    }
    outcome_id = client.post(
        f"/api/v1/accounts/{world.learner_account.account_no}/outcomes", json=body, headers=staff
    ).json()["id"]
    issued = client.post(f"/api/v1/outcomes/{outcome_id}/credential", headers=staff).json()
    return outcome_id, issued["id"]


def test_public_verify_page(client: TestClient, world: World) -> None:
    _, cid = _issue(client, world, "全国职业院校技能大赛一等奖")
    jws = client.get(f"/api/v1/credentials/{cid}?format=jws", headers=token_for(client, "school_staff")).text
    page = client.get("/verify")
    assert page.status_code == 200 and "粘贴凭证" in page.text
    pasted = client.post("/verify", data={"credential": jws})
    assert pasted.status_code == 200 and "结论：凭证有效" in pasted.text and "发证机构已登记" in pasted.text
    uploaded = client.post("/verify", files={"file": ("c.jwt", jws.encode())}, data={"credential": ""})
    assert "结论：凭证有效" in uploaded.text
    garbage = client.post("/verify", data={"credential": "{oops"})
    assert garbage.status_code == 200 and "凭证格式错误" in garbage.text
    qr = client.get(f"/verify/{cid}")
    assert qr.status_code == 200 and "全国职业院校技能大赛一等奖" in qr.text and "凭证有效" in qr.text
    assert client.get("/verify/00000000-0000-0000-0000-000000000000").status_code == 404
    english = client.get(f"/verify/{cid}?lang=en")
    assert "The credential is valid" in english.text


def test_learner_page_transcript_selection_and_staff_form(client: TestClient, world: World) -> None:
    first, _ = _issue(client, world, "甲奖")
    _, cid = _issue(client, world, "乙奖")
    _signin(client, "liming")
    page = client.get("/me/credentials")
    assert page.status_code == 200 and "甲奖" in page.text
    r = client.post(
        "/me/credentials/transcript",
        data={"account_no": world.learner_account.account_no, "outcome_ids": [str(first)]},
        follow_redirects=False,
    )
    assert r.status_code == 303
    listed = client.get(
        f"/api/v1/accounts/{world.learner_account.account_no}/credentials",
        headers=token_for(client, "liming"),
    ).json()
    transcript = next(c for c in listed if c["kind"] == "transcript")
    assert transcript["selection"] == [first]
    assert client.get(f"/credentials/{cid}/download?format=json").json()["id"] == f"urn:uuid:{cid}"
    denied = client.post(f"/credentials/{cid}/status", data={"action": "revoke", "reason": "x"})
    assert denied.status_code == 403 and "不能撤销" in denied.text
    client.cookies.clear()
    _signin(client, "school_staff")
    done = client.post(f"/credentials/{cid}/status", data={"action": "suspend", "reason": "复核"})
    assert done.status_code == 200 and "已暂停" in done.text
    assert "凭证已被暂停" in client.get(f"/verify/{cid}").text
