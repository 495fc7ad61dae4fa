"""Builders for conversion tests: a small plan, outcomes, rules."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from zhijiao.domain.conversion.plan import parse_plan
from zhijiao.domain.conversion.rules import ConversionRule, SourceCondition
from zhijiao.domain.creditbank.model import Outcome, OutcomeKind

PLAN_DATA: dict[str, Any] = {
    "name": "计算机应用技术 2023级",
    "institution_id": 1,
    "major_code": "510201",
    "cohort_year": 2023,
    "courses": [
        {"code": "G01", "name": "思想道德与法治", "credits": 3, "category": "公共基础"},
        {"code": "B01", "name": "程序设计基础", "credits": "4", "category": "professional_basic"},
        {"code": "H01", "name": "Web前端开发", "credits": "4", "category": "专业核心"},
        {"code": "H02", "name": "数据库应用", "credits": "3.5", "category": "专业核心"},
        {"code": "P01", "name": "岗位实习", "credits": 6, "category": "实习实训", "hours_practical": 360},
        {
            "code": "E01",
            "name": "云计算导论",
            "credits": 2,
            "category": "选修",
            "required": False,
            "kind": "module",
        },
    ],
    "requirements": {"total_credits": "22.5", "min_by_category": {"专业核心": "7.5"}},
}


def outcome(
    id: int,
    kind: OutcomeKind = OutcomeKind.skill_certificate,
    code: str | None = "X1",
    *,
    issuer_id: int = 100,
    obtained_on: date = date(2023, 5, 1),
    **extra: Any,
) -> Outcome:
    return Outcome(
        id=id,
        account_id=9,
        kind=kind,
        title=f"成果{id}",
        issuer_id=issuer_id,
        obtained_on=obtained_on,
        credits=Decimal(0),
        framework_level=4,
        code=code,
        **extra,
    )


def rule(
    rule_id: str,
    targets: tuple[str, ...],
    *sources: SourceCondition,
    version: int = 1,
    effective_from: date = date(2020, 1, 1),
    effective_to: date | None = None,
    reuse: bool = False,
) -> ConversionRule:
    return ConversionRule(
        rule_id=rule_id,
        version=version,
        institution_id=1,
        plan=parse_plan(PLAN_DATA).key,
        effective_from=effective_from,
        effective_to=effective_to,
        sources=sources or (SourceCondition(OutcomeKind.skill_certificate, code="X1"),),
        targets=targets,
        reuse_sources=reuse,
    )
