"""Credentials the platform issued, checked by implementations that are not this project's code:
RDFC-1.0 canonicalisation by jsonld.js + rdf-canonize, Data Integrity (eddsa-rdfc-2022) proofs and
Bitstring Status Lists by Digital Bazaar's libraries, VC-JOSE JWS by `jose` — all with the shipped
final VC 2.0 context and an offline document loader. Skipped, with a message, where Node is absent."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.conftest import token_for
from tests.factories import World
from tests.integration.test_credentials import record
from tests.interop import independent
from zhijiao.adapters.signing.jsonld import canonicalize

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
BASE = "http://127.0.0.1:8000"


@pytest.fixture(scope="module")
def node() -> None:
    why = independent.node_missing()
    if why:
        pytest.skip(why)
    independent.install()


def _tampered_jws(token: str) -> str:
    header, payload, signature = token.split(".")
    import base64

    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["name"] += "（改）"
    forged = base64.urlsafe_b64encode(json.dumps(claims, ensure_ascii=False).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_issued_credentials_status_lists_and_tampered_copies(
    node: None, client: TestClient, world: World
) -> None:
    staff = token_for(client, "school_staff")

    def issue(title: str, code: str, algorithm: str = "EdDSA") -> dict[str, Any]:
        outcome = record(world, title, code=code)
        r = client.post(
            f"/api/v1/outcomes/{outcome}/credential", json={"algorithm": algorithm}, headers=staff
        )
        assert r.status_code == 201, r.text
        return r.json()

    active, rs256 = issue("网络安全运维", "NET-1"), issue("工业机器人", "ROB-1", "RS256")
    revoked, suspended = issue("数控加工", "CNC-1"), issue("电子商务", "EC-1")
    client.post(f"/api/v1/credentials/{revoked['id']}/revocation", json={"reason": "证书作废"}, headers=staff)
    client.post(f"/api/v1/credentials/{suspended['id']}/suspension", json={"reason": "核查中"}, headers=staff)
    t = client.post(
        f"/api/v1/accounts/{world.learner_account.account_no}/transcript-credential",
        json={"outcome_ids": [active["outcome_id"]]}, headers=token_for(client, "liming"),
    )  # fmt: skip
    assert t.status_code == 201, t.text
    transcript = t.json()

    def full(c: dict[str, Any]) -> dict[str, Any]:
        return client.get(f"/api/v1/credentials/{c['id']}", headers=staff).json()

    issued = {"active": full(active), "rs256": full(rs256), "revoked": full(revoked),
              "suspended": full(suspended), "transcript": full(transcript)}  # fmt: skip
    documents: dict[str, Any] = {}
    for path in (f"/issuers/{world.school.id}/did.json", "/.well-known/did.json"):
        did = client.get(path).json()
        documents[did["id"]] = did
    lists = sorted({c["status_list_credential"] for c in issued.values()})
    for url in lists:
        documents[url] = client.get(url.removeprefix(BASE)).json()

    tampered = copy.deepcopy(issued["active"]["credential"])
    tampered["credentialSubject"]["achievement"]["name"] += "（改）"
    rows = [
        {"name": name, "jws": c["jws"], "di": c["credential"] if "proof" in c["credential"] else None}
        for name, c in issued.items()
    ]
    rows.append({"name": "tampered", "jws": _tampered_jws(issued["active"]["jws"]), "di": tampered})
    report = independent.run(documents, rows, lists)
    by_name = {r["name"]: r for r in report["credentials"]}

    for name in ("active", "rs256", "revoked", "suspended"):
        row, document = by_name[name], issued[name]["credential"]
        assert row["di"] == {"verified": True, "error": None}, (name, row)
        unsecured = {k: v for k, v in document.items() if k != "proof"}
        assert row["canonical"] == canonicalize(unsecured), name  # RDFC-1.0, independent implementation
        assert row["jws"] == {"verified": True}, (name, row)
    assert by_name["transcript"]["jws"] == {"verified": True}
    assert by_name["tampered"]["di"]["verified"] is False
    assert by_name["tampered"]["jws"]["verified"] is False

    # Bitstring Status List: the list credentials verify, and a set revocation bit reads as set
    assert all(r["verified"] for r in report["statusLists"]), report["statusLists"]
    expected = {
        "active": [False],
        "rs256": [False],
        "revoked": [True],
        "suspended": [True],
        "transcript": [False],
    }
    for name, bits in expected.items():
        for key in ("diStatus", "jwsStatus"):
            if key in by_name[name]:
                assert by_name[name][key]["verified"] is True, (name, key, by_name[name][key])
                assert by_name[name][key]["set"] == bits, (name, key)

    # reinstated: the bit is cleared and a standard verifier accepts the credential again
    client.post(
        f"/api/v1/credentials/{suspended['id']}/reinstatement", json={"reason": "核查完毕"}, headers=staff
    )
    url = issued["suspended"]["status_list_credential"]
    documents[url] = client.get(url.removeprefix(BASE)).json()
    again = independent.run(
        documents, [{"name": "suspended", "jws": None, "di": issued["suspended"]["credential"]}], []
    )
    assert again["credentials"][0]["diStatus"]["set"] == [False]
