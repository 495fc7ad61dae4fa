"""Issue 8, items 1–3 (decision 0016): writing does not grant reading, no existence oracles, and
scope denials answer 404 — over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.conftest import token_for
from tests.factories import World, national_id


def _body(world: World, who: str, **extra: object) -> dict[str, object]:
    issuer = {"school_staff": world.school, "other_staff": world.other_school, "far_staff": world.far_school,
              "certifier": world.certifier, "hn_admin": world.far_school}[who]  # fmt: skip
    kind = "skill_certificate" if who == "certifier" else "training"
    return {"kind": kind, "title": "安全生产培训", "issuer_id": issuer.id, "obtained_on": "2024-05-05",
            "hours": 16, "level": 1 if kind == "skill_certificate" else None, **extra}  # fmt: skip


@pytest.mark.parametrize("who", ["other_staff", "certifier", "hn_admin"])
def test_recording_into_an_unseen_account_is_refused_and_reveals_nothing(
    client: TestClient, world: World, who: str
) -> None:
    """Another school's clerk, a certifier and another province's admin: POST into an account they
    cannot read answers the 404 of an account that does not exist, and GET stays 404."""
    no = world.learner_account.account_no
    h = token_for(client, who)
    assert client.get(f"/api/v1/accounts/{no}", headers=h).status_code == 404
    r = client.post(f"/api/v1/accounts/{no}/outcomes", json=_body(world, who), headers=h)
    nobody = client.post("/api/v1/accounts/4400000099992/outcomes", json=_body(world, who), headers=h)
    assert r.status_code == 404, r.text
    assert r.json() == nobody.json() or (
        nobody.status_code == 404 and r.json()["title"] == nobody.json()["title"]
    )
    assert "李明" not in r.text
    # a wrong name with the right number is no proof either (and is not told apart from "no account")
    wrong = client.post(
        f"/api/v1/accounts/{no}/outcomes",
        json=_body(world, who, learner={"name": "王五", "id_number": national_id(1)}),
        headers=h,
    )
    assert wrong.status_code == 404 and wrong.json() == r.json()
    for path in ("", "/transcript", "/credentials"):
        assert client.get(f"/api/v1/accounts/{no}{path}", headers=h).status_code == 404, path
    staff = token_for(client, "school_staff")
    transcript = client.get(f"/api/v1/accounts/{no}/transcript", headers=staff).json()
    assert transcript["outcomes"] == []


def test_a_province_never_writes_outside_it_even_knowing_the_person(client: TestClient, world: World) -> None:
    no = world.learner_account.account_no
    h = token_for(client, "hn_admin")
    proof = {"name": "李明", "id_number": national_id(1)}
    r = client.post(
        f"/api/v1/accounts/{no}/outcomes", json=_body(world, "hn_admin", learner=proof), headers=h
    )
    assert r.status_code == 404
    assert client.get(f"/api/v1/accounts/{no}", headers=h).status_code == 404


@pytest.mark.parametrize("who", ["other_staff", "certifier"])
def test_knowing_the_person_lets_a_school_record_and_read_only_what_it_issued(
    client: TestClient, world: World, who: str
) -> None:
    no = world.learner_account.account_no
    h = token_for(client, who)
    proof = {"name": "李明", "id_number": national_id(1)}
    r = client.post(f"/api/v1/accounts/{no}/outcomes", json=_body(world, who, learner=proof), headers=h)
    assert r.status_code == 201, r.text
    # it sees the account through its own outcome: the name and masked number it proved, not the
    # learner's home school, and only its own outcomes
    account = client.get(f"/api/v1/accounts/{no}", headers=h).json()
    assert account["name"] == "李明" and account["institution_id"] is None
    transcript = client.get(f"/api/v1/accounts/{no}/transcript", headers=h).json()
    assert transcript["institution_name"] is None and transcript["account"]["institution_id"] is None
    assert [o["id"] for o in transcript["outcomes"]] == [r.json()["id"]]


def test_opening_an_existing_account_is_idempotent_and_no_oracle(client: TestClient, world: World) -> None:
    """Item 2: a wrong name gets the same answer whether or not the number has an account."""
    h = token_for(client, "other_staff")
    taken = client.post(
        "/api/v1/accounts",
        json={"name": "王五", "id_number": national_id(1), "institution_id": world.other_school.id},
        headers=h,
    )
    assert taken.status_code == 422, taken.text
    assert taken.json()["title"] == "姓名与证件号码不符"
    assert "已开设" not in taken.text and "李明" not in taken.text
    same = client.post(
        "/api/v1/accounts",
        json={"name": "李明", "id_number": national_id(1), "institution_id": world.other_school.id},
        headers=h,
    )
    assert same.status_code == 201, same.text
    assert same.json()["account_no"] == world.learner_account.account_no
    assert same.json()["institution_id"] is None  # not the home school: only what it proved
    # and opening gives no reading: the account stays 404 to it until it records into it
    assert client.get(f"/api/v1/accounts/{same.json()['account_no']}", headers=h).status_code == 404


def test_import_name_mismatch_does_not_say_an_account_exists(client: TestClient, world: World) -> None:
    h = token_for(client, "other_staff")
    header = "姓名,身份证号,成果类型,成果名称,颁发机构,获得日期,学时\n"
    row = "{name},{nid},职业培训,安全生产培训,广东轻工职业技术学院,2024-05-05,16\n"
    body = header + row.format(name="王五", nid=national_id(1))
    r = client.post(
        "/api/v1/imports/outcomes", files={"file": ("a.csv", body.encode(), "text/csv")}, headers=h
    )
    assert r.status_code == 422, r.text
    assert "姓名“王五”与证件号码不符" in r.text
    assert "已有学习账号" not in r.text


def test_a_province_admin_imports_only_into_its_province(client: TestClient, world: World) -> None:
    header = "姓名,身份证号,成果类型,成果名称,颁发机构,获得日期,学时\n"
    row = f"李明,{national_id(1)},职业培训,轨道交通安全培训,湖南铁道职业技术学院,2024-05-05,16\n"
    files = {"file": ("hn.csv", (header + row).encode(), "text/csv")}
    r = client.post("/api/v1/imports/outcomes", files=files, headers=token_for(client, "hn_admin"))
    assert r.status_code == 422, r.text
    assert "省级管理员只能记录本省的学习账号" in r.text
    # the school itself, knowing the person, may (the import's proof: name and number)
    ok = client.post("/api/v1/imports/outcomes", files=files, headers=token_for(client, "far_staff"))
    assert ok.status_code == 200 and ok.json()["outcomes_created"] == 1, ok.text


def test_a_learner_grants_and_revokes_recording_access(client: TestClient, world: World) -> None:
    """Item 1's third way: the learner lets an institution record; that gives it no more reading than
    its own outcomes, and revoking stops further recording."""
    no = world.learner_account.account_no
    learner, cert = token_for(client, "liming"), token_for(client, "certifier")
    assert (
        client.post(
            f"/api/v1/accounts/{no}/outcomes", json=_body(world, "certifier"), headers=cert
        ).status_code
        == 404
    )
    g = client.post("/api/v1/me/grants", json={"institution_id": world.certifier.id}, headers=learner)
    assert g.status_code == 201, g.text
    assert g.json()["institution_name"] == world.certifier.name and g.json()["granted_at"].endswith("+00:00")
    assert [x["institution_id"] for x in client.get("/api/v1/me/grants", headers=learner).json()] == [
        world.certifier.id
    ]
    # only the learner grants: staff and admins may not, and nobody else sees the list
    staff = token_for(client, "school_staff")
    assert (
        client.post("/api/v1/me/grants", json={"institution_id": world.school.id}, headers=staff).status_code
        == 403
    )
    r = client.post(f"/api/v1/accounts/{no}/outcomes", json=_body(world, "certifier"), headers=cert)
    assert r.status_code == 201, r.text
    seen = client.get(f"/api/v1/accounts/{no}/transcript", headers=cert).json()
    assert seen["account"]["institution_id"] is None and [o["id"] for o in seen["outcomes"]] == [
        r.json()["id"]
    ]
    assert client.delete(f"/api/v1/me/grants/{world.certifier.id}", headers=learner).status_code == 204
    assert client.delete(f"/api/v1/me/grants/{world.certifier.id}", headers=learner).status_code == 404
    again = _body(world, "certifier", title="Web前端开发")
    assert client.post(f"/api/v1/accounts/{no}/outcomes", json=again, headers=cert).status_code == 404
    assert client.get("/api/v1/me/grants", headers=learner).json() == []
