"""The DuckDB batch suggests exactly what the per-learner domain loop suggests."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest

from zhijiao.adapters.analytics.conversion_batch import (
    load_outcomes,
    outcome_from_row,
    run_batch,
    suggest_exemptions,
    suggest_exemptions_loop,
)
from zhijiao.adapters.analytics.conversion_synthetic import (
    generate_outcomes,
    rows_by_learner,
    synthetic_plan,
    synthetic_rule_set,
)
from zhijiao.domain.conversion.allocation import allocate
from zhijiao.domain.conversion.eligibility import find_claims


@pytest.mark.parametrize(
    ("seed", "rules", "per_learner", "on"),
    [
        (1, 300, 20, date(2024, 6, 1)),
        (2, 120, 30, date(2022, 3, 1)),  # older rule versions in force
        (3, 40, 12, date(2026, 2, 28)),  # some agreements expired
    ],
)
def test_batch_equals_python_loop(seed: int, rules: int, per_learner: int, on: date) -> None:
    con = duckdb.connect()
    plan = synthetic_plan()
    rule_set = synthetic_rule_set(plan, rules, seed)
    table = generate_outcomes(con, 120, per_learner, seed)
    batch = suggest_exemptions(con, table, plan, rule_set, on)
    loop = suggest_exemptions_loop(rows_by_learner(con, table), plan, rule_set, on)
    assert batch == loop
    assert len({s.learner_id for s in batch}) > 40  # the data exercise the rules


def test_rows_and_relations_as_input() -> None:
    con = duckdb.connect()
    plan = synthetic_plan()
    rule_set = synthetic_rule_set(plan, 100, 5)
    on = date(2024, 6, 1)
    generate_outcomes(con, 50, 20, 5, table="src")
    rows = con.execute("SELECT * FROM src").fetchall()
    from_rows = suggest_exemptions(con, load_outcomes(con, rows), plan, rule_set, on)
    from_relation = suggest_exemptions(con, con.sql("SELECT * FROM src"), plan, rule_set, on)
    assert from_rows == from_relation == suggest_exemptions(con, "src", plan, rule_set, on)
    # and the domain functions directly, for one learner
    learner = from_rows[0].learner_id
    mine = [outcome_from_row(r) for r in rows if r[0] == learner]
    claims = find_claims(mine, plan, rule_set.in_force(on), on, rule_set.agreements)
    allocation = allocate(claims, plan, rule_set.caps, on)
    assert {e.course_code for e in allocation.exemptions} == {
        s.course_code for s in from_rows if s.learner_id == learner
    }


def test_no_rules_in_force() -> None:
    con = duckdb.connect()
    plan = synthetic_plan()
    table = generate_outcomes(con, 10, 5, 1)
    assert suggest_exemptions(con, table, plan, synthetic_rule_set(plan, 10), date(2010, 1, 1)) == []


@pytest.mark.parametrize(
    ("seed", "rules", "per_learner"),
    [(11, 300, 2), (12, 60, 4), (13, 150, 8), (14, 300, 20)],
)
def test_fast_path_and_exact_path_equal_the_reference(seed: int, rules: int, per_learner: int) -> None:
    """Random cohorts where some learners take the set-based path (claims that do not compete: all of
    them) and others the exact search: each learner's exemptions equal the per-learner reference."""
    con = duckdb.connect()
    plan = synthetic_plan()
    rule_set = synthetic_rule_set(plan, rules, seed)
    on = date(2024, 6, 1)
    table = generate_outcomes(con, 150, per_learner, seed)
    result = run_batch(con, table, plan, rule_set, on)
    loop = suggest_exemptions_loop(rows_by_learner(con, table), plan, rule_set, on)
    assert result.suggestions == loop
    if per_learner <= 4:  # few outcomes: most learners' claims do not compete
        assert result.learners - result.searched > 10 and result.searched > 0
    else:
        assert result.searched > 10
    # the exact search never gives less than the former greedy rule
    assert result.gained >= 0


def test_learners_citing_many_outcomes_take_the_domain_search(monkeypatch: pytest.MonkeyPatch) -> None:
    """A learner citing more distinct outcomes than the compiled search's int64 masks hold (63) goes
    through the domain's search, with the same result; here the limit is lowered to 8 to make some."""
    import zhijiao.adapters.analytics.conversion_batch as batch

    routed: list[int] = []
    domain_search = batch._search_competing

    def spy(rows, *args):  # type: ignore[no-untyped-def]
        routed.extend({r[0] for r in rows})
        return domain_search(rows, *args)

    monkeypatch.setattr(batch, "MAX_OUTCOMES", 8)
    monkeypatch.setattr(batch, "_search_competing", spy)
    con = duckdb.connect()
    plan = synthetic_plan()
    rule_set = synthetic_rule_set(plan, 300, 21)
    on = date(2024, 6, 1)
    table = generate_outcomes(con, 40, 20, 21)
    result = run_batch(con, table, plan, rule_set, on)
    assert 0 < len(routed) < result.searched  # some learners each way
    assert result.suggestions == suggest_exemptions_loop(rows_by_learner(con, table), plan, rule_set, on)
