"""Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite (W3C VC-DI-EdDSA)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from zhijiao.adapters.signing.jsonld import canonicalize
from zhijiao.adapters.signing.keys import PublicKey
from zhijiao.adapters.signing.multibase import from_multibase_b58, multibase_b58
from zhijiao.domain.credentials.verify import Check, ProofResult
from zhijiao.domain.credentials.vocab import format_datetime

CRYPTOSUITE = "eddsa-rdfc-2022"


def proof_config(document: Mapping[str, Any], verification_method: str, created: datetime) -> dict[str, Any]:
    """The proof options (no `proofValue`), carrying the document's `@context`."""
    return {
        "@context": document["@context"],
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": format_datetime(created),
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }


def hash_data(config: Mapping[str, Any], document: Mapping[str, Any]) -> bytes:
    """sha256(canonical proof config) || sha256(canonical unsecured document)."""
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    return (
        hashlib.sha256(canonicalize(config).encode("utf-8")).digest()
        + hashlib.sha256(canonicalize(unsecured).encode("utf-8")).digest()
    )


def add_proof(
    document: Mapping[str, Any], key: Ed25519PrivateKey, verification_method: str, created: datetime
) -> dict[str, Any]:
    """A copy of `document` with an embedded `eddsa-rdfc-2022` DataIntegrityProof.

    `proof` is a one-element array: VC DI allows a set, and the OB 3.0 schema requires an array."""
    config = proof_config(document, verification_method, created)
    signature = key.sign(hash_data(config, document))
    proof = {k: v for k, v in config.items() if k != "@context"}
    proof["proofValue"] = multibase_b58(signature)
    return {**document, "proof": [proof]}


def check_data_integrity(
    document: Mapping[str, Any], resolve_key: Callable[[str], PublicKey | None]
) -> ProofResult:
    """Verify the embedded proof; never raises."""
    proof = document.get("proof")
    if isinstance(proof, list) and len(proof) == 1:
        proof = proof[0]
    if not isinstance(proof, Mapping):
        return ProofResult(document, Check.fail("凭证缺少签名（proof）"))
    method = proof.get("verificationMethod")
    method = method if isinstance(method, str) else None
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        reason = "不支持的证明类型，应为 DataIntegrityProof / eddsa-rdfc-2022"
        return ProofResult(document, Check.fail(reason), method)
    if proof.get("proofPurpose") != "assertionMethod" or method is None:
        return ProofResult(document, Check.fail("证明用途或验证方法缺失"), method)
    public = resolve_key(method)
    if public is None:
        return ProofResult(document, Check.skip(f"无法获取签名公钥 {method}"), method)
    if not isinstance(public, Ed25519PublicKey):
        return ProofResult(document, Check.fail("eddsa-rdfc-2022 需要 Ed25519 公钥"), method)
    config = {"@context": document.get("@context"), **{k: v for k, v in proof.items() if k != "proofValue"}}
    try:
        signature = from_multibase_b58(str(proof.get("proofValue", "")))
        public.verify(signature, hash_data(config, document))
    except InvalidSignature:
        return ProofResult(document, Check.fail("Data Integrity 签名校验失败：内容或签名已被改动"), method)
    except Exception as exc:  # pyld raises its own errors for unloadable or invalid JSON-LD
        return ProofResult(document, Check.fail(f"无法规范化凭证（JSON-LD）：{_first_line(exc)}"), method)
    return ProofResult(document, Check.ok("Data Integrity（eddsa-rdfc-2022）签名有效"), method)


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
