"""Seeded synthetic cohorts for conversion tests and benchmarks: a plan, a rule set, outcomes.

Outcomes are generated inside DuckDB (hash-based, so the same seed gives the same rows), because a
benchmark cohort has millions of them; tests read the same rows back for the per-learner loop.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from fractions import Fraction

import duckdb

from zhijiao.domain.conversion.plan import Course, CourseCategory, CurriculumPlan, GraduationRequirements
from zhijiao.domain.conversion.rules import (
    Agreement,
    ConversionRule,
    ExemptionCaps,
    IssuerScope,
    RuleSet,
    SourceCondition,
)
from zhijiao.domain.creditbank.model import Grade, Level, OutcomeKind

INSTITUTION_ID = 1
CERT_CODES = 120
COURSE_CODES = 80
_CREDITS = [Decimal(x) for x in ("1", "1.5", "2", "2.5", "3", "4")]


def synthetic_plan(courses: int = 60) -> CurriculumPlan:
    rng = random.Random(7)
    categories = list(CourseCategory)
    items = tuple(
        Course(
            code=f"C{i:03d}",
            name=f"课程{i:03d}",
            credits=rng.choice(_CREDITS),
            category=categories[i % len(categories)],
            required=i % 4 != 0,
            hours_theory=32,
            hours_practical=16,
        )
        for i in range(courses)
    )
    total = sum((c.credits for c in items), Decimal(0))
    requirements = GraduationRequirements(
        total_credits=total,
        min_by_category={CourseCategory.professional_core: Decimal(10)},
        required_courses=frozenset(c.code for c in items if c.required),
    )
    return CurriculumPlan(INSTITUTION_ID, "510201", 2023, items, requirements, name="计算机应用技术 2023级")


def _condition(rng: random.Random) -> SourceCondition:
    roll = rng.random()
    if roll < 0.6:
        return SourceCondition(
            kind=OutcomeKind.skill_certificate,
            code=f"X{rng.randrange(CERT_CODES):03d}",
            min_level=rng.choice([None, Level.junior, Level.intermediate, Level.senior]),
            within_years=rng.choice([None, None, 3, 5]),
            issuer_ids=rng.choice([None, None, frozenset(rng.sample(range(100, 110), 5))]),
        )
    if roll < 0.85:
        return SourceCondition(
            kind=OutcomeKind.course,
            code=f"K{rng.randrange(COURSE_CODES):03d}",
            min_score=rng.choice([None, Decimal(60), Decimal(70), Decimal("75.5")]),
            min_grade=rng.choice([None, Grade.passed, Grade.good]),
            issuer_scope=rng.choice([IssuerScope.any, IssuerScope.own, IssuerScope.partner]),
        )
    return SourceCondition(
        kind=rng.choice([OutcomeKind.training, OutcomeKind.competition_award]),
        issuer_scope=rng.choice([IssuerScope.any, IssuerScope.partner]),
        within_years=rng.choice([None, 2]),
    )


def synthetic_rule_set(plan: CurriculumPlan, rules: int = 300, seed: int = 1) -> RuleSet:
    """`rules` rules (plus earlier versions of some) over the plan's courses, with caps and agreements."""
    rng = random.Random(seed)
    codes = [c.code for c in plan.courses]
    items: list[ConversionRule] = []
    for n in range(rules):
        shape = rng.random()
        n_sources = 3 if shape < 0.05 else 2 if shape < 0.2 else 1
        n_targets = 2 if 0.2 <= shape < 0.3 else 1
        rule_id = f"R{n:03d}"
        common = dict(
            rule_id=rule_id,
            institution_id=INSTITUTION_ID,
            plan=plan.key,
            sources=tuple(_condition(rng) for _ in range(n_sources)),
            targets=tuple(rng.sample(codes, n_targets)),
            reuse_sources=rng.random() < 0.05,
        )
        if rng.random() < 0.2:  # an older version, superseded at the start of 2023
            old = ConversionRule(
                version=1,
                effective_from=date(2019, 9, 1),
                effective_to=date(2022, 12, 31),
                **common,  # type: ignore[arg-type]
            )
            items.append(old)
            items.append(ConversionRule(version=2, effective_from=date(2023, 1, 1), **common))  # type: ignore[arg-type]
        else:
            items.append(ConversionRule(version=1, effective_from=date(2020, 1, 1), **common))  # type: ignore[arg-type]
    agreements = (
        Agreement("A-2", INSTITUTION_ID, 2, date(2020, 1, 1)),
        Agreement(
            "A-3",
            INSTITUTION_ID,
            3,
            date(2021, 1, 1),
            date(2030, 12, 31),
            frozenset(f"R{n:03d}" for n in range(0, rules, 2)),
        ),
    )
    caps = ExemptionCaps(
        plan_ratio=Fraction(1, 3),
        per_category={CourseCategory.professional_core: Decimal(12), CourseCategory.practice: Decimal(8)},
        per_year=Decimal(30),
    )
    return RuleSet(INSTITUTION_ID, plan.key, tuple(items), caps, agreements)


