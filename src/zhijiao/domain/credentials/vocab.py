"""Context URLs, type names and value formats shared by the credential composers."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from enum import StrEnum

from zhijiao.domain.creditbank.model import OutcomeKind

CREDENTIALS_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_V3P0_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CLR_V2P0_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
OB_CONTEXTS = (CREDENTIALS_V2_CONTEXT, OB_V3P0_CONTEXT)
CLR_CONTEXTS = (CREDENTIALS_V2_CONTEXT, CLR_V2P0_CONTEXT, OB_V3P0_CONTEXT)

ACCOUNT_URN_PREFIX = "urn:zhijiao:account:"


class AchievementKind(StrEnum):
    """What a credential attests: every outcome kind, plus exemptions and qualifications."""

    course = "course"
    online_course = "online_course"
    skill_certificate = "skill_certificate"
    qualification_certificate = "qualification_certificate"
    training = "training"
    competition_award = "competition_award"
    work_experience = "work_experience"
    exemption = "exemption"  # 免修
    qualification = "qualification"  # 资历（国家资历框架）

    @classmethod
    def of_outcome(cls, kind: OutcomeKind) -> AchievementKind:
        return cls(kind.value)


# OB 3.0 AchievementType vocabulary; `ext:` values are the spec's extension convention.
ACHIEVEMENT_TYPES: dict[AchievementKind, str] = {
    AchievementKind.course: "Course",
    AchievementKind.online_course: "Course",
    AchievementKind.skill_certificate: "Certificate",  # 1+X 职业技能等级证书
    AchievementKind.qualification_certificate: "License",  # 职业资格证书 (government-issued)
    AchievementKind.training: "CertificateOfCompletion",
    AchievementKind.competition_award: "Award",
    AchievementKind.work_experience: "ext:WorkExperience",
    AchievementKind.exemption: "ext:Exemption",
    AchievementKind.qualification: "Diploma",
}


def format_datetime(moment: datetime) -> str:
    """XML Schema dateTime in UTC with a `Z`, seconds precision (VC 2.0 `validFrom`)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: credentials need an explicit time zone")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_datetime(text: str) -> datetime:
    """Parse an XML Schema dateTime that carries a time zone; raise ValueError otherwise."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("dateTime without a time zone")
    return moment


def credits_number(credits: Decimal) -> float | int:
    """JSON number for a credit amount (credits are 0.5 steps, so exact in binary)."""
    return int(credits) if credits == credits.to_integral_value() else float(credits)
