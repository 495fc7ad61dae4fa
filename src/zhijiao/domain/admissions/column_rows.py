"""The candidates and supplementary files parsed by column, set-based: each column's distinct values are
parsed and checked once (`rows.py`'s rules: the same functions, the same messages), the bad rows are
found with array predicates, and a message is built only for a bad cell. The problems come out in the
order the row-by-row parser (`rows.parse_candidates`, kept as the reference) gives them: by row, then
by column.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import repeat
from typing import Protocol

import numpy as np

from zhijiao.domain.admissions.model import Programme
from zhijiao.domain.admissions.policy import SCALE, Category, Policy
from zhijiao.domain.admissions.rows import (
    _CODE,
    _QUERY_CODE,
    _YES,
    CANDIDATE_COLUMNS,
    CATEGORY_ALIASES,
    SUPPLEMENTARY_COLUMNS,
    Problems,
    header_positions,
    parse_award,
    parse_choice,
    parse_level,
    score_value,
)
from zhijiao.domain.admissions.table import (
    CATEGORY_CODE,
    NONE,
    TIER_CODE,
    CandidateTable,
    OrderCodes,
    SupplementaryTable,
)


class TableColumns(Protocol):
    """What the parsers need of a file read by column (adapters.spreadsheets.columns.Columns)."""

    header: list[str]
    rows: np.ndarray

    def __len__(self) -> int: ...
    def prefetch(self, factors: Sequence[int], texts: Sequence[int]) -> None: ...
    def text(self, j: int) -> list[str]: ...
    def factor(self, j: int) -> tuple[np.ndarray, list[str]]: ...


class _Found:
    """Problems found by column, given out in row order then column order."""

    def __init__(self) -> None:
        self.items: list[tuple[int, int, int, str, str]] = []

    def add(self, at: int, rank: int, column: str, reason: str, sub: int = 0) -> None:
        self.items.append((at, rank, sub, column, reason))

    def cells(self, codes: np.ndarray, bad: dict[int, str], rank: int, column: str) -> None:
        """A problem for every row whose code is one of the `bad` values (code → reason)."""
        if not bad:
            return
        flags = np.zeros(max(bad) + 1 if len(codes) == 0 else max(int(codes.max()), max(bad)) + 1, np.bool_)
        flags[list(bad)] = True
        for at in np.flatnonzero(flags[codes]).tolist():
            self.add(at, rank, column, bad[int(codes[at])])

    def into(self, p: Problems, rows: np.ndarray) -> None:
        numbers = rows.tolist()
        for at, _, _, column, reason in sorted(self.items, key=lambda x: x[:3]):
            p.add(numbers[at], column, reason)


def _values(
    codes: np.ndarray, values: list[str], parse: Callable[[str], tuple[int, str | None]], dtype: type
) -> tuple[np.ndarray, dict[int, str]]:
    parsed = [parse(v) for v in values]
    table: np.ndarray = np.array([v for v, _ in parsed] or [0], dtype)
    return table[codes], {k: why for k, (_, why) in enumerate(parsed) if why}


def _score_of(full: int) -> Callable[[str], tuple[int, str | None]]:
    def parse(text: str) -> tuple[int, str | None]:
        h, why = score_value(text, full)
        return (NONE if h is None else h), why

    return parse


def _category(text: str) -> tuple[int, str | None]:
    cat = CATEGORY_ALIASES.get(text) or CATEGORY_ALIASES.get(text.lower())
    if cat is None:
        return CATEGORY_CODE[
            Category.ordinary
        ], f"应为 {'、'.join(c.value for c in Category)} 之一，实际为“{text}”"
    return CATEGORY_CODE[cat], None


def _reassign(text: str) -> tuple[int, str | None]:
    if not text:
        return 1, None
    v = _YES.get(text)
    if v is None:
        v = _YES.get(text.lower())
    if v is None:
        return 0, f"应为“是”或“否”，实际为“{text}”"
    return int(v), None


def _empty_table(n_components: int = 0) -> CandidateTable:
    return CandidateTable(
        [], [], np.zeros(0, np.int8), np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.bool_),
        np.zeros((0, 1), np.int32), np.zeros((0, 1), np.int32), OrderCodes(), np.zeros((0, n_components), np.int64),
        np.zeros(0, np.int8), np.zeros(0, np.int8), np.zeros(0, np.int16), np.zeros(0, np.int64),
    )  # fmt: skip


def parse_candidate_columns(
    filename: str, t: TableColumns, policy: Policy, programmes: Sequence[Programme]
) -> tuple[CandidateTable, Problems]:
    p = Problems(filename)
    extra = [c.column for c in policy.components if f"component:{c.name}" in policy.tie_break]
    pos, choice_pos = header_positions(t.header, CANDIDATE_COLUMNS, p, extra)
    if not choice_pos:
        p.add(0, "志愿1", "缺少志愿列（志愿1…志愿N）")
    if p.items:
        return _empty_table(), p
    n = len(t)
    comp_cols = [
        (pos[c.column], c.column, round(c.full_marks * SCALE)) for c in policy.components if c.column in pos
    ]
    t.prefetch(
        [pos[k] for k in ("category", "culture", "skill", "reassign", "award", "certificate", "account_no",
                          "query_code") if k in pos] + list(choice_pos.values()) + [j for j, _, _ in comp_cols],
        [pos["no"], pos["name"]],
    )  # fmt: skip
    found = _Found()
    by_code = {g.code: i for i, g in enumerate(programmes)}
    majors_of = [frozenset(m.code for m in g.majors) for g in programmes]
    # 考生号: format, then duplicates (against the first row with that number)
    nos = t.text(pos["no"])
    joined = "".join(nos)
    lengths = np.fromiter(map(len, nos), np.int64, n)
    plain = joined.isascii() and (not joined or joined.replace("-", "").replace("_", "").isalnum())
    if not (plain and (n == 0 or (lengths.min() >= 1 and lengths.max() <= 20))):  # else every cell is a CODE
        for at, no in enumerate(nos):
            if not _CODE.match(no):
                found.add(at, 0, "考生号", f"格式不正确：“{no}”" if no else "不能为空")
    if len(set(nos)) != n:
        seen: dict[str, int] = {}
        numbers = t.rows.tolist()
        for at, no in enumerate(nos):
            if not _CODE.match(no):
                continue
            if no in seen:
                found.add(at, 0, "考生号", f"“{no}”与第 {seen[no]} 行重复")
            else:
                seen[no] = numbers[at]
    names = t.text(pos["name"])
    if "" in names:
        for at in (i for i, x in enumerate(names) if not x):
            found.add(at, 1, "姓名", "不能为空")
    codes, values = t.factor(pos["category"])
    category, bad = _values(codes, values, _category, np.int8)
    found.cells(codes, bad, 2, "考生类别")
    full_c = round(policy.culture.full_marks * SCALE)
    full_s = round(policy.skill.full_marks * SCALE)
    codes, values = t.factor(pos["culture"])
    culture, bad = _values(codes, values, _score_of(full_c), np.int64)
    found.cells(codes, bad, 3, "文化素质成绩")
    codes, values = t.factor(pos["skill"])
    skill, bad = _values(codes, values, _score_of(full_s), np.int64)
    found.cells(codes, bad, 4, "职业技能成绩")
    codes, values = t.factor(pos["reassign"])
    reassign_i, bad = _values(codes, values, _reassign, np.int8)
    found.cells(codes, bad, 5, "服从调剂")
    order_codes = OrderCodes()
    choices, orders = _choices(t, [choice_pos[k] for k in sorted(choice_pos)], by_code, programmes, majors_of,
                               order_codes, found, rank0=10, check_majors=True)  # fmt: skip
    comps = np.full((n, len(comp_cols)), NONE, np.int64)
    for k, (j, column, full) in enumerate(comp_cols):
        codes, values = t.factor(j)
        comps[:, k], bad = _values(codes, values, _score_of(full), np.int64)
        found.cells(codes, bad, 200 + k, column)
    tier = np.full(n, NONE, np.int8)
    prize = np.zeros(n, np.int8)
    if (ja := pos.get("award")) is not None:
        codes, values = t.factor(ja)
        awards = [parse_award(v) if v else None for v in values]
        tier = np.array([TIER_CODE[a[0]] if a else NONE for a in awards], np.int8)[codes]
        prize = np.array([a[1] if a else 0 for a in awards], np.int8)[codes]
        found.cells(codes, {k: f"无法识别的获奖等级“{v}”（如：国赛三等奖、省赛一等奖）"
                            for k, (v, a) in enumerate(zip(values, awards, strict=True)) if v and a is None},
                    300, "获奖")  # fmt: skip
    level = np.full(n, NONE, np.int16)
    if (jc := pos.get("certificate")) is not None:
        codes, values = t.factor(jc)
        levels = [parse_level(v) if v else None for v in values]
        level = np.array([NONE if x is None else x for x in levels], np.int16)[codes]
        found.cells(codes, {k: f"无法识别的证书等级“{v}”（初级、中级、高级、技师、高级技师）"
                            for k, (v, x) in enumerate(zip(values, levels, strict=True)) if v and x is None},
                    301, "证书等级")  # fmt: skip
    account = _sparse(t, pos.get("account_no"))
    query = _sparse(t, pos.get("query_code"))
    for at, code in query.items():
        if not _QUERY_CODE.match(code):
            found.add(at, 302, "查询码", "应为 4–20 位字母或数字")
    found.into(p, t.rows)
    table = CandidateTable(
        nos, names, category, culture, skill, reassign_i.astype(np.bool_), choices, orders,
        order_codes, comps, tier, prize, level, t.rows.astype(np.int64), account, query,
    )  # fmt: skip
    return table, p


def _sparse(t: TableColumns, j: int | None) -> dict[int, str]:
    if j is None:
        return {}
    codes, values = t.factor(j)
    empty = values.index("") if "" in values else -1
    return {at: values[int(codes[at])] for at in np.flatnonzero(codes != empty).tolist()}


def _choices(
    t: TableColumns,
    columns: list[int],
    by_code: dict[str, int],
    programmes: Sequence[Programme],
    majors_of: list[frozenset[str]],
    order_codes: OrderCodes,
    found: _Found,
    *,
    rank0: int,
    check_majors: bool,
    duplicate: str | None = None,
    valid: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """The 志愿 columns: (group indices, major-order ids), left-packed, −1 / 0 padded. A cell naming an
    unknown group, or a group already chosen in the row, is left out with its problem."""
    n = len(t)
    k = len(columns)
    groups = np.full((n, k), NONE, np.int32)
    oids = np.zeros((n, k), np.int32)
    problems: list[tuple[np.ndarray, dict[int, list[str]], int]] = []
    known: dict[str, tuple[int, int, list[str]]] = {}  # cell text → (group, order id, problems)
    for c, j in enumerate(columns):
        codes, values = t.factor(j)
        g_of = np.full(len(values), NONE, np.int32)
        o_of = np.zeros(len(values), np.int32)
        bad: dict[int, list[str]] = {}
        for v, text in enumerate(values):
            if not text:
                continue
            hit = known.get(text)
            if hit is None:
                parsed = parse_choice(text, by_code)
                if isinstance(parsed, str):
                    hit = (NONE, 0, [parsed])
                else:
                    g, order = parsed
                    wrong = (
                        [f"专业“{m}”不在专业组“{programmes[g].code}”中" for m in order if m not in majors_of[g]]
                        if check_majors and majors_of[g] else []
                    )  # (a group without a majors file cannot be checked)  # fmt: skip
                    hit = (g, order_codes.id(g, order), wrong)
                known[text] = hit
            g_of[v], o_of[v] = hit[0], hit[1]
            if hit[2]:
                bad[v] = hit[2]
        groups[:, c], oids[:, c] = g_of[codes], o_of[codes]
        problems.append((codes, bad, c))
    accepted = groups >= 0
    for c in range(1, k):
        for e in range(c):
            dup = accepted[:, c] & accepted[:, e] & (groups[:, c] == groups[:, e])
            if dup.any():
                for at in np.flatnonzero(dup).tolist():
                    code = programmes[int(groups[at, c])].code
                    why = duplicate or f"专业组“{code}”重复填报"
                    if valid is None or valid[at]:
                        found.add(at, rank0 + c + 1, f"志愿{c + 1}", why)
                accepted[:, c] &= ~dup
    for codes, bad, c in problems:
        if not bad:
            continue
        flags = np.zeros(len(codes) and int(codes.max()) + 1, np.bool_)
        flags[[v for v in bad if v < len(flags)]] = True
        rows = np.flatnonzero(flags[codes]) if len(codes) else np.zeros(0, np.int64)
        for at in rows.tolist():
            if valid is not None and not valid[at]:
                continue
            reasons = bad[int(codes[at])]
            if groups[at, c] >= 0 and not accepted[at, c]:
                continue  # a repeated group: only that is said
            for s, why in enumerate(reasons):
                found.add(at, rank0 + c + 1, f"志愿{c + 1}", why, s)
    perm = np.argsort(~accepted, axis=1, kind="stable")
    packed = np.take_along_axis(np.where(accepted, groups, NONE), perm, axis=1)
    packed_o = np.take_along_axis(np.where(accepted, oids, 0), perm, axis=1)
    if k == 0:
        return np.full((n, 1), NONE, np.int32), np.zeros((n, 1), np.int32)
    return packed.astype(np.int32), packed_o.astype(np.int32)


def parse_supplementary_columns(
    filename: str, t: TableColumns, candidates: CandidateTable, programmes: Sequence[Programme]
) -> tuple[SupplementaryTable, Problems]:
    """征集志愿: 考生号 and new preferences (志愿1…N, 服从调剂)."""
    p = Problems(filename)
    pos, choice_pos = header_positions(t.header, SUPPLEMENTARY_COLUMNS, p)
    if not choice_pos:
        p.add(0, "志愿1", "缺少志愿列（志愿1…志愿N）")
    empty = SupplementaryTable(np.zeros(0, np.int64), np.zeros((0, 1), np.int32), np.zeros((0, 1), np.int32),
                               np.zeros(0, np.bool_))  # fmt: skip
    if p.items:
        return empty, p
    n = len(t)
    t.prefetch([*choice_pos.values(), *([pos["reassign"]] if "reassign" in pos else [])], [pos["no"]])
    found = _Found()
    index = dict(zip(candidates.no, range(len(candidates)), strict=True))
    nos = t.text(pos["no"])
    who = np.fromiter(map(index.get, nos, repeat(-1)), np.int64, n)
    valid = who >= 0
    for at in np.flatnonzero(~valid).tolist():
        found.add(at, 0, "考生号", f"考生“{nos[at]}”不在考生文件中" if nos[at] else "不能为空")
    if len(set(who[valid].tolist())) != int(valid.sum()):
        seen: set[int] = set()
        for at in np.flatnonzero(valid).tolist():
            c = int(who[at])
            if c in seen:
                found.add(at, 0, "考生号", f"“{nos[at]}”重复")
                valid[at] = False
            seen.add(c)
    by_code = {g.code: i for i, g in enumerate(programmes)}
    choices, orders = _choices(t, [choice_pos[k] for k in sorted(choice_pos)], by_code, programmes, [],
                               candidates.order_codes, found, rank0=10, check_majors=False,
                               duplicate="专业组重复填报", valid=valid)  # fmt: skip
    reassign = np.ones(n, np.bool_)
    if (j := pos.get("reassign")) is not None:
        codes, values = t.factor(j)
        parsed = [_YES.get(v.lower()) if v else True for v in values]
        reassign = np.array([bool(x) for x in parsed], np.bool_)[codes]
        bad = {
            k: f"应为“是”或“否”，实际为“{v}”"
            for k, (v, x) in enumerate(zip(values, parsed, strict=True))
            if x is None
        }
        codes_valid = np.where(valid, codes, -1)
        if bad:
            for at in np.flatnonzero(np.isin(codes_valid, list(bad))).tolist():
                found.add(at, 500, "服从调剂", bad[int(codes[at])])
    found.into(p, t.rows)
    keep = np.flatnonzero(valid)
    return SupplementaryTable(who[keep], choices[keep], orders[keep], reassign[keep]), p
