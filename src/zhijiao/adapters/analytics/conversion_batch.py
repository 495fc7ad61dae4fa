"""Batch exemption suggestions for a whole cohort, set-based in DuckDB.

Same semantics as `find_claims` + `allocate` of `zhijiao.domain.conversion` (the per-learner loop
`suggest_exemptions_loop` is the reference): DuckDB matches every outcome against every condition
in one join and builds the claims (one distinct outcome per source condition). A learner whose
claims do not compete — no two share a target course or an outcome (unless the rule allows reuse),
and all of them together stay within every cap — gets them all in SQL, which is the optimum; only
the learners whose claims compete go through the exact search of decision 0004: all at once, packed
into integer columns, by its compiled form (`conversion_search`), or by the domain's `Search` when
their masks would not fit in 63 bits. The date-, agreement- and cap-dependent numbers come from the
domain functions, so the two paths cannot drift apart on them.

Outcomes come as a table or view name in the connection, a DuckDB relation, or rows of
`OUTCOME_COLUMNS` (loaded with `load_outcomes`). Prior exemptions are not considered (a batch
suggests for a cohort with none yet).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import duckdb
import numpy as np

from zhijiao.adapters.analytics.conversion_search import MAX_BITS, solve_all
from zhijiao.domain.conversion.allocation import (
    Budget,
    Packed,
    Search,
    allocate,
    greedy_packed,
    remaining_budget,
)
from zhijiao.domain.conversion.eligibility import find_claims, prepare
from zhijiao.domain.conversion.plan import CourseCategory, CurriculumPlan
from zhijiao.domain.conversion.rules import GRADE_RANK, ConversionRule, RuleSet
from zhijiao.domain.creditbank.model import Grade, Level, Outcome, OutcomeKind, OutcomeStatus

OUTCOME_COLUMNS: tuple[tuple[str, str], ...] = (
    ("learner_id", "BIGINT"),
    ("outcome_id", "BIGINT"),
    ("kind", "VARCHAR"),
    ("code", "VARCHAR"),
    ("issuer_id", "BIGINT"),
    ("obtained_on", "DATE"),
    ("level", "INTEGER"),
    ("score", "DECIMAL(9,2)"),
    ("grade", "VARCHAR"),
    ("status", "VARCHAR"),
)
OutcomeRow = tuple[int, int, str, str | None, int, date, int | None, Decimal | None, str | None, str]
CREDIT_SQL = "DECIMAL(18,4)"
_UNLIMITED = Decimal("1e9")
MAX_OUTCOMES = MAX_BITS  # distinct outcomes of a learner the compiled search's masks hold
_CATEGORIES = tuple(CourseCategory)


@dataclass(frozen=True, slots=True, order=True)
class SuggestedExemption:
    learner_id: int
    course_code: str
    credits: Decimal
    rule_id: str
    rule_version: int
    outcome_ids: tuple[int, ...]


# ---- input ------------------------------------------------------------------------------------


def _load_columns(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: Sequence[tuple[str, str]],
    rows: list[tuple[object, ...]],
) -> None:
    values = [list(col) for col in zip(*rows, strict=True)] if rows else [[] for _ in columns]
    select = ", ".join(
        f"unnest(${i + 1}::{sql_type}[]) AS {name}" for i, (name, sql_type) in enumerate(columns)
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {select}", values)


def load_outcomes(
    con: duckdb.DuckDBPyConnection, rows: Iterable[OutcomeRow], table: str = "conv_outcomes"
) -> str:
    """Rows of `OUTCOME_COLUMNS` into a temporary table; returns its name."""
    _load_columns(con, table, OUTCOME_COLUMNS, [tuple(r) for r in rows])
    return table


def outcome_from_row(row: OutcomeRow) -> Outcome:
    learner_id, outcome_id, kind, code, issuer_id, obtained_on, level, score, grade, status = row
    return Outcome(
        id=outcome_id,
        account_id=learner_id,
        kind=OutcomeKind(kind),
        title=code or kind,
        issuer_id=issuer_id,
        obtained_on=obtained_on,
        credits=Decimal(0),
        framework_level=0,
        code=code,
        score=score,
        grade=None if grade is None else Grade(grade),
        level=None if level is None else Level(level),
        status=OutcomeStatus(status),
    )


# ---- the reference: one learner at a time -----------------------------------------------------


def suggest_for_learner(
    learner_id: int, outcomes: Sequence[Outcome], plan: CurriculumPlan, rule_set: RuleSet, on: date
) -> list[SuggestedExemption]:
    rules = rule_set.in_force(on)
    claims = find_claims(outcomes, plan, rules, on, rule_set.agreements)
    allocation = allocate(claims, plan, rule_set.caps, on, explain=False)
    return [
        SuggestedExemption(learner_id, e.course_code, e.credits, e.rule_id, e.rule_version, e.outcome_ids)
        for e in allocation.exemptions
    ]


def suggest_exemptions_loop(
    rows_by_learner: Mapping[int, Sequence[OutcomeRow]], plan: CurriculumPlan, rule_set: RuleSet, on: date
) -> list[SuggestedExemption]:
    """The straightforward per-learner Python loop over the domain functions (the baseline)."""
    out: list[SuggestedExemption] = []
    for learner_id, rows in rows_by_learner.items():
        out.extend(suggest_for_learner(learner_id, [outcome_from_row(r) for r in rows], plan, rule_set, on))
    return sorted(out)


# ---- set-based --------------------------------------------------------------------------------


def _load_rules(
    con: duckdb.DuckDBPyConnection,
    plan: CurriculumPlan,
    rules: Sequence[ConversionRule],
    rule_set: RuleSet,
    on: date,
) -> None:
    course_index = {c.code: i for i, c in enumerate(plan.courses)}
    conditions: list[tuple[object, ...]] = []
    issuers: list[tuple[object, ...]] = []
    rule_rows: list[tuple[object, ...]] = []
    rank = {rule_id: n for n, rule_id in enumerate(sorted({r.rule_id for r in rules}))}  # Python's str order
    for rule in rules:
        courses = [plan.course(code) for code in rule.targets]
        by_category = [sum((c.credits for c in courses if c.category is k), Decimal(0)) for k in _CATEGORIES]
        credits = sum((c.credits for c in courses), Decimal(0))
        rule_rows.append(
            (
                rule.rule_id,
                rank[rule.rule_id],
                rule.version,
                len(rule.sources),
                credits,
                rule.reuse_sources,
                [course_index[code] for code in rule.targets],
                *by_category,
            )
        )
        for idx, p in enumerate(prepare(rule, on, rule_set.agreements)):
            c = p.condition
            conditions.append(
                (
                    rule.rule_id,
                    idx,
                    c.kind.value,
                    c.code,
                    None if c.min_level is None else int(c.min_level),
                    c.min_score,
                    None if c.min_grade is None else GRADE_RANK[c.min_grade],
                    p.earliest,
                    p.issuers is not None,
                )
            )
            issuers.extend((rule.rule_id, idx, i) for i in sorted(p.issuers or ()))
    _load_columns(
        con,
        "conv_conditions",
        (
            ("rule_id", "VARCHAR"),
            ("idx", "INTEGER"),
            ("kind", "VARCHAR"),
            ("code", "VARCHAR"),
            ("min_level", "INTEGER"),
            ("min_score", "DECIMAL(9,2)"),
            ("min_grade", "INTEGER"),
            ("earliest", "DATE"),
            ("restricted", "BOOLEAN"),
        ),
        conditions,
    )
    _load_columns(
        con, "conv_issuers", (("rule_id", "VARCHAR"), ("idx", "INTEGER"), ("issuer_id", "BIGINT")), issuers
    )
    _load_columns(
        con,
        "conv_rules",
        (
            ("rule_id", "VARCHAR"),
            ("rule_rank", "INTEGER"),
            ("version", "INTEGER"),
            ("n_sources", "INTEGER"),
            ("credits", CREDIT_SQL),
            ("reuse", "BOOLEAN"),
            ("targets", "INTEGER[]"),
            *((f"d{i}", CREDIT_SQL) for i in range(len(_CATEGORIES))),
        ),
        rule_rows,
    )


def _grade_rank_sql(column: str) -> str:
    cases = " ".join(f"WHEN '{g.value}' THEN {rank}" for g, rank in GRADE_RANK.items())
    return f"CASE {column} {cases} END"


_MATCH_SQL = """
CREATE OR REPLACE TEMP TABLE conv_matches AS
WITH candidates AS (
    SELECT o.learner_id, o.outcome_id, o.issuer_id, o.level, o.score, o.grade, o.obtained_on, o.status, c.*
    FROM {outcomes} o JOIN conv_conditions c ON o.kind = c.kind AND o.code = c.code
    UNION ALL
    SELECT o.learner_id, o.outcome_id, o.issuer_id, o.level, o.score, o.grade, o.obtained_on, o.status, c.*
    FROM {outcomes} o JOIN conv_conditions c ON o.kind = c.kind AND c.code IS NULL
)
SELECT m.learner_id, m.rule_id, m.idx, m.outcome_id
FROM candidates m
LEFT JOIN conv_issuers i ON i.rule_id = m.rule_id AND i.idx = m.idx AND i.issuer_id = m.issuer_id
WHERE m.status = 'active'
  AND (NOT m.restricted OR i.issuer_id IS NOT NULL)
  AND (m.min_level IS NULL OR coalesce(m.level >= m.min_level, false))
  AND ((m.min_score IS NULL AND m.min_grade IS NULL)
       OR coalesce(m.score >= m.min_score, false)
       OR coalesce({grade_rank} >= m.min_grade, false))
  AND (m.earliest IS NULL OR m.obtained_on >= m.earliest)
