"""学习成果转换办法 (ConversionRule): conditions on source outcomes, targets, versions, caps, agreements."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from zhijiao.domain.conversion import fields as f
from zhijiao.domain.conversion.plan import CATEGORY_LABELS, CourseCategory, CurriculumPlan, PlanKey
from zhijiao.domain.creditbank.model import LEVEL_LABELS, OUTCOME_KIND_LABELS, Grade, Level, OutcomeKind
from zhijiao.domain.errors import ValidationFailed

GRADE_RANK: dict[Grade, int] = {
    Grade.failed: 0,
    Grade.passed: 1,
    Grade.fair: 2,
    Grade.good: 3,
    Grade.excellent: 4,
}


class IssuerScope(StrEnum):
    own = "own"  # 本校
    partner = "partner"  # 本校及协议院校
    any = "any"  # 不限


ISSUER_SCOPE_LABELS = {
    IssuerScope.own: "本校",
    IssuerScope.partner: "本校及协议院校",
    IssuerScope.any: "不限",
}


class MappingKind(StrEnum):
    one_to_one = "one_to_one"
    many_to_one = "many_to_one"
    one_to_many = "one_to_many"
    many_to_many = "many_to_many"


@dataclass(frozen=True, slots=True)
class SourceCondition:
    """What one source outcome must be. Unset fields do not constrain.

    A performance floor is met when the score reaches `min_score` or the grade reaches `min_grade`.
    `within_years`: obtained no earlier than the application date minus that many years.
    """

    kind: OutcomeKind
    code: str | None = None
    issuer_ids: frozenset[int] | None = None
    min_level: Level | None = None
    min_score: Decimal | None = None
    min_grade: Grade | None = None
    within_years: int | None = None
    issuer_scope: IssuerScope = IssuerScope.any


@dataclass(frozen=True, slots=True)
class ConversionRule:
    """One version of a rule: all `sources` (each a distinct outcome) exempt all `targets`.

    `effective_to` is inclusive; None means open-ended.
    """

    rule_id: str
    version: int
    institution_id: int
    plan: PlanKey
    effective_from: date
    sources: tuple[SourceCondition, ...]
    targets: tuple[str, ...]
    effective_to: date | None = None
    reuse_sources: bool = False
    name: str = ""

    def __post_init__(self) -> None:
        where = f"规则 {self.rule_id} 第{self.version}版"
        if not self.sources:
            raise ValidationFailed(f"{where}：至少需要一个来源条件", field="sources")
        if not self.targets or len(set(self.targets)) != len(self.targets):
            raise ValidationFailed(f"{where}：目标课程不能为空或重复", field="targets")
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValidationFailed(f"{where}：失效日期早于生效日期", field="effective_to")

    @property
    def mapping(self) -> MappingKind:
        many_sources, many_targets = len(self.sources) > 1, len(self.targets) > 1
        if many_sources and many_targets:
            return MappingKind.many_to_many
        if many_sources:
            return MappingKind.many_to_one
        return MappingKind.one_to_many if many_targets else MappingKind.one_to_one

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


@dataclass(frozen=True, slots=True)
class ExemptionCaps:
    """Limits on exempted credits: per plan (share of total and/or absolute), per category, per year."""

    plan_ratio: Fraction | None = None
    plan_credits: Decimal | None = None
    per_category: Mapping[CourseCategory, Decimal] = field(default_factory=dict)
    per_year: Decimal | None = None

    def plan_limit(self, plan: CurriculumPlan) -> Decimal | None:
        limits: list[Decimal] = []
        if self.plan_ratio is not None:
            share = plan.requirements.total_credits * self.plan_ratio.numerator / self.plan_ratio.denominator
            limits.append(share.quantize(Decimal("0.01"), rounding=ROUND_FLOOR))
        if self.plan_credits is not None:
            limits.append(self.plan_credits)
        return min(limits) if limits else None


@dataclass(frozen=True, slots=True)
class Agreement:
    """学分互认协议: `institution_id` recognises outcomes of `partner_id` for `rule_ids` (empty = all)."""

    agreement_id: str
    institution_id: int
    partner_id: int
    effective_from: date
    effective_to: date | None = None
    rule_ids: frozenset[str] = frozenset()

    def covers(self, rule: ConversionRule, on: date) -> bool:
        return (
            self.institution_id == rule.institution_id
            and self.effective_from <= on
            and (self.effective_to is None or on <= self.effective_to)
            and (not self.rule_ids or rule.rule_id in self.rule_ids)
        )


@dataclass(frozen=True, slots=True)
class RuleSet:
    """An institution's published conversion rules for one plan (all versions), caps and agreements."""

    institution_id: int
    plan: PlanKey
    rules: tuple[ConversionRule, ...]
    caps: ExemptionCaps = ExemptionCaps()
    agreements: tuple[Agreement, ...] = ()

    def __post_init__(self) -> None:
        seen: set[tuple[str, int]] = set()
        for rule in self.rules:
            if (rule.rule_id, rule.version) in seen:
                raise ValidationFailed(f"规则 {rule.rule_id} 第{rule.version}版重复", field="rules")
            seen.add((rule.rule_id, rule.version))
            if rule.plan != self.plan or rule.institution_id != self.institution_id:
                raise ValidationFailed(f"规则 {rule.rule_id} 不属于培养方案 {self.plan}", field="rules")

    def in_force(self, on: date) -> tuple[ConversionRule, ...]:
        return rules_in_force(self.rules, on)


