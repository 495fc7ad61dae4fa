"""The reference implementation (pure Python, one object per candidate), kept as the documented
statement of the rules: `rounds.run_admission` (arrays, compiled) must give exactly the same outcomes,
lines and reasons; the tests compare both on random instances.

One admission run: 免试 first, then 平行志愿 dispatch of each pool, placement into majors, and the
supplementary round (征集志愿) for the places left, with new preferences from candidates still free.

A candidate the school rejects (退档) is not dispatched again in that round; the place stays open for the
supplementary round.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Protocol

from zhijiao.domain.admissions.dispatch import dispatch
from zhijiao.domain.admissions.model import (
    Candidate,
    Line,
    Outcome,
    Preferences,
    Programme,
    Result,
    RunResult,
)
from zhijiao.domain.admissions.policy import Policy
from zhijiao.domain.admissions.scoring import Assessment, Pool, assess


class Choosing(Protocol):
    """What a round needs of a candidate's preferences (a `Candidate` for round 1, `Preferences` after)."""

    @property
    def choices(self) -> tuple[int, ...]: ...
    @property
    def reassign(self) -> bool: ...
    def majors_for(self, position: int) -> tuple[str, ...]: ...


class Plans:
    """Places left: per group in the general plan (and per major), and in the separate plan."""

    def __init__(self, programmes: Sequence[Programme]) -> None:
        self.programmes = programmes
        self.general = [p.quota for p in programmes]
        self.separate = [p.separate_quota for p in programmes]
        self.majors: list[dict[str, int] | None] = [
            {m.code: m.quota for m in p.majors} if p.majors else None for p in programmes
        ]
        self.last_key: list[int | None] = [None] * len(programmes)


@cache
def _ordinal(positions: range) -> str:
    return "第" + "、".join(str(p + 1) for p in positions) + "志愿"


def reference_admission(
    policy: Policy,
    programmes: Sequence[Programme],
    candidates: Sequence[Candidate],
    supplementary: Mapping[int, Preferences] | None = None,
) -> RunResult:
    """Run round 1 (and the supplementary round when `supplementary` gives new preferences by
    candidate index); every candidate gets an outcome with a Chinese reason."""
    a = assess(policy, candidates)
    outcomes = [Outcome(reason=a.why[i], total=a.total[i], rank=a.rank[i]) for i in range(len(candidates))]
    plans = Plans(programmes)
    lines, separate = _round(1, policy, plans, a, candidates, outcomes)  # a candidate holds round 1's choices
    result = RunResult(outcomes, lines, separate)
    if supplementary:
        free = {
            i: p for i, p in supplementary.items()
            if outcomes[i].result is not Result.admitted and a.pool[i] is not None
        }  # fmt: skip
        prefs: list[Choosing] = [free.get(i, _NONE) for i in range(len(candidates))]
        result.supplementary_lines, _ = _round(2, policy, plans, a, prefs, outcomes)
    admitted = [0] * len(programmes)
    for o in outcomes:
        if o.result is Result.admitted:
            admitted[o.group] += 1
    result.admitted_per_group = admitted
    return result


_NONE = Preferences(())


def _round(
    round_no: int,
    policy: Policy,
    plans: Plans,
    a: Assessment,
    prefs: Sequence[Choosing],
    outcomes: list[Outcome],
) -> tuple[list[Line], list[Line]]:
    n_groups = len(plans.programmes)
    planned = {False: list(plans.general), True: list(plans.separate)}  # 计划数 (round 2: places left)
    # 免试: within the plan, ratio 1
    order = [i for i in a.order[Pool.exam_free] if prefs[i].choices]
    room = list(plans.general)
    by_pref = "preference" in policy.tie_break
    members = _dispatch(order, a, prefs, room, outcomes, round_no, n_groups, exam_free=True, by_pref=by_pref)
    for g, ms in enumerate(members):
        if ms:
            _place(g, ms, a, prefs, plans, outcomes, separate=False, round_no=round_no, exam_free=True)
    lines: list[list[Line]] = []
    for pool, separate in ((Pool.general, False), (Pool.separate, True)):
        order = [i for i in a.order[pool] if prefs[i].choices]
        if not order:
            lines.append([])
            continue
        left = plans.separate if separate else plans.general
        room = [int(max(q, 0) * policy.dispatch_ratio) for q in left]
        members = _dispatch(
            order, a, prefs, room, outcomes, round_no, n_groups, exam_free=False, by_pref=by_pref
        )
        pool_lines = []
        for g, ms in enumerate(members):
            quota = planned[separate][g]
            if ms:
                _place(g, ms, a, prefs, plans, outcomes, separate=separate, round_no=round_no)
            if quota > 0 or ms:
                low = ms[-1][0] if ms else None
                pool_lines.append(
                    Line(g, quota, len(ms), a.total[low] if low is not None else None,
                         a.rank[low] if low is not None else None)
                )  # fmt: skip
        lines.append(pool_lines)
    return lines[0], lines[1]


