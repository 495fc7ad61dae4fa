"""Request and response schemas of /api/v1 (XCreate / XUpdate / XRead / XPage)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from zhijiao.api.timestamps import Timestamp
from zhijiao.domain.access import Role
from zhijiao.domain.creditbank.model import (
    Grade,
    Institution,
    InstitutionKind,
    LearnerType,
    LearningAccount,
    LedgerAction,
    Level,
    Outcome,
    OutcomeKind,
    OutcomeStatus,
)
from zhijiao.domain.creditbank.transcript import Totals
from zhijiao.domain.identity import IdType


class TokenRead(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


class MeRead(BaseModel):
    username: str
    role: Role
    institution_id: int | None
    province_code: str | None
    account_no: str | None


class InstitutionCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    kind: InstitutionKind
    region_code: str = Field(description="GB/T 2260 六位行政区划代码")
    moe_code: str | None = Field(default=None, description="学校标识码（10位）")
    uscc: str | None = Field(default=None, description="统一社会信用代码（18位）")


class InstitutionRead(BaseModel):
    id: int
    name: str
    kind: InstitutionKind
    region_code: str
    moe_code: str | None
    uscc: str | None

    @classmethod
    def of(cls, i: Institution) -> InstitutionRead:
        assert i.id is not None
        return cls(
            id=i.id, name=i.name, kind=i.kind, region_code=i.region_code, moe_code=i.moe_code, uscc=i.uscc
        )


class AccountCreate(BaseModel):
    name: str = Field(min_length=1, max_length=50)
    id_type: IdType = IdType.national_id
    id_number: str = Field(
        min_length=5, max_length=32, description="证件号码：只用于校验和加密存储，不会返回"
    )
    institution_id: int | None = None


class AccountRead(BaseModel):
    account_no: str
    name: str
    learner_type: LearnerType
    id_type: IdType
    id_masked: str
    province_code: str
    institution_id: int | None

    @classmethod
    def of(cls, a: LearningAccount) -> AccountRead:
        return cls(
            account_no=a.account_no, name=a.name, learner_type=a.learner_type, id_type=a.id_type,
            id_masked=a.id_masked, province_code=a.province_code, institution_id=a.institution_id,
        )  # fmt: skip


class AccountPage(BaseModel):
    items: list[AccountRead]
    total: int
    offset: int
    limit: int


class AccountLookup(BaseModel):
    id_type: IdType = IdType.national_id
    id_number: str = Field(min_length=5, max_length=32)


class PersonProofBody(BaseModel):
    name: str = Field(min_length=1, max_length=50)
    id_type: IdType = IdType.national_id
    id_number: str = Field(min_length=5, max_length=32)


class OutcomeCreate(BaseModel):
    model_config = ConfigDict(json_schema_extra={"description": "学分可空：只给学时时按记录规则折算"})

    kind: OutcomeKind
    title: str = Field(min_length=1, max_length=200)
    issuer_id: int
    obtained_on: date
    code: str | None = Field(default=None, max_length=64)
    hours: Decimal | None = Field(default=None, ge=0, le=20000)
    credits: Decimal | None = Field(default=None, ge=0, le=100)
    score: Decimal | None = Field(default=None, ge=0, le=100)
    grade: Grade | None = None
    level: Level | None = None
    evidence_ref: str | None = Field(default=None, max_length=300)
    learner: PersonProofBody | None = Field(
        default=None,
        description=(
            "学习者的姓名与证件号码：账号不属本校（本省）时，以此证明认识该学习者（决定 0016）。"
            " The learner's name and ID number, to prove the recorder knows the person when the account"
            " is outside its scope."
        ),
    )


class OutcomeCorrection(BaseModel):
    reason: str = Field(min_length=1, max_length=500)
    title: str | None = Field(default=None, min_length=1, max_length=200)
    code: str | None = None
    obtained_on: date | None = None
    hours: Decimal | None = Field(default=None, ge=0, le=20000)
    credits: Decimal | None = Field(default=None, ge=0, le=100)
    score: Decimal | None = Field(default=None, ge=0, le=100)
    grade: Grade | None = None
    level: Level | None = None
    evidence_ref: str | None = None


class Revocation(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class OutcomeRead(BaseModel):
    id: int
    kind: OutcomeKind
    title: str
    code: str | None
    issuer_id: int
    issuer_name: str | None = None
    obtained_on: date
    hours: Decimal | None
    credits: Decimal
    score: Decimal | None
    grade: Grade | None
    level: Level | None
    framework_level: int
    evidence_ref: str | None
    status: OutcomeStatus

    @classmethod
    def of(cls, o: Outcome, issuer_name: str | None = None) -> OutcomeRead:
        assert o.id is not None
        return cls(
            id=o.id, kind=o.kind, title=o.title, code=o.code, issuer_id=o.issuer_id, issuer_name=issuer_name,
            obtained_on=o.obtained_on, hours=o.hours, credits=o.credits, score=o.score, grade=o.grade,
            level=o.level, framework_level=o.framework_level, evidence_ref=o.evidence_ref, status=o.status,
        )  # fmt: skip


class TotalsRead(BaseModel):
    credits: Decimal
    hours: Decimal
    count: int

    @classmethod
    def of(cls, t: Totals) -> TotalsRead:
        return cls(credits=t.credits, hours=t.hours, count=t.count)


class LedgerProofRead(BaseModel):
    """RFC 9162 inclusion proof of a ledger entry in a signed checkpoint (hashes in base64)."""

    log_index: int = Field(description="条目在台账日志中的序号（从 0 起）")
    tree_size: int
    leaf_hash: str = Field(description="SHA-256(0x00 ‖ 条目字节)，base64")
    inclusion_proof: list[str]
    checkpoint: str = Field(description="已签名检查点（C2SP signed note 文本）")

    @classmethod
    def of(cls, p: Any) -> LedgerProofRead:
        return cls(**p.as_json())


class TranscriptRead(BaseModel):
    account: AccountRead
    institution_name: str | None
    complete: bool = Field(description="false：调用者只能看到本机构颁发的成果")
    outcomes: list[OutcomeRead]
    total: TotalsRead
    by_kind: dict[OutcomeKind, TotalsRead]
    by_framework_level: dict[int, TotalsRead]
    by_year: dict[int, TotalsRead]
    generated_at: Timestamp
    ledger_proof: LedgerProofRead | None = Field(
        None, description="账号最新一条台账记录在已发布检查点中的包含证明"
    )


class LedgerEntryRead(BaseModel):
    seq: int
    action: LedgerAction
    outcome_id: int | None
    actor: str
    recorded_at: Timestamp
    note: str | None
    prev_hash: str
    hash: str


class RecordingRuleRead(BaseModel):
    kind: OutcomeKind
    hours_per_credit: Decimal
    step: Decimal
    max_credits: Decimal | None
    credits_by_level: dict[int, Decimal]


class RecordingRuleUpdate(BaseModel):
    hours_per_credit: Decimal = Field(gt=0, le=10000)
    step: Decimal = Field(default=Decimal("0.5"), gt=0, le=10)
    max_credits: Decimal | None = Field(default=None, ge=0, le=100)
    credits_by_level: dict[int, Decimal] = Field(default_factory=dict)


class ImportProblemRead(BaseModel):
    row: int
    column: str
    message: str


class ImportResultRead(BaseModel):
    filename: str
    ok: bool
    rows_total: int
    outcomes_created: int
    accounts_created: int
    rows_skipped: int
    problems: list[ImportProblemRead]
    notes: list[str] = Field(default=[], description="提示（如：模板示例行已跳过）")


class LedgerEntryProofRead(BaseModel):
    entry: LedgerEntryRead
    entry_bytes: str = Field(description="条目字节（docs/ledger/entry-format.md），base64；叶哈希由它算出")
    proof: LedgerProofRead


class ConsistencyProofRead(BaseModel):
    tree_size_1: int = Field(serialization_alias="from")
    tree_size_2: int = Field(serialization_alias="to")
    proof: list[str] = Field(description="RFC 9162 一致性证明，base64")


class CheckpointRead(BaseModel):
    tree_size: int
    root_hash: str = Field(description="hex")
    checkpoint: str = Field(description="已签名检查点（C2SP signed note 文本）")
    created_at: Timestamp