def rules_in_force(rules: Iterable[ConversionRule], on: date) -> tuple[ConversionRule, ...]:
    """Per rule id, the highest version whose effective window contains `on`; ordered by rule id."""
    chosen: dict[str, ConversionRule] = {}
    for rule in rules:
        if rule.in_force(on) and (rule.rule_id not in chosen or rule.version > chosen[rule.rule_id].version):
            chosen[rule.rule_id] = rule
    return tuple(chosen[key] for key in sorted(chosen))


def partner_issuers(rule: ConversionRule, agreements: Iterable[Agreement], on: date) -> frozenset[int]:
    return frozenset(a.partner_id for a in agreements if a.covers(rule, on))


def allowed_issuers(
    condition: SourceCondition, rule: ConversionRule, agreements: Iterable[Agreement], on: date
) -> frozenset[int] | None:
    """Issuers whose outcomes may satisfy `condition` (scope ∩ listed issuers); None = any issuer."""
    scope: frozenset[int] | None = None
    if condition.issuer_scope is IssuerScope.own:
        scope = frozenset({rule.institution_id})
    elif condition.issuer_scope is IssuerScope.partner:
        scope = frozenset({rule.institution_id}) | partner_issuers(rule, agreements, on)
    if condition.issuer_ids is None:
        return scope
    return condition.issuer_ids if scope is None else condition.issuer_ids & scope


def earliest_obtained(condition: SourceCondition, on: date) -> date | None:
    """The earliest date an outcome may have been obtained to be recent enough (None = no limit)."""
    if condition.within_years is None:
        return None
    year = on.year - condition.within_years
    try:
        return on.replace(year=year)
    except ValueError:  # 29 February
        return on.replace(year=year, day=28)


def check_against_plan(rule_set: RuleSet, plan: CurriculumPlan) -> None:
    """Every target of every rule must be a course of the plan the rules were published for."""
    if rule_set.plan != plan.key:
        raise ValidationFailed(f"规则集属于培养方案 {rule_set.plan}，而不是 {plan.key}", field="plan")
    for i, rule in enumerate(rule_set.rules):
        for j, code in enumerate(rule.targets):
            if not plan.has_course(code):
                raise f.fail(f"rules[{i}].targets[{j}]", f"培养方案中没有课程 {code}")


# ---- plain data ⇄ RuleSet ---------------------------------------------------------------------


