from __future__ import annotations

from datetime import date
from decimal import Decimal

from zhijiao.domain.conversion.allocation import Exemption
from zhijiao.domain.conversion.audit import CompletedBy, audit
from zhijiao.domain.conversion.plan import CourseCategory, CurriculumPlan
from zhijiao.domain.creditbank.model import Grade, OutcomeKind, OutcomeStatus

from .factories import outcome

COURSE = OutcomeKind.course


def test_unmet_requirements_are_explained(plan: CurriculumPlan) -> None:
    outcomes = [
        outcome(1, COURSE, "G01", score=Decimal(80)),
        outcome(2, COURSE, "B01", grade=Grade.failed),
        outcome(3, COURSE, "H02", status=OutcomeStatus.revoked),
        outcome(4, OutcomeKind.skill_certificate, "X1"),
    ]
    exemptions = [
        Exemption("H01", Decimal(4), CourseCategory.professional_core, "R1", 1, (4,), date(2024, 6, 1))
    ]
    result = audit(plan, outcomes, exemptions)
    assert not result.met
    assert result.credits == 7 and result.exempted_credits == 4
    assert [(c.course.code, c.by) for c in result.completed] == [
        ("G01", CompletedBy.earned),
        ("H01", CompletedBy.exempted),
    ]
    assert result.summary.splitlines() == [
        "尚未满足毕业要求",
        "总学分 7 ≥ 要求 22.5：不满足（差 15.5 学分）",
        "专业核心学分 4 ≥ 要求 7.5：不满足（差 3.5 学分）",
        "必修课程 全部完成：不满足（未完成：程序设计基础（B01）、数据库应用（H02）、岗位实习（P01））",
    ]


def test_all_met_counts_earned_once(plan: CurriculumPlan) -> None:
    outcomes = [outcome(i, COURSE, c.code, score=Decimal(90)) for i, c in enumerate(plan.courses, start=1)]
    exemptions = [
        Exemption("H01", Decimal(4), CourseCategory.professional_core, "R1", 1, (99,), date(2024, 6, 1))
    ]
    result = audit(plan, outcomes, exemptions)
    assert result.met and result.exempted_credits == 0
    assert result.credits == sum((c.credits for c in plan.courses), Decimal(0))
    assert result.checks[-1].explanation == "必修课程 5 门全部完成：满足"
