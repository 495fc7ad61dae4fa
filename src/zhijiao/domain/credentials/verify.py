"""Verification as pure orchestration: the crypto, schema and status-list look-ups are
injected callables, so this module decides verdicts and writes reasons (zh-CN) only.

Every input gets a report; nothing here raises on bad input.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from zhijiao.domain.credentials.status_list import StatusListEntry, StatusPurpose
from zhijiao.domain.credentials.vocab import parse_datetime
from zhijiao.domain.errors import DomainError


class CheckOutcome(StrEnum):
    passed = "passed"
    failed = "failed"
    not_checked = "not_checked"


@dataclass(frozen=True, slots=True)
class Check:
    outcome: CheckOutcome
    reason: str  # zh-CN, shown to the verifier

    @classmethod
    def ok(cls, reason: str) -> Check:
        return cls(CheckOutcome.passed, reason)

    @classmethod
    def fail(cls, reason: str) -> Check:
        return cls(CheckOutcome.failed, reason)

    @classmethod
    def skip(cls, reason: str) -> Check:
        return cls(CheckOutcome.not_checked, reason)


class CredentialState(StrEnum):
    active = "active"  # 有效
    revoked = "revoked"  # 已撤销
    suspended = "suspended"  # 已暂停


class Verdict(StrEnum):
    valid = "valid"
    malformed = "malformed"
    tampered = "tampered"
    unknown_issuer = "unknown_issuer"
    revoked = "revoked"
    suspended = "suspended"
    expired = "expired"
    not_yet_valid = "not_yet_valid"
    schema_invalid = "schema_invalid"
    incomplete = "incomplete"  # some check could not be run (key or status list unavailable)


VERDICT_LABELS: dict[Verdict, str] = {
    Verdict.valid: "凭证有效",
    Verdict.malformed: "凭证格式错误，无法解析",
    Verdict.tampered: "签名无效：凭证可能被篡改",
    Verdict.unknown_issuer: "发证机构未知或不受信任",
    Verdict.revoked: "凭证已被撤销",
    Verdict.suspended: "凭证已被暂停",
    Verdict.expired: "凭证已过期",
    Verdict.not_yet_valid: "凭证尚未生效",
    Verdict.schema_invalid: "凭证不符合其结构规范（JSON Schema）",
    Verdict.incomplete: "部分检查无法完成，暂不能确认凭证有效",
}


@dataclass(frozen=True, slots=True)
class ProofResult:
    """What a proof checker found: the credential as signed, and whether the signature holds."""

    credential: Mapping[str, Any] | None  # None when the input could not be parsed at all
    signature: Check
    verification_method: str | None = None


class ProofChecker(Protocol):
    def __call__(self, raw: str | bytes | Mapping[str, Any], /) -> ProofResult: ...


class IssuerDirectory(Protocol):
    def __call__(self, issuer_id: str, /) -> bool:
        """Whether `issuer_id` is a registered, trusted issuer."""
        ...


class StatusBitReader(Protocol):
    def __call__(self, entry: StatusListEntry, /) -> int:
        """The value of `entry` in its (verified) status list: its bit, or its `statusSize`-bit
        number for purpose ``message``; raise if the list is unavailable."""
        ...


class SchemaChecker(Protocol):
    def __call__(self, credential: Mapping[str, Any], /) -> Sequence[str]:
        """Schema violations, empty when the credential is valid."""
        ...

    def checked(self, credential: Mapping[str, Any], /) -> str:
        """Exactly what `__call__` checks for this credential (zh-CN), e.g. which schema files."""
        ...


@dataclass(frozen=True, slots=True)
class VerificationReport:
    signature: Check
    issuer_known: Check
    not_expired: Check
    status: Check
    schema: Check
    state: CredentialState | None
    verdict: Verdict
    credential: Mapping[str, Any] | None = None

    @property
    def valid(self) -> bool:
        return self.verdict is Verdict.valid

    @property
    def reason(self) -> str:
        return VERDICT_LABELS[self.verdict]

    def checks(self) -> dict[str, Check]:
        return {
            "signature": self.signature,
            "issuer_known": self.issuer_known,
            "not_expired": self.not_expired,
            "status": self.status,
            "schema": self.schema,
        }


_SKIPPED = Check.skip("凭证无法解析，未检查")


def verify_credential(
    raw: str | bytes | Mapping[str, Any],
    *,
    check_proof: ProofChecker,
    is_known_issuer: IssuerDirectory,
    read_status_bit: StatusBitReader,
    validate_schema: SchemaChecker,
    now: datetime,
) -> VerificationReport:
    """Run every check on `raw` (a compact JWS or a JSON credential with an embedded proof)."""
    try:
        proof = check_proof(raw)
    except Exception as exc:  # an injected adapter must not turn bad input into a crash
        why = exc.message if isinstance(exc, DomainError) else "既不是紧凑 JWS，也不是带内嵌证明的 JSON 凭证"
        proof = ProofResult(None, Check.fail(f"凭证无法解析：{why}"))
    credential = proof.credential
    if credential is None or not isinstance(credential, Mapping):
        return VerificationReport(
            proof.signature, _SKIPPED, _SKIPPED, _SKIPPED, _SKIPPED, None, Verdict.malformed
        )
    issuer = _check_issuer(credential, proof.verification_method, is_known_issuer)
    validity = _check_validity(credential, now)
    status, state = _check_status(credential, read_status_bit)
    schema = _check_schema(credential, validate_schema)
    verdict = _verdict(proof.signature, issuer, validity, state, status, schema)
    return VerificationReport(
        proof.signature, issuer, validity.check, status, schema, state, verdict, credential
    )


def issuer_id_of(credential: Mapping[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


def _check_issuer(
    credential: Mapping[str, Any], verification_method: str | None, is_known: IssuerDirectory
) -> Check:
    issuer_id = issuer_id_of(credential)
    if issuer_id is None:
        return Check.fail("凭证缺少发证机构标识")
    if verification_method is not None and verification_method.split("#", 1)[0] != issuer_id:
        return Check.fail("签名密钥不属于该发证机构")
    try:
        known = is_known(issuer_id)
    except Exception:
        return Check.skip("暂时无法查询发证机构名录")
    return Check.ok("发证机构已登记") if known else Check.fail(f"发证机构 {issuer_id} 未在平台登记")


@dataclass(frozen=True, slots=True)
class _Validity:
    check: Check
    verdict: Verdict | None


def _check_validity(credential: Mapping[str, Any], now: datetime) -> _Validity:
    try:
        valid_from = parse_datetime(str(credential["validFrom"]))
        until_text = credential.get("validUntil")
        valid_until = parse_datetime(str(until_text)) if until_text is not None else None
    except (KeyError, ValueError):
        return _Validity(Check.fail("生效时间或截止时间缺失或格式错误"), Verdict.malformed)
    if now < valid_from:
        reason = f"凭证自 {valid_from.isoformat()} 起生效，尚未生效"
        return _Validity(Check.fail(reason), Verdict.not_yet_valid)
    if valid_until is not None and now >= valid_until:
        return _Validity(Check.fail(f"凭证已于 {valid_until.isoformat()} 过期"), Verdict.expired)
    return _Validity(Check.ok("在有效期内"), None)


def _check_status(
    credential: Mapping[str, Any], read_bit: StatusBitReader
) -> tuple[Check, CredentialState | None]:
    declared = credential.get("credentialStatus")
    if declared is None:
        return Check.ok("凭证未登记状态列表，视为有效"), CredentialState.active
    entries = declared if isinstance(declared, list) else [declared]
    state = CredentialState.active
    notes: list[str] = []
    for raw_entry in entries:
        try:
            entry = StatusListEntry.from_json(raw_entry if isinstance(raw_entry, Mapping) else {})
        except DomainError as exc:
            return Check.fail(exc.message), None
        try:
            value = int(read_bit(entry))
        except DomainError as exc:
            return Check.skip(exc.message), None
        except Exception:
            return Check.skip(f"无法获取状态列表 {entry.status_list_credential}"), None
        if entry.purpose is StatusPurpose.message:
            # Bitstring Status List 1.0: a message conveys information, it does not decide validity.
            notes.append(entry.message_for(value) or f"状态值 {hex(value)}")
            continue
        if value and entry.purpose is StatusPurpose.revocation:
            return Check.fail("凭证已被发证机构撤销"), CredentialState.revoked
        if value:
            state = CredentialState.suspended
    said = f"（状态说明：{'；'.join(notes)}）" if notes else ""
    if state is CredentialState.suspended:
        return Check.fail(f"凭证已被发证机构暂停{said}"), state
    return Check.ok(f"凭证状态正常{said}"), state


def suspended_not_revoked(report: VerificationReport, reason: str) -> VerificationReport:
    """The issuer knows that a set `revocation` bit stands for a suspension (one status entry per
    credential, docs/decisions/0013-status-purposes-and-reissue.md): report it as suspended."""
    if report.state is not CredentialState.revoked:
        return report
    verdict = Verdict.suspended if report.verdict is Verdict.revoked else report.verdict
    return replace(report, status=Check.fail(reason), state=CredentialState.suspended, verdict=verdict)


def _check_schema(credential: Mapping[str, Any], validate: SchemaChecker) -> Check:
    try:
        checked = validate.checked(credential)
        errors = list(validate(credential))
    except Exception:
        return Check.skip("结构校验未能执行")
    if errors:
        return Check.fail(f"不符合{checked}：" + "；".join(errors[:3]))
    return Check.ok(f"符合{checked}")


def _verdict(
    signature: Check,
    issuer: Check,
    validity: _Validity,
    state: CredentialState | None,
    status: Check,
    schema: Check,
) -> Verdict:
    if signature.outcome is CheckOutcome.failed:
        return Verdict.tampered
    if issuer.outcome is CheckOutcome.failed:
        return Verdict.unknown_issuer
    if state is CredentialState.revoked:
        return Verdict.revoked
    if state is CredentialState.suspended:
        return Verdict.suspended
    if validity.verdict is not None:
        return validity.verdict
    if schema.outcome is CheckOutcome.failed:
        return Verdict.schema_invalid
    if status.outcome is CheckOutcome.failed:
        return Verdict.malformed
    checks = (signature, issuer, status, schema)
    if any(c.outcome is CheckOutcome.not_checked for c in checks):
        return Verdict.incomplete
    return Verdict.valid