def _dispatch(
    order: list[int],
    a: Assessment,
    prefs: Sequence[Choosing],
    room: list[int],
    outcomes: list[Outcome],
    round_no: int,
    n_groups: int,
    *,
    exam_free: bool,
    by_pref: bool,
) -> list[list[tuple[int, int]]]:
    """Dispatch `order`; record why the others were not dispatched; return each group's dispatched
    candidates (candidate, preference position), best first."""
    groups, positions = dispatch(order, a.key, _ChoiceView(prefs), room, preference_tie_break=by_pref)
    members: list[list[tuple[int, int]]] = [[] for _ in range(n_groups)]
    for i in order:
        g = groups.get(i)
        if g is None:
            n = len(prefs[i].choices)
            why = (
                "技能拔尖免试：所填志愿均已录满，未录取" if exam_free
                else f"所填 {n} 个志愿均分数不足，未投档" if n > 1 else "所填志愿分数不足，未投档"
            )  # fmt: skip
            o = outcomes[i]
            if round_no == 1:
                o.reason = why
            else:  # still free after the supplementary round: the first round's result stands
                o.reason = (o.reason + "；" if o.reason else "") + "征集志愿：" + why
            continue
        members[g].append((i, positions[i]))
    return members


class _ChoiceView:
    """`prefs[i].choices` as a sequence, without building a list of a million tuples."""

    __slots__ = ("prefs",)

    def __init__(self, prefs: Sequence[Choosing]) -> None:
        self.prefs = prefs

    def __getitem__(self, i: int) -> tuple[int, ...]:
        return self.prefs[i].choices

    def __len__(self) -> int:
        return len(self.prefs)


def _place(
    g: int,
    members: list[tuple[int, int]],
    a: Assessment,
    prefs: Sequence[Choosing],
    plans: Plans,
    outcomes: list[Outcome],
    *,
    separate: bool,
    round_no: int,
    exam_free: bool = False,
) -> None:
    """The school places its dispatched candidates (best first) into majors by score and each candidate's
    major order; reassignment if 服从调剂, otherwise 退档 with the reason. A candidate tied on every score
    key with the one who took the last place (of the group without majors, of a major with them) is
    admitted there too, as at dispatch (“仍同分的，全部投档”)."""
    programme = plans.programmes[g]
    left = plans.separate if separate else plans.general
    majors = None if separate else plans.majors[g]
    all_codes = [m.code for m in programme.majors]
    last_key: int | None = None
    took_last: dict[str, int] = {}  # major → key of the candidate who took its last place
    head = ("征集志愿：" if round_no == 2 else "") + ("技能拔尖免试：" if exam_free else "")
    for i, pos in members:
        o = outcomes[i]
        o.group, o.round = g, round_no
        done = head + (_ordinal(range(pos)) + "分数不足，" if pos and not exam_free else "")
        done += _ordinal(range(pos, pos + 1)) + ("录取" if exam_free else "投档")
        ok = "" if exam_free else "并录取"
        p = prefs[i]
        wanted = p.majors_for(pos)
        if majors is None:
            if left[g] > 0 or (last_key is not None and a.key[i] == last_key):
                left[g] -= 1
                last_key = a.key[i]
                _admit(o, wanted[0] if wanted else (all_codes[0] if all_codes else ""), done + ok)
            else:
                _reject(o, done + "，超出招生计划，退档")
            continue
        k = a.key[i]
        chosen = next((m for m in wanted if majors.get(m, 0) > 0 or took_last.get(m) == k), None)
        if chosen is None and wanted and not p.reassign:
            _reject(o, done + "，所报专业均已录满且不服从专业调剂，退档")
            continue
        if chosen is None:
            chosen = next((m for m in all_codes if majors[m] > 0), None)
            if chosen is None:
                _reject(o, done + "，专业组计划已录满，退档")
                continue
            if wanted:
                ok = "，服从专业调剂，调剂录取到专业 " + chosen
        majors[chosen] -= 1
        if majors[chosen] == 0:
            took_last[chosen] = k
        left[g] -= 1
        _admit(o, chosen, done + ok)


def _admit(o: Outcome, major: str, reason: str) -> None:
    o.result, o.major, o.reason = Result.admitted, major, reason


def _reject(o: Outcome, reason: str) -> None:
    o.result, o.major, o.reason = Result.rejected, "", reason
