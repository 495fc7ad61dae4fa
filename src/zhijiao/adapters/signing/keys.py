"""Issuer signing keys: generation, encrypted storage, did:key, public-key encodings."""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from zhijiao.adapters.signing.multibase import ED25519_PUB_MULTICODEC, from_multibase_b58, multibase_b58

PrivateKey = Ed25519PrivateKey | RSAPrivateKey
PublicKey = Ed25519PublicKey | RSAPublicKey

_SEALED_VERSION = b"zjk1"  # format tag: version || 12-byte nonce || AES-256-GCM(PKCS#8 DER)


class SigningKeyError(Exception):
    """A key could not be decrypted, parsed or resolved."""


def generate_ed25519() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def generate_rsa2048() -> RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def seal_private_key(key: PrivateKey, kek: bytes, *, key_id: str) -> bytes:
    """Encrypt `key` (PKCS#8) with AES-256-GCM under the 32-byte key-encryption key `kek`;
    `key_id` is bound as associated data so a sealed key cannot be swapped between records."""
    if len(kek) != 32:
        raise ValueError("key-encryption key must be 32 bytes (AES-256)")
    der = key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    nonce = os.urandom(12)
    return _SEALED_VERSION + nonce + AESGCM(kek).encrypt(nonce, der, key_id.encode("utf-8"))


def unseal_private_key(sealed: bytes, kek: bytes, *, key_id: str) -> PrivateKey:
    if not sealed.startswith(_SEALED_VERSION) or len(kek) != 32:
        raise SigningKeyError("密钥格式或密钥加密密钥无效")
    nonce, body = sealed[4:16], sealed[16:]
    try:
        der = AESGCM(kek).decrypt(nonce, body, key_id.encode("utf-8"))
    except InvalidTag:
        raise SigningKeyError("密钥解密失败：密钥加密密钥或密钥标识不匹配") from None
    key = serialization.load_der_private_key(der, password=None)
    if not isinstance(key, Ed25519PrivateKey | RSAPrivateKey):
        raise SigningKeyError("不支持的密钥类型")
    return key


def ed25519_raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def ed25519_multikey(public: Ed25519PublicKey) -> str:
    """`publicKeyMultibase` of a Multikey: base58btc(0xed01 || raw key), ``z6Mk…``."""
    return multibase_b58(ED25519_PUB_MULTICODEC + ed25519_raw(public))


def ed25519_from_multikey(value: str) -> Ed25519PublicKey:
    try:
        raw = from_multibase_b58(value)
    except ValueError as exc:
        raise SigningKeyError(f"无效的 Multikey：{exc}") from None
    if not raw.startswith(ED25519_PUB_MULTICODEC) or len(raw) != 34:
        raise SigningKeyError("Multikey 不是 Ed25519 公钥")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def did_key(public: Ed25519PublicKey) -> str:
    return "did:key:" + ed25519_multikey(public)


def did_key_verification_method(public: Ed25519PublicKey) -> str:
    """`did:key:z6Mk…#z6Mk…`, the verification method id used as JWS `kid` and proof method."""
    multikey = ed25519_multikey(public)
    return f"did:key:{multikey}#{multikey}"