"""


def _claims_sql(sizes: Iterable[int]) -> str:
    """Claims: per rule with k sources, every k-tuple of distinct matching outcomes, in condition order."""
    parts = []
    for k in sorted(set(sizes)):
        joins = " ".join(
            f"JOIN conv_matches m{j} ON m{j}.learner_id = m0.learner_id AND m{j}.rule_id = m0.rule_id"
            f" AND m{j}.idx = {j}" + "".join(f" AND m{j}.outcome_id <> m{i}.outcome_id" for i in range(j))
            for j in range(1, k)
        )
        ids = ", ".join(f"m{j}.outcome_id" for j in range(k))
        parts.append(
            f"SELECT m0.learner_id, m0.rule_id, [{ids}] AS oids FROM conv_matches m0 {joins}"
            f" WHERE m0.idx = 0 AND m0.rule_id IN (SELECT rule_id FROM conv_rules WHERE n_sources = {k})"
        )
    return " UNION ALL ".join(parts)


def _needs_search_sql(budget_total: Decimal, budget_categories: Sequence[Decimal]) -> str:
    """Learners whose claims cannot simply all be taken: two claims share a target course, or an
    outcome (neither allowing reuse), or together they exceed a cap. Only they need the exact search."""
    over = " OR ".join(
        [f"sum(credits) > {budget_total}"] + [f"sum(d{i}) > {b}" for i, b in enumerate(budget_categories)]
    )
    return f"""
