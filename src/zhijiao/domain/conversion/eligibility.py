"""Eligibility (资格预审): which outcomes satisfy which rules on an application date, explained in Chinese.

`find_claims` is the fast path (no text) used for batch suggestions; `evaluate` gives every target
course a verdict with one Chinese line per condition. Both rest on the same predicates below.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import product

from zhijiao.domain.conversion.plan import CurriculumPlan
from zhijiao.domain.conversion.rules import (
    GRADE_RANK,
    ISSUER_SCOPE_LABELS,
    Agreement,
    ConversionRule,
    IssuerScope,
    MappingKind,
    SourceCondition,
    allowed_issuers,
    earliest_obtained,
)
from zhijiao.domain.creditbank.model import LEVEL_LABELS, OUTCOME_KIND_LABELS, Outcome, OutcomeStatus
from zhijiao.domain.errors import ValidationFailed

MAPPING_LABELS = {
    MappingKind.one_to_one: "一对一",
    MappingKind.many_to_one: "多对一",
    MappingKind.one_to_many: "一对多",
    MappingKind.many_to_many: "多对多",
}
OK, NOT_OK = "满足", "不满足"


@dataclass(frozen=True, slots=True)
class Claim:
    """A rule the learner can use: `outcome_ids[i]` satisfies the rule's i-th source condition."""

    rule_id: str
    rule_version: int
    outcome_ids: tuple[int, ...]
    targets: tuple[str, ...]
    credits: Decimal
    reuse_sources: bool = False


def claim_priority(claim: Claim) -> tuple[Decimal, int, str, tuple[int, ...]]:
    """Allocation order: most credits first, then fewest outcomes, then rule id, then outcome ids."""
    return (-claim.credits, len(claim.outcome_ids), claim.rule_id, claim.outcome_ids)


@dataclass(frozen=True, slots=True)
class PreparedCondition:
    """A source condition with its date- and agreement-dependent limits resolved."""

    condition: SourceCondition
    issuers: frozenset[int] | None
    earliest: date | None


def prepare(
    rule: ConversionRule, on: date, agreements: Iterable[Agreement] = ()
) -> tuple[PreparedCondition, ...]:
    agreements = tuple(agreements)
    return tuple(
        PreparedCondition(c, allowed_issuers(c, rule, agreements, on), earliest_obtained(c, on))
        for c in rule.sources
    )


# ---- the predicates ---------------------------------------------------------------------------


def _kind_ok(o: Outcome, c: SourceCondition) -> bool:
    return o.kind is c.kind


def _code_ok(o: Outcome, c: SourceCondition) -> bool:
    return c.code is None or o.code == c.code


def _issuer_ok(o: Outcome, p: PreparedCondition) -> bool:
    return p.issuers is None or o.issuer_id in p.issuers


def _level_ok(o: Outcome, c: SourceCondition) -> bool:
    return c.min_level is None or (o.level is not None and o.level >= c.min_level)


def _performance_ok(o: Outcome, c: SourceCondition) -> bool:
    if c.min_score is None and c.min_grade is None:
        return True
    by_score = c.min_score is not None and o.score is not None and o.score >= c.min_score
    by_grade = (
        c.min_grade is not None and o.grade is not None and GRADE_RANK[o.grade] >= GRADE_RANK[c.min_grade]
    )
    return by_score or by_grade


def _recent_ok(o: Outcome, p: PreparedCondition) -> bool:
    return p.earliest is None or o.obtained_on >= p.earliest


def satisfies(o: Outcome, p: PreparedCondition) -> bool:
    c = p.condition
    return (
        o.status is OutcomeStatus.active
        and _kind_ok(o, c)
        and _code_ok(o, c)
        and _issuer_ok(o, p)
        and _level_ok(o, c)
        and _performance_ok(o, c)
        and _recent_ok(o, p)
    )


# ---- claims -----------------------------------------------------------------------------------


def _outcome_id(o: Outcome) -> int:
    if o.id is None:
        raise ValidationFailed(f"学习成果「{o.title}」尚未登记（缺少编号）", field="outcome_id")
    return o.id


def _combinations(matches: Sequence[Sequence[int]]) -> Iterable[tuple[int, ...]]:
    """Tuples of distinct outcome ids, one per condition, in lexicographic order."""
    return (ids for ids in product(*matches) if len(set(ids)) == len(ids))


