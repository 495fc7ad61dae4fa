"""One admission run on columns (《职业教育提质培优行动计划（2020—2023年）》任务 13–15: 分类考试招生, “文化素质+
职业技能”, 平行志愿 for a whole province): 免试 first, then 平行志愿 dispatch of each pool, placement into majors, and
the supplementary round (征集志愿) for the places left, with new preferences from candidates still free.

A candidate the school rejects (退档) is not dispatched again in that round; the place stays open for the
supplementary round. The rules are those of `reference.py` (pure Python, one object per candidate); here
they run on numpy arrays: the ranking is one `lexsort` over the tie-break chain, dispatch and placement
are compiled loops over integers (`kernels.py`), and every reason is built once per distinct template
(`OutcomeColumns.reasons`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, cast, overload

import numpy as np

from zhijiao.domain.admissions import kernels
from zhijiao.domain.admissions.dispatch import block as python_block
from zhijiao.domain.admissions.model import (
    Candidate,
    Line,
    Outcome,
    Preferences,
    Programme,
    Result,
    RunResult,
)
from zhijiao.domain.admissions.policy import EXEMPT_GROUPS, SCALE, TIER_RANK, Category, ExemptMode, Policy
from zhijiao.domain.admissions.table import CATEGORY_CODE, TIERS, CandidateTable, SupplementaryTable

__all__ = ["OutcomeColumns", "Preferences", "run_admission"]

POOL_EXAM_FREE, POOL_GENERAL, POOL_SEPARATE = 0, 1, 2
RESULTS = (Result.not_dispatched, Result.admitted, Result.rejected)
_WHY = (
    "",
    "无职业技能（适应性）测试成绩，未投档",
    "职业技能成绩低于单列计划最低分数线，未投档",
    "不符合技能拔尖免试条件，且无考试成绩，未投档",
    "缺少文化素质或职业技能成绩（缺考），未投档",
    "总分低于批次最低控制线（{line} 分），未投档",
)


def _hundredths(value: object) -> int:
    return round(float(str(value)) * SCALE)


@cache
def _ordinal(start: int, stop: int) -> str:
    return "第" + "、".join(str(p + 1) for p in range(start, stop)) + "志愿"


@dataclass(slots=True)
class Assessed:
    pool: np.ndarray  # int8, −1: not ranked
    total: np.ndarray  # int64 ten-thousandths, −1: none
    tie: np.ndarray  # int64: equal ⇔ tied on every score key (within a pool)
    rank: np.ndarray  # int64 位次 in the pool (0: not ranked)
    why: np.ndarray  # int8 index into _WHY
    order: dict[int, np.ndarray]  # pool → candidate indices, best first


def assess(policy: Policy, t: CandidateTable) -> Assessed:
    """“文化素质+职业技能”: each candidate's pool, total, 位次 and why one is not ranked (as
    `scoring.assess`, vectorised)."""
    n = len(t)
    wc, ws = _hundredths(policy.culture.weight), _hundredths(policy.skill.weight)
    line = _hundredths(policy.batch_min_score) * SCALE
    cat = t.category
    culture, skill = t.culture, t.skill
    ex = policy.certificate_exemption
    if ex is not None:
        fixed = _hundredths(ex.skill_score)
        exempted = (t.certificate >= 0) & (t.certificate >= ex.min_level)
        skill = np.where(exempted, np.where(skill < 0, fixed, np.maximum(skill, fixed)), skill)
    # 技能拔尖 meeting a condition: 免试
    met = np.zeros(n, np.bool_)
    tier_rank = np.zeros(n, np.int64)
    if policy.champion_conditions:
        table = np.zeros((len(TIERS), 4), np.bool_)
        for ti, tier in enumerate(TIERS):
            for prize in (1, 2, 3):
                table[ti, prize] = any(cond.met_by(tier, prize) for cond in policy.champion_conditions)
        has = t.award_tier >= 0
        tiers = np.where(has, t.award_tier, 0).astype(np.int64)
        prizes = np.clip(t.award_prize, 0, 3).astype(np.int64)
        met = has & table[tiers, prizes] & (cat == CATEGORY_CODE[Category.champion])
        tier_rank = np.array([TIER_RANK[x] for x in TIERS], np.int64)[tiers]
    exempt = np.isin(cat, [CATEGORY_CODE[c] for c in EXEMPT_GROUPS]) & ~met
    other = ~met & ~exempt
    pool = np.full(n, -1, np.int8)
    total = np.full(n, -1, np.int64)
    why = np.zeros(n, np.int8)
    pool[met] = POOL_EXAM_FREE
    used_culture = culture.copy()
    if policy.exempt_mode is ExemptMode.skill_only:
        no_skill = exempt & (skill < 0)
        why[no_skill] = 1
        low = exempt & ~no_skill & (skill < _hundredths(policy.exempt_min_skill_score))
        why[low] = 2
        sep = exempt & ~no_skill & ~low
        pool[sep] = POOL_SEPARATE
        total[sep] = skill[sep] * SCALE
        scored = other.copy()
    else:
        why[exempt & (skill < 0)] = 1
        fixed_culture = policy.exempt_culture_value
        assert fixed_culture is not None or not exempt.any()
        if fixed_culture is not None:
            used_culture = np.where(exempt, _hundredths(fixed_culture), culture)
        scored = other | (exempt & (skill >= 0))
    missing = other & ((culture < 0) | (skill < 0))
    champion = cat == CATEGORY_CODE[Category.champion]
    why[missing] = np.where(champion[missing] & (culture[missing] < 0) & (skill[missing] < 0), 3, 4)
    scored &= ~missing
    tot = used_culture * wc + skill * ws
    total[scored] = tot[scored]
    below = scored & (tot < line)
    why[below] = 5
    pool[scored & ~below] = POOL_GENERAL
    # the ranking keys, most significant first
    chain: list[np.ndarray] = []
    for item in (x for x in policy.tie_break if x != "preference"):
        if item == "skill":
            chain.append(np.maximum(skill, 0))
        elif item == "culture":
            chain.append(np.maximum(used_culture, 0))
        else:
            ci = next(i for i, c in enumerate(policy.components) if c.name == item[10:])
            chain.append(t.components[:, ci] if ci < t.components.shape[1] else np.full(n, -1, np.int64))
    order: dict[int, np.ndarray] = {}
    tie = np.full(n, -1, np.int64)
    rank = np.zeros(n, np.int64)
    for p in (POOL_EXAM_FREE, POOL_GENERAL, POOL_SEPARATE):
        members = np.flatnonzero(pool == p)
        if p == POOL_EXAM_FREE:
            keys = [tier_rank * 10 + 4 - t.award_prize.astype(np.int64), np.maximum(skill, 0),
                    np.maximum(culture, 0)]  # fmt: skip
        else:
            keys = [total, *chain]
        cols = [k[members] for k in keys]
        # lexsort: the last key is the primary one; descending, ties in candidate order (stable)
        idx = np.lexsort([-c for c in reversed(cols)]) if len(members) else np.zeros(0, np.int64)
        ordered = members[idx]
        order[p] = ordered
        if not len(ordered):
            continue
        new = np.ones(len(ordered), np.bool_)
        for c in cols:
            s = c[idx]
            new[1:] &= s[1:] == s[:-1]
        new = ~new
        new[0] = True
        first = np.maximum.accumulate(np.where(new, np.arange(len(ordered)), 0))
        rank[ordered] = first + 1
        tie[ordered] = p * n + first
    return Assessed(pool, total, tie, rank, why, order)


@dataclass(slots=True)
class Plans:
    """Places left: per group in the general plan, per major (flat), and in the separate plan."""

    general: np.ndarray
    separate: np.ndarray
    majors: np.ndarray
    major_start: np.ndarray  # group g's majors are majors[major_start[g]:major_start[g + 1]]
    major_codes: list[str]

    @classmethod
    def of(cls, programmes: Sequence[Programme]) -> Plans:
        start = np.zeros(len(programmes) + 1, np.int64)
        codes: list[str] = []
        quotas: list[int] = []
        for g, p in enumerate(programmes):
            codes += [m.code for m in p.majors]
            quotas += [m.quota for m in p.majors]
            start[g + 1] = len(codes)
        return cls(
            np.array([p.quota for p in programmes], np.int64),
            np.array([p.separate_quota for p in programmes], np.int64),
            np.array(quotas, np.int64), start, codes,
        )  # fmt: skip


def _order_majors(t: CandidateTable, plans: Plans) -> tuple[np.ndarray, np.ndarray]:
    """CSR of each major order id: its majors as flat indices of the group's majors (−1: unknown)."""
    start = np.zeros(len(t.order_codes.codes) + 1, np.int64)
    flat: list[int] = []
    for oid, (g, codes) in enumerate(t.order_codes.codes):
        if codes:
            m0, m1 = int(plans.major_start[g]), int(plans.major_start[g + 1])
            local = {c: m0 + i for i, c in enumerate(plans.major_codes[m0:m1])}
            flat += [local.get(c, -1) for c in codes]
        start[oid + 1] = len(flat)
    return start, np.array(flat, np.int64)