CREATE OR REPLACE TEMP TABLE conv_search AS
SELECT learner_id FROM (SELECT learner_id, unnest(targets) AS course FROM conv_claims)
GROUP BY learner_id, course HAVING count(*) > 1
UNION
SELECT learner_id FROM (SELECT learner_id, unnest(oids) AS oid FROM conv_claims WHERE NOT reuse)
GROUP BY learner_id, oid HAVING count(*) > 1
UNION
SELECT learner_id FROM conv_claims GROUP BY learner_id HAVING {over}
"""


@dataclass(frozen=True, slots=True)
class BatchResult:
    suggestions: list[SuggestedExemption]
    learners: int  # learners with at least one claim
    searched: int  # learners whose claims needed the exact search
    gained: Decimal  # credits the exact search gave them over the former greedy rule
    search_seconds: float = 0.0  # of the whole run: fetching, packing and searching the competing learners
    nodes: int = 0  # branch-and-bound nodes visited in all


def run_batch(
    con: duckdb.DuckDBPyConnection,
    outcomes: str | duckdb.DuckDBPyRelation,
    plan: CurriculumPlan,
    rule_set: RuleSet,
    on: date,
) -> BatchResult:
    """For every learner in `outcomes`, the exemptions `allocate` would choose (sorted rows).

    Set-based: the claims of every learner are built in one pass; a learner whose claims do not
    compete (no shared course or outcome, within every cap) gets them all, which is then the optimum.
    Only the others go through the exact search (`_search_compiled`)."""
    if isinstance(outcomes, duckdb.DuckDBPyRelation):
        outcomes.create_view("conv_outcomes_input", replace=True)
        outcomes = "conv_outcomes_input"
    rules = rule_set.in_force(on)
    if not rules:
        return BatchResult([], 0, 0, Decimal(0))
    _load_rules(con, plan, rules, rule_set, on)
    budget = remaining_budget(plan, rule_set.caps, on)
    total = _UNLIMITED if budget.total is None else budget.total
    categories = [budget.by_category.get(k, _UNLIMITED) for k in _CATEGORIES]
    con.execute(_MATCH_SQL.format(outcomes=outcomes, grade_rank=_grade_rank_sql("m.grade")))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE conv_claims AS
        SELECT c.learner_id, c.oids, r.*
        FROM ({_claims_sql(len(r.sources) for r in rules)}) c
        JOIN conv_rules r USING (rule_id)
    """)
    con.execute(_needs_search_sql(total, categories))
    courses = plan.courses
    rows = con.execute("""
        SELECT c.learner_id, t.course, c.rule_id, c.version, c.oids
        FROM conv_claims c, unnest(c.targets) AS t(course)
        WHERE c.learner_id NOT IN (SELECT learner_id FROM conv_search)
    """).fetchall()
    out = [
        SuggestedExemption(learner, courses[i].code, courses[i].credits, rule_id, version, tuple(oids))
        for learner, i, rule_id, version, oids in rows
    ]
    (learners,) = con.execute("SELECT count(DISTINCT learner_id) FROM conv_claims").fetchone() or (0,)
    search_started = time.perf_counter()
    searched, gained, nodes = _search_compiled(con, plan, budget, out)
    search_s = time.perf_counter() - search_started
    # each learner has each course at most once: (learner, course) orders as the full rows do
    out.sort(key=lambda s: (s.learner_id, s.course_code))
    return BatchResult(out, int(learners), searched, gained, search_s, nodes)


