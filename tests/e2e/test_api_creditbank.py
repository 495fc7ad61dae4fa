"""The credit-bank API over HTTP: grants, denials, problem+json, and personal data kept out."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import token_for
from tests.factories import World, national_id


def test_openapi_and_docs_are_served_without_a_cdn(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/v1/accounts/{account_no}/transcript" in spec["paths"]
    docs = client.get("/docs").text
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs
    assert "cdn" not in docs.lower()
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_every_api_call_needs_a_token(client: TestClient, world: World) -> None:
    r = client.get(f"/api/v1/accounts/{world.learner_account.account_no}")
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["title"] == "未登录或登录已过期"
    forged = {"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.x"}
    assert client.get("/api/v1/me", headers=forged).status_code == 401


def test_wrong_password_is_a_problem(client: TestClient, world: World) -> None:
    r = client.post("/api/v1/auth/token", data={"username": "national", "password": "nope-nope"})
    assert r.status_code == 401
    assert r.json()["title"] == "用户名或密码错误"


def test_learner_sees_own_transcript_only(client: TestClient, world: World) -> None:
    h = token_for(client, "liming")
    me = client.get("/api/v1/me", headers=h).json()
    assert me["account_no"] == world.learner_account.account_no
    r = client.get(f"/api/v1/accounts/{me['account_no']}/transcript", headers=h)
    assert r.status_code == 200
    other = client.post(
        "/api/v1/accounts",
        json={"name": "王芳", "id_number": national_id(7), "institution_id": world.school.id},
        headers=token_for(client, "school_staff"),
    )
    assert other.status_code == 201, other.text
    denied = client.get(f"/api/v1/accounts/{other.json()['account_no']}/transcript", headers=h)
    assert denied.status_code == 404
    assert denied.headers["content-type"].startswith("application/problem+json")


def test_recording_an_outcome_computes_credits_and_writes_the_ledger(
    client: TestClient, world: World
) -> None:
    staff = token_for(client, "school_staff")
    no = world.learner_account.account_no
    body = {
        "kind": "course",
        "title": "Python程序设计",
        "issuer_id": world.school.id,
        "obtained_on": "2024-06-30",
        "hours": 72,
        "score": 88,
    }
    r = client.post(f"/api/v1/accounts/{no}/outcomes", json=body, headers=staff)
    assert r.status_code == 201, r.text
    assert r.json()["credits"] == "4.5"  # 72 h / 16 h per credit, in 0.5 steps
    assert r.json()["framework_level"] == 5
    again = client.post(f"/api/v1/accounts/{no}/outcomes", json=body, headers=staff)
    assert again.status_code == 409
    ledger = client.get(f"/api/v1/accounts/{no}/ledger", headers=staff).json()
    assert [e["action"] for e in ledger] == ["open", "record"]
    assert ledger[1]["prev_hash"] == ledger[0]["hash"]


def test_a_school_cannot_record_in_another_issuers_name(client: TestClient, world: World) -> None:
    no = world.learner_account.account_no
    body = {
        "kind": "skill_certificate",
        "title": "Web前端开发",
        "issuer_id": world.certifier.id,
        "obtained_on": "2024-06-30",
        "level": 2,
    }
    r = client.post(f"/api/v1/accounts/{no}/outcomes", json=body, headers=token_for(client, "school_staff"))
    assert r.status_code == 403
    body["learner"] = {"name": "李明", "id_number": national_id(1)}
    ok = client.post(f"/api/v1/accounts/{no}/outcomes", json=body, headers=token_for(client, "certifier"))
    assert ok.status_code == 201
    assert ok.json()["credits"] == "6.0"


def test_certifier_sees_only_what_it_issued(client: TestClient, world: World) -> None:
    no = world.learner_account.account_no
    staff, cert = token_for(client, "school_staff"), token_for(client, "certifier")
    client.post(
        f"/api/v1/accounts/{no}/outcomes",
        json={
            "kind": "course",
            "title": "高等数学",
            "issuer_id": world.school.id,
            "obtained_on": "2023-01-10",
            "credits": 4,
        },
        headers=staff,
    )
    assert client.get(f"/api/v1/accounts/{no}/transcript", headers=cert).status_code == 404
    client.post(
        f"/api/v1/accounts/{no}/outcomes",
        json={
            "kind": "skill_certificate",
            "title": "Web前端开发",
            "issuer_id": world.certifier.id,
            "obtained_on": "2024-06-30",
            "level": 1,
            "learner": {"name": "李明", "id_number": national_id(1)},
        },
        headers=cert,
    )
    t = client.get(f"/api/v1/accounts/{no}/transcript", headers=cert).json()
    assert t["complete"] is False
    assert [o["title"] for o in t["outcomes"]] == ["Web前端开发"]
    assert client.get(f"/api/v1/accounts/{no}/ledger", headers=cert).status_code == 403


def test_correct_and_revoke_keep_history(client: TestClient, world: World) -> None:
    staff = token_for(client, "school_staff")
    no = world.learner_account.account_no
    o = client.post(
        f"/api/v1/accounts/{no}/outcomes",
        json={
            "kind": "course",
            "title": "机械制图",
            "issuer_id": world.school.id,
            "obtained_on": "2023-06-30",
            "hours": 32,
        },
        headers=staff,
    ).json()
    fixed = client.post(
        f"/api/v1/outcomes/{o['id']}/corrections", json={"reason": "学时登记错误", "hours": 48}, headers=staff
    )
    assert fixed.status_code == 200 and fixed.json()["credits"] == "3.0"
    assert (
        client.post(
            f"/api/v1/outcomes/{o['id']}/revocation",
            json={"reason": "成绩作废"},
            headers=token_for(client, "other_staff"),
        ).status_code
        == 404
    )
    gone = client.post(f"/api/v1/outcomes/{o['id']}/revocation", json={"reason": "成绩作废"}, headers=staff)
    assert gone.json()["status"] == "revoked"
    t = client.get(f"/api/v1/accounts/{no}/transcript", headers=staff).json()
    assert t["total"]["credits"] == "0"
    ledger = client.get(f"/api/v1/accounts/{no}/ledger", headers=staff).json()
    assert [(e["action"], e["note"]) for e in ledger[1:]] == [
        ("record", None),
        ("correct", "学时登记错误"),
        ("revoke", "成绩作废"),
    ]


@pytest.mark.parametrize(
    ("who", "status"),
    [("national", 200), ("gd_admin", 200), ("hn_admin", 404), ("other_staff", 404), ("far_staff", 404)],
)
def test_account_scope_over_http(client: TestClient, world: World, who: str, status: int) -> None:
    r = client.get(f"/api/v1/accounts/{world.learner_account.account_no}", headers=token_for(client, who))
    assert r.status_code == status


def test_national_id_never_leaves_the_server(client: TestClient, world: World) -> None:
    number = national_id(1)
    h = token_for(client, "school_staff")
    for path in (
        f"/api/v1/accounts/{world.learner_account.account_no}",
        "/api/v1/accounts",
        f"/api/v1/accounts/{world.learner_account.account_no}/ledger",
    ):
        assert number not in client.get(path, headers=h).text
    found = client.post("/api/v1/accounts/lookup", json={"id_number": number}, headers=h)
    assert found.status_code == 200 and number not in found.text


def test_bad_input_is_problem_json_in_chinese(client: TestClient, world: World) -> None:
    h = token_for(client, "school_staff")
    r = client.post(
        "/api/v1/accounts",
        json={"name": "赵六", "id_number": "440103200405061230", "institution_id": world.school.id},
        headers=h,
    )
    assert r.status_code == 422
    assert r.json()["title"] == "身份证号校验码错误"
    r = client.post("/api/v1/accounts", json={"name": "赵六"}, headers=h)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "id_number"
    # every field's message is Chinese too, not the validation library's English
    r = client.post("/api/v1/accounts", json={"name": 5, "institution_id": "x"}, headers=h)
    messages = {e["field"]: e["message"] for e in r.json()["errors"]}
    assert messages == {"name": "应为文本", "id_number": "必填", "institution_id": "应为整数"}
    r = client.get("/api/v1/exports/outcomes?format=pdf", headers=h)
    assert r.json()["errors"] == [{"field": "query.format", "message": "应为 'csv'、'xlsx' 之一"}]


def test_province_admin_registers_only_own_province(client: TestClient, world: World) -> None:
    h = token_for(client, "gd_admin")
    body = {"name": "湖南某职院", "kind": "higher", "region_code": "430100", "moe_code": "4143019999"}
    assert client.post("/api/v1/institutions", json=body, headers=h).status_code == 403
    assert (
        client.post("/api/v1/institutions", json=body, headers=token_for(client, "school_staff")).status_code
        == 403
    )
    bad = client.post(
        "/api/v1/institutions",
        json={**body, "region_code": "440100", "moe_code": None, "uscc": "91350100M000100Y44"},
        headers=h,
    )
    assert bad.status_code == 422 and "校验码" in bad.json()["title"]