def find_claims(
    outcomes: Iterable[Outcome],
    plan: CurriculumPlan,
    rules: Iterable[ConversionRule],
    on: date,
    agreements: Iterable[Agreement] = (),
) -> tuple[Claim, ...]:
    """Every way the outcomes satisfy a rule in `rules` (pass the versions in force on `on`)."""
    ordered = sorted(outcomes, key=_outcome_id)
    agreements = tuple(agreements)
    claims: list[Claim] = []
    for rule in rules:
        prepared = prepare(rule, on, agreements)
        matches = [[_outcome_id(o) for o in ordered if satisfies(o, p)] for p in prepared]
        if not all(matches):
            continue
        credits = sum((plan.course(code).credits for code in rule.targets), Decimal(0))
        claims.extend(
            Claim(rule.rule_id, rule.version, ids, rule.targets, credits, rule.reuse_sources)
            for ids in _combinations(matches)
        )
    return tuple(claims)


# ---- explained verdicts -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RuleVerdict:
    rule_id: str
    rule_version: int
    eligible: bool
    lines: tuple[str, ...]
    claims: tuple[Claim, ...]


@dataclass(frozen=True, slots=True)
class CourseVerdict:
    course_code: str
    course_name: str
    eligible: bool
    rules: tuple[RuleVerdict, ...]
    granted: bool | None = None  # what the allocation grants (None: not allocated yet)
    left_out_reason: str | None = None  # eligible, but left out by the allocation: why, with figures
    left_out_reason_en: str | None = None  # the same in English
    preference_reason: str | None = None  # preferred by the learner, but not kept: why
    preference_reason_en: str | None = None

    @property
    def explanation(self) -> str:
        head = f"{self.course_name}（{self.course_code}）：{'可免修' if self.eligible else '不可免修'}"
        tail = [f"本次不能免修：{self.left_out_reason}"] if self.left_out_reason else []
        if self.preference_reason:
            tail.append(f"未能按意愿优先免修：{self.preference_reason}")
        return "\n".join([head, *(line for r in self.rules for line in r.lines), *tail])


def _verdict_line(label: str, passed: bool) -> str:
    return f"{label}：{OK if passed else NOT_OK}"


def explain(o: Outcome, p: PreparedCondition) -> tuple[tuple[bool, str], ...]:
    """One (passed, Chinese text) per constraint of the condition, for one outcome."""
    c = p.condition
    kind = OUTCOME_KIND_LABELS[o.kind]
    checks: list[tuple[bool, str]] = []
    if o.status is not OutcomeStatus.active:
        checks.append((False, "成果状态 已撤销"))
    checks.append((_kind_ok(o, c), f"成果类型 {kind} = 要求 {OUTCOME_KIND_LABELS[c.kind]}"))
    if c.code is not None:
        checks.append((_code_ok(o, c), f"证书/课程代码 {o.code or '无'} = 要求 {c.code}"))
    if p.issuers is not None:
        scope = "指定机构" if c.issuer_scope is IssuerScope.any else ISSUER_SCOPE_LABELS[c.issuer_scope]
        allowed = "、".join(str(i) for i in sorted(p.issuers)) or "无"
        checks.append((_issuer_ok(o, p), f"发证机构 {o.issuer_id} 属于{scope}（{allowed}）"))
    if c.min_level is not None:
        level = LEVEL_LABELS[o.level] if o.level is not None else "无"
        ok = _level_ok(o, c)
        checks.append((ok, f"证书等级 {level} {'≥' if ok else '<'} 要求 {LEVEL_LABELS[c.min_level]}"))
    if c.min_score is not None or c.min_grade is not None:
        wanted = (
            f"{c.min_score}分" if c.min_score is not None else None,
            c.min_grade.value if c.min_grade else None,
        )
        required = " 或 ".join(text for text in wanted if text)
        got = (
            " / ".join(str(x) for x in (o.score, o.grade.value if o.grade else None) if x is not None) or "无"
        )
        ok = _performance_ok(o, c)
        checks.append((ok, f"成绩 {got} {'≥' if ok else '<'} 要求 {required}"))
    if p.earliest is not None:
        ok = _recent_ok(o, p)
        within = "在" if ok else "超过"
        checks.append(
            (
                ok,
                f"取得日期 {o.obtained_on.isoformat()} {within}{c.within_years}年时效"
                f"（不早于 {p.earliest.isoformat()}）",
            )
        )
    return tuple(checks)


