"""The set-based quality engine against the domain's per-school path on awkward data: values split
by category, calendar-year values beside academic-year ones, missing values, zero denominators,
rounding ties, local lines, and the card history."""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from tests.quality_world import GOOD_HIGHER
from zhijiao.adapters.analytics.quality_verdicts import QualityVerdictEngine
from zhijiao.domain.quality.elements import DisciplineType, SchoolLevel
from zhijiao.domain.quality.indicators import INDICATOR_BY_CODE, INDICATORS, Source
from zhijiao.domain.quality.rules import JUMP_LIMIT, ROBUST_Z_LIMIT, violations
from zhijiao.domain.quality.standards import NATIONAL, Standard, resolve
from zhijiao.domain.quality.verdicts import Card, card_of, classify
from zhijiao.services.quality.verdicts import totals_of, year_values


@dataclass(frozen=True)
class Stored:  # what `year_values` and `totals_of` read of a stored value
    period: str
    element: str
    category: str
    value: Decimal


def _world(seed: int) -> tuple[list[tuple[int, str, str, str]], list[tuple[int, str, str, str, float]]]:
    rng = random.Random(seed)
    schools, rows = [], []
    for sid in range(1, 61):
        level = rng.choice(list(SchoolLevel))
        kind = rng.choice(list(DisciplineType))
        schools.append((sid, rng.choice(("44", "43")), level.value, kind.value))
        scale = rng.uniform(0.4, 1.6)
        for year in (2021, 2022, 2023, 2024):
            if rng.random() < 0.1:
                continue  # a year not reported
            for code, base in GOOD_HIGHER.items():
                if rng.random() < 0.04:
                    continue  # a value missing
                v = round(base * scale * rng.uniform(0.7, 1.3), rng.choice((0, 2)))
                if code == "teachers_ideopolitical_fulltime" and rng.random() < 0.05:
                    v = 0  # a zero denominator
                if code in ("teachers_fulltime", "books") and rng.random() < 0.3:
                    # disaggregated (by title, by kind): the total is the sum of the categories
                    first = round(v * 0.4)
                    rows += [
                        (sid, f"{year - 1}-{year}", code, "a", first),
                        (sid, f"{year - 1}-{year}", code, "b", v - first),
                    ]
                    continue
                period = (
                    str(year)
                    if code in ("training_person_times", "graduates_employed")
                    else f"{year - 1}-{year}"
                )
                rows.append((sid, period, code, "", float(v)))
            if (
                rng.random() < 0.2
            ):  # a calendar-year value beside the academic year's: the academic one counts
                rows.append((sid, str(year), "books", "", 1.0))
    # one school below the 限制招生 line for books three years running: yellow, yellow, then red
    schools.append((61, "44", "higher", "engineering"))
    for year in (2021, 2022, 2023, 2024):
        books = GOOD_HIGHER["books"] if year == 2021 else 200000
        rows += [
            (61, f"{year - 1}-{year}", c, "", float(books if c == "books" else v))
            for c, v in GOOD_HIGHER.items()
        ]
    # ties the binary value cannot round right: 57 ÷ 200 = 0.285 → 0.29 (ROUND_HALF_UP)
    rows = [r for r in rows if not (r[0] == 1 and r[1] == "2023-2024" and r[2] in ("students_fulltime", "teachers_ideopolitical_fulltime"))]  # fmt: skip
    rows += [(1, "2023-2024", "students_fulltime", "", 57.0), (1, "2023-2024", "teachers_ideopolitical_fulltime", "", 200.0)]  # fmt: skip
    # and one of decimals (settled by the domain's Decimal arithmetic): 100.05 ÷ 10 = 10.005 → 10.01
    rows = [r for r in rows if not (r[0] == 2 and r[1] == "2021-2022" and r[2] in ("students_fulltime", "floor_area_teaching_admin_m2"))]  # fmt: skip
    rows += [(2, "2021-2022", "students_fulltime", "", 10.0), (2, "2021-2022", "floor_area_teaching_admin_m2", "", 100.05)]  # fmt: skip
    return schools, rows


LOCAL = [
    Standard("dual_qualified_share", SchoolLevel.higher, Decimal("0.6"), Source("省标准", "", "不低于60%"),
             effective_from=date(2022, 1, 1), scope="province:44"),
    Standard("books_per_student", SchoolLevel.higher, Decimal("90"), Source("校目标", "", "90"),
             effective_from=date(2020, 1, 1), scope="school:5"),
]  # fmt: skip


