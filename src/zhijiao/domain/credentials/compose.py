"""Compose Open Badges 3.0 `AchievementCredential`s and CLR 2.0 `ClrCredential` transcripts.

Plain dataclasses in, JSON-ready dicts out (unsigned; proofs are added by the signing
adapter). A credential never carries a national ID number: the subject is the learning
account URN or a salted `identityHash` (OB 3.0 IdentityObject).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from zhijiao.domain.credentials.status_list import StatusListEntry
from zhijiao.domain.credentials.vocab import (
    ACCOUNT_URN_PREFIX,
    ACHIEVEMENT_TYPES,
    CLR_CONTEXTS,
    OB_CONTEXTS,
    AchievementKind,
    credits_number,
    format_datetime,
)
from zhijiao.domain.errors import ValidationFailed
from zhijiao.domain.identity import parse_national_id, validate_account_no


@dataclass(frozen=True, slots=True)
class IssuerProfile:
    """发证机构：院校、企业或培训评价组织。`id` is its DID (did:key in the demo, did:web in production)."""

    id: str
    name: str
    url: str
    description: str | None = None

    def to_json(self) -> dict[str, Any]:
        profile: dict[str, Any] = {"id": self.id, "type": ["Profile"], "name": self.name, "url": self.url}
        if self.description:
            profile["description"] = self.description
        return profile


@dataclass(frozen=True, slots=True)
class AchievementSpec:
    """What is achieved (课程、证书、奖项、免修、资历…); shared by every credential awarding it."""

    id: str  # a URL
    kind: AchievementKind
    name: str
    description: str
    criteria_narrative: str
    credits_available: Decimal | None = None
    human_code: str | None = None  # e.g. the 1+X certificate or course code
    field_of_study: str | None = None

    def to_json(self) -> dict[str, Any]:
        achievement: dict[str, Any] = {
            "id": self.id,
            "type": ["Achievement"],
            "achievementType": ACHIEVEMENT_TYPES[self.kind],
            "name": self.name,
            "description": self.description,
            "criteria": {"narrative": self.criteria_narrative},
        }
        if self.credits_available is not None:
            achievement["creditsAvailable"] = credits_number(self.credits_available)
        if self.human_code:
            achievement["humanCode"] = self.human_code
        if self.field_of_study:
            achievement["fieldOfStudy"] = self.field_of_study
        return achievement


@dataclass(frozen=True, slots=True)
class AccountSubject:
    """The learner named by the learning-account URN `urn:zhijiao:account:<account_no>`."""

    account_no: str

    def to_json(self) -> dict[str, Any]:
        return {"id": ACCOUNT_URN_PREFIX + validate_account_no(self.account_no)}


def identity_hash(identifier: str, salt: str) -> str:
    """OB 3.0 IdentityHash: ``sha256$`` + hex(sha256(identifier + salt)), both UTF-8."""
    return "sha256$" + hashlib.sha256((identifier + salt).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class HashedSubject:
    """The learner named only by a salted hash (e.g. of the account number or an e-mail address)."""

    identifier: str
    salt: str
    identity_type: str = "identifier"  # OB IdentifierTypeEnum, e.g. accountId, emailAddress

    def to_json(self) -> dict[str, Any]:
        if self.identity_type == "nationalIdentityNumber" or _is_national_id(self.identifier):
            raise ValidationFailed("凭证中不得使用居民身份证号标识学习者", code="national_id_in_credential")
        if len(self.salt) < 16:
            raise ValidationFailed("identityHash 的盐值至少 16 个字符", code="identity_salt")
        return {
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": self.identity_type,
                    "hashed": True,
                    "identityHash": identity_hash(self.identifier, self.salt),
                    "salt": self.salt,
                }
            ]
        }


Subject = AccountSubject | HashedSubject


@dataclass(frozen=True, slots=True)
class AchievementCredentialDraft:
    """One award of `achievement` to `subject` by `issuer`."""

    id: str  # the credential's URL or `urn:uuid:…`
    issuer: IssuerProfile
    achievement: AchievementSpec
    subject: Subject
    valid_from: datetime
    valid_until: datetime | None = None
    awarded_date: datetime | None = None
    credits_earned: Decimal | None = None
    result_value: str | None = None  # score or grade as shown on the certificate
    activity_end: date | None = None
    status: Sequence[StatusListEntry] = field(default_factory=tuple)


def compose_achievement_credential(draft: AchievementCredentialDraft) -> dict[str, Any]:
    """The unsigned OB 3.0 `AchievementCredential` (types VerifiableCredential, OpenBadgeCredential)."""
    if draft.valid_until is not None and draft.valid_until <= draft.valid_from:
        raise ValidationFailed("有效期截止时间必须晚于生效时间", code="validity_window")
    subject: dict[str, Any] = {"type": ["AchievementSubject"], **draft.subject.to_json()}
    subject["achievement"] = draft.achievement.to_json()
    if draft.credits_earned is not None:
        subject["creditsEarned"] = credits_number(draft.credits_earned)
    if draft.result_value is not None:
        subject["result"] = [{"type": ["Result"], "value": draft.result_value}]
    if draft.activity_end is not None:
        subject["activityEndDate"] = f"{draft.activity_end.isoformat()}T00:00:00Z"
    credential: dict[str, Any] = {
        "@context": list(OB_CONTEXTS),
        "id": draft.id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": draft.achievement.name,
        "issuer": draft.issuer.to_json(),
        "validFrom": format_datetime(draft.valid_from),
        "credentialSubject": subject,
    }
    if draft.valid_until is not None:
        credential["validUntil"] = format_datetime(draft.valid_until)
    if draft.awarded_date is not None:
        credential["awardedDate"] = format_datetime(draft.awarded_date)
    _add_status(credential, draft.status)
    assert_no_national_id(credential)
    return credential


class AssociationType(StrEnum):
    """CLR 2.0 association types between achievements."""

    exact_match_of = "exactMatchOf"
    exempt_from = "exemptFrom"  # 免修：source exempts the learner from target
    is_child_of = "isChildOf"
    is_parent_of = "isParentOf"
    is_part_of = "isPartOf"
    is_peer_of = "isPeerOf"
    is_related_to = "isRelatedTo"
    precedes = "precedes"
    replaced_by = "replacedBy"


@dataclass(frozen=True, slots=True)
class Association:
    """A link between two achievements (by achievement id) in a transcript."""

    source_id: str
    target_id: str
    association_type: AssociationType

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "Association",
            "associationType": self.association_type.value,
            "sourceId": self.source_id,
            "targetId": self.target_id,
        }


@dataclass(frozen=True, slots=True)
class TranscriptDraft:
    """A CLR-style transcript: a whole account, or the selection the learner chooses."""

    id: str
    issuer: IssuerProfile
    subject: Subject
    name: str
    valid_from: datetime
    credentials: Sequence[Mapping[str, Any]]  # AchievementCredentials (signed or not)
    associations: Sequence[Association] = ()
    selection: Collection[str] | None = None  # credential ids chosen by the learner; None = all
    valid_until: datetime | None = None
    status: Sequence[StatusListEntry] = field(default_factory=tuple)


def compose_clr_credential(draft: TranscriptDraft) -> dict[str, Any]:
    """The unsigned CLR 2.0 `ClrCredential` bundling the selected AchievementCredentials."""
    chosen = [c for c in draft.credentials if draft.selection is None or c.get("id") in draft.selection]
    if draft.selection is not None:
        missing = set(draft.selection) - {c.get("id") for c in chosen}
        if missing:
            listed = ", ".join(sorted(map(str, missing)))
            raise ValidationFailed(f"所选凭证不在该账户中：{listed}", code="selection")
    if not chosen:
        raise ValidationFailed("成绩单至少应包含一份凭证", code="empty_transcript")
    achievement_ids = {_achievement_id(c) for c in chosen}
    subject: dict[str, Any] = {"type": ["ClrSubject"], **draft.subject.to_json()}
    subject["verifiableCredential"] = [dict(c) for c in chosen]
    links = [
        a.to_json()
        for a in draft.associations
        if a.source_id in achievement_ids and a.target_id in achievement_ids
    ]
    if links:
        subject["association"] = links
    credential: dict[str, Any] = {
        "@context": list(CLR_CONTEXTS),
        "id": draft.id,
        "type": ["VerifiableCredential", "ClrCredential"],
        "name": draft.name,
        "issuer": draft.issuer.to_json(),
        "validFrom": format_datetime(draft.valid_from),
        "credentialSubject": subject,
    }
    if draft.valid_until is not None:
        credential["validUntil"] = format_datetime(draft.valid_until)
    _add_status(credential, draft.status)
    assert_no_national_id(credential)
    return credential


def _achievement_id(credential: Mapping[str, Any]) -> str | None:
    subject = credential.get("credentialSubject")
    achievement = subject.get("achievement") if isinstance(subject, Mapping) else None
    return achievement.get("id") if isinstance(achievement, Mapping) else None


def _add_status(credential: dict[str, Any], entries: Sequence[StatusListEntry]) -> None:
    """One entry → an object (what the OB 3.0.3 JSON Schema accepts); several → a VC 2.0 array."""
    if len(entries) == 1:
        credential["credentialStatus"] = entries[0].to_json()
    elif entries:
        credential["credentialStatus"] = [entry.to_json() for entry in entries]


_ID_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def _is_national_id(text: str) -> bool:
    try:
        parse_national_id(text)
    except ValidationFailed:
        return False
    return True


def _strings(node: object) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, Mapping):
        for key, value in node.items():
            yield str(key)
            yield from _strings(value)
    elif isinstance(node, list | tuple):
        for item in node:
            yield from _strings(item)


def assert_no_national_id(document: Mapping[str, Any]) -> None:
    """Raise if any string in `document` contains a valid national ID number (GB 11643)."""
    for text in _strings(document):
        for candidate in _ID_CANDIDATE.findall(text):
            if _is_national_id(candidate):
                raise ValidationFailed("凭证中不得出现居民身份证号", code="national_id_in_credential")