@dataclass(slots=True)
class OutcomeColumns:
    """Every candidate's outcome as arrays; the reasons are built from their templates on demand."""

    result: np.ndarray  # int8 index into RESULTS
    group: np.ndarray  # int32, −1: none
    major: np.ndarray  # int64 flat major index, −1: none, −2 − order id: that order's first code
    round: np.ndarray  # int8
    total: np.ndarray  # int64, −1: none
    rank: np.ndarray  # int64
    kind: np.ndarray  # int8 (2, n): placement outcome per round (kernels.ADMITTED …, 0: not in it)
    pos: np.ndarray  # int8 (2, n): the preference position dispatched on
    n_choices: np.ndarray  # int8 (2, n)
    exam_free: np.ndarray  # bool
    why: np.ndarray  # int8 index into _WHY
    line_text: str
    major_codes: list[str]
    order_codes: list[tuple[int, tuple[str, ...]]]
    _reasons: np.ndarray | None = field(default=None, repr=False)
    _majors: np.ndarray | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.result)

    def major_index(self) -> tuple[np.ndarray, np.ndarray]:
        """Each outcome's major code as an index into the distinct texts (object array of str)."""
        texts = np.array(
            [""] + self.major_codes + [c[1][0] if c[1] else "" for c in self.order_codes], dtype=object
        )
        m = self.major
        idx = np.where(m >= 0, m + 1, np.where(m == -1, 0, (-2 - m) + 1 + len(self.major_codes)))
        return idx, texts

    def major_texts(self) -> np.ndarray:
        """The major code of every outcome (object array of str)."""
        if self._majors is None:
            idx, texts = self.major_index()
            self._majors = texts[idx]
        return self._majors

    def reason_index(self) -> tuple[np.ndarray, np.ndarray]:
        """Each outcome's reason as an index into the distinct reasons (object array of str): one
        composite integer per candidate, each distinct one rendered once."""
        k1, k2 = self.kind[0].astype(np.int64), self.kind[1].astype(np.int64)
        final = np.where((k2 >= 1) & (k2 <= 5), k2, k1)
        reassigned = np.where(final == kernels.ADMITTED_REASSIGNED, self.major + 1, 0)
        code = (
            k1 | (self.pos[0].astype(np.int64) << 3) | (self.n_choices[0].astype(np.int64) << 10)
            | (k2 << 17) | (self.pos[1].astype(np.int64) << 20) | (self.n_choices[1].astype(np.int64) << 27)
            | (self.exam_free.astype(np.int64) << 34) | (self.why.astype(np.int64) << 35)
            | (reassigned << 38)
        )  # fmt: skip
        distinct, inverse = np.unique(code, return_inverse=True)
        texts = np.array([self._render(int(c)) for c in distinct] or [""], dtype=object)
        return inverse.reshape(-1).astype(np.int64), texts

    def reasons(self) -> np.ndarray:
        """Every outcome's reason (object array of str)."""
        if self._reasons is None:
            inverse, texts = self.reason_index()
            self._reasons = texts[inverse] if len(inverse) else np.zeros(0, dtype=object)
        return self._reasons

    def _render(self, code: int) -> str:
        k1, p1, n1 = code & 7, (code >> 3) & 127, (code >> 10) & 127
        k2, p2, n2 = (code >> 17) & 7, (code >> 20) & 127, (code >> 27) & 127
        ef, why, major = bool((code >> 34) & 1), (code >> 35) & 7, (code >> 38) - 1
        major_code = self.major_codes[major] if major >= 0 else ""
        first = (
            _placed(k1, p1, ef, 1, major_code) if 1 <= k1 <= 5
            else _not_dispatched(ef, n1) if k1 == kernels.NOT_DISPATCHED
            else _WHY[why].format(line=self.line_text)
        )  # fmt: skip
        if 1 <= k2 <= 5:
            return _placed(k2, p2, ef, 2, major_code)
        if k2 == kernels.NOT_DISPATCHED:
            return (first + "；" if first else "") + "征集志愿：" + _not_dispatched(ef, n2)
        return first

    def outcome(self, i: int) -> Outcome:
        total = int(self.total[i])
        return Outcome(
            RESULTS[int(self.result[i])], int(self.group[i]), str(self.major_texts()[i]), str(self.reasons()[i]),
            int(self.round[i]), None if total < 0 else total, int(self.rank[i]),
        )  # fmt: skip


