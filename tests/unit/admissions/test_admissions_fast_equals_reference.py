"""The array path (`rounds.run_admission`: numpy ranking, compiled dispatch and placement, reasons from
templates) gives exactly the outcomes, lines and reasons of the pure-Python reference (`reference.py`)
on random provinces with ties, majors, exempt groups, 免试, certificate exemptions and a second round."""

from __future__ import annotations

import random
from typing import Any

import pytest

from tests.unit.admissions.helpers import cand, policy
from zhijiao.domain.admissions import kernels, rounds
from zhijiao.domain.admissions.dispatch import block
from zhijiao.domain.admissions.model import Major, Preferences, Programme, RunResult
from zhijiao.domain.admissions.policy import Category, Tier
from zhijiao.domain.admissions.reference import reference_admission
from zhijiao.domain.admissions.rounds import run_admission


def _province(
    rng: random.Random, n: int, n_groups: int, ties: int
) -> tuple[list[Programme], list[Any], dict]:
    progs = []
    for g in range(n_groups):
        quota = rng.randint(0, 12)
        majors: tuple[Major, ...] = ()
        if rng.random() < 0.6 and quota:
            k = rng.randint(1, 3)
            cuts = sorted(rng.randint(0, quota) for _ in range(k - 1))
            parts = [b - a for a, b in zip([0, *cuts], [*cuts, quota], strict=True)]
            majors = tuple(Major(f"{m + 1:02d}", f"专业{m}", q) for m, q in enumerate(parts))
        progs.append(Programme(f"G{g:03d}", f"S{g % 7}", "学校", quota, rng.randint(0, 3), majors))
    cats = [Category.ordinary] * 8 + [Category.veteran, Category.farmer, Category.champion]
    cands = []
    for i in range(n):
        k = rng.randint(0, min(5, n_groups))
        choices = rng.sample(range(n_groups), k)
        orders = tuple(
            tuple(rng.sample(["01", "02", "03", "09"], rng.randint(0, 2))) if rng.random() < 0.5 else ()
            for _ in choices
        )
        culture = None if rng.random() < 0.03 else rng.randint(0, ties) * 10
        skill = None if rng.random() < 0.03 else rng.randint(0, ties) * 15
        award = (rng.choice(list(Tier)), rng.randint(1, 3)) if rng.random() < 0.1 else None
        cert = rng.randint(1, 5) if rng.random() < 0.1 else None
        comp = (None if rng.random() < 0.2 else rng.randint(0, 3),)
        c = cand(i, culture, skill, choices, category=rng.choice(cats), reassign=rng.random() < 0.7,
                 major_orders=orders if any(orders) else (), award=award, certificate_level=cert,
                 components=comp)  # fmt: skip
        cands.append(c)
    supp = {
        i: Preferences(tuple(ch := rng.sample(range(n_groups), rng.randint(0, min(3, n_groups)))),
                       tuple(() if rng.random() < 0.5 else ("01",) for _ in ch), rng.random() < 0.5)
        for i in rng.sample(range(n), n // 3)
    }  # fmt: skip
    return progs, cands, supp


def _same(a: RunResult, b: RunResult) -> None:
    results = {o.result for o in b.outcomes}
    assert len(b.outcomes) < 20 or len(results) > 1, "a province where everyone ends alike proves little"
    assert list(a.outcomes) == list(b.outcomes)
    assert [a.outcomes[i] for i in range(len(a.outcomes))] == list(b.outcomes)
    assert a.lines == b.lines
    assert a.separate_lines == b.separate_lines
    assert a.supplementary_lines == b.supplementary_lines
    assert a.admitted_per_group == b.admitted_per_group


POLICIES = [
    {},
    {"dispatch_ratio": 1.05, "batch_min_score": 20},
    {"tie_break": ["culture", "component:技能操作"], "dispatch_ratio": 1.03},
    {"exempt_groups": {"mode": "skill_only", "min_skill_score": 10}, "tie_break": ["skill"]},
]


@pytest.mark.parametrize("variant", range(len(POLICIES)))
def test_fast_path_equals_the_reference(variant: int) -> None:
    rng = random.Random(variant)
    extra = {
        "score": {"culture": {"full_marks": 300}, "skill": {"full_marks": 450},
                  "components": [{"name": "技能操作", "column": "技能操作成绩", "full_marks": 100}]},
        "skill_champions": {"conditions": [{"tier": "国赛", "min_prize": "三等奖"}, {"tier": "省赛", "min_prize": "一等奖"}]},
        "certificate_exemption": {"min_level": "中级", "skill_score": 200},
        "tie_break": ["skill", "culture", "component:技能操作", "preference"],
    }  # fmt: skip
    extra.update(POLICIES[variant])
    p = policy(**extra)
    for _ in range(12):
        ties = rng.choice([2, 5, 30])
        progs, cands, supp = _province(rng, rng.randint(1, 300), rng.randint(1, 25), ties)
        _same(run_admission(p, progs, cands, supp), reference_admission(p, progs, cands, supp))


def test_large_tie_blocks_go_through_the_python_block(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(5)
    p = policy(dispatch_ratio=1.05)
    progs, cands, supp = _province(rng, 400, 10, 1)  # almost everyone tied
    expected = reference_admission(p, progs, cands, supp)
    calls = []
    monkeypatch.setattr(kernels, "MAX_BLOCK", 3)
    monkeypatch.setattr(rounds, "python_block", lambda *a: calls.append(1) or block(*a))
    _same(run_admission(p, progs, cands, supp), expected)
    assert calls
