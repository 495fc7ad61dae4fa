"""Quality monitoring through the API (/api/v1/quality/…), with the credit bank's scope rules:
a school sees itself, a province its schools; out of scope answers 404."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Query, UploadFile
from fastapi.responses import JSONResponse, Response

from zhijiao.adapters.spreadsheets.quality_form import read_quality_file
from zhijiao.adapters.spreadsheets.reading import (
    FileTooLarge,
    SpreadsheetError,
    UnsupportedFileType,
    read_limited,
)
from zhijiao.api.deps import CurrentPrincipal, UoW, get_platform
from zhijiao.api.problems import problem
from zhijiao.api.quality_schemas import (
    CardsRead,
    CompletenessRead,
    ElementRead,
    IndicatorDefinitionRead,
    QualityImportRead,
    SchoolIndicatorsRead,
    StandardRead,
    SubmissionRead,
    TargetCreate,
    TraceRead,
    WorkflowAction,
)
from zhijiao.api.routes.imports import download
from zhijiao.bootstrap import Platform
from zhijiao.domain.errors import ValidationFailed
from zhijiao.domain.quality.elements import CATEGORY_LABELS_EN, ELEMENTS, DisciplineType, SchoolLevel
from zhijiao.domain.quality.indicators import DERIVED, INDICATORS
from zhijiao.domain.quality.workflow import Action
from zhijiao.i18n import to_english
from zhijiao.services.quality import collection, forms, standards, verdicts, views

router = APIRouter(prefix="/api/v1/quality", tags=["质量监测 quality"])
_PROBLEM = {"content": {"application/problem+json": {}}}
_FILE_STATUS = ((FileTooLarge, 413), (UnsupportedFileType, 415), (SpreadsheetError, 422))
Year = Annotated[int, Query(ge=1990, le=2100, description="年度：该年的自然年和该年结束的学年")]


@router.get("/elements", response_model=list[ElementRead], operation_id="quality_elements")
def elements(principal: CurrentPrincipal) -> list[ElementRead]:
    """数据元：代码、名称、单位、所在工作表、取值类型与分类。"""
    return [
        ElementRead(
            code=e.code,
            name=e.name,
            unit=e.unit,
            section=e.section,
            value_type=e.value_type.value,
            categories=list(e.categories),
            name_en=e.name_en,
            unit_en=e.unit_en.strip(),
            categories_en=[CATEGORY_LABELS_EN[c] for c in e.categories],
        )
        for e in ELEMENTS
    ]


@router.get("/indicators", response_model=list[IndicatorDefinitionRead], operation_id="quality_indicators")
def indicator_definitions(principal: CurrentPrincipal) -> list[IndicatorDefinitionRead]:
    """指标定义：分子、分母、系数、小数位、版本与政策出处。"""
    return [
        IndicatorDefinitionRead(
            code=i.code,
            name=i.name,
            numerator=i.numerator,
            numerator_definition=DERIVED.get(i.numerator, ("", i.numerator))[1],
            denominator_definition=DERIVED.get(i.denominator, ("", i.denominator))[1],
            denominator=i.denominator,
            factor=float(i.factor),
            decimals=i.decimals,
            version=i.version,
            direction=i.direction.value,
            formula=i.formula(),
            source=i.source.cite() if i.source else None,
            name_en=i.name_en,
            formula_en=i.formula_en(),
            source_en=i.source.cite_en() if i.source else None,
        )
        for i in INDICATORS
    ]


@router.get("/standards", response_model=list[StandardRead], operation_id="quality_standards")
def national_standards(
    principal: CurrentPrincipal, uow: UoW, level: SchoolLevel | None = None,
    discipline_type: DisciplineType | None = None,
) -> list[StandardRead]:  # fmt: skip
    """在用的标准（国家标准及省级、学校目标），每条注明出处。"""
    with uow.read():
        found = standards.standards_in_force(uow)
    return [
        StandardRead(
            indicator=s.indicator,
            level=s.level.value,
            discipline_type=s.discipline.value if s.discipline else None,
            pass_line=float(s.pass_line),
            restrict_line=float(s.restrict_line) if s.restrict_line is not None else None,
            effective_from=s.effective_from,
            effective_to=s.effective_to,
            scope=s.scope,
            source=s.source.cite(),
            source_en=s.source.cite_en(),
            verified=s.verified,
            restrict_verified=s.restrict_verified,
            checked_at=s.checked_at,
        )
        for s in found
        if (level is None or s.level is level)
        and (discipline_type is None or s.discipline in (None, discipline_type))
    ]


@router.post("/targets", status_code=201, response_model=StandardRead, operation_id="quality_set_target")
def set_target(body: TargetCreate, principal: CurrentPrincipal, uow: UoW) -> StandardRead:
    """设定省级标准（省级管理员）或学校目标（学校），只能高于国家标准，须注明依据。"""
    try:
        level = SchoolLevel(body.level)
        discipline = DisciplineType(body.discipline_type) if body.discipline_type else None
    except ValueError:
        raise ValidationFailed("学校层次或办学类型不正确", field="level") from None
    s = standards.set_target(
        uow, principal, indicator=body.indicator, level=level, pass_line=body.pass_line, document=body.document,
        number=body.number, sentence=body.sentence, effective_from=body.effective_from, school=body.school,
        discipline=discipline,
    )  # fmt: skip
    return StandardRead(
        indicator=s.indicator, level=s.level.value, discipline_type=s.discipline.value if s.discipline else None,
        pass_line=float(s.pass_line), restrict_line=None, effective_from=s.effective_from, effective_to=None,
        scope=s.scope, source=s.source.cite(),
    )  # fmt: skip


@router.get(
    "/schools/{org}/indicators", response_model=SchoolIndicatorsRead, operation_id="quality_school_indicators",
    responses={404: _PROBLEM},
)  # fmt: skip
def school_indicators(org: str, year: Year, principal: CurrentPrincipal, uow: UoW) -> SchoolIndicatorsRead:
    """一所学校某年度的全部指标、标准、结论（pass/warning/fail）与黄牌红牌（pass/yellow/red），附上年值。"""
    return SchoolIndicatorsRead.model_validate(
        views.school_year_json(verdicts.school_year(uow, principal, org, year))
    )


@router.get(
    "/schools/{org}/indicators/{indicator}/provenance", response_model=TraceRead,
    operation_id="quality_indicator_provenance", responses={404: _PROBLEM},
)  # fmt: skip
def provenance(org: str, indicator: str, year: Year, principal: CurrentPrincipal, uow: UoW) -> TraceRead:
    """指标值的来源：每个数值的文件、SHA-256、工作表与单元格（或行）、填报人、时间和历史版本。"""
    return TraceRead.model_validate(views.trace_json(verdicts.trace(uow, principal, org, year, indicator)))


@router.get(
    "/schools/{org}/form.xlsx", response_class=Response, operation_id="quality_school_form",
    responses={200: {"content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}}, 404: _PROBLEM},
)  # fmt: skip
def school_form(org: str, year: Year, principal: CurrentPrincipal, uow: UoW) -> Response:
    """学校的状态数据填报表（Excel），已存数据预先填入。"""
    return download(forms.school_form(uow, principal, org, year), f"{year}-状态数据.xlsx")


@router.post(
    "/imports", response_model=QualityImportRead, operation_id="quality_import",
    responses={413: _PROBLEM, 415: _PROBLEM, 422: _PROBLEM},
)  # fmt: skip
def import_values(
    file: Annotated[UploadFile, File(description="填报表（.xlsx）或长表（.csv / .xlsx）")],
    principal: CurrentPrincipal, platform: Annotated[Platform, Depends(get_platform)], uow: UoW,
) -> QualityImportRead | JSONResponse:  # fmt: skip
    """导入状态数据：全部导入或一项也不导入；有问题时返回 422，逐项列出工作表和单元格（或行和列）。"""
    filename = file.filename or "上传文件"
    try:
        read = read_quality_file(
            filename, read_limited(filename, file.file, platform.settings.upload_max_bytes)
        )
    except SpreadsheetError as e:
        status = next(s for cls, s in _FILE_STATUS if isinstance(e, cls))
        return problem(status, e.message, e.code, filename=e.filename)
    result = collection.import_values(
        uow, principal, read.values, filename=read.filename, file_sha256=read.sha256, file_kind=read.kind,
        file_problems=read.problems,
    )  # fmt: skip
    body = views.import_json(result)
    for found, row in zip(result.problems, body["problems"], strict=True):  # both languages
        row["where_en"], row["message_en"] = found.where.describe_en(found.column), to_english(found.message)
    if not result.ok:
        return problem(422, "导入文件有误，未导入任何数据", "quality_import_rejected",
                       detail=f"共 {len(result.problems)} 处问题", **body)  # fmt: skip
    return QualityImportRead.model_validate(body)


@router.get(
    "/schools/{org}/submissions/{period}", response_model=SubmissionRead, operation_id="quality_submission",
    responses={404: _PROBLEM},
)  # fmt: skip
def submission(org: str, period: str, principal: CurrentPrincipal, uow: UoW) -> SubmissionRead:
    """填报状态与办理记录。"""
    return SubmissionRead.model_validate(
        views.state_json(collection.submission_state(uow, principal, org, period))
    )


@router.post(
    "/schools/{org}/submissions/{period}/{action}", response_model=SubmissionRead,
    operation_id="quality_submission_action", responses={403: _PROBLEM, 404: _PROBLEM, 409: _PROBLEM, 422: _PROBLEM},
)  # fmt: skip
def submission_action(
    org: str, period: str, action: Literal["submit", "approve", "return", "reopen"], body: WorkflowAction,
    principal: CurrentPrincipal, uow: UoW,
) -> SubmissionRead:  # fmt: skip
    """提交（学校，须具名确认真实性声明）、审核通过并锁定 / 退回 / 重新开放（省级）。"""
    state = collection.act(
        uow, principal, org, period, Action(action), comment=body.comment, declared_by=body.declared_by
    )
    return SubmissionRead.model_validate(views.state_json(state))


@router.get("/cards", response_model=CardsRead, operation_id="quality_cards", responses={403: _PROBLEM})
def cards(
    year: Year, principal: CurrentPrincipal, uow: UoW,
    province: Annotated[str | None, Query(pattern=r"^\d{2}$", description="省级行政区划代码，如 44")] = None,
) -> CardsRead:  # fmt: skip
    """一省（或全国）各校的黄牌红牌、异常值和填报状态。"""
    found = verdicts.cards(uow, principal, year, province)
    rows = views.cards_json(found)
    counts: dict[str, int] = {"pass": 0, "yellow": 0, "red": 0, "none": 0}
    for r in rows:
        counts[r["card"] or "none"] += 1
    return CardsRead.model_validate({"province": province, "year": year, "counts": counts, "schools": rows})


@router.get("/completeness", response_model=list[CompletenessRead], operation_id="quality_completeness")
def completeness(
    period: str, principal: CurrentPrincipal, uow: UoW,
    province: Annotated[str | None, Query(pattern=r"^\d{2}$")] = None,
) -> list[CompletenessRead]:  # fmt: skip
    """各省填报完成率和按时率。"""
    return [
        CompletenessRead(**asdict(c), completeness_rate=c.completeness_rate, on_time_rate=c.on_time_rate)
        for c in collection.completeness(uow, principal, period, province)
    ]
