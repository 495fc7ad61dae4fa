"""Details of issue 10 held exactly, on SQLite and PostgreSQL: `机构代码` is the 学校标识码 or the
统一社会信用代码 (and nothing else), `--year YYYY` reads the academic year ending in YYYY and
calendar YYYY, and year-over-year jumps are flagged for review, never refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.factories import World
from tests.quality_world import GOOD_HIGHER, long_csv, long_rows
from zhijiao.adapters.spreadsheets.quality_form import read_quality_file
from zhijiao.domain.errors import NotFound
from zhijiao.services.quality import collection, verdicts
from zhijiao.services.quality.collection import QualityImportResult


def load(world: World, who: str, data: bytes, name: str = "state.csv") -> QualityImportResult:
    read = read_quality_file(name, data)
    return collection.import_values(
        world.platform.uow(), world.p(who), read.values, filename=read.filename, file_sha256=read.sha256,
        file_kind=read.kind, file_problems=read.problems,
    )  # fmt: skip


def test_org_code_is_the_moe_code_or_the_credit_code_only(world: World) -> None:
    uscc = world.school.uscc
    assert uscc and uscc != world.school.moe_code
    r = load(world, "school_staff", long_csv(long_rows(uscc, "2023-2024")))
    assert r.ok and r.values_written == 27 and r.schools == [world.school.moe_code]
    by_credit = verdicts.school_year(world.platform.uow(), world.p("school_staff"), uscc, 2024)
    by_moe = verdicts.school_year(world.platform.uow(), world.p("school_staff"), world.school.moe_code, 2024)
    assert by_credit.school.id == by_moe.school.id == world.school.id
    assert [ln.verdict.result.value for ln in by_credit.lines] == [
        ln.verdict.result.value for ln in by_moe.lines
    ]
    # a lower-case code is normalised before the look-up
    assert load(world, "school_staff", long_csv(long_rows(uscc.lower(), "2023-2024"))).values_unchanged == 27
    # the internal row id is not a 机构代码
    r = load(world, "school_staff", long_csv(long_rows(str(world.school.id), "2023-2024")))
    assert not r.ok and "未登记或无权查看的机构代码" in r.problems[0].message
    with pytest.raises(NotFound):
        verdicts.school_year(world.platform.uow(), world.p("school_staff"), str(world.school.id), 2024)


def test_year_reads_the_academic_year_ending_in_it_and_the_calendar_year(world: World) -> None:
    code = world.school.moe_code
    academic = long_rows(code, "2023-2024", training_person_times=None)
    calendar = [
        [code, "2024", "training_person_times", "", "24000"],
        [code, "2023", "training_person_times", "", "1"],
    ]
    assert load(world, "school_staff", long_csv(academic + calendar)).ok
    report = verdicts.school_year(world.platform.uow(), world.p("school_staff"), code, 2024)
    assert report.periods == ["2023-2024", "2024"]
    training = next(ln.verdict for ln in report.lines if ln.verdict.indicator.code == "training_ratio")
    assert (training.result.numerator, training.result.denominator) == (Decimal(24000), Decimal(8000))
    assert training.result.value == Decimal("3.00") and training.verdict.value == "pass"
    # where an element has both, the academic year's value is the one used
    assert load(world, "school_staff", long_csv([[code, "2024", "books", "", "1"]])).ok
    report = verdicts.school_year(world.platform.uow(), world.p("school_staff"), code, 2024)
    books = next(ln.verdict for ln in report.lines if ln.verdict.indicator.code == "books_per_student")
    assert books.result.numerator == GOOD_HIGHER["books"]
    # 2023-2024 is not year 2023
    with pytest.raises(NotFound):
        verdicts.school_year(world.platform.uow(), world.p("school_staff"), code, 2025)


def test_year_over_year_jumps_are_flagged_not_refused(world: World) -> None:
    code = world.school.moe_code
    assert load(world, "school_staff", long_csv(long_rows(code, "2022-2023"))).ok
    r = load(world, "school_staff", long_csv(long_rows(code, "2023-2024", books=1_800_000)))
    assert r.ok and r.values_written == 27  # stored, not refused
    flagged = [w for w in r.warnings if "纸质图书" in w]
    assert len(flagged) == 1 and "+200%" in flagged[0] and "2022-2023" in flagged[0]
    assert not any("专任教师数" in w and "%" in w for w in r.warnings)  # unchanged elements are not flagged
    report = verdicts.school_year(world.platform.uow(), world.p("school_staff"), code, 2024)
    books = next(ln for ln in report.lines if ln.verdict.indicator.code == "books_per_student")
    assert books.previous is not None and books.jump is not None and books.jump > Decimal("1.9")
    row = next(
        c for c in verdicts.cards(world.platform.uow(), world.p("gd_admin"), 2024) if c.school.code == code
    )
    assert any("生均图书" in o and "较上年" in o for o in row.outliers)


def test_every_national_figure_says_where_it_was_checked_or_that_it_was_not() -> None:
    from zhijiao.domain.quality.elements import DisciplineType, SchoolLevel
    from zhijiao.domain.quality.standards import NATIONAL

    for s in NATIONAL:
        assert s.source.number in s.source.cite() and s.source.sentence
        if s.verified and s.source.number != "教职成〔2020〕7号":
            assert s.checked_at.startswith("http"), s
    higher = {
        (s.indicator, s.discipline): s for s in NATIONAL if s.level is SchoolLevel.higher and s.restrict_line
    }
    # checked: 表一's 专科（高职） rows for 综合 and 工科; not found: the other four rows and every 表二 line
    assert higher[("books_per_student", DisciplineType.engineering)].verified
    assert higher[("books_per_student", DisciplineType.engineering)].pass_line == 60
    assert not higher[("books_per_student", DisciplineType.medical)].verified
    assert not any(s.restrict_verified for s in higher.values())
    bachelor = [
        s for s in NATIONAL if s.level is SchoolLevel.bachelor and s.indicator == "student_teacher_ratio"
    ]
    assert {(s.discipline, s.pass_line) for s in bachelor} >= {
        (DisciplineType.sports, 11),
        (DisciplineType.medical, 16),
    }
    assert all(s.restrict_line is None for s in bachelor)  # no unverified 限制招生 lines invented for 本科
    secondary = {s.indicator: s for s in NATIONAL if s.level is SchoolLevel.secondary and s.effective_to is None
                 and s.source.number == "教职成〔2010〕12号"}  # fmt: skip
    assert {k: v.pass_line for k, v in secondary.items()} == {
        "student_teacher_ratio": 20, "fulltime_teachers": 60, "senior_title_share": Decimal("0.2"),
        "professional_teacher_share": Decimal("0.5"), "land_area_per_student": 33,
        "building_area_per_student": 20, "books_per_student": 30,
    }  # fmt: skip


def test_an_unverified_line_says_so_in_its_explanation(world: World) -> None:
    from zhijiao.domain.access import SYSTEM
    from zhijiao.domain.quality.elements import DisciplineType
    from zhijiao.services.quality.schools import set_discipline_type

    code = world.school.moe_code
    assert load(world, "school_staff", long_csv(long_rows(code, "2023-2024"))).ok
    report = verdicts.school_year(world.platform.uow(), world.p("school_staff"), code, 2024)
    books = next(ln.verdict for ln in report.lines if ln.verdict.indicator.code == "books_per_student")
    assert "限制招生线数值尚未能对照文件原文核实" in books.explanation and "合格线和" not in books.explanation
    set_discipline_type(world.platform.uow(), SYSTEM, code, DisciplineType.medical)
    report = verdicts.school_year(world.platform.uow(), world.p("school_staff"), code, 2024)
    books = next(ln.verdict for ln in report.lines if ln.verdict.indicator.code == "books_per_student")
    assert "合格线和限制招生线数值尚未能对照文件原文核实" in books.explanation


def test_on_time_rate_counts_submissions_by_the_deadline(world: World) -> None:
    from datetime import UTC, datetime

    from zhijiao.domain.quality.workflow import Action
    from zhijiao.services.quality.collection import Step

    uow = world.platform.uow
    for school in (world.school, world.other_school):
        assert load(world, "gd_admin", long_csv(long_rows(school.moe_code, "2023-2024"))).ok
    # one school submitted before 15 October 2024, the other (today) long after
    collection.act_many(uow(), world.p("gd_admin"), [
        Step(world.school.moe_code, "2023-2024", Action.submit, declared_by="王芳", at=datetime(2024, 9, 30, 8, tzinfo=UTC)),
    ])  # fmt: skip
    collection.act(
        uow(),
        world.p("gd_admin"),
        world.other_school.moe_code,
        "2023-2024",
        Action.submit,
        declared_by="李雷",
    )
    gd = next(
        c for c in collection.completeness(uow(), world.p("national"), "2023-2024") if c.province == "44"
    )
    assert (gd.schools, gd.submitted, gd.on_time) == (2, 2, 1)
    assert gd.completeness_rate == 1.0 and gd.on_time_rate == 0.5
    state = collection.submission_state(uow(), world.p("school_staff"), world.school.moe_code, "2023-2024")
    assert state.on_time is True and state.declared_by == "王芳"


def test_set_based_totals_follow_categories_and_calendar_years(world: World) -> None:
    code = world.school.moe_code
    rows = long_rows(code, "2023-2024", teachers_fulltime=None, training_person_times=None)
    rows += [
        [code, "2023-2024", "teachers_fulltime", c, str(n)]
        for c, n in (("正高级", 60), ("副高级", 160), ("中级", 200))
    ]
    rows += [[code, "2024", "training_person_times", "", "24000"]]
    assert load(world, "school_staff", long_csv(rows)).ok
    py = verdicts.school_year(world.platform.uow(), world.p("gd_admin"), code, 2024)
    duck = next(
        c for c in verdicts.cards(world.platform.uow(), world.p("gd_admin"), 2024) if c.school.code == code
    )
    for line in py.lines:
        want = line.verdict.result.value
        got = duck.values[line.verdict.indicator.code]
        assert (got is None and want is None) or abs(got - float(want)) < 1e-9, line.verdict.indicator.code
    assert duck.values["training_ratio"] == 3.0 and duck.values["postgraduate_teacher_share"] == 0.4
