"""What the platform keeps about issuers, their keys, status lists and issued credentials (pure data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from zhijiao.domain.credentials.verify import CheckOutcome, CredentialState


class KeyAlgorithm(StrEnum):
    eddsa = "EdDSA"  # Ed25519: VC-JOSE EdDSA and Data Integrity eddsa-rdfc-2022
    rs256 = "RS256"  # RSA 2048: VC-JOSE RS256 (did:web only; did:key here is Ed25519)


class DidMethod(StrEnum):
    key = "key"  # demo: self-describing, a rotation gives the issuer a new DID
    web = "web"  # production: did:web:<host>[:issuers:<id>], documents served by the platform


class CredentialKind(StrEnum):
    achievement = "achievement"  # one outcome, exemption or qualification
    transcript = "transcript"  # CLR-style bundle


CREDENTIAL_STATE_LABELS = {
    CredentialState.active: "有效",
    CredentialState.suspended: "已暂停",
    CredentialState.revoked: "已撤销",
}


@dataclass(frozen=True, slots=True)
class IssuerRecord:
    id: int
    handle: str
    institution_id: int | None  # None: the credit bank platform itself (transcripts)
    did: str
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class IssuerKeyRecord:
    id: int
    issuer_id: int
    did: str
    kid: str
    fragment: str
    algorithm: KeyAlgorithm
    public_key_pem: str
    sealed_private_key: bytes
    created_at: datetime
    retired_at: datetime | None


@dataclass(frozen=True, slots=True)
class StatusListRecord:
    id: int
    issuer_id: int
    purpose: str
    status_size: int
    capacity: int
    next_index: int
    bits: bytes
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class IssuedCredential:
    id: str  # uuid
    account_id: int
    issuer_id: int
    kind: str  # an AchievementKind value or "transcript"
    outcome_id: int | None
    source_ref: str | None
    selection: tuple[int, ...] | None
    name: str
    status_list_id: int
    status_index: int
    state: CredentialState
    kid: str
    jws: str
    di_json: str | None
    issued_by: str
    issued_at: datetime
    valid_until: datetime | None

    @property
    def urn(self) -> str:
        return f"urn:uuid:{self.id}"

    @property
    def is_transcript(self) -> bool:
        return self.kind == CredentialKind.transcript.value


CHECK_LABELS = {
    "signature": "签名",
    "issuer_known": "发证机构",
    "not_expired": "有效期",
    "status": "状态",
    "schema": "结构规范",
}
OUTCOME_LABELS = {
    CheckOutcome.passed: "通过",
    CheckOutcome.failed: "未通过",
    CheckOutcome.not_checked: "未检查",
}