def distance(o: Outcome, p: PreparedCondition) -> tuple[int, int, Decimal]:
    """How far an outcome is from meeting the condition, to explain with the closest one: failed checks
    of identity (status, code, issuer) first, then failed checks of degree (level, performance, date),
    then how far short it falls on them (levels, points, grade steps, days)."""
    c = p.condition
    identity = (o.status is not OutcomeStatus.active) + (not _code_ok(o, c)) + (not _issuer_ok(o, p))
    degree = (not _level_ok(o, c)) + (not _performance_ok(o, c)) + (not _recent_ok(o, p))
    gap = Decimal(0)
    if not _level_ok(o, c) and c.min_level is not None:
        gap += int(c.min_level) - (int(o.level) if o.level is not None else 0)
    if not _performance_ok(o, c):
        if c.min_score is not None:
            gap += c.min_score - o.score if o.score is not None else c.min_score
        elif c.min_grade is not None:
            gap += GRADE_RANK[c.min_grade] - (GRADE_RANK[o.grade] if o.grade is not None else 0)
    if not _recent_ok(o, p) and p.earliest is not None:
        gap += (p.earliest - o.obtained_on).days
    return identity, degree, gap


def _explain_condition(
    index: int, p: PreparedCondition, ordered: Sequence[Outcome], ids: set[int]
) -> list[str]:
    c = p.condition
    what = OUTCOME_KIND_LABELS[c.kind] + (f" {c.code}" if c.code else "")
    prefix = f"条件{index + 1}（{what}）"
    candidates = [o for o in ordered if _outcome_id(o) in ids] or [o for o in ordered if o.kind is c.kind]
    if not candidates:
        return [_verdict_line(f"{prefix} 未找到类型为 {OUTCOME_KIND_LABELS[c.kind]} 的学习成果", False)]
    best = min(candidates, key=lambda o: (distance(o, p), _outcome_id(o)))
    return [
        _verdict_line(f"{prefix} 成果#{best.id}「{best.title}」 {text}", ok) for ok, text in explain(best, p)
    ]


def _rule_verdict(
    rule: ConversionRule,
    plan: CurriculumPlan,
    ordered: Sequence[Outcome],
    on: date,
    agreements: Sequence[Agreement],
) -> RuleVerdict:
    prepared = prepare(rule, on, agreements)
    matches = [[_outcome_id(o) for o in ordered if satisfies(o, p)] for p in prepared]
    credits = sum((plan.course(code).credits for code in rule.targets), Decimal(0))
    combos = tuple(_combinations(matches)) if all(matches) else ()
    claims = tuple(
        Claim(rule.rule_id, rule.version, ids, rule.targets, credits, rule.reuse_sources) for ids in combos
    )
    chosen = set(combos[0]) if combos else set()
    name = f"「{rule.name}」" if rule.name else ""
    head = f"规则 {rule.rule_id}{name}（第{rule.version}版，{MAPPING_LABELS[rule.mapping]}）"
    lines = [head]
    for i, p in enumerate(prepared):
        lines.extend(_explain_condition(i, p, ordered, chosen or set(matches[i])))
    if all(matches) and not combos:
        lines.append(_verdict_line("各条件须由不同的学习成果满足", False))
    return RuleVerdict(rule.rule_id, rule.version, bool(claims), tuple(lines), claims)


def evaluate(
    outcomes: Iterable[Outcome],
    plan: CurriculumPlan,
    rules: Iterable[ConversionRule],
    on: date,
    agreements: Iterable[Agreement] = (),
    targets: Collection[str] | None = None,
) -> tuple[CourseVerdict, ...]:
    """A verdict per target course (those in `targets`, or every course some rule targets)."""
    ordered = sorted(outcomes, key=_outcome_id)
    rules, agreements = tuple(rules), tuple(agreements)
    wanted = targets if targets is not None else {code for r in rules for code in r.targets}
    verdicts = {
        r: _rule_verdict(r, plan, ordered, on, agreements) for r in rules if set(r.targets) & set(wanted)
    }
    result: list[CourseVerdict] = []
    for course in plan.courses:
        if course.code not in wanted:
            continue
        by_rule = tuple(v for r, v in verdicts.items() if course.code in r.targets)
        if not by_rule:
            missing = (_verdict_line(f"{on.isoformat()} 没有适用于该课程的转换规则", False),)
            by_rule = (RuleVerdict("", 0, False, missing, ()),)
        result.append(CourseVerdict(course.code, course.name, any(v.eligible for v in by_rule), by_rule))
    unknown = sorted(set(wanted) - {c.code for c in plan.courses})
    if unknown:
        raise ValidationFailed(f"培养方案中没有课程：{'、'.join(unknown)}", field="targets")
    return tuple(result)
