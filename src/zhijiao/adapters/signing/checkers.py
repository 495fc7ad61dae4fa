"""Concrete callables for `zhijiao.domain.credentials.verify.verify_credential`."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from zhijiao.adapters.signing.data_integrity import check_data_integrity
from zhijiao.adapters.signing.jose import check_jws
from zhijiao.adapters.signing.keys import PublicKey
from zhijiao.domain.credentials.status_list import StatusList, StatusListEntry, read_status_list_credential
from zhijiao.domain.credentials.verify import Check, ProofChecker, ProofResult


def make_proof_checker(resolve_key: Callable[[str], PublicKey | None]) -> ProofChecker:
    """Accepts a compact JWS (str/bytes), a JSON text, or a parsed credential with a DI proof."""

    def check(raw: str | bytes | Mapping[str, Any]) -> ProofResult:
        if isinstance(raw, Mapping):
            return check_data_integrity(raw, resolve_key)
        try:
            text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        except UnicodeDecodeError:
            return ProofResult(None, Check.fail("凭证不是 UTF-8 文本"))
        text = text.strip()
        if not text.startswith("{"):
            return check_jws(text, resolve_key)
        try:
            document = json.loads(text)
        except ValueError:
            return ProofResult(None, Check.fail("凭证 JSON 格式错误，无法解析"))
        if not isinstance(document, dict):
            return ProofResult(None, Check.fail("凭证应为 JSON 对象"))
        return check_data_integrity(document, resolve_key)

    return check


class StatusLists:
    """Status bits from already fetched and verified `BitstringStatusListCredential`s, by URL."""

    def __init__(self) -> None:
        self._lists: dict[str, tuple[str, StatusList]] = {}

    def add(self, url: str, credential: Mapping[str, Any]) -> None:
        purpose, bits = read_status_list_credential(credential)
        self._lists[url] = (purpose.value, bits)

    def __call__(self, entry: StatusListEntry) -> int:
        purpose, bits = self._lists[entry.status_list_credential]  # KeyError → "not checked"
        if purpose != entry.purpose.value:
            raise ValueError("status purpose mismatch")
        return bits.get_value(entry.index, entry.size)