def _placed(kind: int, pos: int, exam_free: bool, round_no: int, major: str) -> str:
    head = ("征集志愿：" if round_no == 2 else "") + ("技能拔尖免试：" if exam_free else "")
    done = head + (_ordinal(0, pos) + "分数不足，" if pos and not exam_free else "")
    done += _ordinal(pos, pos + 1) + ("录取" if exam_free else "投档")
    if kind == kernels.ADMITTED:
        return done + ("" if exam_free else "并录取")
    if kind == kernels.ADMITTED_REASSIGNED:
        return done + "，服从专业调剂，调剂录取到专业 " + major
    if kind == kernels.REJECTED_OVER_PLAN:
        return done + "，超出招生计划，退档"
    if kind == kernels.REJECTED_NO_REASSIGN:
        return done + "，所报专业均已录满且不服从专业调剂，退档"
    return done + "，专业组计划已录满，退档"


def _not_dispatched(exam_free: bool, n: int) -> str:
    if exam_free:
        return "技能拔尖免试：所填志愿均已录满，未录取"
    return f"所填 {n} 个志愿均分数不足，未投档" if n > 1 else "所填志愿分数不足，未投档"


class OutcomeView(Sequence[Outcome]):
    """The outcomes as `Outcome` objects, built on access (a million are never all needed at once)."""

    __slots__ = ("columns",)

    def __init__(self, columns: OutcomeColumns) -> None:
        self.columns = columns

    def __len__(self) -> int:
        return len(self.columns)

    @overload
    def __getitem__(self, i: int) -> Outcome: ...
    @overload
    def __getitem__(self, i: slice) -> list[Outcome]: ...
    def __getitem__(self, i: int | slice) -> Outcome | list[Outcome]:
        if isinstance(i, slice):
            return [self.columns.outcome(j) for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        if not 0 <= i < len(self):
            raise IndexError(i)
        return self.columns.outcome(i)

    def __iter__(self) -> Iterator[Outcome]:
        c = self.columns
        majors, reasons = c.major_texts().tolist(), c.reasons().tolist()
        groups, rounds, totals, ranks = c.group.tolist(), c.round.tolist(), c.total.tolist(), c.rank.tolist()
        for i, r in enumerate(c.result.tolist()):
            t = totals[i]
            yield Outcome(
                RESULTS[r], groups[i], majors[i], reasons[i], rounds[i], None if t < 0 else t, ranks[i]
            )


def run_admission(
    policy: Policy,
    programmes: Sequence[Programme],
    candidates: Sequence[Candidate] | CandidateTable,
    supplementary: Mapping[int, Preferences] | SupplementaryTable | None = None,
) -> RunResult:
    """Run round 1 (and the supplementary round when `supplementary` gives new preferences by
    candidate index); every candidate gets an outcome with a Chinese reason."""
    t = CandidateTable.of(candidates)
    supp = (
        supplementary if isinstance(supplementary, SupplementaryTable) or supplementary is None
        else SupplementaryTable.of(supplementary, t.order_codes)
    )  # fmt: skip
    n, n_groups = len(t), len(programmes)
    a = assess(policy, t)
    plans = Plans.of(programmes)
    order_start, order_major = _order_majors(t, plans)
    cols = OutcomeColumns(
        result=np.zeros(n, np.int8), group=np.full(n, -1, np.int32), major=np.full(n, -1, np.int64),
        round=np.zeros(n, np.int8), total=a.total, rank=a.rank, kind=np.zeros((2, n), np.int8),
        pos=np.zeros((2, n), np.int8), n_choices=np.zeros((2, n), np.int8), exam_free=a.pool == POOL_EXAM_FREE,
        why=a.why, line_text=f"{policy.batch_min_score.normalize():f}", major_codes=plans.major_codes,
        order_codes=t.order_codes.codes,
    )  # fmt: skip
    ctx = _Round(policy, plans, a, cols, order_start, order_major, n_groups)
    lines, separate = ctx.run(1, t.choices, t.orders, t.reassign)
    result = RunResult(OutcomeView(cols), lines, separate, columns=cols)
    if supp is not None and len(supp):
        k = supp.choices.shape[1]
        choices = np.full((n, k), -1, np.int32)
        orders = np.zeros((n, k), np.int32)
        reassign = np.ones(n, np.bool_)
        free = (cols.result[supp.candidate] != 1) & (a.pool[supp.candidate] >= 0)
        who = supp.candidate[free]
        choices[who], orders[who], reassign[who] = supp.choices[free], supp.orders[free], supp.reassign[free]
        result.supplementary_lines, _ = ctx.run(2, choices, orders, reassign)
    admitted = cols.result == 1
    result.admitted_per_group = np.bincount(cols.group[admitted], minlength=n_groups).tolist()
    return result


@dataclass(slots=True)
class _Round:
    policy: Policy
    plans: Plans
    a: Assessed
    cols: OutcomeColumns
    order_start: np.ndarray
    order_major: np.ndarray
    n_groups: int
    extra: dict[str, Any] = field(default_factory=dict)

    def run(
        self, round_no: int, choices: np.ndarray, orders: np.ndarray, reassign: np.ndarray
    ) -> tuple[list[Line], list[Line]]:
        plans, a = self.plans, self.a
        has_choices = choices[:, 0] >= 0
        n_choices = (choices >= 0).sum(axis=1).astype(np.int8)
        planned = {False: plans.general.copy(), True: plans.separate.copy()}  # 计划数 (round 2: places left)
        by_pref = "preference" in self.policy.tie_break
        # 免试: within the plan, ratio 1
        order = a.order[POOL_EXAM_FREE]
        order = order[has_choices[order]]
        room = plans.general.copy()
        self._pool(round_no, order, choices, orders, reassign, room, n_choices, by_pref, separate=False)
        lines: list[list[Line]] = []
        for pool, separate in ((POOL_GENERAL, False), (POOL_SEPARATE, True)):
            order = a.order[pool]
            order = order[has_choices[order]]
            if not len(order):
                lines.append([])
                continue
            left = plans.separate if separate else plans.general
            ratio = self.policy.dispatch_ratio
            room = np.array([int(max(int(q), 0) * ratio) for q in left], np.int64)
            last, counts = self._pool(
                round_no, order, choices, orders, reassign, room, n_choices, by_pref, separate=separate
            )
            quota = planned[separate]
            pool_lines = []
            for g in np.flatnonzero((quota > 0) | (counts > 0)).tolist():
                low = int(last[g])
                pool_lines.append(
                    Line(g, int(quota[g]), int(counts[g]), int(a.total[low]) if low >= 0 else None,
                         int(a.rank[low]) if low >= 0 else None)
                )  # fmt: skip
            lines.append(pool_lines)
        return lines[0], lines[1]

    def _pool(
        self,
        round_no: int,
        order: np.ndarray,
        choices: np.ndarray,
        orders: np.ndarray,
        reassign: np.ndarray,
        room: np.ndarray,
        n_choices: np.ndarray,
        by_pref: bool,
        *,
        separate: bool,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Dispatch then place one pool's candidates; record the outcomes. Returns each group's last
        dispatched candidate (−1: none) and how many were dispatched."""
        n = len(self.cols)
        group = np.full(n, -1, np.int32)
        pos = np.zeros(n, np.int8)
        order = order.astype(np.int64)
        tie = self.a.tie
        i = 0
        held = np.zeros(self.n_groups, np.int64)
        while i < len(order):
            i = kernels.dispatch_kernel(
                order, i, tie, choices, room, by_pref, group, pos, kernels.MAX_BLOCK, held
            )
            if i < len(order):  # a large block of candidates tied on every score key
                j = i + 1
                while j < len(order) and tie[order[j]] == tie[order[i]]:
                    j += 1
                python_block(
                    order[i:j].tolist(),
                    _Rows(choices),
                    cast(Any, room),
                    cast(Any, group),
                    cast(Any, pos),
                    by_pref,
                )
                i = j
        kind = np.zeros(n, np.int8)
        major = np.full(n, -1, np.int64)
        last = np.full(self.n_groups, -1, np.int64)
        counts = np.zeros(self.n_groups, np.int64)
        if len(order):
            plans = self.plans
            left = plans.separate if separate else plans.general
            kernels.place_kernel(
                order, tie, group, pos, orders, reassign, left, plans.majors, plans.major_start, not separate,
                self.order_start, self.order_major, kind, major, last, counts,
            )  # fmt: skip
        r = round_no - 1
        c = self.cols
        dispatched = order[group[order] >= 0]
        missed = order[group[order] < 0]
        c.kind[r, missed] = kernels.NOT_DISPATCHED
        c.n_choices[r, missed] = n_choices[missed]
        c.kind[r, dispatched] = kind[dispatched]
        c.pos[r, dispatched] = pos[dispatched]
        c.group[dispatched] = group[dispatched]
        c.round[dispatched] = round_no
        k = kind[dispatched]
        c.result[dispatched] = np.where((k == kernels.ADMITTED) | (k == kernels.ADMITTED_REASSIGNED), 1, 2)
        c.major[dispatched] = major[dispatched]
        if c._reasons is not None or c._majors is not None:
            c._reasons = c._majors = None
        return last, counts


class _Rows:
    """Row c of a −1-padded choice matrix as the list of its choices (for the Python block)."""

    __slots__ = ("m",)

    def __init__(self, m: np.ndarray) -> None:
        self.m = m

    def __getitem__(self, c: int) -> list[int]:
        row = self.m[c]
        return [int(g) for g in row[row >= 0]]
