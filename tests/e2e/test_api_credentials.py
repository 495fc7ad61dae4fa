"""Credentials over HTTP and the CLI: issue, fetch, status changes, public verification, status
lists and DID documents; each bad input gets its own verdict and exit code, never a 500."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests import bitstring_spec
from tests.conftest import token_for
from tests.factories import World
from tests.unit.credentials import factories as f
from zhijiao.adapters.signing import keys
from zhijiao.adapters.signing.data_integrity import add_proof
from zhijiao.cli.verdicts import EXIT_CODES
from zhijiao.domain.credentials.compose import compose_achievement_credential
from zhijiao.domain.credentials.verify import Verdict
from zhijiao.services import clock


def _outcome(client: TestClient, world: World, title: str = "工业机器人应用编程") -> int:
    body = {
        "kind": "skill_certificate",
        "title": title,
        "issuer_id": world.school.id,
        "obtained_on": "2024-06-01",
        "level": 2,
        "code": "IR-2",
    }
    r = client.post(
        f"/api/v1/accounts/{world.learner_account.account_no}/outcomes",
        json=body,
        headers=token_for(client, "school_staff"),
    )
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def _b64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def test_issue_fetch_verify_and_status_over_http(client: TestClient, world: World) -> None:
    staff = token_for(client, "school_staff")
    outcome_id = _outcome(client, world)
    r = client.post(f"/api/v1/outcomes/{outcome_id}/credential", headers=staff)
    assert r.status_code == 201, r.text
    issued = r.json()
    cid = issued["id"]
    full = client.get(f"/api/v1/credentials/{cid}", headers=token_for(client, "liming")).json()
    jws = client.get(f"/api/v1/credentials/{cid}?format=jws", headers=staff).text
    assert jws == full["jws"] and full["credential"]["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"
    listed = client.get(
        f"/api/v1/accounts/{world.learner_account.account_no}/credentials", headers=staff
    ).json()
    assert [c["id"] for c in listed] == [cid]

    # public verification: no login, three input shapes
    for kwargs in (
        {"json": {"credential": jws}},
        {"json": full["credential"]},
        {"files": {"file": ("c.jwt", jws.encode())}},
    ):
        v = client.post("/api/v1/verify", **kwargs)
        assert v.status_code == 200 and v.json()["verdict"] == "valid", v.text
        assert set(v.json()["checks"]) == {"signature", "issuer_known", "not_expired", "status", "schema"}

    # revoke needs the issuer: a learner and another school are refused
    assert (
        client.post(
            f"/api/v1/credentials/{cid}/revocation", json={"reason": "x"}, headers=token_for(client, "liming")
        ).status_code
        == 403
    )
    # out of scope: 404 exactly as for a credential that does not exist, naming nobody (issue 8 item 3)
    unknown = client.post(
        "/api/v1/credentials/00000000-0000-0000-0000-000000000000/revocation",
        json={"reason": "x"},
        headers=staff,
    )
    for outsider in ("other_staff", "certifier", "hn_admin"):
        for action in ("revocation", "suspension", "reinstatement"):
            r = client.post(
                f"/api/v1/credentials/{cid}/{action}",
                json={"reason": "x"},
                headers=token_for(client, outsider),
            )
            assert r.status_code == 404, (outsider, action, r.text)
            assert r.json() == unknown.json() and world.school.name not in r.text
    r = client.post(f"/api/v1/credentials/{cid}/suspension", json={"reason": "复核"}, headers=staff)
    assert r.json()["state"] == "suspended"
    assert client.post("/api/v1/verify", json={"credential": jws}).json()["verdict"] == "suspended"
    client.post(f"/api/v1/credentials/{cid}/reinstatement", json={"reason": "复核通过"}, headers=staff)
    assert client.post("/api/v1/verify", json={"credential": jws}).json()["verdict"] == "valid"
    client.post(f"/api/v1/credentials/{cid}/revocation", json={"reason": "证书作废"}, headers=staff)
    v = client.post("/api/v1/verify", json={"credential": jws}).json()
    assert v["verdict"] == "revoked" and v["state"] == "revoked"
    ledger = client.get(f"/api/v1/accounts/{world.learner_account.account_no}/ledger", headers=staff).json()
    assert ledger[-1]["action"] == "cred_revoke" and ledger[-1]["note"] == "证书作废"

    # the status list at its stable URL, public
    url = issued["status_list_credential"]
    listed_credential = client.get(url.removeprefix("http://127.0.0.1:8000")).json()
    assert listed_credential["credentialSubject"]["statusPurpose"] == "revocation"
    assert bitstring_spec.status_value(listed_credential, full["credential"]["credentialStatus"]) == 1

    # DID documents: per issuer and the platform's (after a transcript is issued)
    doc = client.get(f"/issuers/{world.school.id}/did.json").json()
    assert full["kid"] in doc["assertionMethod"]
    outcome2 = _outcome(client, world, "数控车铣加工")
    t = client.post(
        f"/api/v1/accounts/{world.learner_account.account_no}/transcript-credential",
        json={"outcome_ids": [outcome2]},
        headers=token_for(client, "liming"),
    )
    assert t.status_code == 201, t.text
    assert client.get("/.well-known/did.json").json()["id"].startswith("did:web:127.0.0.1%3A8000")


def test_each_bad_input_has_its_own_verdict(
    client: TestClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    staff = token_for(client, "school_staff")
    cid = client.post(f"/api/v1/outcomes/{_outcome(client, world)}/credential", headers=staff).json()["id"]
    doc = client.get(f"/api/v1/credentials/{cid}?format=json", headers=staff).json()
    tampered = json.loads(json.dumps(doc))
    tampered["credentialSubject"]["achievement"]["name"] = "伪造证书"
    stranger = keys.generate_ed25519()  # a well-formed credential signed by an issuer we do not know
    vm = keys.did_key_verification_method(stranger.public_key())
    unknown = add_proof(compose_achievement_credential(f.draft(vm.split("#")[0])), stranger, vm, f.ISSUED)
    cases = {
        "tampered": {"json": tampered},
        "unknown_issuer": {"json": unknown},
        "malformed": {
            "content": b"\x00\xff garbage",
            "headers": {"content-type": "application/octet-stream"},
        },
    }
    for verdict, kwargs in cases.items():
        r = client.post("/api/v1/verify", **kwargs)
        assert r.status_code == 200 and r.json()["verdict"] == verdict, (verdict, r.text)
    assert client.post("/api/v1/verify", json={"credential": "a.b.c"}).json()["verdict"] == "malformed"
    soon = (clock.utcnow() + timedelta(hours=1)).isoformat()
    r = client.post(
        f"/api/v1/outcomes/{_outcome(client, world, '焊接')}/credential",
        json={"valid_until": soon},
        headers=staff,
    )
    jws = client.get(f"/api/v1/credentials/{r.json()['id']}?format=jws", headers=staff).text
    later = clock.utcnow() + timedelta(hours=2)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    assert client.post("/api/v1/verify", json={"credential": jws}).json()["verdict"] == "expired"
    assert client.post("/api/v1/verify", json=[1, 2]).json()["verdict"] == "malformed"


def test_access_denials_over_http(client: TestClient, world: World) -> None:
    outcome_id = _outcome(client, world)
    for user in ("other_staff", "far_staff", "certifier"):
        assert (
            client.post(
                f"/api/v1/outcomes/{outcome_id}/credential", headers=token_for(client, user)
            ).status_code
            == 404
        )
    assert client.post(f"/api/v1/outcomes/{outcome_id}/credential").status_code == 401
    assert (
        client.post(
            f"/api/v1/issuers/{world.school.id}/key-rotation", headers=token_for(client, "other_staff")
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/api/v1/issuers/{world.school.id}/key-rotation", headers=token_for(client, "school_staff")
        ).status_code
        == 200
    )


def test_cli_issue_verify_and_exit_codes(
    client: TestClient, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from zhijiao.cli.main import app

    settings = world.platform.settings
    monkeypatch.setenv("ZHIJIAO_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("ZHIJIAO_SECRET_KEY", settings.secret_key.get_secret_value())
    from zhijiao.config import get_settings

    get_settings.cache_clear()
    runner = CliRunner()
    outcome_id = _outcome(client, world)
    r = runner.invoke(app, ["credential", "issue", "--outcome", str(outcome_id)])
    assert r.exit_code == 0, r.output
    cid = r.output.split("：")[1].split()[0]
    jws = client.get(f"/api/v1/credentials/{cid}?format=jws", headers=token_for(client, "school_staff")).text
    good = tmp_path / "good.jwt"
    good.write_text(jws)
    r = runner.invoke(app, ["credential", "verify", str(good)])
    assert r.exit_code == 0 and "凭证有效" in r.output and "签名" in r.output, r.output
    header, payload, sig = jws.split(".")
    (tmp_path / "tampered.jwt").write_text(f"{header}.{payload}.{sig[:-4]}AAAA")
    (tmp_path / "garbage.json").write_bytes(b"{not json")
    r = runner.invoke(app, ["credential", "verify", str(tmp_path / "tampered.jwt")])
    assert r.exit_code == EXIT_CODES[Verdict.tampered], r.output
    r = runner.invoke(app, ["credential", "verify", str(tmp_path / "garbage.json")])
    assert r.exit_code == EXIT_CODES[Verdict.malformed] and "Traceback" not in r.output, r.output
    stranger = keys.generate_ed25519()
    vm = keys.did_key_verification_method(stranger.public_key())
    (tmp_path / "unknown.json").write_text(
        json.dumps(
            add_proof(compose_achievement_credential(f.draft(vm.split("#")[0])), stranger, vm, f.ISSUED)
        )
    )
    r = runner.invoke(app, ["credential", "verify", str(tmp_path / "unknown.json")])
    assert r.exit_code == EXIT_CODES[Verdict.unknown_issuer], r.output
    r = runner.invoke(app, ["credential", "verify", str(tmp_path / "missing.json")])
    assert r.exit_code == EXIT_CODES[Verdict.malformed]
    r = runner.invoke(app, ["credential", "revoke", cid, "--reason", "测试撤销"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["credential", "verify", str(good)])
    assert r.exit_code == EXIT_CODES[Verdict.revoked] and "撤销" in r.output
    r = runner.invoke(app, ["issuer", "rotate-keys", "--institution", str(world.school.id)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(
        app, ["credential", "issue-cohort", "--institution", str(world.school.id), "--cohort", "2030"]
    )
    assert r.exit_code == 0 and "0" in r.output, r.output
    soon = (clock.utcnow() + timedelta(hours=1)).isoformat()
    r = client.post(
        f"/api/v1/outcomes/{_outcome(client, world, '焊接')}/credential",
        json={"valid_until": soon},
        headers=token_for(client, "school_staff"),
    )
    (tmp_path / "expiring.jwt").write_text(
        client.get(
            f"/api/v1/credentials/{r.json()['id']}?format=jws", headers=token_for(client, "school_staff")
        ).text
    )
    later = clock.utcnow() + timedelta(hours=2)
    monkeypatch.setattr(clock, "utcnow", lambda: later)
    r = runner.invoke(app, ["credential", "verify", str(tmp_path / "expiring.jwt")])
    assert r.exit_code == EXIT_CODES[Verdict.expired] and "过期" in r.output, r.output
    get_settings.cache_clear()


def test_did_and_status_list_errors_are_problem_json_with_allow_on_405(
    client: TestClient, world: World
) -> None:
    cases = [
        ("GET", "/credentials/status/999999", 404),
        ("GET", "/credentials/status/not-a-number", 422),
        ("GET", "/issuers/999999/did.json", 404),
        ("GET", "/.well-known/did.json", 404),  # no transcript issued yet: no platform did:web
        ("POST", "/credentials/status/1", 405),
        ("DELETE", "/issuers/1/did.json", 405),
        ("PUT", "/.well-known/did.json", 405),
    ]
    for method, path, status in cases:
        r = client.request(method, path)
        assert r.status_code == status, (method, path, r.text)
        assert r.headers["content-type"].startswith("application/problem+json"), (path, r.text[:80])
        assert r.json()["status"] == status and r.json()["title"]
        if status == 405:
            assert r.headers["allow"] == "GET", r.headers
    # a page keeps its HTML error, and a 405 there says what is allowed too
    page = client.request("PUT", "/verify")
    assert page.status_code == 405 and page.headers["content-type"].startswith("text/html")
    assert set(page.headers["allow"].split(", ")) == {"GET", "POST"}
