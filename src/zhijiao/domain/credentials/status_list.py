"""W3C Bitstring Status List 1.0: the bitstring, its encoding, and the list credential.

Bit 0 is the most significant (left-most) bit of the first byte. The encoded list is
GZIP-compressed, then base64url without padding with the multibase prefix ``u``.
The platform issues one-bit entries of purpose ``revocation`` (docs/decisions/0013). Entries of
`statusSize` n > 1 (purpose ``message``, as issued before) can still be read: entry i occupies bits
i·n … i·n+n-1, read as a big-endian number whose meaning is given by the entry's `statusMessage`.
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
    message = "message"  # 多位状态值，含义见 statusMessage


@dataclass(frozen=True, slots=True)
class StatusMessage:
    """One row of a `statusMessage` table: a status value and what it means."""

    status: int
    message: str

    def to_json(self) -> dict[str, str]:
        return {"status": hex(self.status), "message": self.message}


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

    def entries(self, status_size: int = 1) -> int:
        """How many entries of `status_size` bits the list holds."""
        return len(self) // status_size

    def get_value(self, index: int, status_size: int = 1) -> int:
        """The `status_size`-bit value of entry `index` (big-endian, bit 0 first)."""
        self._check_entry(index, status_size)
        value = 0
        for bit in range(index * status_size, (index + 1) * status_size):
            value = (value << 1) | int(self.get(bit))
        return value

    def set_value(self, index: int, value: int, status_size: int = 1) -> None:
        self._check_entry(index, status_size)
        if not 0 <= value < 1 << status_size:
            raise ValidationFailed(f"状态值 {value} 超出 {status_size} 位的范围", code="status_value")
        first = index * status_size
        for offset in range(status_size):
            self.set(first + offset, bool(value >> (status_size - 1 - offset) & 1))

    def _check_entry(self, index: int, status_size: int) -> None:
        if not 1 <= status_size <= 8:
            raise ValidationFailed("statusSize 应为 1–8", code="status_size")
        if not 0 <= index < self.entries(status_size):
            limit = self.entries(status_size) - 1
            raise ValidationFailed(f"状态索引 {index} 超出范围（0–{limit}）", code="status_index")

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
    size: int = 1  # statusSize in bits
    messages: tuple[StatusMessage, ...] = ()  # statusMessage; required when size > 1

    def __post_init__(self) -> None:
        if self.size > 1 and len(self.messages) != 1 << self.size:
            raise ValidationFailed(
                f"statusSize 为 {self.size} 时 statusMessage 应有 {1 << self.size} 项", code="status_message"
            )

    def to_json(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "id": f"{self.status_list_credential}#{self.index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": self.purpose.value,
            "statusListIndex": str(self.index),
            "statusListCredential": self.status_list_credential,
        }
        if self.size > 1:
            entry["statusSize"] = self.size
        if self.messages:
            entry["statusMessage"] = [m.to_json() for m in self.messages]
        return entry

    def message_for(self, value: int) -> str | None:
        return next((m.message for m in self.messages if m.status == value), None)

    @classmethod
    def from_json(cls, entry: Mapping[str, Any]) -> StatusListEntry:
        if entry.get("type") != "BitstringStatusListEntry":
            raise ValidationFailed("不支持的凭证状态类型", code="status_type")
        try:
            raw_messages = entry.get("statusMessage") or []
            return cls(
                status_list_credential=str(entry["statusListCredential"]),
                index=int(str(entry["statusListIndex"])),
                purpose=StatusPurpose(entry["statusPurpose"]),
                size=int(entry.get("statusSize", 1)),
                messages=tuple(
                    StatusMessage(int(str(m["status"]), 16), str(m["message"])) for m in raw_messages
                ),
            )
        except (KeyError, ValueError, TypeError):
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
    """A `BitstringStatusListCredential` (unsigned) publishing `status_list` at `list_url`.

    `statusSize` and `statusMessage` belong to the entries (the final VC 2.0 context defines them
    only inside `BitstringStatusListEntry`), so the list's subject never carries them."""
    subject: dict[str, Any] = {
        "id": f"{list_url}#list",
        "type": "BitstringStatusList",
        "statusPurpose": purpose.value,
        "encodedList": status_list.encode(),
    }
    credential: dict[str, Any] = {
        "@context": [CREDENTIALS_V2_CONTEXT],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": format_datetime(valid_from),
        "credentialSubject": subject,
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
