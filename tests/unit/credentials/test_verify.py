"""Verdicts end to end: each bad input gets its own verdict and reason, never an exception."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.unit.credentials import factories as f
from zhijiao.adapters.signing import keys
from zhijiao.adapters.signing.checkers import StatusLists, make_proof_checker
from zhijiao.adapters.signing.data_integrity import add_proof
from zhijiao.adapters.signing.did import IssuerKey, KeyResolver, build_did_document
from zhijiao.adapters.signing.jose import sign_jws
from zhijiao.adapters.signing.schema import CREDENTIAL_SCHEMAS, schema_errors
from zhijiao.domain.credentials.compose import compose_achievement_credential
from zhijiao.domain.credentials.status_list import StatusList, StatusPurpose, compose_status_list_credential
from zhijiao.domain.credentials.verify import CheckOutcome, Verdict, VerificationReport, verify_credential

DID = "did:web:zhijiao.example.cn:issuers:42"
OLD, NEW = keys.generate_ed25519(), keys.generate_ed25519()
RSA = keys.generate_rsa2048()
DOCUMENT = build_did_document(
    DID,
    [
        IssuerKey("key-2024", OLD.public_key()),
        IssuerKey("key-2025", NEW.public_key()),
        IssuerKey("rsa-2025", RSA.public_key()),
    ],
)
NOW = f.ISSUED + timedelta(days=30)


def _status_lists() -> StatusLists:
    lists = StatusLists()
    for url, purpose, index in (
        (f.STATUS_URL, StatusPurpose.revocation, 5),
        (f.SUSPENSION_URL, StatusPurpose.suspension, 6),
    ):
        bits = StatusList()
        bits.set(index)
        lists.add(
            url,
            compose_status_list_credential(
                list_url=url, issuer_id=DID, purpose=purpose, status_list=bits, valid_from=f.ISSUED
            ),
        )
    return lists


def _verify(raw, *, now=NOW, known=(DID,)) -> VerificationReport:
    return verify_credential(
        raw,
        check_proof=make_proof_checker(KeyResolver({DID: DOCUMENT})),
        is_known_issuer=lambda issuer: issuer in known,
        read_status_bit=_status_lists(),
        validate_schema=CREDENTIAL_SCHEMAS,
        now=now,
    )


def _jws(key=NEW, fragment="key-2025", **kw) -> str:
    return sign_jws(compose_achievement_credential(f.draft(DID, **kw)), key, f"{DID}#{fragment}")


def _di(key=NEW, fragment="key-2025", **kw) -> dict:
    return add_proof(compose_achievement_credential(f.draft(DID, **kw)), key, f"{DID}#{fragment}", f.ISSUED)


SIGNERS = {"jose-eddsa": _jws, "jose-rs256": lambda **kw: _jws(RSA, "rsa-2025", **kw), "di": _di}


@pytest.mark.parametrize("sign", SIGNERS.values(), ids=SIGNERS.keys())
def test_valid_credential_passes_every_check(sign) -> None:
    report = _verify(sign(status_index=1))
    assert report.verdict is Verdict.valid, report
    assert all(c.outcome is CheckOutcome.passed for c in report.checks().values())
    if isinstance(report.credential, dict) and "proof" in report.credential:
        assert schema_errors(report.credential) == []  # the signed form validates too
    assert report.reason == "凭证有效"


@pytest.mark.parametrize("sign", [_jws, _di], ids=["jose", "di"])
def test_key_rotation_old_key_still_verifies(sign) -> None:
    assert _verify(sign(OLD, "key-2024")).verdict is Verdict.valid


def test_a_key_not_in_the_did_document_cannot_verify() -> None:
    report = _verify(_jws(keys.generate_ed25519(), "key-2099"))
    assert report.signature.outcome is CheckOutcome.not_checked
    assert report.verdict is Verdict.incomplete


def test_tampered_jws_and_di() -> None:
    token = _jws()
    header, payload, sig = token.split(".")
    assert (
        _verify(f"{header}.{payload}.{sig[:10]}{'A' if sig[10] != 'A' else 'B'}{sig[11:]}").verdict
        is Verdict.tampered
    )
    doc = _di()
    doc["credentialSubject"]["creditsEarned"] = 7
    report = _verify(doc)
    assert report.verdict is Verdict.tampered and "改动" in report.signature.reason


@pytest.mark.parametrize("sign", [_jws, _di], ids=["jose", "di"])
def test_expired_and_not_yet_valid(sign) -> None:
    credential = sign(valid_until=f.ISSUED + timedelta(days=1))
    assert _verify(credential).verdict is Verdict.expired
    assert _verify(credential, now=f.ISSUED - timedelta(days=1)).verdict is Verdict.not_yet_valid


@pytest.mark.parametrize("sign", [_jws, _di], ids=["jose", "di"])
def test_revoked_and_suspended(sign) -> None:
    revoked = _verify(sign(status_index=5))
    assert revoked.verdict is Verdict.revoked and revoked.status.reason == "凭证已被发证机构撤销"
    suspended = _verify(sign(status_index=6, purpose=StatusPurpose.suspension))
    assert suspended.verdict is Verdict.suspended


def test_unknown_issuer() -> None:
    report = _verify(_jws(), known=())
    assert report.verdict is Verdict.unknown_issuer
    assert report.signature.outcome is CheckOutcome.passed


def test_key_of_another_issuer_is_not_accepted() -> None:
    other = keys.generate_ed25519()
    vm = keys.did_key_verification_method(other.public_key())
    token = sign_jws(compose_achievement_credential(f.draft(DID)), other, vm)
    assert _verify(token).verdict is Verdict.unknown_issuer


def test_status_list_unavailable_is_incomplete_not_valid() -> None:
    credential = _di()
    credential = add_proof(
        {
            **{k: v for k, v in credential.items() if k != "proof"},
            "credentialStatus": {
                "id": "https://x.cn/s#1",
                "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation",
                "statusListIndex": "1",
                "statusListCredential": "https://x.cn/s",
            },
        },
        NEW,
        f"{DID}#key-2025",
        f.ISSUED,
    )
    assert _verify(credential).verdict is Verdict.incomplete


def test_schema_invalid() -> None:
    bad = compose_achievement_credential(f.draft(DID))
    del bad["credentialSubject"]["achievement"]["criteria"]
    assert _verify(sign_jws(bad, NEW, f"{DID}#key-2025")).verdict is Verdict.schema_invalid


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "not a credential",
        "{",
        "[1,2]",
        "a.b.c",
        b"\xff\xfe",
        "eyJhbGciOiJub25lIn0.e30.",
        {"proof": 1},
        json.dumps({"@context": 5, "proof": {"type": "DataIntegrityProof"}}),
    ],
)
def test_malformed_inputs_never_raise(raw) -> None:
    report = _verify(raw)
    assert report.verdict in {Verdict.malformed, Verdict.tampered}
    assert not report.valid and report.reason
