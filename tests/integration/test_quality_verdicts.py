"""The set-based path and the per-school Python path give the same verdicts and cards."""

from __future__ import annotations

import random

from tests.factories import World
from tests.quality_world import long_csv
from zhijiao.adapters.spreadsheets.quality_form import read_quality_file
from zhijiao.demo import quality as q
from zhijiao.domain.access import SYSTEM
from zhijiao.domain.creditbank.model import InstitutionKind
from zhijiao.domain.identity import make_uscc
from zhijiao.domain.quality.elements import DisciplineType, SchoolLevel
from zhijiao.services import institutions
from zhijiao.services.quality import collection, verdicts
from zhijiao.services.quality.schools import set_discipline_types

KINDS = {SchoolLevel.secondary: InstitutionKind.secondary, SchoolLevel.higher: InstitutionKind.higher,
         SchoolLevel.bachelor: InstitutionKind.bachelor}  # fmt: skip


def test_duckdb_cards_equal_the_python_verdicts(world: World) -> None:
    rng = random.Random(7)
    specs = []
    disciplines = list(DisciplineType)
    for n in range(24):
        level = SchoolLevel.higher if n < 16 else (SchoolLevel.secondary if n < 21 else SchoolLevel.bachelor)
        moe = f"41440{n:05d}"
        institutions.register_institution(
            world.platform.uow(), SYSTEM, name=f"测试学校{n}", kind=KINDS[level], region_code="440106",
            moe_code=moe, uscc=make_uscc("440106", f"{70000000 + n}", authority="1", kind="2"),
        )  # fmt: skip
        specs.append((moe, f"测试{disciplines[n % 6].value}学校{n}", level))
    schools = q.demo_schools(rng, specs)
    schools = [
        q.DemoSchool(s.code, s.name, s.level, disciplines[i % 6], s.students, s.profile)
        for i, s in enumerate(schools)
    ]
    set_discipline_types(world.platform.uow(), SYSTEM, {s.code: s.discipline for s in schools})
    rows = [r for year in q.YEARS for s in schools for r in q.long_rows(3, s, year)]
    rows = [r for r in rows if not (r[0].endswith("3") and r[2] == "books")]  # some values missing
    read = read_quality_file("nation.csv", long_csv(rows))
    assert collection.import_values(world.platform.uow(), world.p("gd_admin"), read.values, filename=read.filename,
                                    file_sha256=read.sha256, file_kind="long").ok  # fmt: skip

    found = {c.school.code: c for c in verdicts.cards(world.platform.uow(), world.p("gd_admin"), 2024)}
    cards_seen = set()
    for s in schools:
        py = verdicts.school_year(world.platform.uow(), world.p("gd_admin"), s.code, 2024)
        duck = found[s.code]
        assert duck.card is py.card.card, s.code
        assert set(duck.below) == set(py.card.below)
        for line in py.lines:
            v = line.verdict
            got = duck.values[v.indicator.code]
            assert (got is None) == (v.result.value is None)
            if got is not None:
                assert abs(got - float(v.result.value)) < 1e-6, (s.code, v.indicator.code)
        cards_seen.add(py.card.card.value)
    assert cards_seen == {"pass", "yellow", "red"}


def test_duckdb_lines_follow_resolve_with_local_lines() -> None:
    from datetime import date
    from decimal import Decimal

    from tests.quality_world import GOOD_HIGHER
    from zhijiao.adapters.analytics.quality_verdicts import QualityVerdictEngine
    from zhijiao.domain.quality.indicators import INDICATORS, Source, element_totals
    from zhijiao.domain.quality.standards import NATIONAL, Standard, resolve
    from zhijiao.domain.quality.verdicts import classify

    local = [
        Standard("dual_qualified_share", SchoolLevel.higher, Decimal("0.6"), Source("省标准", "", "不低于60%"),
                 effective_from=date(2021, 1, 1), scope="province:44"),
        Standard("dual_qualified_share", SchoolLevel.higher, Decimal("0.7"), Source("校目标", "", "不低于70%"),
                 effective_from=date(2023, 9, 1), scope="school:2"),
        Standard("books_per_student", SchoolLevel.higher, Decimal("90"), Source("省标准", "", "90"),
                 DisciplineType.engineering, effective_from=date(2020, 1, 1), scope="province:43"),
    ]  # fmt: skip
    standards = [*NATIONAL, *local]
    schools = [
        (1, "44", "higher", "engineering"),
        (2, "44", "higher", "engineering"),
        (3, "43", "higher", "engineering"),
    ]
    values = {
        sid: {**GOOD_HIGHER, "teachers_dual_qualified": 190 + sid, "books": 500000 + sid}
        for sid, *_ in schools
    }
    engine = QualityVerdictEngine()
    engine.load_values([(sid, p, k, "", float(v)) for sid in values for p in ("2022-2023", "2023-2024")
                        for k, v in values[sid].items()])  # fmt: skip
    engine.load_schools(schools)
    engine.load_standards(standards)
    engine.compute([2023, 2024])
    got = {(r.school_id, r.year, r.indicator): r for r in engine.verdicts([2023, 2024])}
    for sid, province, _lv, _d in schools:
        totals = element_totals({(k, ""): Decimal(v) for k, v in values[sid].items()})
        for year in (2023, 2024):
            for ind in INDICATORS:
                std = resolve(standards, ind.code, SchoolLevel.higher, DisciplineType.engineering, date(year, 8, 31),
                              province=province, school_id=sid)  # fmt: skip
                row = got[(sid, year, ind.code)]
                assert row.threshold == (float(std.pass_line) if std else None), (sid, year, ind.code)
                verdict, below = classify(ind, ind.compute(totals), std)
                assert (row.verdict, row.below_restrict) == (verdict.value, below), (sid, year, ind.code)
    assert (
        got[(2, 2024, "dual_qualified_share")].threshold == 0.7
        and got[(2, 2023, "dual_qualified_share")].threshold == 0.6
    )
    assert (
        got[(3, 2024, "books_per_student")].restrict_line == 35
    )  # a local line keeps the national 限制招生 line
