"""Conversion API: public plans and rules (人才培养方案公开), rule import/export, agreements,
学分兑换申请 with pre-check and transitions, exemptions, audits, cohort suggestions."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.responses import Response

from zhijiao.adapters.rules_io import rules_schema
from zhijiao.api.conversion_schemas import (
    AgreementCreate,
    AgreementRead,
    ApplicationCreate,
    ApplicationRead,
    AuditRead,
    ExemptionRead,
    PlanRead,
    PlanSummaryRead,
    PublicationRead,
    RulesImportRead,
    SuggestionRead,
    TransitionCreate,
    VerdictRead,
)
from zhijiao.api.deps import CurrentPrincipal, UoW, get_platform
from zhijiao.bootstrap import Platform
from zhijiao.domain.conversion.application import ApplicationState
from zhijiao.domain.conversion.plan import PlanKey
from zhijiao.domain.conversion.rules import Agreement
from zhijiao.domain.errors import ValidationFailed
from zhijiao.services.conversion import applications, cohort, exemptions, plans, rules

router = APIRouter(prefix="/api/v1", tags=["学习成果转换 conversion"])
PLAN = "/plans/{institution_id}/{major_code}/{cohort_year}"
MAX_UPLOAD = 5 * 1024 * 1024


def plan_key(institution_id: int, major_code: str, cohort_year: int) -> PlanKey:
    return PlanKey(institution_id, major_code, cohort_year)


Key = Annotated[PlanKey, Depends(plan_key)]


async def _read(file: UploadFile) -> tuple[str, bytes]:
    content = await file.read(MAX_UPLOAD + 1)
    if len(content) > MAX_UPLOAD:
        raise ValidationFailed("文件超过 5 MB", field="file")
    return file.filename or "", content


# ---- public: published plans and rules ---------------------------------------------------------


@router.get("/plans", response_model=list[PlanSummaryRead], operation_id="list_plans")
def list_plans(
    uow: UoW, institution_id: int | None = None, major_code: str | None = Query(default=None, max_length=6)
) -> list[PlanSummaryRead]:
    """公开：已发布的人才培养方案（无需登录）。"""
    return [
        PlanSummaryRead.of(p)
        for p in plans.list_plans(uow, institution_id=institution_id, major_code=major_code)
    ]


@router.get(PLAN, response_model=PlanRead, operation_id="get_plan")
def get_plan(key: Key, uow: UoW) -> PlanRead:
    """公开：一个人才培养方案的课程、模块与毕业要求（无需登录）。"""
    return PlanRead.full(plans.get_plan(uow, key))


@router.get(
    PLAN + "/rules", operation_id="export_rules", responses={200: {"content": {"application/yaml": {}}}}
)
def export_rules(key: Key, uow: UoW, format: Literal["yaml", "json"] = "yaml") -> Response:
    """公开：培养方案的全部转换规则版本，YAML 或 JSON（符合发布的 schema，可直接再导入）。"""
    text, _ = rules.export_rules(uow, key, format)
    media = "application/json" if format == "json" else "application/yaml"
    filename = f"rules-{key.institution_id}-{key.major_code}-{key.cohort_year}.{format}"
    return Response(
        text, media_type=media, headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@router.get(PLAN + "/rules/publication", response_model=PublicationRead, operation_id="rules_publication")
def publication(key: Key, uow: UoW, on: date | None = None) -> PublicationRead:
    """公开、机器可读：规则集与某日生效的规则版本，供其他院校读取。"""
    return PublicationRead.model_validate(rules.publication(uow, key, on))


@router.get("/conversion/rules-schema", operation_id="rules_schema")
def schema() -> dict[str, object]:
    """公开：转换规则集的 JSON Schema。"""
    return rules_schema()


# ---- staff: publishing ------------------------------------------------------------------------


@router.post("/plans", response_model=PlanRead, status_code=201, operation_id="import_plan")
async def import_plan(principal: CurrentPrincipal, uow: UoW, file: UploadFile = File(...)) -> PlanRead:
    """导入并发布人才培养方案（.json 或 .xlsx：「课程」表与「毕业要求」表）。"""
    filename, content = await _read(file)
    return PlanRead.full(plans.import_plan_file(uow, principal, filename, content))


@router.post(PLAN + "/rules", response_model=RulesImportRead, status_code=201, operation_id="import_rules")
async def import_rules(
    key: Key, principal: CurrentPrincipal, uow: UoW, file: UploadFile = File(...)
) -> RulesImportRead:
    """发布转换规则（YAML 或 JSON）：新版本追加，已发布的版本不可修改。"""
    filename, content = await _read(file)
    fmt: Literal["yaml", "json"] = "json" if filename.lower().endswith(".json") else "yaml"
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(f"{filename}：文件应为 UTF-8 编码", field="file") from exc
    done = rules.import_rules(uow, principal, text, fmt, plan=key)
    return RulesImportRead(
        plan=str(done.plan), added=[f"{r}@{v}" for r, v in done.added], unchanged=done.unchanged,
        agreements=done.agreements,
    )  # fmt: skip


@router.put(PLAN + "/learners/{account_no}", status_code=204, operation_id="enrol_on_plan")
def enrol(key: Key, account_no: str, principal: CurrentPrincipal, uow: UoW) -> Response:
    """把学习者加入培养方案（院校、专业、年级）。"""
    plans.enrol_on_plan(uow, principal, account_no, key)
    return Response(status_code=204)


@router.get(PLAN + "/suggestions", response_model=list[SuggestionRead], operation_id="cohort_suggestions")
def suggestions(
    key: Key, principal: CurrentPrincipal, uow: UoW, on: date | None = None
) -> list[SuggestionRead]:
    """全年级批量预审：每位学习者可申请的免修（供学校通知学习者）。"""
    found = cohort.suggest_for_cohort(uow, principal, key, on)
    return [
        SuggestionRead(
            account_no=found.accounts[s.learner_id][0],
            name=found.accounts[s.learner_id][1],
            course_code=s.course_code,
            course_name=found.plan.course(s.course_code).name,
            credits=s.credits,
            rule_id=s.rule_id,
            rule_version=s.rule_version,
            outcome_ids=list(s.outcome_ids),
        )
        for s in found.suggestions
    ]


def _agreement_read(a: Agreement) -> AgreementRead:
    return AgreementRead(
        id=a.agreement_id, institution_id=a.institution_id, partner_id=a.partner_id, effective_from=a.effective_from,
        effective_to=a.effective_to, rule_ids=sorted(a.rule_ids),
    )  # fmt: skip


@router.post("/agreements", response_model=AgreementRead, status_code=201, operation_id="save_agreement")
def save_agreement(body: AgreementCreate, principal: CurrentPrincipal, uow: UoW) -> AgreementRead:
    """登记学分互认协议：本校认可协议院校颁发的学习成果。"""
    agreement = Agreement(
        body.id,
        body.institution_id,
        body.partner_id,
        body.effective_from,
        body.effective_to,
        frozenset(body.rule_ids),
    )
    return _agreement_read(rules.save_agreement(uow, principal, agreement))


@router.get("/agreements", response_model=list[AgreementRead], operation_id="list_agreements")
def list_agreements(institution_id: int, _: CurrentPrincipal, uow: UoW) -> list[AgreementRead]:
    return [_agreement_read(a) for a in rules.list_agreements(uow, institution_id)]


# ---- applications -----------------------------------------------------------------------------


@router.post("/conversion/precheck", response_model=list[VerdictRead], operation_id="precheck_application")
def precheck(body: ApplicationCreate, principal: CurrentPrincipal, uow: UoW) -> list[VerdictRead]:
    """资格预审：逐门课程说明满足或不满足的条件（不保存）。"""
    verdicts = applications.precheck(
        uow, principal, body.account_no, body.outcome_ids, body.target_courses, body.preferred_courses
    )
    return [VerdictRead.of(v) for v in verdicts]


@router.post(
    "/applications", response_model=ApplicationRead, status_code=201, operation_id="submit_application"
)
def submit(
    body: ApplicationCreate,
    principal: CurrentPrincipal,
    uow: UoW,
    platform: Annotated[Platform, Depends(get_platform)],
) -> ApplicationRead:
    """提交学分兑换申请（本人或所在院校代为提交），附资格预审结果。"""
    view = applications.submit(
        uow, principal, body.account_no, body.outcome_ids, body.target_courses,
        review_working_days=platform.settings.conversion_review_working_days,
        preferred=body.preferred_courses,
    )  # fmt: skip
    return ApplicationRead.of(view)


@router.get("/applications", response_model=list[ApplicationRead], operation_id="list_applications")
def list_applications(
    principal: CurrentPrincipal,
    uow: UoW,
    state: ApplicationState | None = None,
    overdue: bool = False,
    plan: str | None = Query(default=None, description="院校编号/专业代码/年级"),
    course: str | None = None,
    limit: int = Query(default=200, ge=1, le=500),
) -> list[ApplicationRead]:
    """学习者：本人的申请；院校：本校培养方案的审核队列（可按状态、逾期、方案、课程筛选）。"""
    found = applications.list_applications(
        uow, principal, state=state, overdue=overdue, plan=plan, course_code=course, limit=limit
    )
    return [ApplicationRead.of(v) for v in found]


@router.get("/applications/{application_id}", response_model=ApplicationRead, operation_id="get_application")
def get_application(application_id: int, principal: CurrentPrincipal, uow: UoW) -> ApplicationRead:
    return ApplicationRead.of(applications.get_application(uow, principal, application_id))


@router.post(
    "/applications/{application_id}/transitions",
    response_model=ApplicationRead,
    operation_id="move_application",
)
def move(
    application_id: int, body: TransitionCreate, principal: CurrentPrincipal, uow: UoW
) -> ApplicationRead:
    """状态变更：under_review 审核中 / approved 批准（写入免修与台账）/ rejected 驳回（须填理由）/ withdrawn 撤回。"""
    return ApplicationRead.of(applications.move(uow, principal, application_id, body.to, body.reason))


@router.get(
    "/accounts/{account_no}/exemptions", response_model=list[ExemptionRead], operation_id="list_exemptions"
)
def list_exemptions(account_no: str, principal: CurrentPrincipal, uow: UoW) -> list[ExemptionRead]:
    return [ExemptionRead.of(e) for e in exemptions.account_exemptions(uow, principal, account_no)]


@router.get("/accounts/{account_no}/audit", response_model=AuditRead, operation_id="audit_learner")
def audit(
    account_no: str,
    principal: CurrentPrincipal,
    uow: UoW,
    plan: str | None = Query(default=None, description="院校编号/专业代码/年级；默认为学习者所在方案"),
) -> AuditRead:
    """毕业/资格审核：哪些要求已满足、哪些未满足及原因（计入修读学分与免修）。"""
    key = plans.parse_plan_key(plan) if plan else None
    return AuditRead.of(exemptions.audit_learner(uow, principal, account_no, key))
