"""Benchmark: every indicator, line, verdict, card and outlier of a synthetic nation, set-based on
DuckDB, against a straightforward per-school Python loop over the same data in the same run.
Not a test.

A synthetic nation of ~11,000 schools (7,085 中职, 1,547 高职专科, 33 职业本科 — the 2023 counts of
`data/vocational-statistics.csv` — and the rest 高职专科 to reach `--schools`) × 5 academic years ×
all 27 data elements, generated with the demo's generator (`demo/quality.py`: sizes calibrated with
the same statistics, most schools passing, some yellow, a few red, a few outliers).

    .venv/bin/python benchmarks/quality_verdicts.py [--schools 11000] [--years 5] [--threads N]

Prints: generation time (not measured against anything), DuckDB load time (the values handed over
as CSV, as the service does, and stored typed), DuckDB compute time (every indicator, line, verdict,
rule, card and outlier: one statement per family over the whole nation, never one per school), the
Python loop's time (the same outputs, no explanations), the ratio loop ÷ DuckDB compute (and
÷ load + compute), and whether both paths agree on every card, rule and outlier count.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections import defaultdict
from datetime import date
from decimal import Decimal

from zhijiao.adapters.analytics.quality_verdicts import QualityVerdictEngine
from zhijiao.demo import quality as q
from zhijiao.domain.quality.elements import DisciplineType, SchoolLevel
from zhijiao.domain.quality.indicators import INDICATORS, element_totals
from zhijiao.domain.quality.rules import JUMP_LIMIT, ROBUST_Z_LIMIT, RULES
from zhijiao.domain.quality.standards import NATIONAL, Standard, resolve
from zhijiao.domain.quality.verdicts import Card, card_of, classify

PROVINCES = ("11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
             "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65")  # fmt: skip


def nation(
    schools: int, years: int, seed: int
) -> tuple[list[tuple[int, str, str, str]], list[tuple[int, str, str, str, float]]]:
    rng = random.Random(seed)
    counts = {SchoolLevel.secondary: 7085, SchoolLevel.higher: 1547, SchoolLevel.bachelor: 33}
    counts[SchoolLevel.higher] += max(0, schools - sum(counts.values()))
    levels = [lv for lv, n in counts.items() for _ in range(n)][:schools]
    rng.shuffle(levels)
    school_rows, values = [], []
    last = 2024
    year_list = list(range(last - years + 1, last + 1))
    sizes = q.students_per_school()
    disciplines = list(DisciplineType)
    for sid, level in enumerate(levels, start=1):
        discipline = rng.choices(disciplines, weights=(15, 50, 10, 15, 5, 5))[0]
        profile = q.profile_for(rng)
        students = max(300, round(sizes[level] * rng.lognormvariate(0, 0.35)))
        school_rows.append((sid, rng.choice(PROVINCES), level.value, discipline.value))
        draws = random.Random(f"{seed}:{sid}")
        state = draws.getstate()
        for year in year_list:
            draws.setstate(state)
            grown = round(students * 1.03 ** (year - year_list[0]))
            period = f"{year - 1}-{year}"
            row = q.school_year_values(draws, level, discipline, grown, profile, min(year, 2024))
            if rng.random() < 0.01:  # a typing slip that breaks a consistency rule
                row["teachers_dual_qualified"] = row["teachers_professional"] + 3
            for code, v in row.items():
                values.append((sid, period, code, "", float(v)))
    return school_rows, values


def python_loop(
    school_rows: list[tuple[int, str, str, str]], values: list, years: list[int], memoize: bool = False
) -> tuple[dict[tuple[int, int], str], int, int]:
    """The straightforward way, computing what the DuckDB path computes and nothing more: for each
    school and year, the element totals, each indicator (the domain's expression trees, in Decimal),
    its line (`resolve`, as the school's page does), its verdict (`classify`, the decision `judge`
    explains), the consistency rules and the card (`card_of`); then the outliers — each peer group's
    median and MAD (level, type, year, indicator) and the jumps from last year. No explanations are
    written (the set-based path writes none either). `memoize`: resolve each line once per level,
    type, year and indicator instead of once per school (a loop a little less straightforward)."""
    by_school: dict[int, dict[int, dict[tuple[str, str], Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for sid, period, element, category, value in values:
        by_school[sid][int(period[-4:])][(element, category)] = Decimal(repr(value))
    out: dict[tuple[int, int], str] = {}
    computed: dict[tuple[int, int, str], Decimal | None] = {}
    peers: dict[tuple[str, str, int, str], list[float]] = defaultdict(list)
    broken = 0
    lines: dict[tuple[SchoolLevel, DisciplineType, int, str], Standard | None] = {}
    for sid, province, level_text, discipline_text in school_rows:
        level, discipline = SchoolLevel(level_text), DisciplineType(discipline_text)
        base: dict[int, Card] = {}
        for year in sorted(by_school[sid]):
            totals = element_totals(by_school[sid][year])
            on = date(year, 8, 31)
            below = 0
            for ind in INDICATORS:
                result = ind.compute(totals)
                key = (level, discipline, year, ind.code)
                if memoize and key in lines:
                    standard = lines[key]
                else:
                    standard = resolve(
                        NATIONAL, ind.code, level, discipline, on, province=province, school_id=sid
                    )
                    lines[key] = standard
                _verdict, counts = classify(ind, result, standard)
                below += counts
                computed[(sid, year, ind.code)] = result.value
                if result.value is not None:
                    peers[(level_text, discipline_text, year, ind.code)].append(float(result.value))
            for rule in RULES:
                if rule.code == "has_teachers" and not totals.get("students_fulltime"):
                    continue
                broken += rule.check(totals) is False
            base[year] = card_of(below)
            if year in years:
                out[(sid, year)] = card_of(below, [base.get(year - 1), base.get(year - 2)]).value
    stats = {}
    for key, sample in peers.items():
        if len(sample) >= 5:
            med = statistics.median(sample)
            mad = statistics.median(abs(x - med) for x in sample)
            if mad > 0:
                stats[key] = (med, mad)
    levels = {sid: (lv, d) for sid, _p, lv, d in school_rows}
    flagged = 0
    for (sid, year, code), value in computed.items():
        if value is None:
            continue
        found = stats.get((*levels[sid], year, code))
        if found and abs(0.6745 * (float(value) - found[0]) / found[1]) > ROBUST_Z_LIMIT:
            flagged += 1
        before = computed.get((sid, year - 1, code))
        if before is not None and before != 0 and abs(float(value) / float(before) - 1) > float(JUMP_LIMIT):
            flagged += 1
    return out, broken, flagged


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--schools", type=int, default=11_000)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--seed", type=int, default=2025)
    args = ap.parse_args()

    t = time.perf_counter()
    school_rows, values = nation(args.schools, args.years, args.seed)
    gen = time.perf_counter() - t
    years = list(range(2024 - args.years + 1, 2025))
    print(f"synthetic nation: {len(school_rows):,} schools × {args.years} years, {len(values):,} values "
          f"(generated in {gen:.1f} s)")  # fmt: skip

    engine = QualityVerdictEngine(threads=args.threads)
    t = time.perf_counter()
    engine.load_values(values)
    engine.load_schools(school_rows)
    engine.load_standards(NATIONAL)
    load = time.perf_counter() - t
    t = time.perf_counter()
    engine.compute(years)
    compute = time.perf_counter() - t  # every table built; reading them into Python is timed apart
    t = time.perf_counter()
    cards = engine.cards(years)
    fetch = time.perf_counter() - t
    verdict_rows = engine.con.execute("SELECT count(*) FROM verdicts").fetchone()
    outliers = engine.con.execute("SELECT count(*) FROM outliers").fetchone()
    broken_duck = engine.con.execute("SELECT count(*) FROM violations").fetchone()
    stages = ", ".join(f"{k} {v:.2f}" for k, v in engine.timings.items())
    counts = engine.card_counts(2024)
    engine.close()
    total = {k: sum(v.get(k, 0) for v in counts.values()) for k in ("pass", "yellow", "red")}
    print(f"DuckDB ({args.threads} threads): load {load:.2f} s, compute {compute:.2f} s "
          f"({verdict_rows[0] if verdict_rows else 0:,} verdicts, {len(cards):,} cards, "
          f"{broken_duck[0] if broken_duck else 0:,} rules broken, {outliers[0] if outliers else 0:,} outliers); "
          f"2024 cards: {total}\n  stages (s): {stages}; reading the {len(cards):,} cards into Python: {fetch:.2f} s")  # fmt: skip

    t = time.perf_counter()
    looped, broken_loop, flagged_loop = python_loop(school_rows, values, years)
    loop = time.perf_counter() - t
    print(f"Python per-school loop: {loop:.2f} s ({broken_loop:,} rules broken, {flagged_loop:,} outliers)")
    agree = sum(1 for c in cards if looped.get((c.school_id, c.year)) == c.card)
    print(
        f"ratio loop ÷ DuckDB compute: {loop / compute:.1f}×; loop ÷ (compute + reading the cards): "
        f"{loop / (compute + fetch):.1f}×; loop ÷ (load + compute): {loop / (load + compute):.1f}×"
    )
    t = time.perf_counter()
    memo, _b, _f = python_loop(school_rows, values, years, memoize=True)
    loop_memo = time.perf_counter() - t
    assert memo == looped
    print(f"Python loop with the lines resolved once per level/type/year: {loop_memo:.2f} s; "
          f"ratio ÷ DuckDB compute: {loop_memo / compute:.1f}×")  # fmt: skip
    print(f"cards agreeing: {agree:,} of {len(cards):,}; rules broken: {broken_loop:,} (loop) vs "
          f"{broken_duck[0] if broken_duck else 0:,} (DuckDB); outliers: {flagged_loop:,} vs {outliers[0] if outliers else 0:,}")  # fmt: skip
    print(
        "(the machine is shared with other jobs: absolute times vary; the ratios are measured in the same run)"
    )


if __name__ == "__main__":
    main()
