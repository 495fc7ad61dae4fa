"""Small builders for admission tests, and a straightforward reference deferred acceptance."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from zhijiao.domain.admissions.model import Candidate, Programme
from zhijiao.domain.admissions.policy import Category, Policy, parse_policy


def policy(**overrides: Any) -> Policy:
    data: dict[str, Any] = {
        "name": "测试政策",
        "province_code": "44",
        "year": 2026,
        "score": {"culture": {"full_marks": 300}, "skill": {"full_marks": 450}},
        "batch_min_score": 0,
        "dispatch_ratio": 1,
        "tie_break": ["skill", "culture", "preference"],
        "exempt_groups": {"mode": "fixed_culture", "culture_value": 150},
    }
    data.update(overrides)
    return parse_policy(data)


def programmes(quotas: Sequence[int], **kw: Any) -> list[Programme]:
    return [Programme(f"G{g:03d}", f"S{g:03d}", f"学校{g}", q, **kw) for g, q in enumerate(quotas)]


def cand(
    no: int, culture: float | None, skill: float | None, choices: Sequence[int], *,
    category: Category = Category.ordinary, reassign: bool = True, **kw: Any,
) -> Candidate:  # fmt: skip
    def h(v: float | None) -> int | None:
        return None if v is None else round(v * 100)

    return Candidate(
        f"K{no:06d}", f"考生{no}", category, h(culture), h(skill), tuple(choices), reassign, **kw
    )


def reference_da(
    prefs: Sequence[Sequence[int]], priority: Sequence[int], quotas: Sequence[int]
) -> dict[int, int]:
    """Student-proposing deferred acceptance, as in the textbook: every free student proposes to the
    next school on their list; a school keeps its best `quota` proposers by `priority` (lower first)."""
    nxt = [0] * len(prefs)
    held: dict[int, list[int]] = {g: [] for g in range(len(quotas))}
    free = list(range(len(prefs)))
    while free:
        s = free.pop()
        if nxt[s] >= len(prefs[s]):
            continue
        g = prefs[s][nxt[s]]
        nxt[s] += 1
        held[g].append(s)
        if len(held[g]) > quotas[g]:
            held[g].sort(key=priority.__getitem__)
            free.append(held[g].pop())
    return {s: g for g, ss in held.items() for s in ss}
