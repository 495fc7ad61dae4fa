"""毕业/资格审核 (graduation audit): which requirements of a plan a learner meets, and why.

A plan course counts as completed when the learner has an active course outcome (课程 or 在线课程)
with the same course code that was not failed (grade 不及格), or when it is exempted. A course
completed both ways counts once, as earned. Credits are the plan's credits for the course.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from zhijiao.domain.conversion.allocation import Exemption
from zhijiao.domain.conversion.plan import CATEGORY_LABELS, Course, CurriculumPlan, PlanKey
from zhijiao.domain.creditbank.model import Grade, Outcome, OutcomeKind, OutcomeStatus

COURSE_OUTCOME_KINDS = frozenset({OutcomeKind.course, OutcomeKind.online_course})


class CompletedBy(StrEnum):
    earned = "earned"  # 修读
    exempted = "exempted"  # 免修


@dataclass(frozen=True, slots=True)
class CompletedCourse:
    course: Course
    by: CompletedBy
    source_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class RequirementCheck:
    name: str
    met: bool
    explanation: str


@dataclass(frozen=True, slots=True)
class AuditResult:
    plan: PlanKey
    completed: tuple[CompletedCourse, ...]
    checks: tuple[RequirementCheck, ...]

    @property
    def met(self) -> bool:
        return all(c.met for c in self.checks)

    @property
    def credits(self) -> Decimal:
        return sum((c.course.credits for c in self.completed), Decimal(0))

    @property
    def exempted_credits(self) -> Decimal:
        return sum((c.course.credits for c in self.completed if c.by is CompletedBy.exempted), Decimal(0))

    @property
    def summary(self) -> str:
        head = "满足全部毕业要求" if self.met else "尚未满足毕业要求"
        return "\n".join([head, *(c.explanation for c in self.checks)])


def _passed(o: Outcome) -> bool:
    return o.status is OutcomeStatus.active and o.kind in COURSE_OUTCOME_KINDS and o.grade is not Grade.failed


def completed_courses(
    plan: CurriculumPlan, outcomes: Iterable[Outcome], exemptions: Iterable[Exemption]
) -> tuple[CompletedCourse, ...]:
    earned: dict[str, list[int]] = {}
    for o in outcomes:
        if _passed(o) and o.code is not None:
            earned.setdefault(o.code, []).extend([] if o.id is None else [o.id])
    exempted: dict[str, tuple[int, ...]] = {e.course_code: e.outcome_ids for e in exemptions}
    done: list[CompletedCourse] = []
    for course in plan.courses:
        if course.code in earned:
            done.append(CompletedCourse(course, CompletedBy.earned, tuple(sorted(earned[course.code]))))
        elif course.code in exempted:
            done.append(CompletedCourse(course, CompletedBy.exempted, exempted[course.code]))
    return tuple(done)


def _credit_check(name: str, actual: Decimal, required: Decimal) -> RequirementCheck:
    met = actual >= required
    gap = "" if met else f"（差 {required - actual} 学分）"
    return RequirementCheck(
        name, met, f"{name} {actual} ≥ 要求 {required}：{'满足' if met else '不满足'}{gap}"
    )


def audit(plan: CurriculumPlan, outcomes: Iterable[Outcome], exemptions: Iterable[Exemption]) -> AuditResult:
    done = completed_courses(plan, outcomes, exemptions)
    total = sum((c.course.credits for c in done), Decimal(0))
    checks = [_credit_check("总学分", total, plan.requirements.total_credits)]
    for category, minimum in plan.requirements.min_by_category.items():
        credits = sum((c.course.credits for c in done if c.course.category is category), Decimal(0))
        checks.append(_credit_check(f"{CATEGORY_LABELS[category]}学分", credits, minimum))
    done_codes = {c.course.code for c in done}
    missing = [
        c for c in plan.courses if c.code in plan.requirements.required_courses and c.code not in done_codes
    ]
    if missing:
        names = "、".join(f"{c.name}（{c.code}）" for c in missing)
        checks.append(RequirementCheck("必修课程", False, f"必修课程 全部完成：不满足（未完成：{names}）"))
    else:
        count = len(plan.requirements.required_courses)
        checks.append(RequirementCheck("必修课程", True, f"必修课程 {count} 门全部完成：满足"))
    return AuditResult(plan.key, done, tuple(checks))
