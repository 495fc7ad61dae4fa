"""Validation rules (DHIS2 style): left side, operator, right side, importance, missing-value
strategy and message — and outlier checks that flag values for review without refusing them:
a robust z-score against peer schools of the same kind, and year-over-year jumps."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from zhijiao.domain.quality.expressions import evaluate, parse, references


class Missing(StrEnum):
    skip_if_any = "skip_if_any_value_missing"
    skip_if_all = "skip_if_all_values_missing"
    never_skip = "never_skip"  # a missing value counts as 0


class Importance(StrEnum):
    high = "high"
    medium = "medium"
    low = "low"


_OPS = {
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


@dataclass(frozen=True, slots=True)
class ValidationRule:
    code: str
    left: str
    operator: str
    right: str
    message: str
    importance: Importance = Importance.high
    missing: Missing = Missing.skip_if_any

    def check(self, values: Mapping[str, Decimal]) -> bool | None:
        """True: satisfied; False: violated; None: skipped by the missing-value strategy."""
        left, right = parse(self.left), parse(self.right)
        codes = references(left) + references(right)
        present = [c for c in codes if c in values]
        if self.missing is Missing.skip_if_any and len(present) < len(codes):
            return None
        if self.missing is Missing.skip_if_all and not present:
            return None
        filled = dict(values)
        if self.missing is not Missing.skip_if_any:
            filled.update({c: Decimal(0) for c in codes if c not in values})
        a, b = evaluate(left, filled), evaluate(right, filled)
        if a is None or b is None:
            return None
        return bool(_OPS[self.operator](a, b))


RULES: tuple[ValidationRule, ...] = (
    ValidationRule("dual_within_professional", "teachers_dual_qualified", "<=", "teachers_professional",
                   "“双师型”教师数不应超过专业课教师数"),
    ValidationRule("professional_within_fulltime", "teachers_professional", "<=", "teachers_fulltime",
                   "专业课教师数不应超过专任教师数"),
    ValidationRule("postgraduate_within_fulltime", "teachers_postgraduate_degree", "<=", "teachers_fulltime",
                   "具有研究生学位的专任教师数不应超过专任教师数"),
    ValidationRule("senior_within_fulltime", "teachers_senior_title", "<=", "teachers_fulltime",
                   "具有高级职务的专任教师数不应超过专任教师数"),
    ValidationRule("ideopolitical_within_fulltime", "teachers_ideopolitical_fulltime", "<=", "teachers_fulltime",
                   "专职思政课教师数不应超过专任教师数"),
    ValidationRule("practical_within_total", "hours_practical", "<=", "hours_total",
                   "实践性教学学时不应超过教学总学时"),
    ValidationRule("employed_within_graduates", "graduates_employed", "<=", "graduates",
                   "已就业毕业生数不应超过毕业生数"),
    ValidationRule("recent_within_courses", "courses_recent_textbook", "<=", "courses_total",
                   "使用近三年修订教材的课程数不应超过开设课程数"),
    ValidationRule("teaching_space_within_building", "floor_area_teaching_admin_m2", "<=", "building_area_m2",
                   "教学行政用房面积不应超过校舍建筑面积", Importance.medium),
    ValidationRule("has_teachers", "teachers_fulltime", ">", "0", "已填报在校生的学校应有专任教师",
                   Importance.medium),
)  # fmt: skip
RULE_BY_CODE = {r.code: r for r in RULES}
RULE_MESSAGES_EN = {
    "dual_within_professional": "dual-qualified teachers should not outnumber professional-course teachers",
    "professional_within_fulltime": "professional-course teachers should not outnumber full-time teachers",
    "postgraduate_within_fulltime": "teachers with a postgraduate degree should not outnumber full-time teachers",
    "senior_within_fulltime": "teachers with a senior title should not outnumber full-time teachers",
    "ideopolitical_within_fulltime": "ideological-political teachers should not outnumber full-time teachers",
    "practical_within_total": "practical teaching hours should not exceed total teaching hours",
    "employed_within_graduates": "employed graduates should not outnumber graduates",
    "recent_within_courses": "courses with recent textbooks should not outnumber courses",
    "teaching_space_within_building": "teaching and administrative space should not exceed the building area",
    "has_teachers": "a school that reports students should have full-time teachers",
}


@dataclass(frozen=True, slots=True)
class RuleViolation:
    rule: ValidationRule
    explanation: str
    explanation_en: str = ""

    def explain(self, lang: str) -> str:
        return self.explanation_en if lang == "en" and self.explanation_en else self.explanation


def violations(values: Mapping[str, Decimal]) -> list[RuleViolation]:
    """The consistency rules `values` (element → total) break, each explained with its numbers."""
    out = []
    for rule in RULES:
        if rule.code == "has_teachers" and not values.get("students_fulltime"):
            continue
        if rule.check(values) is False:
            left = evaluate(parse(rule.left), dict(values))
            right = evaluate(parse(rule.right), dict(values))
            numbers = f"{rule.left} = {left}，{rule.right} = {right}"
            en = RULE_MESSAGES_EN.get(rule.code, rule.message)
            out.append(
                RuleViolation(
                    rule,
                    f"{rule.message}（{numbers}）",
                    f"{en[0].upper()}{en[1:]} ({numbers.replace('，', ', ')})",
                )
            )
    return out


# --- outliers --------------------------------------------------------------------------------

ROBUST_Z_LIMIT = 3.5  # Iglewicz & Hoaglin's cut-off for the modified z-score
JUMP_LIMIT = Decimal("0.5")  # more than ±50 % from the year before


def robust_z(value: float, peers: Iterable[float]) -> float | None:
    """The modified z-score 0.6745·(x − median)/MAD of `value` among `peers`; None when the peers
    are too few (< 5) or do not vary."""
    sample = list(peers)
    if len(sample) < 5:
        return None
    med = statistics.median(sample)
    mad = statistics.median(abs(x - med) for x in sample)
    if mad == 0:
        return None
    return 0.6745 * (value - med) / mad


def jump(value: Decimal, before: Decimal | None) -> Decimal | None:
    """The relative change from the year before, when it is larger than `JUMP_LIMIT`."""
    if before is None or before == 0:
        return None
    change = value / before - 1
    return change if abs(change) > JUMP_LIMIT else None