def parse_rule_set(data: object) -> RuleSet:
    """A RuleSet from plain data (parsed YAML/JSON); errors name the field path in Chinese."""
    root = f.mapping(data, "")
    institution_id = f.integer(f.get(root, "institution_id", ""), "institution_id", minimum=1)
    plan_data = f.mapping(f.get(root, "plan", ""), "plan")
    plan = PlanKey(
        f.integer(f.get(plan_data, "institution_id", "plan"), "plan.institution_id", minimum=1),
        f.text(str(f.get(plan_data, "major_code", "plan")), "plan.major_code"),
        f.integer(f.get(plan_data, "cohort_year", "plan"), "plan.cohort_year", minimum=2000),
    )
    rules = tuple(
        _parse_rule(item, f"rules[{i}]", institution_id, plan)
        for i, item in enumerate(f.sequence(f.get(root, "rules", ""), "rules"))
    )
    agreements = tuple(
        _parse_agreement(item, f"agreements[{i}]", institution_id)
        for i, item in enumerate(f.sequence(f.get(root, "agreements", "", []), "agreements"))
    )
    caps = _parse_caps(f.get(root, "caps", "", {}))
    return RuleSet(institution_id, plan, rules, caps, agreements)


def _parse_ids(value: object, path: str) -> frozenset[int]:
    return frozenset(f.integer(x, f.child(path, i), minimum=1) for i, x in enumerate(f.sequence(value, path)))


def _parse_level(value: object, path: str) -> Level:
    return f.choice(Level, value, path, LEVEL_LABELS)


def _parse_grade(value: object, path: str) -> Grade:
    return f.choice(Grade, value, path)


def _parse_years(value: object, path: str) -> int:
    return f.integer(value, path, minimum=1)


def _parse_condition(item: object, path: str) -> SourceCondition:
    data = f.mapping(item, path)
    return SourceCondition(
        kind=f.choice(OutcomeKind, f.get(data, "kind", path), f.child(path, "kind"), OUTCOME_KIND_LABELS),
        code=f.optional(data, "code", path, f.text),
        issuer_ids=f.optional(data, "issuer_ids", path, _parse_ids),
        min_level=f.optional(data, "min_level", path, _parse_level),
        min_score=f.optional(data, "min_score", path, f.decimal),
        min_grade=f.optional(data, "min_grade", path, _parse_grade),
        within_years=f.optional(data, "within_years", path, _parse_years),
        issuer_scope=f.choice(
            IssuerScope,
            f.get(data, "issuer_scope", path, "any"),
            f.child(path, "issuer_scope"),
            ISSUER_SCOPE_LABELS,
        ),
    )


def _parse_texts(value: object, path: str) -> tuple[str, ...]:
    return tuple(f.text(t, f.child(path, i)) for i, t in enumerate(f.sequence(value, path)))


def _parse_rule(item: object, path: str, institution_id: int, plan: PlanKey) -> ConversionRule:
    data = f.mapping(item, path)
    sources_path = f.child(path, "sources")
    sources = f.sequence(f.get(data, "sources", path), sources_path)
    return ConversionRule(
        rule_id=f.text(f.get(data, "id", path), f.child(path, "id")),
        version=f.integer(f.get(data, "version", path), f.child(path, "version"), minimum=1),
        institution_id=institution_id,
        plan=plan,
        name=str(data.get("name") or ""),
        effective_from=f.day(f.get(data, "effective_from", path), f.child(path, "effective_from")),
        effective_to=f.optional(data, "effective_to", path, f.day),
        sources=tuple(_parse_condition(s, f.child(sources_path, i)) for i, s in enumerate(sources)),
        targets=_parse_texts(f.get(data, "targets", path), f.child(path, "targets")),
        reuse_sources=f.boolean(f.get(data, "reuse_sources", path, False), f.child(path, "reuse_sources")),
    )


def _parse_agreement(item: object, path: str, institution_id: int) -> Agreement:
    data = f.mapping(item, path)
    return Agreement(
        agreement_id=f.text(f.get(data, "id", path), f.child(path, "id")),
        institution_id=institution_id,
        partner_id=f.integer(f.get(data, "partner_id", path), f.child(path, "partner_id"), minimum=1),
        effective_from=f.day(f.get(data, "effective_from", path), f.child(path, "effective_from")),
        effective_to=f.optional(data, "effective_to", path, f.day),
        rule_ids=frozenset(_parse_texts(f.get(data, "rule_ids", path, []), f.child(path, "rule_ids"))),
    )


