"""VC-JOSE: signed with joserfc, verified independently with raw `cryptography`."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from tests.unit.credentials import factories as f
from zhijiao.adapters.signing import keys
from zhijiao.adapters.signing.did import IssuerKey, KeyResolver, build_did_document
from zhijiao.adapters.signing.jose import check_jws, sign_jws
from zhijiao.domain.credentials.compose import compose_achievement_credential
from zhijiao.domain.credentials.verify import CheckOutcome


def _b64d(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def test_eddsa_jws_verifies_with_raw_cryptography() -> None:
    key = keys.generate_ed25519()
    vm = keys.did_key_verification_method(key.public_key())
    credential = compose_achievement_credential(f.draft(vm.split("#")[0]))
    token = sign_jws(credential, key, vm)
    header_b64, payload_b64, sig_b64 = token.split(".")
    header = json.loads(_b64d(header_b64))
    assert header == {"alg": "EdDSA", "kid": vm, "typ": "vc+jwt", "cty": "vc"}
    assert json.loads(_b64d(payload_b64)) == credential
    key.public_key().verify(_b64d(sig_b64), f"{header_b64}.{payload_b64}".encode())  # raises if bad


def test_rs256_jws_verifies_with_raw_cryptography() -> None:
    key = keys.generate_rsa2048()
    did = "did:web:zhijiao.example.cn"
    token = sign_jws(compose_achievement_credential(f.draft(did)), key, f"{did}#rsa-1")
    header_b64, payload_b64, sig_b64 = token.split(".")
    assert json.loads(_b64d(header_b64))["alg"] == "RS256"
    key.public_key().verify(
        _b64d(sig_b64), f"{header_b64}.{payload_b64}".encode(), padding.PKCS1v15(), hashes.SHA256()
    )


@pytest.mark.parametrize("make_key", [keys.generate_ed25519, keys.generate_rsa2048])
def test_round_trip_and_one_changed_character_breaks_it(make_key) -> None:
    key = make_key()
    did = "did:web:zhijiao.example.cn"
    resolver = KeyResolver({did: build_did_document(did, [IssuerKey("k1", key.public_key())])})
    token = sign_jws(compose_achievement_credential(f.draft(did)), key, f"{did}#k1")
    assert check_jws(token, resolver).signature.outcome is CheckOutcome.passed
    header, payload, sig = token.split(".")
    forged = json.loads(_b64d(payload))
    forged["credentialSubject"]["creditsEarned"] = 60
    forged_payload = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
    for bad in (
        f"{header}.{forged_payload}.{sig}",
        token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1],
    ):
        assert check_jws(bad, resolver).signature.outcome is CheckOutcome.failed
