"""Protection of personal identity numbers: AES-256-GCM encryption plus an HMAC-SHA256 index.

Both keys are derived from the one secret key with HKDF, each with its own label.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_VERSION = b"\x01"


def derive_key(secret: str, label: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"zhijiao", info=label.encode()).derive(
        secret.encode("utf-8")
    )


class IdentityVault:
    """Encrypts identity numbers and computes their look-up index. Never logs a number."""

    def __init__(self, secret: str) -> None:
        self._aead = AESGCM(derive_key(secret, "pii-encryption-v1"))
        self._hmac_key = derive_key(secret, "pii-index-v1")

    def __repr__(self) -> str:
        return "IdentityVault(<keys hidden>)"

    def index(self, id_type: str, number: str) -> str:
        msg = f"{id_type}:{number}".encode()
        return hmac.new(self._hmac_key, msg, hashlib.sha256).hexdigest()

    def encrypt(self, number: str) -> bytes:
        nonce = os.urandom(12)
        return _VERSION + nonce + self._aead.encrypt(nonce, number.encode("utf-8"), _VERSION)

    def decrypt(self, blob: bytes) -> str:
        if blob[:1] != _VERSION:
            raise ValueError("unknown identity-number encryption version")
        return self._aead.decrypt(blob[1:13], blob[13:], _VERSION).decode("utf-8")
