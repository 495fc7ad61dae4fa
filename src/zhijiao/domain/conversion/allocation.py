"""Allocating exemptions (免修) under the caps, so that no outcome counts twice.

The order is deterministic and documented by `claim_priority`: a greedy pass takes each claim, most
credits first, when (1) none of its target courses is already exempted, (2) none of its outcomes is
already used by another exemption — unless the claim's rule allows reuse, in which case its outcomes
are neither checked nor marked — and (3) its credits fit every remaining cap (plan, year, category).
A claim is all-or-nothing: it exempts all of its target courses or none.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from zhijiao.domain.conversion.eligibility import Claim, claim_priority
from zhijiao.domain.conversion.plan import CATEGORY_LABELS, CourseCategory, CurriculumPlan
from zhijiao.domain.conversion.rules import ExemptionCaps


@dataclass(frozen=True, slots=True)
class Exemption:
    """One course or module the learner need not take, and what it rests on."""

    course_code: str
    credits: Decimal
    category: CourseCategory
    rule_id: str
    rule_version: int
    outcome_ids: tuple[int, ...]
    granted_on: date
    reuse_sources: bool = False


@dataclass(frozen=True, slots=True)
class Budget:
    """Credits that may still be exempted: overall (plan and year caps) and per capped category."""

    total: Decimal | None
    by_category: Mapping[CourseCategory, Decimal]


@dataclass(frozen=True, slots=True)
class SkippedClaim:
    claim: Claim
    reason: str


@dataclass(frozen=True, slots=True)
class Allocation:
    exemptions: tuple[Exemption, ...]
    skipped: tuple[SkippedClaim, ...]

    @property
    def credits(self) -> Decimal:
        return sum((e.credits for e in self.exemptions), Decimal(0))


def _show(credits: Decimal) -> str:
    return format(credits.normalize(), "f")


def _sum(exemptions: Iterable[Exemption]) -> Decimal:
    return sum((e.credits for e in exemptions), Decimal(0))


def remaining_budget(
    plan: CurriculumPlan, caps: ExemptionCaps, on: date, prior: Iterable[Exemption] = ()
) -> Budget:
    """What the caps still allow on `on`, given exemptions already granted (`prior`)."""
    prior = tuple(prior)
    limits: list[Decimal] = []
    plan_limit = caps.plan_limit(plan)
    if plan_limit is not None:
        limits.append(plan_limit - _sum(prior))
    if caps.per_year is not None:
        limits.append(caps.per_year - _sum(e for e in prior if e.granted_on.year == on.year))
    by_category = {
        category: max(cap - _sum(e for e in prior if e.category is category), Decimal(0))
        for category, cap in caps.per_category.items()
    }
    return Budget(max(min(limits), Decimal(0)) if limits else None, by_category)


def allocate(
    claims: Iterable[Claim],
    plan: CurriculumPlan,
    caps: ExemptionCaps,
    on: date,
    prior: Iterable[Exemption] = (),
) -> Allocation:
    """Choose exemptions among `claims` (see the module docstring for the order and the checks)."""
    prior = tuple(prior)
    budget = remaining_budget(plan, caps, on, prior)
    total_left = budget.total
    category_left = dict(budget.by_category)
    exempted = {e.course_code for e in prior}
    used = {i for e in prior if not e.reuse_sources for i in e.outcome_ids}
    taken: list[Exemption] = []
    skipped: list[SkippedClaim] = []
    for claim in sorted(claims, key=claim_priority):
        courses = [plan.course(code) for code in claim.targets]
        per_category: dict[CourseCategory, Decimal] = {}
        for course in courses:
            per_category[course.category] = per_category.get(course.category, Decimal(0)) + course.credits
        reason = None
        if exempted.intersection(claim.targets):
            reason = "目标课程已免修"
        elif not claim.reuse_sources and used.intersection(claim.outcome_ids):
            reason = "学习成果已用于其他免修"
        elif total_left is not None and claim.credits > total_left:
            reason = f"超出免修学分上限（剩余 {_show(total_left)} 学分）"
        else:
            over = [c for c, v in per_category.items() if c in category_left and v > category_left[c]]
            if over:
                left = _show(category_left[over[0]])
                reason = f"超出{CATEGORY_LABELS[over[0]]}类免修学分上限（剩余 {left} 学分）"
        if reason is not None:
            skipped.append(SkippedClaim(claim, reason))
            continue
        if total_left is not None:
            total_left -= claim.credits
        for category, credits in per_category.items():
            if category in category_left:
                category_left[category] -= credits
        exempted.update(claim.targets)
        if not claim.reuse_sources:
            used.update(claim.outcome_ids)
        taken.extend(
            Exemption(
                c.code,
                c.credits,
                c.category,
                claim.rule_id,
                claim.rule_version,
                claim.outcome_ids,
                on,
                claim.reuse_sources,
            )
            for c in courses
        )
    return Allocation(tuple(taken), tuple(skipped))
