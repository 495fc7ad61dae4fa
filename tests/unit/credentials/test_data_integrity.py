"""eddsa-rdfc-2022: the OB 3.0 test vectors, and an independent re-computation."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from pyld import jsonld

from tests.unit.credentials import factories as f
from zhijiao.adapters.signing import keys
from zhijiao.adapters.signing.data_integrity import add_proof, check_data_integrity, hash_data
from zhijiao.adapters.signing.did import KeyResolver
from zhijiao.adapters.signing.jsonld import ContextNotPinned, canonicalize, load_document
from zhijiao.adapters.signing.multibase import from_multibase_b58
from zhijiao.domain.credentials.compose import compose_achievement_credential
from zhijiao.domain.credentials.verify import CheckOutcome

VECTORS = Path(__file__).parent / "vectors"
CONTEXTS = Path(__file__).parents[3] / "src/zhijiao/adapters/signing/contexts"
VECTOR_PROOF = {
    "type": "DataIntegrityProof",
    "created": "2010-01-01T19:23:24Z",
    "verificationMethod": "https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi",
    "cryptosuite": "eddsa-rdfc-2022",
    "proofPurpose": "assertionMethod",
}


def _vector_document() -> dict:
    return json.loads((VECTORS / "document.json").read_text("utf-8"))


def test_ob30_document_vector_is_reproduced_exactly() -> None:
    assert canonicalize(_vector_document()) == (VECTORS / "document-canon.txt").read_text("utf-8")


def test_ob30_proof_vector_is_reproduced_exactly() -> None:
    config = {"@context": _vector_document()["@context"], **VECTOR_PROOF}
    assert canonicalize(config) == (VECTORS / "proof-canon.txt").read_text("utf-8")
    expected = (
        hashlib.sha256((VECTORS / "proof-canon.txt").read_bytes()).digest()
        + hashlib.sha256((VECTORS / "document-canon.txt").read_bytes()).digest()
    )
    assert hash_data(config, _vector_document()) == expected


def test_loader_refuses_any_other_url() -> None:
    with pytest.raises(ContextNotPinned, match="拒绝联网"):
        load_document("https://w3id.org/security/data-integrity/v2")
    doc = {**_vector_document(), "@context": [*_vector_document()["@context"], "https://evil.example/ctx"]}
    with pytest.raises(Exception, match=r"evil\.example"):
        canonicalize(doc)


def _independent_loader(url: str, options: object = None) -> dict:
    name = {
        "https://www.w3.org/ns/credentials/v2": "credentials-v2.jsonld",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.json",
    }[url]
    return {"contextUrl": None, "documentUrl": url, "document": json.loads((CONTEXTS / name).read_text())}


def _nquads(doc: dict) -> bytes:
    options = {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "documentLoader": _independent_loader,
    }
    return jsonld.normalize(doc, options).encode()


def test_proof_verifies_independently_with_pyld_and_raw_cryptography() -> None:
    key = keys.generate_ed25519()
    vm = keys.did_key_verification_method(key.public_key())
    signed = add_proof(compose_achievement_credential(f.draft(vm.split("#")[0])), key, vm, f.ISSUED)
    (proof,) = signed["proof"]
    proof = dict(proof)
    proof_value = proof.pop("proofValue")
    assert proof_value.startswith("z")
    unsecured = {k: v for k, v in signed.items() if k != "proof"}
    data = hashlib.sha256(_nquads({"@context": signed["@context"], **proof})).digest()
    data += hashlib.sha256(_nquads(unsecured)).digest()
    key.public_key().verify(from_multibase_b58(proof_value), data)  # raises if bad
    assert check_data_integrity(signed, KeyResolver()).signature.outcome is CheckOutcome.passed


def test_one_changed_character_breaks_the_proof() -> None:
    key = keys.generate_ed25519()
    vm = keys.did_key_verification_method(key.public_key())
    signed = add_proof(compose_achievement_credential(f.draft(vm.split("#")[0])), key, vm, f.ISSUED)
    text = json.dumps(signed, ensure_ascii=False)
    tampered = json.loads(text.replace("中级", "高级", 1))
    assert check_data_integrity(tampered, KeyResolver()).signature.outcome is CheckOutcome.failed


def test_safe_mode_refuses_to_sign_a_term_no_context_defines() -> None:
    """The final VC 2.0 context has no `@vocab`: an undefined term would silently fall out of the
    canonical form, unsigned. Safe mode makes it an error at issuance (and at verification)."""
    from zhijiao.adapters.signing.jsonld import UndefinedTerms

    key = keys.generate_ed25519()
    vm = keys.did_key_verification_method(key.public_key())
    credential = compose_achievement_credential(f.draft(vm.split("#")[0]))
    credential["credentialSubject"]["gpa"] = "3.9"
    with pytest.raises(UndefinedTerms, match="gpa"):
        add_proof(credential, key, vm, f.ISSUED)
    relative_type = {**credential, "type": ["VerifiableCredential", "Diplom"]}
    del relative_type["credentialSubject"]
    with pytest.raises(UndefinedTerms, match="Diplom"):
        canonicalize(relative_type)
    # a signed credential that gains an undefined term fails verification with that reason
    signed = add_proof(compose_achievement_credential(f.draft(vm.split("#")[0])), key, vm, f.ISSUED)
    signed["credentialSubject"]["gpa"] = "3.9"
    result = check_data_integrity(signed, KeyResolver())
    assert result.signature.outcome is CheckOutcome.failed and "安全模式" in result.signature.reason


def test_shipped_context_is_the_final_recommendation() -> None:
    context = json.loads((CONTEXTS / "credentials-v2.jsonld").read_text("utf-8"))["@context"]
    assert "@vocab" not in context
    entry = context["BitstringStatusListEntry"]["@context"]
    assert {"statusSize", "statusMessage"} <= set(entry)
    assert "statusSize" not in context["BitstringStatusList"]["@context"]
