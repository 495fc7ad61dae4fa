"""Request and response schemas of the quality API (the shapes of `services.quality.views`)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class ElementRead(BaseModel):
    code: str
    name: str
    unit: str
    section: str
    value_type: str
    categories: list[str]
    name_en: str = ""
    unit_en: str = ""
    categories_en: list[str] = []


class IndicatorDefinitionRead(BaseModel):
    code: str
    name: str
    numerator: str
    denominator: str
    numerator_definition: str = Field(description="the numerator with 折合在校生数 / 教师总数 spelled out")
    denominator_definition: str
    factor: float
    decimals: int
    version: int
    direction: str
    formula: str
    source: str | None
    name_en: str = ""
    formula_en: str = ""
    source_en: str | None = None


class StandardRead(BaseModel):
    indicator: str
    level: str
    discipline_type: str | None
    pass_line: float
    restrict_line: float | None
    effective_from: date
    effective_to: date | None
    scope: str
    source: str
    source_en: str = ""
    verified: bool = Field(
        True, description="false: the 合格 figure could not be checked against the document"
    )
    restrict_verified: bool = True
    checked_at: str = Field("", description="where the figure was checked (a published copy of the document)")


class IndicatorVerdictRead(BaseModel):
    indicator: str
    name: str
    value: float | None
    numerator: float | None
    denominator: float | None
    threshold: float | None
    restrict_line: float | None
    standard_scope: str | None
    standard_verified: bool | None = None
    verdict: str = Field(description="pass | warning | fail")
    source: str | None
    formula: str
    explanation: str
    source_en: str | None = None
    name_en: str = ""
    formula_en: str = ""
    explanation_en: str = ""
    previous: float | None
    jump: float | None


class SchoolIndicatorsRead(BaseModel):
    org: str
    school: str
    level: str
    discipline_type: str
    year: int
    periods: list[str]
    card: str = Field(description="pass | yellow | red")
    card_explanation: str
    card_explanation_en: str = ""
    status: str
    indicators: list[IndicatorVerdictRead]
    violations: list[str]
    violations_en: list[str] = []


class SchoolCardRead(BaseModel):
    org: str
    school: str
    level: str
    discipline_type: str
    card: str | None = Field(description="pass | yellow | red; null: no data for the year")
    below: list[str]
    below_indicators: list[str] = []
    below_en: list[str] = []
    explanation: str
    explanation_en: str = ""
    status: str
    outliers: list[str]
    outliers_en: list[str] = []
    values: dict[str, float | None]


class CardsRead(BaseModel):
    province: str | None
    year: int
    counts: dict[str, int]
    schools: list[SchoolCardRead]


class ProvenanceRead(BaseModel):
    element: str
    category: str
    period: str
    value: float
    version: int
    current: bool
    file: str
    file_sha256: str
    sheet: str | None
    cell: str | None
    row: int | None
    batch: int
    submitted_by: str
    submitted_at: str


class TraceRead(BaseModel):
    indicator: str
    formula: str
    value: float | None
    cells: list[ProvenanceRead]
    history: list[ProvenanceRead]


class QualityProblemRead(BaseModel):
    sheet: str | None
    cell: str | None
    row: int | None
    column: str | None
    where: str
    message: str
    where_en: str = ""
    message_en: str = ""


class QualityImportRead(BaseModel):
    filename: str
    ok: bool
    values_total: int
    values_written: int
    values_unchanged: int
    batch_id: int | None
    schools: list[str]
    periods: list[str]
    warnings: list[str]
    warnings_en: list[str] = []
    problems: list[QualityProblemRead]


class WorkflowAction(BaseModel):
    comment: str = ""
    declared_by: str = Field("", description="提交时：确认真实性声明的责任人姓名")


class SubmissionRead(BaseModel):
    org: str
    school: str
    period: str
    status: str
    declared_by: str | None
    submitted_at: str | None
    on_time: bool | None
    history: list[dict[str, str | None]]


class CompletenessRead(BaseModel):
    province: str
    period: str
    schools: int
    reported: int
    submitted: int
    approved: int
    on_time: int
    completeness_rate: float
    on_time_rate: float


class TargetCreate(BaseModel):
    indicator: str
    level: str
    pass_line: str
    document: str
    number: str = ""
    sentence: str
    effective_from: date
    school: str | None = None
    discipline_type: str | None = None