def generate_outcomes(
    con: duckdb.DuckDBPyConnection,
    learners: int,
    per_learner: int = 20,
    seed: int = 1,
    table: str = "conv_outcomes",
) -> str:
    """About `per_learner` outcomes (±5) for each of `learners` learners, as a table of OUTCOME_COLUMNS."""
    spread = 5 if per_learner > 5 else 0

    def h(k: int) -> str:
        return f"hash({seed}, learner_id, j, {k})"

    grades = "[" + ", ".join(f"'{g.value}'" for g in Grade) + "]"
    con.execute(f"""
        CREATE OR REPLACE TABLE {table} AS
        WITH base AS (
            SELECT l.range AS learner_id, j.range AS j
            FROM range({learners}) l, range({per_learner + spread}) j
            WHERE j.range < {per_learner} - {spread} + hash({seed}, l.range) % {2 * spread + 1}
        ), k AS (
            SELECT learner_id, j, {h(1)} % 100 AS roll FROM base
        )
        SELECT
            learner_id::BIGINT AS learner_id,
            (learner_id * 100 + j)::BIGINT AS outcome_id,
            CASE WHEN roll < 50 THEN 'skill_certificate'
                 WHEN roll < 58 THEN 'qualification_certificate'
                 WHEN roll < 85 THEN 'course'
                 WHEN roll < 95 THEN 'training'
                 ELSE 'competition_award' END AS kind,
            CASE WHEN roll < 58 THEN 'X' || lpad(({h(2)} % {CERT_CODES})::VARCHAR, 3, '0')
                 WHEN roll < 85 THEN 'K' || lpad(({h(2)} % {COURSE_CODES})::VARCHAR, 3, '0') END AS code,
            (CASE WHEN roll < 58 THEN 100 ELSE 1 END + {h(3)} % 10)::BIGINT AS issuer_id,
            DATE '2015-01-01' + ({h(4)} % 3650)::INTEGER AS obtained_on,
            CASE WHEN roll < 58 OR roll >= 95 THEN (1 + {h(5)} % 3)::INTEGER END AS level,
            CASE WHEN roll >= 58 AND roll < 85 AND {h(7)} % 3 > 0
                 THEN (50 + {h(6)} % 51)::DECIMAL(9,2) END AS score,
            CASE WHEN roll >= 58 AND roll < 85 AND {h(7)} % 3 = 0
                 THEN {grades}[(1 + {h(8)} % 5)::BIGINT] END AS grade,
            CASE WHEN {h(9)} % 50 = 0 THEN 'revoked' ELSE 'active' END AS status
        FROM k
    """)
    return table


def rows_by_learner(
    con: duckdb.DuckDBPyConnection, table: str, learner_ids: list[int] | None = None
) -> dict[int, list[tuple]]:  # type: ignore[type-arg]
    """The outcome rows of `table`, grouped by learner (all learners, or only `learner_ids`)."""
    where = ""
    params: list[object] = []
    if learner_ids is not None:
        where = "WHERE learner_id IN (SELECT unnest($1::BIGINT[]))"
        params = [learner_ids]
    rows = con.execute(f"SELECT * FROM {table} {where} ORDER BY learner_id, outcome_id", params).fetchall()
    grouped: dict[int, list[tuple]] = {}  # type: ignore[type-arg]
    for row in rows:
        grouped.setdefault(row[0], []).append(row)
    return grouped
