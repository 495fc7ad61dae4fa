"""Verifying credentials (public: no login) and publishing status lists.

The pure pipeline (`domain.credentials.verify`) gets its look-ups from the platform: keys of
known issuers (retired ones included), the issuer directory, our own status lists, and the
official OB 3.0 schema. Transcripts (CLR) are checked by their JWS; their schema check validates
every bundled AchievementCredential (the CLR schema is not pinned here).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from zhijiao.adapters.signing.checkers import make_proof_checker
from zhijiao.adapters.signing.data_integrity import add_proof
from zhijiao.adapters.signing.keys import PublicKey
from zhijiao.adapters.signing.schema import schema_errors
from zhijiao.domain.credentials.status_list import (
    STATE_MESSAGES,
    StatusList,
    StatusListEntry,
    StatusPurpose,
    compose_status_list_credential,
)
from zhijiao.domain.credentials.verify import (
    Check,
    ProofResult,
    VerificationReport,
    verify_credential,
)
from zhijiao.domain.errors import NotFound
from zhijiao.services import clock
from zhijiao.services.credentials.issuers import IssuingSite, ed25519_signer, public_key

if TYPE_CHECKING:
    from zhijiao.adapters.db.uow import SqlUnitOfWork

MAX_INPUT = 2_000_000  # bytes; a transcript of many credentials stays far below this
CLR_JOSE_ONLY = "成绩单（CLR）凭证仅以 VC-JOSE（JWS）签名：CLR 的 JSON-LD 上下文未离线预置，请提交其 JWS 文本"


def _types(document: Mapping[str, Any]) -> list[str]:
    declared = document.get("type")
    return [declared] if isinstance(declared, str) else [t for t in declared or [] if isinstance(t, str)]


def is_transcript(document: Mapping[str, Any]) -> bool:
    return "ClrCredential" in _types(document)


def _schema(credential: Mapping[str, Any]) -> Sequence[str]:
    if not is_transcript(credential):
        return schema_errors(credential)
    subject = credential.get("credentialSubject")
    bundled = subject.get("verifiableCredential") if isinstance(subject, Mapping) else None
    if not isinstance(bundled, list) or not bundled:
        return ["credentialSubject/verifiableCredential: 成绩单应至少包含一份凭证"]
    errors: list[str] = []
    for i, item in enumerate(bundled):
        found = schema_errors(item) if isinstance(item, Mapping) else ["不是 JSON 对象"]
        errors.extend(f"verifiableCredential/{i}/{e}" for e in found)
    return errors


def parse_input(raw: str | bytes | Mapping[str, Any]) -> str | bytes | Mapping[str, Any]:
    """Accept what people paste or upload: a JWS, a JSON credential, or a JSON string holding a JWS."""
    if isinstance(raw, Mapping):
        return raw
    if len(raw) > MAX_INPUT:
        return b"\xff"  # reported as unreadable, not parsed
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw
    text = raw.strip().removeprefix("\ufeff")
    if text.startswith('"'):
        try:
            inner = json.loads(text)
        except ValueError:
            return text
        return inner if isinstance(inner, str) else text
    return text


def verify(
    uow: SqlUnitOfWork, site: IssuingSite, raw: str | bytes | Mapping[str, Any], now: datetime | None = None
) -> VerificationReport:
    """All five checks and a verdict; never raises on bad input."""
    raw = parse_input(raw)
    with uow.read():

        def resolve(kid: str) -> PublicKey | None:
            record = uow.credentials.key_by_kid(kid)
            return public_key(record) if record is not None else None

        proof_checker = make_proof_checker(resolve)

        def check_proof(value: str | bytes | Mapping[str, Any]) -> ProofResult:
            result = proof_checker(value)
            document = result.credential
            as_json = isinstance(value, Mapping) or str(value).lstrip().startswith("{")
            if as_json and document is not None and is_transcript(document) and "proof" not in document:
                return ProofResult(document, Check.skip(CLR_JOSE_ONLY), result.verification_method)
            return result

        def read_status(entry: StatusListEntry) -> int:
            list_id = site.status_list_id(entry.status_list_credential)
            record = uow.credentials.status_list(list_id) if list_id is not None else None
            if record is None:
                raise LookupError("not one of our status lists")
            if record.purpose != entry.purpose.value or record.status_size != entry.size:
                raise ValueError("status purpose or size mismatch")
            return StatusList.from_bytes(record.bits).get_value(entry.index, record.status_size)

        return verify_credential(
            raw,
            check_proof=check_proof,
            is_known_issuer=uow.credentials.is_known_did,
            read_status_bit=read_status,
            validate_schema=_schema,
            now=now or clock.utcnow(),
        )


def status_list_credential(uow: SqlUnitOfWork, site: IssuingSite, list_id: int) -> dict[str, Any]:
    """The `BitstringStatusListCredential` at its stable URL, signed (eddsa-rdfc-2022) by the list's issuer."""
    with uow.read():
        record = uow.credentials.status_list(list_id)
        issuer = uow.credentials.issuer(record.issuer_id) if record is not None else None
        if record is None or issuer is None:
            raise NotFound("状态列表不存在", code="status_list_not_found")
        kid, key = ed25519_signer(uow, site, issuer)
    unsigned = compose_status_list_credential(
        list_url=site.status_url(list_id),
        issuer_id=issuer.did,
        purpose=StatusPurpose(record.purpose),
        status_list=StatusList.from_bytes(record.bits),
        valid_from=record.updated_at,
        status_size=record.status_size,
        messages=STATE_MESSAGES if record.status_size > 1 else (),
    )
    return add_proof(unsigned, key, kid, clock.utcnow())
