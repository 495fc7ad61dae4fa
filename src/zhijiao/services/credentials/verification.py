"""Verifying credentials (public: no login) and publishing status lists.

The pure pipeline (`domain.credentials.verify`) gets its look-ups from the platform: keys of
known issuers (retired ones included), the issuer directory, our own status lists, and the
schemas (official OB 3.0; CLR 2.0 written from its data model). Transcripts (CLR) are checked by
their JWS. A credential has one `revocation` entry; a set bit of a credential the platform holds
as suspended is reported as suspended (docs/decisions/0013-status-purposes-and-reissue.md).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from zhijiao.adapters.signing.checkers import make_proof_checker
from zhijiao.adapters.signing.data_integrity import add_proof
from zhijiao.adapters.signing.keys import PublicKey
from zhijiao.adapters.signing.schema import CREDENTIAL_SCHEMAS
from zhijiao.domain.credentials.records import IssuedCredential
from zhijiao.domain.credentials.status_list import (
    StatusList,
    StatusListEntry,
    StatusPurpose,
    compose_status_list_credential,
)
from zhijiao.domain.credentials.verify import (
    Check,
    CredentialState,
    ProofResult,
    VerificationReport,
    suspended_not_revoked,
    verify_credential,
)
from zhijiao.domain.errors import NotFound, ValidationFailed
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
                raise ValidationFailed(SUPERSEDED if entry.purpose is StatusPurpose.message else MISMATCH)
            return StatusList.from_bytes(record.bits).get_value(entry.index, record.status_size)

        report = verify_credential(
            raw,
            check_proof=check_proof,
            is_known_issuer=uow.credentials.is_known_did,
            read_status_bit=read_status,
            validate_schema=CREDENTIAL_SCHEMAS,
            now=now or clock.utcnow(),
        )
        stored = _stored(uow, report.credential)
        if stored is not None and stored.state is CredentialState.suspended:
            return suspended_not_revoked(report, SUSPENDED)
        return report


SUPERSEDED = "此副本的状态条目已过时：该凭证已按 VC 2.0 正式版重新签发，请向持有人索取新副本"
MISMATCH = "状态条目的用途或位数与状态列表不符"
SUSPENDED = "凭证已被发证机构暂停（状态列表中该凭证的撤销位已置位；恢复后清除）"


def _stored(uow: SqlUnitOfWork, credential: Mapping[str, Any] | None) -> IssuedCredential | None:
    """The platform's record of `credential`, when it is one the platform issued."""
    cred_id = credential.get("id") if credential is not None else None
    if not isinstance(cred_id, str) or not cred_id.startswith("urn:uuid:"):
        return None
    return uow.credentials.credential(cred_id.removeprefix("urn:uuid:"))


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
    )
    return add_proof(unsigned, key, kid, clock.utcnow())
