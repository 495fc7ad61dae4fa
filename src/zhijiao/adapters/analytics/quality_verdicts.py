"""Set-based verdicts and cards: every indicator, line, verdict, rule, card and outlier of many
schools and years as whole-array operations (numpy) over a wide table — one row per school and
year, one column per data element — never a step per school.

The indicator and rule formulas are the domain's expression trees evaluated over columns
(`_columns`), and the lines are the domain's own `standards.resolve`, called once per distinct
(level, type, year, and province or school when these have local lines) rather than once per
school; so this path computes what the per-school Python path (`domain.quality`) computes, and a
test holds the two to the same answers. Values within a rounding tie of their last decimal (where
binary floating point cannot tell the domain's ROUND_HALF_UP apart) are recomputed in Decimal by
the domain's `Indicator.compute`, so the two paths agree exactly.

Input: values (school_id, period, element, category, value) — the long exchange form the database
holds — and schools (school_id, province, level, discipline). Output: columns, read as rows only
for what a caller asks (`cards`, `verdicts`, `outliers`, `violations`, `indicator_values`).
Why numpy rather than DuckDB: docs/decisions/0021-set-based-quality-verdicts.md.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from math import isnan
from operator import itemgetter
from typing import Any

import numpy as np

from zhijiao.domain.quality.elements import ELEMENTS, DisciplineType, SchoolLevel
from zhijiao.domain.quality.expressions import BinOp, Neg, Node, Num, Ref, parse, references
from zhijiao.domain.quality.indicators import INDICATORS, Direction
from zhijiao.domain.quality.rules import JUMP_LIMIT, ROBUST_Z_LIMIT, RULES, Missing
from zhijiao.domain.quality.standards import Standard, resolve

Array = np.ndarray[Any, Any]

CODES = tuple(e.code for e in ELEMENTS)
COLUMN = {c: k for k, c in enumerate(CODES)}
LEVELS = tuple(SchoolLevel)
DISCIPLINES = tuple(DisciplineType)
INDICATOR_CODES = tuple(i.code for i in INDICATORS)
VERDICTS = ("pass", "warning", "fail")
CARDS = ("pass", "yellow", "red")
_COMPARE = {
    "<=": np.less_equal,
    "<": np.less,
    ">=": np.greater_equal,
    ">": np.greater,
    "==": np.equal,
    "!=": np.not_equal,
}
# the readers' orders, as the SQL path had them: indicators and rules by code
_BY_CODE = sorted(range(len(INDICATORS)), key=lambda k: INDICATOR_CODES[k])


@dataclass(frozen=True, slots=True)
class VerdictRow:
    school_id: int
    year: int
    indicator: str
    value: float | None
    numerator: float | None
    denominator: float | None
    threshold: float | None
    restrict_line: float | None
    verdict: str
    below_restrict: bool


@dataclass(frozen=True, slots=True)
class CardRow:
    school_id: int
    year: int
    card: str
    below: tuple[str, ...]
    has_lines: bool = True  # any 限制招生 line applied (else no card is really given)


@dataclass(frozen=True, slots=True)
class OutlierRow:
    school_id: int
    year: int
    indicator: str
    value: float
    kind: str  # robust_z | jump
    score: float


def _columns(node: Node, cols: Array, fill_missing: bool = False) -> Array | float:
    """`node` over every row at once: `cols` is rows × elements, NaN where a value is missing. A
    missing input makes the result missing (NaN), as `expressions.evaluate` makes it None; so does a
    division by zero. `fill_missing`: a missing value counts as 0 (a rule's never-skip strategy)."""
    match node:
        case Num(value):
            return float(value)
        case Ref(code):
            k = COLUMN.get(code)
            if k is None:
                return np.full(len(cols), 0.0 if fill_missing else np.nan)
            col = cols[:, k]
            return np.nan_to_num(col, nan=0.0) if fill_missing else col
        case Neg(operand):
            return -_columns(operand, cols, fill_missing)
        case BinOp(op, left, right):
            a, b = _columns(left, cols, fill_missing), _columns(right, cols, fill_missing)
            if op == "+":
                return a + b
            if op == "-":
                return a - b
            if op == "*":
                return a * b
            a, b = np.broadcast_arrays(np.asarray(a, float), np.asarray(b, float))
            out = np.full(a.shape, np.nan)
            np.divide(a, b, out=out, where=b != 0)
            return out
    raise AssertionError(node)


def _full(x: Array | float, n: int) -> Array:
    return np.broadcast_to(np.asarray(x, float), (n,))


def _round_half_away(x: Array, decimals: int) -> tuple[Array, Array]:
    """`x` rounded to `decimals` places, half away from zero, and where it lay within a hair of a tie
    (where the binary value cannot say which way the exact decimal value rounds)."""
    m = 10.0**decimals
    y = np.abs(x) * m
    low = np.floor(y)
    frac = y - low
    rounded = np.where(frac >= 0.5, low + 1, low)
    return np.copysign(rounded / m, x), np.abs(frac - 0.5) < 1e-6


def _whole_ties(num: Array, den: Array, factor: Decimal, decimals: int) -> tuple[Array, Array]:
    """Which of these near-tie quotients are of whole numbers small enough to round exactly in
    integers, and their values: floor(N·F·10^d ÷ D), plus one when twice the remainder reaches D —
    ROUND_HALF_UP, what `Indicator.compute` gives in Decimal (for N, D < 2^31 its 28 digits are exact
    enough: a non-tie lies ≥ 1/(2D) from a tie)."""
    none = np.zeros(len(num), bool), np.zeros(0)
    if factor != factor.to_integral_value() or not 0 < factor <= 1000 or decimals > 6:
        return none
    scale = int(factor) * 10**decimals
    whole = (num == np.floor(num)) & (den == np.floor(den)) & (num >= 0) & (den > 0)
    whole &= (num < 2**31) & (den < 2**31) & (num * scale < 1e15)
    n, d = num[whole].astype(np.int64), den[whole].astype(np.int64)
    scaled = n * scale
    q = scaled // d
    q += 2 * (scaled - q * d) >= d
    return whole, q / 10.0**decimals


class QualityVerdictEngine:
    """Load values, schools and standards, then `compute(years)`; read the results."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._ids = np.zeros(0, np.int64)  # the schools' ids, ascending: the wide table's first axis
        self._year0 = 0
        self._wide = np.zeros((0, 0, len(CODES)))  # school × year × element totals, NaN: missing
        self._school_ids = np.zeros(0, np.int64)  # the listed schools, ascending, and what they are
        self._school_province = np.zeros(0, object)
        self._school_level = self._school_kind = np.zeros(0, np.int64)
        self._standards: list[Standard] = []
        self._done = False

    # --- loading ---
    def load_values(self, rows: Iterable[Sequence[Any]]) -> None:
        """Values as (school_id, period, element, category, value), made wide at once: each element's
        total for a school and year is the academic year's value without category, else the sum of its
        categories, else the same for the calendar year (as `services.quality.verdicts.year_values`
        and `indicators.element_totals` choose them). Unknown element codes are ignored."""
        t = time.perf_counter()
        rows = rows if isinstance(rows, list) else list(rows)
        if not rows:
            self._ids, self._wide = np.zeros(0, np.int64), np.zeros((0, 0, len(CODES)))
            return
        n = len(rows)
        # one pass per column, no Python object per value; the few distinct strings of each column are
        # translated once (`_Codes`), every row then by a dictionary look-up
        periods = _Codes(lambda p: int(p[-4:]) * 2 + (len(p) == 9))  # end year, academic year
        elements = _Codes(lambda e: COLUMN.get(e, -1))
        categories = _Codes(bool)
        ids = np.fromiter(map(itemgetter(0), rows), np.int64, n)
        code = np.fromiter(map(periods.__getitem__, map(itemgetter(1), rows)), np.int32, n)
        col = np.fromiter(map(elements.__getitem__, map(itemgetter(2), rows)), np.int16, n)
        if any(map(itemgetter(3), rows)):  # disaggregated values: rarer
            has_cat = np.fromiter(map(categories.__getitem__, map(itemgetter(3), rows)), np.bool_, n)
        else:
            has_cat = np.zeros(n, np.bool_)
        val = np.fromiter(map(itemgetter(4), rows), np.float64, n)
        year, academic = code >> 1, (code & 1).astype(np.bool_)
        known = col >= 0
        if not known.all():
            ids, year, academic, col, has_cat, val = (
                a[known] for a in (ids, year, academic, col, has_cat, val)
            )
        self._ids, school = _index(ids)
        self._year0 = int(year.min())
        span = int(year.max()) - self._year0 + 1
        cells = len(self._ids) * span * len(CODES)
        cell = school * (span * len(CODES))
        cell += (year - self._year0).astype(np.int64) * len(CODES)
        cell += col
        plain = academic.all() and not has_cat.any()  # the usual case: one class of values
        wide: Array | None = None
        for is_academic in (True, False):  # the academic year first, the calendar year where it has none
            for categorised in (False, True):
                if plain and (not is_academic or categorised):
                    continue
                mask = None if plain else (academic == is_academic) & (has_cat == categorised)
                if mask is not None and not mask.any():
                    continue
                where, what = (cell, val) if mask is None else (cell[mask], val[mask])
                if categorised:
                    part = np.bincount(where, weights=what, minlength=cells)
                    part[np.bincount(where, minlength=cells) == 0] = np.nan
                else:
                    part = np.full(cells, np.nan)
                    part[where] = what
                wide = part if wide is None else np.where(np.isnan(wide), part, wide)
        assert wide is not None
        self._wide = wide.reshape(len(self._ids), span, len(CODES))
        self.timings["load_values"] = time.perf_counter() - t

    def load_schools(self, rows: Iterable[tuple[int, str, str, str]]) -> None:
        """(school_id, province, level, discipline); values of schools not listed are not judged."""
        rows = list(rows)
        n = len(rows)
        levels = _Codes(lambda x: LEVELS.index(SchoolLevel(x)))
        kinds = _Codes(lambda x: DISCIPLINES.index(DisciplineType(x)))
        ids = np.fromiter(map(itemgetter(0), rows), np.int64, n)
        self._school_ids, order = np.unique(ids, return_index=True)  # ascending, each school once
        self._school_province = (
            np.asarray([r[1] for r in rows], dtype=object)[order] if n else np.zeros(0, object)
        )
        self._school_level = np.fromiter(map(levels.__getitem__, map(itemgetter(2), rows)), np.int64, n)[
            order
        ]
        self._school_kind = np.fromiter(map(kinds.__getitem__, map(itemgetter(3), rows)), np.int64, n)[order]

    def load_standards(self, standards: Sequence[Standard]) -> None:
        self._standards = list(standards)

    # --- computing ---
    def _stage(self, name: str, start: float) -> float:
        now = time.perf_counter()
        self.timings[name] = now - start
        return now

    def compute(self, years: Sequence[int]) -> None:
        """Every indicator, line, verdict, rule, card and outlier for `years` (and the two years before
        each, which the cards' three-years-running rule reads)."""
        t = time.perf_counter()
        wanted = sorted({y - k for y in years for k in range(3)})
        self._years_wanted = wanted
        # the rows: school-years of the listed schools, in the wanted years, with any value
        listed = self._school_ids
        pos = np.searchsorted(self._ids, listed)
        inside = pos < len(self._ids)
        inside[inside] = self._ids[pos[inside]] == listed[inside]
        pos, which_school = pos[inside], np.flatnonzero(inside)  # the listed schools that have values
        span = self._wide.shape[1]
        cols_years = [y - self._year0 for y in wanted if 0 <= y - self._year0 < span]
        sub = self._wide[np.ix_(pos, cols_years)] if len(pos) and cols_years else np.zeros((0, 0, len(CODES)))
        present = ~np.isnan(sub).all(axis=2)
        si, yi = np.nonzero(present)  # ordered by school id, then year
        self.school_id = self._ids[pos[si]]
        self.year = np.asarray([y + self._year0 for y in cols_years], np.int64)[yi]
        totals = sub[si, yi]
        n = len(self.school_id)
        listed_row = which_school[si]
        province = self._school_province[listed_row]
        level = self._school_level[listed_row]
        discipline = self._school_kind[listed_row]
        self.province, self.level, self.discipline = province, level, discipline
        first = wanted[0] if wanted else 0
        grid_width = (wanted[-1] - first + 1) if wanted else 0
        t = self._stage("rows", t)

        # indicators: column k of each matrix holds indicator k (numerator, denominator, value)
        k_n = len(INDICATORS)
        num, den, val = (np.full((n, k_n), np.nan, order="F") for _ in range(3))
        for k, ind in enumerate(INDICATORS):
            a = _full(_columns(ind.numerator_tree, totals), n)
            b = _full(_columns(ind.denominator_tree, totals), n)
            num[:, k], den[:, k] = a, b
            ok = ~np.isnan(a) & ~np.isnan(b) & (b != 0)
            raw = np.full(n, np.nan)
            np.divide(a, b, out=raw, where=ok)
            raw *= float(ind.factor)
            val[:, k], tie = _round_half_away(raw, ind.decimals)
            tied = np.flatnonzero(tie & ok)
            if len(tied):  # whole numbers (counts, most ties): settled exactly by integer arithmetic
                settled, exact_value = _whole_ties(a[tied], b[tied], ind.factor, ind.decimals)
                val[tied[settled], k] = exact_value
                tied = tied[~settled]
            if len(tied):  # the exact decimal values decide a tie (a few rows): the domain's Decimal path
                inputs = [c for c in ind.inputs if c in COLUMN]
                cells = totals[np.ix_(tied, [COLUMN[c] for c in inputs])].tolist()
                for r, row in zip(tied.tolist(), cells, strict=True):
                    given = {c: Decimal(repr(x)) for c, x in zip(inputs, row, strict=True) if not isnan(x)}
                    exact = ind.compute(given).value
                    val[r, k] = np.nan if exact is None else float(exact)
        self.num, self.den, self.val = num, den, val
        t = self._stage("indicators", t)

        # the lines: `resolve` once per distinct (level, type, year, and province or school when it has
        # local lines of its own) and indicator — a small table — then spread to every row
        local_provinces = sorted(
            {s.scope.split(":", 1)[1] for s in self._standards if s.scope.startswith("province:")}
        )
        local_schools = sorted({int(s.scope.split(":", 1)[1]) for s in self._standards if s.scope.startswith("school:")})  # fmt: skip
        prov_key = np.zeros(n, np.int64)
        if local_provinces:
            for p, name in enumerate(local_provinces, start=1):
                prov_key[province == name] = p
        school_key = np.zeros(n, np.int64)
        if local_schools:
            mine = np.isin(self.school_id, local_schools)
            school_key[mine] = self.school_id[mine]
        school_keys = np.unique(school_key)  # 0 and the schools with targets of their own
        key = (
            ((level * len(DISCIPLINES) + discipline) * grid_width + (self.year - first))
            * (len(local_provinces) + 1)
            + prov_key
        ) * len(school_keys) + np.searchsorted(school_keys, school_key)
        codes, which = np.unique(key, return_inverse=True)
        which = which.reshape(-1)
        first_row = np.zeros(len(codes), np.int64)
        first_row[which] = np.arange(n)  # a row of each distinct key (any: its parts are the key's)
        distinct = [
            (int(level[r]), int(discipline[r]), int(self.year[r]), int(prov_key[r]), int(school_key[r]))
            for r in first_row.tolist()
        ]
        by_indicator: dict[str, list[Standard]] = {}
        for s in self._standards:
            by_indicator.setdefault(s.indicator, []).append(s)
        u_n = len(distinct)
        pass_u, restrict_u, warn_u = (
            np.full((u_n, k_n), np.nan),
            np.full((u_n, k_n), np.nan),
            np.zeros((u_n, k_n), bool),
        )
        for u, (lv, dt, year, pk, sk) in enumerate(distinct):
            prov = local_provinces[pk - 1] if pk else ""
            on = date(year, 8, 31)
            for k, code in enumerate(INDICATOR_CODES):
                std = resolve(by_indicator.get(code, []), code, LEVELS[lv], DISCIPLINES[dt], on,
                              province=prov, school_id=sk)  # fmt: skip
                if std is not None:
                    pass_u[u, k] = float(std.pass_line)
                    if std.restrict_line is not None:
                        restrict_u[u, k] = float(std.restrict_line)
                    warn_u[u, k] = std.below_is == "warning"
        # (column-major like the values: every matrix below is read column by column)
        line, restrict, warn = (_spread(m, which) for m in (pass_u, restrict_u, warn_u))
        self.line, self.restrict = line, restrict
        t = self._stage("lines", t)

        # verdicts: the decision of `verdicts.classify`, for every row and indicator at once
        at_least = np.asarray([i.direction is Direction.at_least for i in INDICATORS])
        with np.errstate(invalid="ignore"):
            meets_line = np.where(at_least, val >= line, val <= line)
            meets_restrict = np.where(at_least, val >= restrict, val <= restrict)
        missing, has_line, has_restrict = np.isnan(val), ~np.isnan(line), ~np.isnan(restrict)
        passed = ~missing & (~has_line | meets_line)
        verdict = np.where(
            missing, np.where(has_restrict, 2, 1),
            np.where(passed, 0, np.where(has_restrict, np.where(meets_restrict, 1, 2), np.where(warn, 1, 2))),
        ).astype(np.int8)  # fmt: skip
        below = has_restrict & (missing | (~passed & ~meets_restrict))
        self.verdict, self.below = verdict, below
        self.has_lines = has_restrict.any(axis=1)
        count = below.sum(axis=1)
        t = self._stage("verdicts", t)

        # cards: one basic condition below its 限制招生 line → yellow; two or more, or this year's
        # one after two yellow (or red) years → red (`verdicts.card_of`). The rows are ordered by
        # school and year, so a school's year before is the row before, when it is that school's
        # and that year (`earlier(k)`: the row k years before, or -1)
        col = self.year - first

        def earlier(k: int) -> Array:
            out = np.full(n, -1, np.int64)
            if n > k:
                same = (self.school_id[k:] == self.school_id[:-k]) & (self.year[k:] - k == self.year[:-k])
                out[k:][same] = np.flatnonzero(same)
            return out

        year_before, two_before = earlier(1), earlier(2)
        b1 = np.where(year_before >= 0, count[year_before], -1)
        b2 = np.where(two_before >= 0, count[two_before], -1)
        red = (count >= 2) | ((count == 1) & (b1 >= 1) & (b2 >= 1))
        self.card = np.where(red, 2, np.where(count == 1, 1, 0)).astype(np.int8)
        self._below_count = count
        t = self._stage("cards", t)

        # the consistency rules, each one predicate over every row (the domain's rules, their
        # expressions over columns, with the same missing-value strategies)
        hits_row, hits_rule = [], []
        present_cols = ~np.isnan(totals)
        for r_k, rule in enumerate(RULES):
            left, right = parse(rule.left), parse(rule.right)
            refs = [COLUMN[c] for c in dict.fromkeys(references(left) + references(right)) if c in COLUMN]
            there = present_cols[:, refs] if refs else np.ones((n, 0), bool)
            if rule.missing is Missing.skip_if_any:
                guard = there.all(axis=1) if refs else np.ones(n, bool)
            elif rule.missing is Missing.skip_if_all:
                guard = there.any(axis=1) if refs else np.ones(n, bool)
            else:
                guard = np.ones(n, bool)
            fill = rule.missing is not Missing.skip_if_any
            a, b = _full(_columns(left, totals, fill), n), _full(_columns(right, totals, fill), n)
            if rule.code == "has_teachers":
                students = totals[:, COLUMN["students_fulltime"]]
                guard = guard & ~np.isnan(students) & (students != 0)
            with np.errstate(invalid="ignore"):
                holds = _COMPARE[rule.operator](a, b)
            broken = np.flatnonzero(guard & ~np.isnan(a) & ~np.isnan(b) & ~holds)
            hits_row.append(broken)
            hits_rule.append(np.full(len(broken), r_k, np.int64))
        self.violation_row = np.concatenate(hits_row) if hits_row else np.zeros(0, np.int64)
        self.violation_rule = np.concatenate(hits_rule) if hits_rule else np.zeros(0, np.int64)
        t = self._stage("rules", t)

        # outliers: the modified z-score against schools of the same level and type that year (each
        # group's median and MAD from one sort), and jumps of more than ±50 % from the year before
        group = (level * len(DISCIPLINES) + discipline) * grid_width + col
        out_row, out_ind, out_kind, out_score = [], [], [], []
        last_year = np.full((n, k_n), np.nan, order="F")
        has_last = year_before >= 0
        last_year[has_last] = val[year_before[has_last]]
        med, mad, size = _peer_stats(group, val)
        with np.errstate(invalid="ignore", divide="ignore"):
            z_all = 0.6745 * (val - med) / mad
        usable = (size >= 5) & (mad > 0)
        for k in range(k_n):
            x, z = val[:, k], z_all[:, k]
            far = np.flatnonzero(usable[:, k] & (np.abs(z) > ROBUST_Z_LIMIT))
            out_row.append(far), out_ind.append(np.full(len(far), k)), out_kind.append(np.zeros(len(far), np.int8))  # fmt: skip
            out_score.append(z[far])
            last = last_year[:, k]
            with np.errstate(invalid="ignore", divide="ignore"):
                change = x / last - 1
            jumped = np.flatnonzero(
                ~np.isnan(x) & ~np.isnan(last) & (last != 0) & (np.abs(change) > float(JUMP_LIMIT))
            )
            out_row.append(jumped), out_ind.append(np.full(len(jumped), k)), out_kind.append(np.ones(len(jumped), np.int8))  # fmt: skip
            out_score.append(change[jumped])
        self.outlier_row = np.concatenate(out_row).astype(np.int64)
        self.outlier_indicator = np.concatenate(out_ind).astype(np.int64)
        self.outlier_kind = np.concatenate(out_kind)
        self.outlier_score = np.concatenate(out_score)
        self._stage("outliers", t)
        self._done = True

    # --- reading ---
    def _rows(self, years: Sequence[int]) -> Array:
        assert self._done, "compute(years) first"
        return np.flatnonzero(np.isin(self.year, np.asarray(list(years), np.int64)))

    def summary(self) -> dict[str, int]:
        """How many school-years, verdicts, rules broken and outliers `compute` found."""
        return {
            "school_years": len(self.school_id),
            "verdicts": int(self.val.size),
            "violations": len(self.violation_row),
            "outliers": len(self.outlier_row),
        }

    def cards(self, years: Sequence[int]) -> list[CardRow]:
        idx = self._rows(years)
        below = self.below[idx]
        named: dict[int, tuple[str, ...]] = {}
        for i in np.flatnonzero(self._below_count[idx]).tolist():
            named[i] = tuple(INDICATOR_CODES[k] for k in np.flatnonzero(below[i]).tolist())
        rows = zip(self.school_id[idx].tolist(), self.year[idx].tolist(), self.card[idx].tolist(),
                   self.has_lines[idx].tolist(), strict=True)  # fmt: skip
        return [CardRow(s, y, CARDS[c], named.get(i, ()), h) for i, (s, y, c, h) in enumerate(rows)]

    def verdicts(self, years: Sequence[int]) -> list[VerdictRow]:
        """One row per school, year and indicator (ordered so, indicators by code)."""
        idx = self._rows(years)
        order = _BY_CODE

        def cells(m: Array) -> list[list[Any]]:
            part = m[idx][:, order]
            return np.where(np.isnan(part), None, part).tolist()

        val, num, den, line, restrict = (
            cells(m) for m in (self.val, self.num, self.den, self.line, self.restrict)
        )
        verdict = self.verdict[idx][:, order].tolist()
        below = self.below[idx][:, order].tolist()
        codes = [INDICATOR_CODES[k] for k in order]
        out = []
        for i, (s, y) in enumerate(zip(self.school_id[idx].tolist(), self.year[idx].tolist(), strict=True)):
            vi, ni, di, li, ri, wi, bi = val[i], num[i], den[i], line[i], restrict[i], verdict[i], below[i]
            for j, code in enumerate(codes):
                out.append(VerdictRow(s, y, code, vi[j], ni[j], di[j], li[j], ri[j], VERDICTS[wi[j]], bi[j]))
        return out

    def indicator_values(self, year: int) -> dict[int, dict[str, float | None]]:
        """school → indicator → value (None: could not be computed) for one year."""
        idx = self._rows([year])
        part = self.val[idx]
        cells = np.where(np.isnan(part), None, part).tolist()
        return {
            s: dict(zip(INDICATOR_CODES, row, strict=True))
            for s, row in zip(self.school_id[idx].tolist(), cells, strict=True)
        }

    def outliers(self, years: Sequence[int]) -> list[OutlierRow]:
        """Ordered by school, year, indicator code and kind."""
        keep = np.isin(self.year[self.outlier_row], np.asarray(list(years), np.int64))
        row, ind = self.outlier_row[keep], self.outlier_indicator[keep]
        kind, score = self.outlier_kind[keep], self.outlier_score[keep]
        rank = np.empty(len(INDICATORS), np.int64)
        rank[_BY_CODE] = np.arange(len(INDICATORS))
        order = np.lexsort((1 - kind, rank[ind], row))  # rows are ordered by school and year
        names = ("robust_z", "jump")
        return [
            OutlierRow(int(self.school_id[r]), int(self.year[r]), INDICATOR_CODES[k], float(self.val[r, k]),
                       names[c], float(z))
            for r, k, c, z in zip(row[order].tolist(), ind[order].tolist(), kind[order].tolist(),
                                  score[order].tolist(), strict=True)
        ]  # fmt: skip

    def violations(self, years: Sequence[int]) -> list[tuple[int, int, str]]:
        """(school_id, year, rule code) of every consistency rule broken."""
        keep = np.isin(self.year[self.violation_row], np.asarray(list(years), np.int64))
        found = [
            (int(self.school_id[r]), int(self.year[r]), RULES[k].code)
            for r, k in zip(
                self.violation_row[keep].tolist(), self.violation_rule[keep].tolist(), strict=True
            )
        ]
        return sorted(found)

    def card_counts(self, year: int) -> dict[str, dict[str, int]]:
        """province → card → schools."""
        idx = self._rows([year])
        out: dict[str, dict[str, int]] = {}
        for prov, card in sorted(zip(self.province[idx].tolist(), self.card[idx].tolist(), strict=True)):
            counts = out.setdefault(prov, {})
            counts[CARDS[card]] = counts.get(CARDS[card], 0) + 1
        return out


def _peer_stats(group: Array, values: Array) -> tuple[Array, Array, Array]:
    """For every row and column of `values` (NaN: missing), its peer group's median, median absolute
    deviation and number of values — the median as `statistics.median` takes it (the mean of the two
    middle values when even). The rows are put in group order once; each group's block (every
    column) is then sorted at once, twice (values, then deviations): a step per peer group, not per
    school."""
    n, k_n = values.shape
    if n == 0:
        return (np.full((0, k_n), np.nan) for _ in range(3))  # type: ignore[return-value]
    order = np.argsort(group, kind="stable")
    bounds = np.flatnonzero(np.diff(group[order])) + 1
    blocks = np.split(order, bounds)
    med, mad, size = (np.full((len(blocks), k_n), np.nan) for _ in range(3))
    for g, rows in enumerate(blocks):
        block = np.sort(values[rows], axis=0)  # NaN last
        count = (~np.isnan(block)).sum(axis=0)
        m = _middle(block, count)
        med[g], mad[g], size[g] = m, _middle(np.sort(np.abs(block - m), axis=0), count), count
    which = np.empty(n, np.int64)
    which[order] = np.repeat(np.arange(len(blocks)), [len(r) for r in blocks])
    return _spread(med, which), _spread(mad, which), _spread(size, which)


def _spread(table: Array, which: Array) -> Array:
    """`table[which]` (a small table's row for every row), column-major like the other matrices."""
    return np.take(np.ascontiguousarray(table.T), which, axis=1).T


def _middle(ordered: Array, count: Array) -> Array:
    """Each column's median of its first `count` values (sorted, NaN after them)."""
    cols = np.arange(ordered.shape[1])
    some = count > 0
    lo, hi = np.maximum((count - 1) // 2, 0), np.maximum(count // 2, 0)
    lo, hi = np.minimum(lo, len(ordered) - 1), np.minimum(hi, len(ordered) - 1)
    return np.where(some, (ordered[lo, cols] + ordered[hi, cols]) / 2, np.nan)


class _Codes(dict[Any, int]):
    """A column's distinct strings, each translated once (by `translate`) when first seen."""

    def __init__(self, translate: Callable[[Any], int]) -> None:
        super().__init__()
        self.translate = translate

    def __missing__(self, key: Any) -> int:
        self[key] = code = int(self.translate(key))
        return code


def _index(ids: Array) -> tuple[Array, Array]:
    """The distinct ids ascending, and each id's position among them (`np.unique(…,
    return_inverse=True)` without its sort when the ids are small integers, as row ids are)."""
    if len(ids) and ids.min() >= 0 and ids.max() < 8 * len(ids) + 1_000_000:
        seen = np.bincount(ids)
        distinct = np.flatnonzero(seen)
        position = np.full(len(seen), -1, np.int64)
        position[distinct] = np.arange(len(distinct))
        return distinct.astype(np.int64), position[ids]
    distinct, inverse = np.unique(ids, return_inverse=True)
    return distinct, inverse.reshape(-1)
