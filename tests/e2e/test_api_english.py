"""problem+json in the caller's language: Chinese by default, English when Accept-Language prefers it
(issue 9, “English complete”). Real error paths of each pillar, on SQLite and PostgreSQL; the English
has no Chinese characters, the machine `type` and the status are the same in both languages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import token_for
from tests.e2e.test_api_admissions import _upload
from tests.factories import World
from zhijiao.api.problems import negotiate

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]")
EN = {"Accept-Language": "en-US,en;q=0.9"}


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        (None, "zh"), ("", "zh"), ("en", "en"), ("en-US", "en"), ("en;q=0.9,zh;q=0.5", "en"),
        ("zh-CN,en;q=0.5", "zh"), ("zh-CN", "zh"), ("fr, de", "zh"), ("fr,en;q=0.3", "en"),
        ("zh;q=0.4,en;q=0.8", "en"), ("en;q=0,zh;q=0.1", "zh"), ("en;q=bad", "zh"), ("EN-gb", "en"),
        ("zh,en", "zh"), ("en,zh", "en"), ("*", "zh"),
    ],
)  # fmt: skip
def test_negotiation(header: str | None, lang: str) -> None:
    assert negotiate(header) == lang


def _texts(body: dict[str, Any]) -> list[str]:
    out = [body["title"], body.get("detail") or ""]
    out += [e["message"] for e in body.get("errors", []) + body.get("problems", [])]
    return out


def _both(client: TestClient, method: str, url: str, **kw: Any) -> tuple[Any, Any]:
    """The same request in Chinese (no header) and in English; both problem+json, same type and status."""
    headers = kw.pop("headers", {})
    zh = client.request(method, url, headers=headers, **kw)
    en = client.request(method, url, headers={**headers, **EN}, **kw)
    for r, lang in ((zh, "zh-CN"), (en, "en")):
        assert r.headers["content-type"].startswith("application/problem+json"), r.text
        assert r.headers["content-language"] == lang
        assert "accept-language" in r.headers["vary"].lower()
    assert zh.status_code == en.status_code
    assert zh.json()["type"] == en.json()["type"]
    assert any(CJK.search(t) for t in _texts(zh.json())), zh.json()  # the default stays Chinese
    for text in _texts(en.json()):  # data (an institution's name) is quoted and stays as it is
        assert not CJK.search(re.sub(r"“[^”]*”", "", text)), en.json()
    return zh, en


def test_credit_bank_errors_in_english(client: TestClient, world: World) -> None:
    staff = token_for(client, "school_staff")
    # 401: no token
    zh, en = _both(client, "GET", "/api/v1/me")
    assert zh.status_code == 401 and en.json()["title"] == "Not signed in, or the sign-in has expired"
    assert en.headers["www-authenticate"] == "Bearer"
    # 422 from a DomainError (the ID number's check digit)
    body = {"name": "赵六", "id_number": "440103200405061230", "institution_id": world.school.id}
    zh, en = _both(client, "POST", "/api/v1/accounts", json=body, headers=staff)
    assert (
        zh.json()["title"] == "身份证号校验码错误"
        and en.json()["title"] == "The ID number's check digit is wrong"
    )
    # 422 request validation: every field's message
    zh, en = _both(client, "POST", "/api/v1/accounts", json={"name": 5, "institution_id": "x"}, headers=staff)
    assert {e["field"]: e["message"] for e in en.json()["errors"]} == {
        "name": "should be text", "id_number": "required", "institution_id": "should be a whole number"
    }  # fmt: skip
    zh, en = _both(client, "GET", "/api/v1/exports/outcomes?format=pdf", headers=staff)
    assert en.json()["errors"] == [{"field": "query.format", "message": "should be one of 'csv' or 'xlsx'"}]
    # 403: a school recording in a certifier's name
    no = world.learner_account.account_no
    body = {"kind": "skill_certificate", "title": "Web", "issuer_id": world.certifier.id,
            "obtained_on": "2024-06-30", "level": 2}  # fmt: skip
    zh, en = _both(client, "POST", f"/api/v1/accounts/{no}/outcomes", json=body, headers=staff)
    assert zh.status_code == 403
    # 404 out of scope: a certifier and another school's account
    zh, en = _both(client, "GET", f"/api/v1/accounts/{no}/transcript", headers=token_for(client, "certifier"))
    assert zh.status_code == 404
    # 405 and an unknown path
    zh, en = _both(client, "DELETE", "/api/v1/me", headers=staff)
    assert zh.status_code == 405 and en.json()["title"] == "Method not allowed"
    zh, en = _both(client, "GET", "/api/v1/no-such-thing", headers=staff)
    assert zh.status_code == 404 and en.json()["title"] == "Not found"


def test_quality_errors_in_english(client: TestClient, world: World) -> None:
    code = world.school.moe_code
    path = f"/api/v1/quality/schools/{code}/indicators?year=2024"
    zh, en = _both(client, "GET", path, headers=token_for(client, "far_staff"))  # out of scope: 404
    assert zh.status_code == 404 and code in en.json()["title"]
    zh, en = _both(client, "GET", "/api/v1/quality/cards", params={"year": 2024, "province": "44"},
                   headers=token_for(client, "hn_admin"))  # fmt: skip
    assert zh.status_code == 403
    zh, en = _both(client, "GET", path.replace("2024", "1800"), headers=token_for(client, "school_staff"))
    assert zh.status_code == 422


def test_admissions_errors_in_english(client: TestClient, world: World) -> None:
    rid = _upload(client, world, "gd_admin").json()["id"]  # type: ignore[attr-defined]
    zh, en = _both(client, "GET", f"/api/v1/admissions/runs/{rid}", headers=token_for(client, "hn_admin"))
    assert zh.status_code == 404 and en.json()["title"] == "Admission run not found, or you may not see it"
    zh, en = _both(client, "GET", f"/api/v1/admissions/runs/{rid}/results?result=x",
                   headers=token_for(client, "gd_admin"))  # fmt: skip
    assert zh.status_code == 422
    url = f"/api/v1/admissions/runs/{rid}/rejections"
    staff = token_for(client, "school_staff")
    assert (
        client.post(url, json={"candidate_no": "K001", "reason": "体检不合格"}, headers=staff).status_code
        == 200
    )
    zh, en = _both(client, "POST", url, json={"candidate_no": "K001", "reason": "again"}, headers=staff)
    assert en.json()["title"] == "Candidate K001 is “rejected”; only admitted candidates can be rejected"
    zh, en = _both(client, "POST", url, json={"candidate_no": "K001", "reason": "x" * 300}, headers=staff)
    assert zh.status_code == 422 and en.json()["errors"][0]["message"] == "at most 200 characters"
    zh, en = _both(client, "POST", "/api/v1/admissions/lookup", json={"candidate_no": "K999", "name": "x"})
    assert zh.status_code == 404
    # a file with problems: every line in English
    files = {
        "policy": ("P.yaml", b"name: x\n"),
        "programmes": ("G.csv", b"a\n"),
        "candidates": ("C.csv", b"b\n"),
    }
    zh, en = _both(
        client, "POST", "/api/v1/admissions/runs", files=files, headers=token_for(client, "gd_admin")
    )
    assert zh.status_code == 422 and "\n" in en.json()["title"]


def test_an_import_with_problems_in_english(client: TestClient, world: World) -> None:
    from tests.spreadsheets import csv_bytes, outcome_row

    data = csv_bytes([outcome_row(world, 1, 学时="-1"), outcome_row(world, 2), outcome_row(world, 2)])
    files = {"file": ("bad.csv", data, "text/csv")}
    zh, en = _both(
        client, "POST", "/api/v1/imports/outcomes", files=files, headers=token_for(client, "school_staff")
    )
    assert zh.status_code == 422 and en.json()["detail"].endswith("problems")
    assert "Hours must not be negative" in [p["message"] for p in en.json()["problems"]]
