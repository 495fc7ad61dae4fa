"""Request and response schemas of the credential routes."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from zhijiao.api.timestamps import Timestamp
from zhijiao.domain.credentials.records import CREDENTIAL_STATE_LABELS, IssuedCredential, KeyAlgorithm
from zhijiao.domain.credentials.verify import CheckOutcome, CredentialState, Verdict, VerificationReport


class CredentialIssue(BaseModel):
    algorithm: KeyAlgorithm = Field(default=KeyAlgorithm.eddsa, description="JWS 算法：EdDSA 或 RS256")
    hashed_subject: bool = Field(
        default=False, description="以加盐 identityHash 标识学习者（默认用学习账号）"
    )
    valid_until: Timestamp | None = None


class TranscriptIssue(CredentialIssue):
    outcome_ids: list[int] | None = Field(default=None, description="所选学习成果；不填则为整个账号")


class QualificationIssue(CredentialIssue):
    plan: str | None = Field(
        default=None, max_length=40, description="培养方案“院校编号/专业代码/年级”；不填则为学习者所在的方案"
    )


class CohortIssue(CredentialIssue):
    cohort_year: int = Field(ge=1990, le=2100)
    major_code: str | None = Field(default=None, max_length=16)


class CohortRead(BaseModel):
    accounts: int
    issued: int
    already: int


class StatusChange(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class CredentialRead(BaseModel):
    id: str
    kind: str
    name: str
    state: CredentialState
    state_label: str
    outcome_id: int | None
    selection: list[int] | None
    issuer_id: int
    kid: str
    issued_at: Timestamp
    valid_until: Timestamp | None
    verification_url: str
    status_list_credential: str
    status_list_index: int

    @classmethod
    def of(cls, c: IssuedCredential, verify_url: str, status_url: str) -> CredentialRead:
        return cls(
            id=c.id, kind=c.kind, name=c.name, state=c.state, state_label=CREDENTIAL_STATE_LABELS[c.state],
            outcome_id=c.outcome_id, selection=list(c.selection) if c.selection is not None else None,
            issuer_id=c.issuer_id, kid=c.kid, issued_at=c.issued_at, valid_until=c.valid_until,
            verification_url=verify_url, status_list_credential=status_url, status_list_index=c.status_index,
        )  # fmt: skip


class CredentialDocument(CredentialRead):
    jws: str
    credential: dict[str, Any] = Field(description="Data Integrity 签名的 JSON（成绩单为 JWS 载荷）")


class VerifyRequest(BaseModel):
    credential: dict[str, Any] | str = Field(
        description="凭证 JSON 对象（含 proof），或 JWS 紧凑序列化字符串"
    )


class CheckRead(BaseModel):
    outcome: CheckOutcome
    reason: str


class VerificationRead(BaseModel):
    verdict: Verdict
    valid: bool
    reason: str
    state: CredentialState | None
    checks: dict[str, CheckRead]
    credential_id: str | None = None
    issuer: str | None = None
    name: str | None = None

    @classmethod
    def of(cls, report: VerificationReport) -> VerificationRead:
        credential = report.credential or {}
        issuer = credential.get("issuer")
        return cls(
            verdict=report.verdict, valid=report.valid, reason=report.reason, state=report.state,
            checks={k: CheckRead(outcome=c.outcome, reason=c.reason) for k, c in report.checks().items()},
            credential_id=credential.get("id") if isinstance(credential.get("id"), str) else None,
            issuer=(issuer.get("name") if isinstance(issuer, dict) else issuer) if issuer else None,
            name=credential.get("name") if isinstance(credential.get("name"), str) else None,
        )  # fmt: skip
