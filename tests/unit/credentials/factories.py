"""Builders for credential tests and the benchmark (plain data, no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from zhijiao.domain.credentials.compose import (
    AccountSubject,
    AchievementCredentialDraft,
    AchievementSpec,
    HashedSubject,
    IssuerProfile,
    Subject,
)
from zhijiao.domain.credentials.status_list import StatusListEntry, StatusPurpose
from zhijiao.domain.credentials.vocab import AchievementKind
from zhijiao.domain.identity import make_account_no

ISSUED = datetime(2025, 6, 30, 8, 0, tzinfo=UTC)
STATUS_URL = "https://zhijiao.example.cn/status/1"
SUSPENSION_URL = "https://zhijiao.example.cn/status/suspension/1"


def issuer(did: str) -> IssuerProfile:
    return IssuerProfile(id=did, name="深圳职业技术大学", url="https://www.szpu.edu.cn")


def achievement(kind: AchievementKind = AchievementKind.skill_certificate) -> AchievementSpec:
    return AchievementSpec(
        id=f"https://zhijiao.example.cn/achievements/{kind.value}/1",
        kind=kind,
        name="Web 前端开发职业技能等级证书（中级）",
        description="1+X 职业技能等级证书，中级。",
        criteria_narrative="通过理论知识与实操技能考核，成绩均达到合格。",
        credits_available=Decimal("6"),
        human_code="WEB-2-0001",
    )


def account_subject(serial: int = 1) -> AccountSubject:
    return AccountSubject(make_account_no("44", serial))


def hashed_subject(serial: int = 1) -> HashedSubject:
    return HashedSubject(make_account_no("44", serial), salt="q8Ls3v0xW2mN9tRb", identity_type="accountId")


def draft(
    did: str,
    *,
    serial: int = 1,
    kind: AchievementKind = AchievementKind.skill_certificate,
    subject: Subject | None = None,
    valid_until: datetime | None = None,
    status_index: int | None = None,
    purpose: StatusPurpose = StatusPurpose.revocation,
) -> AchievementCredentialDraft:
    entries = ()
    if status_index is not None:
        url = STATUS_URL if purpose is StatusPurpose.revocation else SUSPENSION_URL
        entries = (StatusListEntry(url, status_index, purpose),)
    return AchievementCredentialDraft(
        id=f"urn:uuid:00000000-0000-4000-8000-{serial:012d}",
        issuer=issuer(did),
        achievement=achievement(kind),
        subject=subject or account_subject(serial),
        valid_from=ISSUED,
        valid_until=valid_until if valid_until is not None else ISSUED + timedelta(days=3 * 365),
        awarded_date=ISSUED,
        credits_earned=Decimal("6"),
        result_value="良",
        status=entries,
    )
