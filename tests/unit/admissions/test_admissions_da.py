"""The correctness anchor: with ratio 1:1, no majors and everyone accepting reassignment, 平行志愿 is
student-proposing deferred acceptance (checked against the `matching` package and a reference DA)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from matching.games import HospitalResident

from tests.unit.admissions.helpers import cand, policy, programmes, reference_da
from zhijiao.domain.admissions.model import Result
from zhijiao.domain.admissions.rounds import run_admission


@st.composite
def instances(draw: st.DrawFn, max_candidates: int = 25, max_groups: int = 6) -> tuple:
    n_groups = draw(st.integers(1, max_groups))
    quotas = draw(st.lists(st.integers(1, 4), min_size=n_groups, max_size=n_groups))
    n = draw(st.integers(1, max_candidates))
    # distinct totals: a strict common priority, as HospitalResident needs
    totals = draw(st.lists(st.integers(0, 7000), min_size=n, max_size=n, unique=True))
    prefs = [
        draw(st.lists(st.integers(0, n_groups - 1), min_size=1, max_size=min(4, n_groups), unique=True))
        for _ in range(n)
    ]
    return quotas, totals, prefs


def _ours(quotas: list[int], totals: list[int], prefs: list[list[int]]) -> dict[int, int]:
    # total = culture + skill, culture 0: the order is the total's
    cands = [cand(i, 0, t / 10, p) for i, (t, p) in enumerate(zip(totals, prefs, strict=True))]
    result = run_admission(policy(score={"culture": {"full_marks": 300}, "skill": {"full_marks": 700}}),
                           programmes(quotas), cands)  # fmt: skip
    assert all(o.result is not Result.rejected for o in result.outcomes)
    return {i: o.group for i, o in enumerate(result.outcomes) if o.result is Result.admitted}


def _matching(quotas: list[int], totals: list[int], prefs: list[list[int]]) -> dict[int, int]:
    residents = {f"r{i}": [f"h{g}" for g in p] for i, p in enumerate(prefs)}
    by_score = sorted(range(len(totals)), key=lambda i: -totals[i])
    chosen = sorted({g for p in prefs for g in p})  # a group no one chose is not a player
    hospitals = {f"h{g}": [f"r{i}" for i in by_score if g in prefs[i]] for g in chosen}
    capacities = {f"h{g}": quotas[g] for g in chosen}
    game = HospitalResident.create_from_dictionaries(residents, hospitals, capacities)
    matched = game.solve(optimal="resident")
    return {int(r.name[1:]): int(h.name[1:]) for h, rs in matched.items() for r in rs}


@settings(max_examples=150, deadline=None)
@given(instances())
def test_equals_matching_deferred_acceptance(instance: tuple) -> None:
    quotas, totals, prefs = instance
    assert _ours(quotas, totals, prefs) == _matching(quotas, totals, prefs)


def test_equals_reference_da_on_larger_instances() -> None:
    rng = random.Random(11)
    for _ in range(5):
        n_groups, n = rng.randint(20, 60), rng.randint(2000, 4000)
        quotas = [rng.randint(5, 60) for _ in range(n_groups)]
        totals = rng.sample(range(75000), n)
        prefs = [rng.sample(range(n_groups), rng.randint(1, 6)) for _ in range(n)]
        priority = [-t for t in totals]
        assert _ours(quotas, totals, prefs) == reference_da(prefs, priority, quotas)
