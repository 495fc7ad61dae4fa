"""Request and response schemas of the conversion API (plans, rules, agreements, applications, audits)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from zhijiao.adapters.db.conversion_repository import StoredExemption
from zhijiao.api.timestamps import Timestamp
from zhijiao.domain.conversion.application import STATE_LABELS, ApplicationState
from zhijiao.domain.conversion.eligibility import CourseVerdict
from zhijiao.domain.conversion.plan import CourseCategory, CourseKind
from zhijiao.services.conversion.applications import ApplicationView
from zhijiao.services.conversion.exemptions import AuditView
from zhijiao.services.conversion.plans import PublishedPlan


class CourseRead(BaseModel):
    code: str
    name: str
    credits: Decimal
    category: CourseCategory
    required: bool
    hours_theory: int
    hours_practical: int
    kind: CourseKind


class PlanSummaryRead(BaseModel):
    key: str = Field(description="院校编号/专业代码/年级")
    name: str
    institution_id: int
    institution_name: str
    major_code: str
    cohort_year: int
    total_credits: Decimal
    published_at: Timestamp

    @classmethod
    def of(cls, p: PublishedPlan) -> PlanSummaryRead:
        plan = p.plan
        return cls(
            key=str(plan.key), name=plan.name, institution_id=plan.institution_id, institution_name=p.institution_name,
            major_code=plan.major_code, cohort_year=plan.cohort_year, total_credits=plan.requirements.total_credits,
            published_at=p.published_at,
        )  # fmt: skip


class PlanRead(PlanSummaryRead):
    courses: list[CourseRead]
    min_by_category: dict[CourseCategory, Decimal]
    required_courses: list[str]

    @classmethod
    def full(cls, p: PublishedPlan) -> PlanRead:
        r = p.plan.requirements
        return cls(
            **PlanSummaryRead.of(p).model_dump(),
            courses=[
                CourseRead(code=c.code, name=c.name, credits=c.credits, category=c.category, required=c.required,
                           hours_theory=c.hours_theory, hours_practical=c.hours_practical, kind=c.kind)
                for c in p.plan.courses
            ],
            min_by_category=dict(r.min_by_category),
            required_courses=sorted(r.required_courses),
        )  # fmt: skip


class RulesImportRead(BaseModel):
    plan: str
    added: list[str] = Field(description="新发布的规则版本（规则编号@版本）")
    unchanged: int
    agreements: int


class AgreementCreate(BaseModel):
    id: str = Field(min_length=1, max_length=64, description="协议编号")
    institution_id: int = Field(description="认可对方成果的本校")
    partner_id: int = Field(description="协议院校（成果颁发方）")
    effective_from: date
    effective_to: date | None = None
    rule_ids: list[str] = Field(default_factory=list, description="适用的规则编号；空表示全部")


class AgreementRead(AgreementCreate):
    pass


class ApplicationCreate(BaseModel):
    account_no: str
    outcome_ids: list[int] = Field(min_length=1)
    target_courses: list[str] = Field(min_length=1)
    preferred_courses: list[str] = Field(
        default=[], description="优先免修的课程（须在 target_courses 中，最想免修的在前）；按上限尽量保留"
    )


class VerdictRead(BaseModel):
    course_code: str
    course_name: str
    eligible: bool
    granted: bool | None = Field(default=None, description="按免修上限与已用学习成果分配后是否免修")
    left_out_reason: str | None = Field(default=None, description="符合条件但本次不能免修的原因（含学分）")
    left_out_reason_en: str | None = Field(default=None, description="the same reason in English")
    preference_reason: str | None = Field(default=None, description="优先免修的课程未能保留的原因")
    preference_reason_en: str | None = Field(default=None, description="the same reason in English")
    explanation: str

    @classmethod
    def of(cls, v: CourseVerdict) -> VerdictRead:
        return cls(
            course_code=v.course_code,
            course_name=v.course_name,
            eligible=v.eligible,
            granted=v.granted,
            left_out_reason=v.left_out_reason,
            left_out_reason_en=v.left_out_reason_en,
            preference_reason=v.preference_reason,
            preference_reason_en=v.preference_reason_en,
            explanation=v.explanation,
        )


class TransitionCreate(BaseModel):
    to: ApplicationState
    reason: str = Field(default="", max_length=1000)


class TransitionRead(BaseModel):
    from_state: ApplicationState | None
    to_state: ApplicationState
    by: str
    at: Timestamp
    reason: str


class ExemptionRead(BaseModel):
    id: int
    plan_id: int
    application_id: int
    course_code: str
    credits: Decimal
    category: CourseCategory
    rule_id: str
    rule_version: int
    outcome_ids: list[int]
    granted_on: date
    status: str = Field(description="active 有效 / flagged 待复核（来源成果已撤销）")
    flagged_reason: str | None

    @classmethod
    def of(cls, s: StoredExemption) -> ExemptionRead:
        e = s.exemption
        return cls(
            id=s.id, plan_id=s.plan_id, application_id=s.application_id, course_code=e.course_code,
            credits=e.credits, category=e.category, rule_id=e.rule_id, rule_version=e.rule_version,
            outcome_ids=list(e.outcome_ids), granted_on=e.granted_on, status=s.status, flagged_reason=s.flagged_reason,
        )  # fmt: skip


class ApplicationRead(BaseModel):
    id: int
    account_no: str
    plan: str
    outcome_ids: list[int]
    target_courses: list[str]
    preferred_courses: list[str]
    state: ApplicationState
    state_label: str
    submitted_on: date
    review_deadline: date
    overdue: bool
    precheck: list[VerdictRead]
    transitions: list[TransitionRead]
    exemptions: list[ExemptionRead]

    @classmethod
    def of(cls, v: ApplicationView) -> ApplicationRead:
        a = v.application
        return cls(
            id=v.id, account_no=v.account_no, plan=a.plan_key, outcome_ids=list(a.outcome_ids),
            target_courses=list(a.target_courses), preferred_courses=list(a.preferred_courses), state=a.state, state_label=STATE_LABELS[a.state],
            submitted_on=a.submitted_on, review_deadline=a.review_deadline, overdue=v.overdue,
            precheck=[VerdictRead(**p) for p in v.precheck],
            transitions=[
                TransitionRead(from_state=t.from_state, to_state=t.to_state, by=by, at=t.at, reason=t.reason)
                for t, by in zip(a.history, v.actors, strict=True)
            ],
            exemptions=[ExemptionRead.of(e) for e in v.exemptions],
        )  # fmt: skip


class RequirementRead(BaseModel):
    name: str
    met: bool
    explanation: str


class CompletedCourseRead(BaseModel):
    course_code: str
    course_name: str
    credits: Decimal
    by: str = Field(description="earned 修读 / exempted 免修")
    source_ids: list[int]


class AuditRead(BaseModel):
    account_no: str
    plan: str
    met: bool
    credits: Decimal
    exempted_credits: Decimal
    summary: str
    checks: list[RequirementRead]
    completed: list[CompletedCourseRead]
    flagged_exemptions: list[ExemptionRead]

    @classmethod
    def of(cls, v: AuditView) -> AuditRead:
        r = v.result
        return cls(
            account_no=v.account.account_no, plan=str(v.plan.key), met=r.met, credits=r.credits,
            exempted_credits=r.exempted_credits, summary=r.summary,
            checks=[RequirementRead(name=c.name, met=c.met, explanation=c.explanation) for c in r.checks],
            completed=[
                CompletedCourseRead(course_code=c.course.code, course_name=c.course.name, credits=c.course.credits,
                                    by=c.by.value, source_ids=list(c.source_ids))
                for c in r.completed
            ],
            flagged_exemptions=[ExemptionRead.of(e) for e in v.flagged],
        )  # fmt: skip


class SuggestionRead(BaseModel):
    account_no: str
    name: str
    course_code: str
    course_name: str
    credits: Decimal
    rule_id: str
    rule_version: int
    outcome_ids: list[int]


class PublicationRead(BaseModel):
    schema_: str = Field(alias="schema")
    plan: str
    plan_name: str
    published_at: Timestamp | None
    in_force_on: str
    in_force: list[dict[str, Any]]
    rule_set: dict[str, Any]
