"""The set-based DuckDB path and the per-school Python path give the same verdicts and cards."""

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