def _parse_ratio(value: object, path: str) -> Fraction:
    ratio: Fraction | None = None
    if isinstance(value, str) and "/" in value:
        num, _, den = value.partition("/")
        if num.strip().isdigit() and den.strip().isdigit() and int(den) > 0:
            ratio = Fraction(int(num), int(den))
    else:
        ratio = Fraction(f.decimal(value, path))
    if ratio is None or ratio > 1:
        raise f.fail(path, f"应为 0 到 1 之间的比例（如 1/3 或 0.3）：{value!r}")
    return ratio


def _parse_category_caps(value: object, path: str) -> dict[CourseCategory, Decimal]:
    data = f.mapping(value, path)
    return {
        f.choice(CourseCategory, key, f.child(path, key), CATEGORY_LABELS): f.decimal(v, f.child(path, key))
        for key, v in data.items()
    }


def _parse_caps(item: object) -> ExemptionCaps:
    path = "caps"
    data = f.mapping(item, path)
    return ExemptionCaps(
        plan_ratio=f.optional(data, "plan_ratio", path, _parse_ratio),
        plan_credits=f.optional(data, "plan_credits", path, f.decimal),
        per_category=f.optional(data, "per_category", path, _parse_category_caps) or {},
        per_year=f.optional(data, "per_year", path, f.decimal),
    )


def _condition_to_dict(c: SourceCondition) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": c.kind.value, "issuer_scope": c.issuer_scope.value}
    if c.code is not None:
        out["code"] = c.code
    if c.issuer_ids is not None:
        out["issuer_ids"] = sorted(c.issuer_ids)
    if c.min_level is not None:
        out["min_level"] = int(c.min_level)
    if c.min_score is not None:
        out["min_score"] = str(c.min_score)
    if c.min_grade is not None:
        out["min_grade"] = c.min_grade.value
    if c.within_years is not None:
        out["within_years"] = c.within_years
    return out


def rule_set_to_dict(rule_set: RuleSet) -> dict[str, Any]:
    """The inverse of `parse_rule_set`: plain data ready for JSON or YAML (decimals as strings)."""
    caps = rule_set.caps
    caps_out: dict[str, Any] = {}
    if caps.plan_ratio is not None:
        caps_out["plan_ratio"] = f"{caps.plan_ratio.numerator}/{caps.plan_ratio.denominator}"
    if caps.plan_credits is not None:
        caps_out["plan_credits"] = str(caps.plan_credits)
    if caps.per_category:
        caps_out["per_category"] = {k.value: str(v) for k, v in caps.per_category.items()}
    if caps.per_year is not None:
        caps_out["per_year"] = str(caps.per_year)
    return {
        "institution_id": rule_set.institution_id,
        "plan": {
            "institution_id": rule_set.plan.institution_id,
            "major_code": rule_set.plan.major_code,
            "cohort_year": rule_set.plan.cohort_year,
        },
        "caps": caps_out,
        "rules": [
            {
                "id": r.rule_id,
                "version": r.version,
                "name": r.name,
                "effective_from": r.effective_from.isoformat(),
                "effective_to": None if r.effective_to is None else r.effective_to.isoformat(),
                "sources": [_condition_to_dict(c) for c in r.sources],
                "targets": list(r.targets),
                "reuse_sources": r.reuse_sources,
            }
            for r in rule_set.rules
        ],
        "agreements": [
            {
                "id": a.agreement_id,
                "partner_id": a.partner_id,
                "effective_from": a.effective_from.isoformat(),
                "effective_to": None if a.effective_to is None else a.effective_to.isoformat(),
                "rule_ids": sorted(a.rule_ids),
            }
            for a in rule_set.agreements
        ],
    }