def rules_by_rank(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """(rule id, version) of the rules in force, by `rule_rank`."""
    return [
        (r, v)
        for r, v in con.execute("SELECT rule_id, version FROM conv_rules ORDER BY rule_rank").fetchall()
    ]


def _chosen_rows(
    cols: dict[str, np.ndarray], picked: np.ndarray, plan: CurriculumPlan, rules: list[tuple[str, int]],
    sources: int, width: int, out: list[SuggestedExemption],
) -> None:  # fmt: skip
    """The chosen claims' exemptions, one per target course, from the fetched columns."""
    courses = plan.courses
    learner = cols["learner_id"][picked].tolist()
    rank = cols["rule_rank"][picked].tolist()
    oids = list(zip(*(cols[f"o{j}"][picked].tolist() for j in range(sources)), strict=True))
    targets = list(zip(*(cols[f"t{j}"][picked].tolist() for j in range(width)), strict=True))
    for learner_id, r, ids, ts in zip(learner, rank, oids, targets, strict=True):
        rule_id, version = rules[r]
        outcome_ids = tuple(i for i in ids if i >= 0)
        for t in ts:
            if t >= 0:
                c = courses[t]
                out.append(SuggestedExemption(learner_id, c.code, c.credits, rule_id, version, outcome_ids))


def _scale_of(plan: CurriculumPlan, budget: Budget) -> int:
    """Integer credit units: 10 ** the most decimal places of any course credit or cap."""
    values = [*(c.credits for c in plan.courses), *budget.by_category.values()]
    values += [budget.total] if budget.total is not None else []
    return int(
        10 ** max((-int(v.as_tuple().exponent) for v in values if int(v.as_tuple().exponent) < 0), default=0)
    )


def _search_compiled(
    con: duckdb.DuckDBPyConnection, plan: CurriculumPlan, budget: Budget, out: list[SuggestedExemption]
) -> tuple[int, Decimal, int]:
    """The learners whose claims compete, all at once: their claims that fit alone come from DuckDB
    as flat integer columns (units, category units, rule rank, outcome ids, course indices), are put
    in `claim_priority` order and packed into int64 course and outcome bit masks with numpy, and are
    searched by the compiled exact search (`conversion_search`, the domain's rule). A plan of more
    than 63 courses, or a learner citing more than 63 distinct outcomes, goes through the domain's
    search instead (`_search_competing`)."""
    capped = [_CATEGORIES.index(k) for k in budget.by_category]
    scale = _scale_of(plan, budget)
    fits = [f"credits <= {budget.total}"] if budget.total is not None else []
    fits += [f"d{i} <= {budget.by_category[_CATEGORIES[i]]}" for i in capped]
    where = f"learner_id IN (SELECT learner_id FROM conv_search) AND {' AND '.join(fits) or 'true'}"
    if len(plan.courses) > MAX_BITS:
        rows = con.execute(f"""
            SELECT learner_id, rule_id, version, oids, targets, reuse FROM conv_claims WHERE {where}
            ORDER BY learner_id
        """).fetchall()
        return _search_competing(rows, plan, budget, out)
    sources, width = con.execute("SELECT max(n_sources), max(len(targets)) FROM conv_rules").fetchone() or (
        1,
        1,
    )
    cats = "".join(f", CAST(round(d{i} * {scale}) AS BIGINT) AS c{n}" for n, i in enumerate(capped))
    fetched = con.execute(f"""
        SELECT learner_id, CAST(round(credits * {scale}) AS BIGINT) AS units, n_sources, len(targets) AS ncourses,
               rule_rank, reuse,
               {", ".join(f"coalesce(oids[{j + 1}], -1)::BIGINT AS o{j}" for j in range(sources))},
               {", ".join(f"coalesce(targets[{j + 1}], -1)::BIGINT AS t{j}" for j in range(width))}
               {cats}
        FROM conv_claims WHERE {where}
    """).fetchnumpy()
    raw = {k: np.asarray(v) for k, v in fetched.items()}
    if len(raw["learner_id"]) == 0:
        return 0, Decimal(0), 0
    # claim_priority: most credits, fewest outcomes, rule id, outcome ids (np.lexsort: last key first)
    keys = [raw[f"o{j}"] for j in reversed(range(sources))]
    order = np.lexsort([*keys, raw["rule_rank"], raw["n_sources"], -raw["units"], raw["learner_id"]])
    cols = {k: v[order] for k, v in raw.items()}
    learner = cols["learner_id"].astype(np.int64)
    n = len(learner)
    starts = np.concatenate([[0], np.flatnonzero(np.diff(learner)) + 1, [n]]).astype(np.int64)
    cmask = np.zeros(n, np.int64)
    for j in range(width):
        t = cols[f"t{j}"]
        cmask |= np.where(t >= 0, np.left_shift(np.int64(1), np.maximum(t, 0).astype(np.int64)), 0)
    # each learner's outcomes numbered 0, 1, … (a rule that allows reuse marks none)
    reuse = cols["reuse"].astype(bool)
    slots = [np.flatnonzero((cols[f"o{j}"] >= 0) & ~reuse) for j in range(sources)]
    dense = np.repeat(np.arange(len(starts) - 1, dtype=np.int64), np.diff(starts))  # learner 0, 1, …
    oid_span = int(max((cols[f"o{j}"].max() for j in range(sources)), default=0)) + 1
    omask = np.zeros(n, np.int64)
    too_many: set[int] = set()
    keys = [dense[m] * oid_span + cols[f"o{j}"][m].astype(np.int64) for j, m in enumerate(slots)]
    if sum(len(k) for k in keys) and (len(starts) - 1) * oid_span < 2**62:
        uniq, inverse = np.unique(np.concatenate(keys), return_inverse=True)
        owner = uniq // oid_span
        bit = np.arange(len(uniq), dtype=np.int64) - np.searchsorted(owner, owner, side="left")
        too_many = set(learner[starts[owner[bit >= MAX_OUTCOMES]]].tolist())
        shift = np.minimum(bit[inverse.reshape(-1)], MAX_BITS - 1)
        offset = 0
        for m in slots:  # a claim has each slot once: plain fancy-index updates
            omask[m] |= np.left_shift(np.int64(1), shift[offset : offset + len(m)])
            offset += len(m)
    elif sum(len(k) for k in keys):  # outcome ids too large for one key: every such learner by the domain
        too_many = set(learner.tolist())
    searched, gained, nodes = 0, Decimal(0), 0
    if too_many:
        keep = ~np.isin(learner, np.array(sorted(too_many), np.int64))
        rows = [
            (int(learner[i]), *_claim_row(cols, i, rules_by_rank(con), sources, width))
            for i in np.flatnonzero(~keep)
        ]
        searched, gained, nodes = _search_competing(rows, plan, budget, out)
        cols = {k: v[keep] for k, v in cols.items()}
        learner, cmask, omask = learner[keep], cmask[keep], omask[keep]
        n = len(learner)
        starts = np.concatenate([[0], np.flatnonzero(np.diff(learner)) + 1, [n]]).astype(np.int64)
        if n == 0:
            return searched, gained, nodes
    cat = np.zeros((n, max(len(capped), 1)), np.int64)
    for k in range(len(capped)):
        cat[:, k] = cols[f"c{k}"]
    total = int(budget.total * scale) if budget.total is not None else int(np.sum(cols["units"])) + 1
    caps = np.array([int(budget.by_category[_CATEGORIES[i]] * scale) for i in capped], np.int64)
    chosen, gained_units, more_nodes = solve_all(
        cols["units"].astype(np.int64), cat, cmask, omask, cols["n_sources"].astype(np.int64),
        cols["ncourses"].astype(np.int64), starts, total, caps,
    )  # fmt: skip
    _chosen_rows(cols, np.flatnonzero(chosen), plan, rules_by_rank(con), sources, width, out)
    return (
        searched + len(starts) - 1,
        gained + Decimal(int(gained_units)) / scale,
        nodes + int(more_nodes),
    )


def _claim_row(
    cols: dict[str, np.ndarray], i: int, rules: list[tuple[str, int]], sources: int, width: int
) -> tuple[str, int, list[int], list[int], bool]:
    rule_id, version = rules[int(cols["rule_rank"][i])]
    oids = [int(cols[f"o{j}"][i]) for j in range(sources) if cols[f"o{j}"][i] >= 0]
    targets = [int(cols[f"t{j}"][i]) for j in range(width) if cols[f"t{j}"][i] >= 0]
    return rule_id, version, oids, targets, bool(cols["reuse"][i])


_Row = tuple[int, str, int, list[int], list[int], bool]


def _search_competing(
    rows: Sequence[_Row], plan: CurriculumPlan, budget: Budget, out: list[SuggestedExemption]
) -> tuple[int, Decimal, int]:
    """The exact search of the domain (`Search`, the same one `allocate` runs) on the claims of each
    learner whose claims compete, packed straight from the rows into integer units and bit masks
    (no Decimal work per claim); the claims come in `claim_priority` order, as `allocate` orders them.
    Returns how many learners were searched, the credits gained over the greedy rule and the nodes."""
    courses = plan.courses
    capped = list(budget.by_category)
    scale = _scale_of(plan, budget)
    course_units = [int(c.credits * scale) for c in courses]
    course_cats = [tuple(int(c.credits * scale) if c.category is k else 0 for k in capped) for c in courses]
    total = None if budget.total is None else int(budget.total * scale)
    caps = [int(budget.by_category[k] * scale) for k in capped]
    ncat = len(capped)
    searched, gained_units, nodes = 0, 0, 0
    start = 0
    while start < len(rows):
        learner = rows[start][0]
        end = start
        while end < len(rows) and rows[end][0] == learner:
            end += 1
        claims = []
        for _, rule_id, version, oids, targets, reuse in rows[start:end]:
            units = sum(course_units[i] for i in targets)
            if total is not None and units > total:
                continue  # cannot be taken even alone
            cats = tuple(sum(course_cats[i][k] for i in targets) for k in range(ncat))
            if any(cats[k] > caps[k] for k in range(ncat)):
                continue
            claims.append((-units, len(oids), rule_id, tuple(oids), version, tuple(targets), reuse, cats))
        start = end
        claims.sort()
        bits: dict[int, int] = {}
        packed = []
        for neg, n, _, oids, _, targets, reuse, cats in claims:
            omask = 0 if reuse else sum(1 << bits.setdefault(o, len(bits)) for o in oids)
            cmask = sum(1 << i for i in targets)
            packed.append(Packed(-neg, cats, cmask, omask, n, len(targets)))
        search = Search(packed, total, caps)
        best = search.best()
        assert best is not None  # the empty set is valid
        nodes += search.nodes
        greedy = greedy_packed(packed, total, caps)
        searched += 1
        gained_units += sum(packed[i].units for i in best) - sum(packed[i].units for i in greedy)
        for i in best:
            _, _, rule_id, oids, version, targets, _, _ = claims[i]
            out.extend(
                SuggestedExemption(learner, courses[t].code, courses[t].credits, rule_id, version, oids)
                for t in targets
            )
    return searched, Decimal(gained_units) / scale, nodes


def suggest_exemptions(
    con: duckdb.DuckDBPyConnection,
    outcomes: str | duckdb.DuckDBPyRelation,
    plan: CurriculumPlan,
    rule_set: RuleSet,
    on: date,
) -> list[SuggestedExemption]:
    """For every learner in `outcomes`, the exemptions `allocate` would choose (sorted rows)."""
    return run_batch(con, outcomes, plan, rule_set, on).suggestions
