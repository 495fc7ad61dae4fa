"""DID documents and key resolution: did:key (demo) and did:web (production).

A did:web document lists every key the issuer ever signed with; retired keys stay in
`verificationMethod` and `assertionMethod` so credentials signed before a rotation still verify.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from joserfc.jwk import RSAKey

from zhijiao.adapters.signing.keys import PublicKey, SigningKeyError, ed25519_from_multikey, ed25519_multikey

DID_CONTEXTS = [
    "https://www.w3.org/ns/did/v1",
    "https://w3id.org/security/multikey/v1",
    "https://w3id.org/security/suites/jws-2020/v1",
]


@dataclass(frozen=True, slots=True)
class IssuerKey:
    """One key of an issuer; `fragment` names it inside the DID document (e.g. ``key-2025``)."""

    fragment: str
    public_key: PublicKey


def did_web(host: str, *path: str) -> str:
    """`did:web:host[:path…]`; a port is percent-encoded (``example.edu%3A8443``)."""
    return ":".join(["did:web", host.replace(":", "%3A"), *path])


def verification_method(did: str, key: IssuerKey) -> dict[str, Any]:
    vm_id = f"{did}#{key.fragment}"
    if isinstance(key.public_key, Ed25519PublicKey):
        return {
            "id": vm_id,
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": ed25519_multikey(key.public_key),
        }
    jwk = RSAKey.import_key(key.public_key).as_dict(private=False)
    return {"id": vm_id, "type": "JsonWebKey2020", "controller": did, "publicKeyJwk": jwk}


def build_did_document(did: str, keys: Sequence[IssuerKey]) -> dict[str, Any]:
    """The DID document for `did` listing `keys` (current and retired) as assertion methods."""
    if not keys:
        raise ValueError("a DID document needs at least one key")
    methods = [verification_method(did, key) for key in keys]
    return {
        "@context": list(DID_CONTEXTS),
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [m["id"] for m in methods],
    }


class KeyResolver:
    """Resolve a verification-method id to a public key: did:key is self-describing; other
    DIDs are looked up in the DID documents the caller already holds (no network here)."""

    def __init__(self, documents: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        self._documents = dict(documents or {})

    def add(self, document: Mapping[str, Any]) -> None:
        self._documents[str(document["id"])] = document

    def __call__(self, method_id: str) -> PublicKey | None:
        did, _, fragment = method_id.partition("#")
        try:
            if did.startswith("did:key:"):
                multikey = did.removeprefix("did:key:")
                return ed25519_from_multikey(multikey) if fragment in ("", multikey) else None
            document = self._documents.get(did)
            return _key_in_document(document, method_id) if document is not None else None
        except (SigningKeyError, ValueError, KeyError, TypeError):
            return None


def _key_in_document(document: Mapping[str, Any], method_id: str) -> PublicKey | None:
    assertion = {_absolute(str(document["id"]), m) for m in document.get("assertionMethod", [])}
    if method_id not in assertion:
        return None
    for method in document.get("verificationMethod", []):
        if _absolute(str(document["id"]), method) != method_id:
            continue
        if "publicKeyMultibase" in method:
            return ed25519_from_multikey(str(method["publicKeyMultibase"]))
        key = RSAKey.import_key(dict(method["publicKeyJwk"])).get_op_key("verify")
        return key if isinstance(key, RSAPublicKey) else None
    return None


def _absolute(did: str, reference: object) -> str:
    ref = str(reference["id"]) if isinstance(reference, Mapping) else str(reference)
    return did + ref if ref.startswith("#") else ref
