"""Credit-bank entities and enums (pure data)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum, StrEnum

from zhijiao.domain.identity import IdType


class InstitutionKind(StrEnum):
    secondary = "secondary"
    technician = "technician"
    higher = "higher"
    bachelor = "bachelor"
    university = "university"
    open_university = "open_university"
    enterprise = "enterprise"
    certifier = "certifier"


INSTITUTION_KIND_LABELS: dict[InstitutionKind, str] = {
    InstitutionKind.secondary: "中职",
    InstitutionKind.technician: "技工学校",
    InstitutionKind.higher: "高职专科",
    InstitutionKind.bachelor: "职业本科",
    InstitutionKind.university: "普通本科",
    InstitutionKind.open_university: "开放大学",
    InstitutionKind.enterprise: "企业",
    InstitutionKind.certifier: "培训评价组织",
}

SCHOOL_KINDS = frozenset(
    {
        InstitutionKind.secondary,
        InstitutionKind.technician,
        InstitutionKind.higher,
        InstitutionKind.bachelor,
        InstitutionKind.university,
        InstitutionKind.open_university,
    }
)


class OutcomeKind(StrEnum):
    course = "course"
    skill_certificate = "skill_certificate"
    qualification_certificate = "qualification_certificate"
    training = "training"
    competition_award = "competition_award"
    work_experience = "work_experience"
    online_course = "online_course"


OUTCOME_KIND_LABELS: dict[OutcomeKind, str] = {
    OutcomeKind.course: "课程",
    OutcomeKind.skill_certificate: "职业技能等级证书",
    OutcomeKind.qualification_certificate: "职业资格证书",
    OutcomeKind.training: "职业培训",
    OutcomeKind.competition_award: "技能竞赛获奖",
    OutcomeKind.work_experience: "工作经历",
    OutcomeKind.online_course: "在线课程",
}

CERTIFICATE_KINDS = frozenset({OutcomeKind.skill_certificate, OutcomeKind.qualification_certificate})


class Level(IntEnum):
    """1+X skill levels (and the higher qualification grades)."""

    junior = 1  # 初级
    intermediate = 2  # 中级
    senior = 3  # 高级
    technician = 4  # 技师
    senior_technician = 5  # 高级技师


LEVEL_LABELS: dict[Level, str] = {
    Level.junior: "初级",
    Level.intermediate: "中级",
    Level.senior: "高级",
    Level.technician: "技师",
    Level.senior_technician: "高级技师",
}


class Grade(StrEnum):
    excellent = "优"
    good = "良"
    fair = "中"
    passed = "及格"
    failed = "不及格"


class LearnerType(StrEnum):
    enrolled = "enrolled"  # 在校学生
    adult = "adult"  # 社会学习者


LEARNER_TYPE_LABELS = {LearnerType.enrolled: "在校学生", LearnerType.adult: "社会学习者"}


class OutcomeStatus(StrEnum):
    active = "active"
    revoked = "revoked"


class LedgerAction(StrEnum):
    open = "open"  # 开户
    record = "record"  # 记录
    correct = "correct"  # 更正
    revoke = "revoke"  # 撤销
    exempt = "exempt"  # 免修 (conversion: an approved exemption)
    flag_exemption = "flag_exemption"  # 免修待复核 (its source outcome was revoked)
    credential_issue = "cred_issue"  # 签发凭证
    credential_revoke = "cred_revoke"  # 撤销凭证
    credential_suspend = "cred_suspend"  # 暂停凭证
    credential_reinstate = "cred_reinstate"  # 恢复凭证
    credential_reissue = "cred_reissue"  # 重新签发凭证（同一编号，新签名）


LEDGER_ACTION_LABELS = {
    LedgerAction.open: "开户",
    LedgerAction.record: "记录",
    LedgerAction.correct: "更正",
    LedgerAction.revoke: "撤销",
    LedgerAction.exempt: "免修",
    LedgerAction.flag_exemption: "免修待复核",
    LedgerAction.credential_issue: "签发凭证",
    LedgerAction.credential_revoke: "撤销凭证",
    LedgerAction.credential_suspend: "暂停凭证",
    LedgerAction.credential_reinstate: "恢复凭证",
    LedgerAction.credential_reissue: "重新签发凭证",
}


@dataclass(frozen=True, slots=True)
class Institution:
    id: int | None
    name: str
    kind: InstitutionKind
    region_code: str
    moe_code: str | None = None
    uscc: str | None = None

    @property
    def province_code(self) -> str:
        return self.region_code[:2]


@dataclass(frozen=True, slots=True)
class LearningAccount:
    id: int | None
    account_no: str
    name: str
    learner_type: LearnerType
    id_type: IdType
    id_masked: str
    province_code: str
    institution_id: int | None = None
    birth_date: date | None = None
    created_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class OutcomeDraft:
    """A learning outcome as submitted, before credits and framework level are derived."""

    kind: OutcomeKind
    title: str
    issuer_id: int
    obtained_on: date
    code: str | None = None
    hours: Decimal | None = None
    credits: Decimal | None = None
    score: Decimal | None = None
    grade: Grade | None = None
    level: Level | None = None
    evidence_ref: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    id: int | None
    account_id: int
    kind: OutcomeKind
    title: str
    issuer_id: int
    obtained_on: date
    credits: Decimal
    framework_level: int
    code: str | None = None
    hours: Decimal | None = None
    score: Decimal | None = None
    grade: Grade | None = None
    level: Level | None = None
    evidence_ref: str | None = None
    status: OutcomeStatus = OutcomeStatus.active
    recorded_by: int | None = None

    @property
    def source_key(self) -> str:
        """What makes an outcome the same outcome again: re-importing it adds nothing."""
        return source_key(self.kind, self.title, self.code, self.issuer_id, self.obtained_on)


def source_key(kind: OutcomeKind, title: str, code: str | None, issuer_id: int, obtained_on: date) -> str:
    return source_digest(kind, title, code, issuer_id, obtained_on).hex()


def source_digest(kind: OutcomeKind, title: str, code: str | None, issuer_id: int, obtained_on: date) -> bytes:
    """`source_key` as its 16 bytes (an import holds a million of them: half the memory of the text)."""
    text = f"{kind}|{title}|{code or ''}|{issuer_id}|{obtained_on.isoformat()}"
    return hashlib.sha256(text.encode("utf-8")).digest()[:16]