def test_engine_equals_the_domain_path_on_awkward_data() -> None:
    schools, rows = _world(11)
    standards = [*NATIONAL, *LOCAL]
    engine = QualityVerdictEngine()
    engine.load_values(rows)
    engine.load_schools(schools)
    engine.load_standards(standards)
    engine.compute([2023, 2024])
    got = {(r.school_id, r.year, r.indicator): r for r in engine.verdicts([2021, 2022, 2023, 2024])}
    cards = {(c.school_id, c.year): c for c in engine.cards([2023, 2024])}
    assert got[(1, 2024, "students_per_ideopolitical_teacher")].value == 0.29
    assert got[(2, 2022, "teaching_admin_space_per_student")].value == 10.01

    stored = [Stored(p, e, c, Decimal(repr(v))) for _s, p, e, c, v in rows]
    by_school: dict[int, list[Stored]] = {}
    for (sid, *_), s in zip(rows, stored, strict=True):
        by_school.setdefault(sid, []).append(s)
    expected_cards, expected_broken, values = {}, set(), {}
    for sid, province, level_text, kind_text in schools:
        level, kind = SchoolLevel(level_text), DisciplineType(kind_text)
        base: dict[int, Card] = {}
        for year in (2021, 2022, 2023, 2024):
            chosen = year_values(by_school.get(sid, []), year)
            if not chosen:
                assert (sid, year, "books_per_student") not in got
                continue
            totals = totals_of(chosen)
            below = 0
            for ind in INDICATORS:
                result = ind.compute(totals)
                std = resolve(
                    standards, ind.code, level, kind, date(year, 8, 31), province=province, school_id=sid
                )
                verdict, counts = classify(ind, result, std)
                below += counts
                row = got[(sid, year, ind.code)]
                assert row.value == (None if result.value is None else float(result.value)), (
                    sid,
                    year,
                    ind.code,
                )
                assert row.threshold == (float(std.pass_line) if std else None)
                assert (row.verdict, row.below_restrict) == (verdict.value, counts), (sid, year, ind.code)
                values[(sid, year, ind.code)] = result.value
            expected_broken |= {(sid, year, v.rule.code) for v in violations(totals)}
            base[year] = card_of(below)
            if year in (2023, 2024):
                expected_cards[(sid, year)] = card_of(below, [base.get(year - 1), base.get(year - 2)]).value
    assert {k: c.card for k, c in cards.items()} == expected_cards
    assert set(engine.violations([2021, 2022, 2023, 2024])) == expected_broken
    assert {c.card for c in cards.values()} >= {"pass", "yellow", "red"}
    assert (expected_cards[(61, 2023)], expected_cards[(61, 2024)]) == ("yellow", "red")

    # outliers: the modified z-score among peers (level, type, year) and the jumps from last year
    kinds = {sid: (lv, d) for sid, _p, lv, d in schools}
    peers: dict[tuple[str, str, int, str], list[float]] = {}
    for (sid, year, code), v in values.items():
        if v is not None:
            peers.setdefault((*kinds[sid], year, code), []).append(float(v))
    expected = set()
    for (sid, year, code), v in values.items():
        if v is None:
            continue
        sample = peers[(*kinds[sid], year, code)]
        if len(sample) >= 5:
            med = statistics.median(sample)
            mad = statistics.median(abs(x - med) for x in sample)
            if mad > 0 and abs(0.6745 * (float(v) - med) / mad) > ROBUST_Z_LIMIT:
                expected.add((sid, year, code, "robust_z"))
        before = values.get((sid, year - 1, code))
        if before is not None and before != 0 and abs(float(v) / float(before) - 1) > float(JUMP_LIMIT):
            expected.add((sid, year, code, "jump"))
    found = {(o.school_id, o.year, o.indicator, o.kind) for o in engine.outliers([2021, 2022, 2023, 2024])}
    assert found == expected and expected


def test_engine_without_values_or_schools() -> None:
    engine = QualityVerdictEngine()
    engine.load_values([])
    engine.load_schools([(1, "44", "higher", "engineering")])
    engine.load_standards(NATIONAL)
    engine.compute([2024])
    assert engine.cards([2024]) == [] and engine.verdicts([2024]) == [] and engine.outliers([2024]) == []
    engine = QualityVerdictEngine()
    engine.load_values([(1, "2023-2024", "books", "", 5.0), (9, "2023-2024", "books", "", 5.0)])
    engine.load_schools([(1, "44", "higher", "engineering")])  # school 9 is not listed: not judged
    engine.load_standards(NATIONAL)
    engine.compute([2024])
    (card,) = engine.cards([2024])
    assert card.school_id == 1 and card.card == "red"  # every basic condition but books is missing
    assert engine.indicator_values(2024)[1][INDICATOR_BY_CODE["books_per_student"].code] is None


def test_columns_evaluate_as_the_domain_does() -> None:
    import numpy as np

    from zhijiao.adapters.analytics.quality_verdicts import COLUMN, _columns
    from zhijiao.domain.quality.expressions import evaluate, parse

    a, b, c = "books", "teachers_fulltime", "teachers_external"
    rows = [{a: 10, b: 4, c: 2}, {a: 10, b: 3, c: 3}, {a: 10, b: 4}, {b: 1, c: 0}]  # ÷ 0, missing
    cols = np.full((len(rows), len(COLUMN)), np.nan)
    for r, given in enumerate(rows):
        for code, v in given.items():
            cols[r, COLUMN[code]] = v
    for text in (f"{a} / ({b} - {c})", f"-{a} + {b} * 0.5", f"({a} - {c}) / 2", "3"):
        got = np.broadcast_to(_columns(parse(text), cols), (len(rows),))
        for r, given in enumerate(rows):
            want = evaluate(parse(text), {k: Decimal(v) for k, v in given.items()})
            assert (np.isnan(got[r]) and want is None) or got[r] == float(want), (text, r)  # type: ignore[arg-type]


def test_whole_number_ties_round_as_decimal_does() -> None:
    import numpy as np

    from zhijiao.adapters.analytics.quality_verdicts import _whole_ties

    rng = random.Random(5)
    pairs = [(rng.randrange(0, 10**6), rng.randrange(1, 5000)) for _ in range(3000)]
    pairs += [(57, 200), (1001, 8), (1, 8), (3, 16), (0, 7), (2**31 - 1, 3)]  # ties and edges
    num = np.array([float(n) for n, _ in pairs])
    den = np.array([float(d) for _, d in pairs])
    for decimals in (0, 2, 4):
        settled, values = _whole_ties(num, den, Decimal(1), decimals)
        want = [
            float((Decimal(n) / Decimal(d)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP))
            for (n, d), ok in zip(pairs, settled, strict=True) if ok
        ]  # fmt: skip
        assert settled[:-1].all() and list(values) == want
    assert not _whole_ties(np.array([1.5]), np.array([2.0]), Decimal(1), 2)[
        0
    ].any()  # not whole: Decimal path
