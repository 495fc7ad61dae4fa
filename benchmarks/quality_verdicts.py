"""Benchmark: every indicator, line, verdict, card and outlier of a synthetic nation, set-based on
DuckDB, against a straightforward per-school Python loop over the same data in the same run.
Not a test.

A synthetic nation of ~11,000 schools (7,085 中职, 1,547 高职专科, 33 职业本科 — the 2023 counts of
`data/vocational-statistics.csv` — and the rest 高职专科 to reach `--schools`) × 5 academic years ×
all 27 data elements, generated with the demo's generator (`demo/quality.py`: sizes calibrated with
the same statistics, most schools passing, some yellow, a few red, a few outliers).

    .venv/bin/python benchmarks/quality_verdicts.py [--schools 11000] [--years 5] [--threads N]

Prints: generation time (not measured against anything), DuckDB load time (the values handed over
as CSV, as the service does), DuckDB compute time (verdicts, cards, outliers), the Python loop's
time, the ratio loop ÷ DuckDB compute (and ÷ load + compute), and whether both paths agree on
every card.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections import defaultdict
from datetime import date
from decimal import Decimal

from zhijiao.adapters.analytics.quality_verdicts import QualityVerdictEngine
from zhijiao.demo import quality as q
from zhijiao.domain.quality.elements import DisciplineType, SchoolLevel
from zhijiao.domain.quality.indicators import INDICATORS, element_totals
from zhijiao.domain.quality.rules import violations
from zhijiao.domain.quality.standards import NATIONAL, resolve
from zhijiao.domain.quality.verdicts import Card, card_for, judge

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
            for code, v in q.school_year_values(
                draws, level, discipline, grown, profile, min(year, 2024)
            ).items():
                values.append((sid, period, code, "", float(v)))
    return school_rows, values


def python_loop(
    school_rows: list[tuple[int, str, str, str]], values: list, years: list[int]
) -> dict[tuple[int, int], str]:
    """The straightforward way: for each school, for each year, each indicator in turn."""
    by_school: dict[int, dict[int, dict[tuple[str, str], Decimal]]] = defaultdict(lambda: defaultdict(dict))
    for sid, period, element, category, value in values:
        by_school[sid][int(period[-4:])][(element, category)] = Decimal(repr(value))
    out: dict[tuple[int, int], str] = {}
    for sid, province, level_text, discipline_text in school_rows:
        level, discipline = SchoolLevel(level_text), DisciplineType(discipline_text)
        cards: dict[int, Card] = {}
        for year in sorted(by_school[sid]):
            totals = element_totals(by_school[sid][year])
            on = date(year, 8, 31)
            judged = [
                judge(ind, ind.compute(totals),
                      resolve(NATIONAL, ind.code, level, discipline, on, province=province, school_id=sid))
                for ind in INDICATORS
            ]  # fmt: skip
            violations(totals)
            base = card_for(judged).card
            history = [cards.get(year - 1), cards.get(year - 2)]
            cards[year] = base
            if year in years:
                out[(sid, year)] = card_for(judged, history).card.value
    return out


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
    cards = engine.cards(years)
    verdict_rows = engine.con.execute("SELECT count(*) FROM verdicts").fetchone()
    outliers = engine.con.execute("SELECT count(*) FROM outliers").fetchone()
    compute = time.perf_counter() - t
    stages = ", ".join(f"{k} {v:.2f}" for k, v in engine.timings.items())
    counts = engine.card_counts(2024)
    engine.close()
    total = {k: sum(v.get(k, 0) for v in counts.values()) for k in ("pass", "yellow", "red")}
    print(f"DuckDB ({args.threads} threads): load {load:.2f} s, compute {compute:.2f} s "
          f"({verdict_rows[0] if verdict_rows else 0:,} verdicts, {len(cards):,} cards, "
          f"{outliers[0] if outliers else 0:,} outliers); 2024 cards: {total}\n  stages (s): {stages}")  # fmt: skip

    t = time.perf_counter()
    looped = python_loop(school_rows, values, years)
    loop = time.perf_counter() - t
    print(f"Python per-school loop: {loop:.2f} s")
    agree = sum(1 for c in cards if looped.get((c.school_id, c.year)) == c.card)
    print(
        f"ratio loop ÷ DuckDB compute: {loop / compute:.1f}×; loop ÷ (load + compute): {loop / (load + compute):.1f}×"
    )
    print(f"cards agreeing: {agree:,} of {len(cards):,}")
    print(
        "(the machine is shared with other jobs: absolute times vary; the ratios are measured in the same run)"
    )


if __name__ == "__main__":
    main()
