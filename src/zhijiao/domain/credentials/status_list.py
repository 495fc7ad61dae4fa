"""W3C Bitstring Status List 1.0: the bitstring, its encoding, and the list credential.

Bit 0 is the most significant (left-most) bit of the first byte. The encoded list is
GZIP-compressed, then base64url without padding with the multibase prefix ``u``.
"""

from __future__ import annotations

import base64
import binascii
import gzip
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from zhijiao.domain.credentials.vocab import CREDENTIALS_V2_CONTEXT, format_datetime
from zhijiao.domain.errors import ValidationFailed

MIN_ENTRIES = 131_072  # the spec's minimum size (16 KiB), which gives group privacy
MULTIBASE_BASE64URL = "u"


class StatusPurpose(StrEnum):
    revocation = "revocation"  # 撤销（不可恢复）
    suspension = "suspension"  # 暂停（可恢复）


class StatusList:
    """A mutable bitstring of at least `MIN_ENTRIES` entries."""

    __slots__ = ("_bits",)

    def __init__(self, size: int = MIN_ENTRIES) -> None:
        if size < MIN_ENTRIES or size % 8:
            raise ValidationFailed(
                f"状态列表至少应有 {MIN_ENTRIES} 个条目，且为 8 的倍数", code="status_list_size"
            )
        self._bits = bytearray(size // 8)

    @classmethod
    def from_bytes(cls, raw: bytes) -> StatusList:
        status_list = cls(len(raw) * 8)
        status_list._bits[:] = raw
        return status_list

    def __len__(self) -> int:
        return len(self._bits) * 8

    def _locate(self, index: int) -> tuple[int, int]:
        if not 0 <= index < len(self):
            raise ValidationFailed(f"状态索引 {index} 超出范围（0–{len(self) - 1}）", code="status_index")
        return index // 8, 0x80 >> (index % 8)

    def get(self, index: int) -> bool:
        byte, mask = self._locate(index)
        return bool(self._bits[byte] & mask)

    def set(self, index: int, value: bool = True) -> None:
        byte, mask = self._locate(index)
        if value:
            self._bits[byte] |= mask
        else:
            self._bits[byte] &= ~mask & 0xFF

    def to_bytes(self) -> bytes:
        return bytes(self._bits)

    def encode(self) -> str:
        """GZIP, then multibase base64url without padding (``u…``)."""
        packed = gzip.compress(self.to_bytes(), mtime=0)
        return MULTIBASE_BASE64URL + base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")

    @classmethod
    def decode(cls, encoded: str) -> StatusList:
        if not encoded.startswith(MULTIBASE_BASE64URL):
            raise ValidationFailed("状态列表编码应以多重编码前缀“u”开头", code="status_list_encoding")
        body = encoded[1:]
        try:
            packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            raw = gzip.decompress(packed)
        except (binascii.Error, OSError, EOFError, ValueError):
            message = "状态列表无法解码（应为 GZIP + base64url）"
            raise ValidationFailed(message, code="status_list_encoding") from None
        return cls.from_bytes(raw)


@dataclass(frozen=True, slots=True)
class StatusListEntry:
    """Where one credential's status bit lives: embedded as `credentialStatus`."""

    status_list_credential: str  # URL of the BitstringStatusListCredential
    index: int
    purpose: StatusPurpose = StatusPurpose.revocation

    def to_json(self) -> dict[str, Any]:
        return {
            "id": f"{self.status_list_credential}#{self.index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": self.purpose.value,
            "statusListIndex": str(self.index),
            "statusListCredential": self.status_list_credential,
        }

    @classmethod
    def from_json(cls, entry: Mapping[str, Any]) -> StatusListEntry:
        if entry.get("type") != "BitstringStatusListEntry":
            raise ValidationFailed("不支持的凭证状态类型", code="status_type")
        try:
            return cls(
                status_list_credential=str(entry["statusListCredential"]),
                index=int(str(entry["statusListIndex"])),
                purpose=StatusPurpose(entry["statusPurpose"]),
            )
        except (KeyError, ValueError):
            raise ValidationFailed("凭证状态条目不完整或取值无效", code="status_entry") from None


def compose_status_list_credential(
    *,
    list_url: str,
    issuer_id: str,
    purpose: StatusPurpose,
    status_list: StatusList,
    valid_from: datetime,
    valid_until: datetime | None = None,
) -> dict[str, Any]:
    """A `BitstringStatusListCredential` (unsigned) publishing `status_list` at `list_url`."""
    credential: dict[str, Any] = {
        "@context": [CREDENTIALS_V2_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": format_datetime(valid_from),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": purpose.value,
            "encodedList": status_list.encode(),
        },
    }
    if valid_until is not None:
        credential["validUntil"] = format_datetime(valid_until)
    return credential


def read_status_list_credential(credential: Mapping[str, Any]) -> tuple[StatusPurpose, StatusList]:
    """The purpose and the decoded bitstring of a `BitstringStatusListCredential`."""
    subject = credential.get("credentialSubject")
    if not isinstance(subject, Mapping) or subject.get("type") != "BitstringStatusList":
        raise ValidationFailed("不是有效的状态列表凭证", code="status_list_credential")
    try:
        purpose = StatusPurpose(str(subject.get("statusPurpose")))
    except ValueError:
        raise ValidationFailed("状态列表的用途无效", code="status_list_credential") from None
    encoded = subject.get("encodedList")
    if not isinstance(encoded, str):
        raise ValidationFailed("状态列表缺少 encodedList", code="status_list_credential")
    return purpose, StatusList.decode(encoded)
