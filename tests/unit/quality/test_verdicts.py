"""Indicators, standards, verdicts and cards: the rules of 教发〔2004〕2号 and the plan, by example."""

from datetime import date
from decimal import Decimal

from tests.quality_world import GOOD_HIGHER
from tests.untranslated import CJK
from zhijiao.domain.quality.elements import DisciplineType, Period, SchoolLevel, parse_period, periods_of_year
from zhijiao.domain.quality.indicators import INDICATOR_BY_CODE, INDICATORS, Source, element_totals
from zhijiao.domain.quality.standards import NATIONAL, Standard, resolve
from zhijiao.domain.quality.values import clean
from zhijiao.domain.quality.verdicts import Card, Verdict, card_for, judge

D = Decimal
H, ENG, MED = SchoolLevel.higher, DisciplineType.engineering, DisciplineType.medical
VALUES = {k: D(v) for k, v in GOOD_HIGHER.items()}


def std(
    code: str, level: SchoolLevel = H, discipline: DisciplineType = ENG, on: date = date(2024, 8, 31)
) -> Standard:
    found = resolve(NATIONAL, code, level, discipline, on, province="44", school_id=1)
    assert found is not None
    return found


def verdicts(values: dict[str, Decimal], discipline: DisciplineType = ENG) -> list:
    codes = ("student_teacher_ratio", "postgraduate_teacher_share", "teaching_admin_space_per_student",
             "equipment_value_per_student", "books_per_student")  # fmt: skip
    return [
        judge(INDICATOR_BY_CODE[c], INDICATOR_BY_CODE[c].compute(values), std(c, discipline=discipline))
        for c in codes
    ]


def test_converted_students_and_teacher_total_follow_the_2004_weights() -> None:
    values = {**VALUES, "students_postgraduate_master": D(10), "students_postgraduate_doctor": D(5)}
    r = INDICATOR_BY_CODE["student_teacher_ratio"].compute(values)
    # 8000 + 10×1.5 + 5×2 + 20×3 + 500×0.3 + 1000×0.1 = 8335; 420 + 120×0.5 = 480
    assert r.numerator == D("8335") and r.denominator == D("480")
    assert r.value == D("17.36")


def test_shares_are_fractions() -> None:
    r = INDICATOR_BY_CODE["postgraduate_teacher_share"].compute(VALUES)
    assert r.value == D("0.4000")


def test_lines_per_discipline_type() -> None:
    assert std("student_teacher_ratio").pass_line == 18
    assert std("student_teacher_ratio", discipline=MED).pass_line == 16
    assert std("student_teacher_ratio", discipline=MED).restrict_line == 20
    assert "教发〔2004〕2号" in std("books_per_student").source.number
    assert "1:350" in std("students_per_ideopolitical_teacher").source.sentence


def test_effective_dating_moves_the_secondary_dual_qualified_line() -> None:
    before = std("dual_qualified_share", SchoolLevel.secondary, on=date(2019, 8, 31))
    after = std("dual_qualified_share", SchoolLevel.secondary, on=date(2024, 8, 31))
    assert (before.pass_line, before.source.number) == (D("0.3"), "教职成〔2010〕12号")
    assert (after.pass_line, after.source.number) == (D("0.5"), "教职成〔2020〕7号")


def test_local_targets_win_but_keep_the_national_restrict_line() -> None:
    target = Standard(
        "student_teacher_ratio", H, D(16), Source("广东省标准", "粤教", "生师比不高于16"), scope="province:44"
    )
    found = resolve(
        [*NATIONAL, target], "student_teacher_ratio", H, ENG, date(2024, 8, 31), province="44", school_id=1
    )
    assert found is not None and found.pass_line == 16 and found.restrict_line == 22
    other = resolve(
        [*NATIONAL, target], "student_teacher_ratio", H, ENG, date(2024, 8, 31), province="43", school_id=1
    )
    assert other is not None and other.pass_line == 18


def test_pass_warning_and_fail_explain_themselves() -> None:
    ind = INDICATOR_BY_CODE["student_teacher_ratio"]
    s = std("student_teacher_ratio")
    ok = judge(ind, ind.compute(VALUES), s)
    assert ok.verdict is Verdict.passed
    warn = judge(ind, ind.compute({**VALUES, "teachers_fulltime": D(400), "teachers_external": D(40)}), s)
    assert warn.verdict is Verdict.warning and not warn.below_restrict  # 8310 / 420 = 19.79
    bad = judge(ind, ind.compute({**VALUES, "teachers_fulltime": D(300), "teachers_external": D(0)}), s)
    assert bad.verdict is Verdict.failed and bad.below_restrict  # 27.70
    for text in (
        "8310 ÷ 300",
        "27.70",
        "折合在校生数 ÷ 教师总数",
        "≤ 18",
        "≤ 22",
        "教发〔2004〕2号",
        "限制招生",
    ):
        assert text in bad.explanation


def test_missing_basic_condition_fails() -> None:
    ind = INDICATOR_BY_CODE["books_per_student"]
    v = judge(ind, ind.compute({k: x for k, x in VALUES.items() if k != "books"}), std("books_per_student"))
    assert v.verdict is Verdict.failed and v.below_restrict and "缺失" in v.explanation


def test_cards_one_below_yellow_two_red_three_years_red() -> None:
    good = verdicts(VALUES)
    assert card_for(good).card is Card.passed
    one = verdicts({**VALUES, "books": D(200000)})  # 24 册/生 < 35
    assert card_for(one).card is Card.yellow
    two = verdicts({**VALUES, "books": D(200000), "equipment_value_yuan": D(10000000)})
    red = card_for(two)
    assert red.card is Card.red and len(red.below) == 2 and "生均图书" in red.explanation
    assert card_for(one, [Card.yellow, Card.yellow]).card is Card.red
    assert "连续三年" in card_for(one, [Card.yellow, Card.red]).explanation
    assert card_for(one, [Card.yellow, None]).card is Card.yellow
    assert card_for(one, [Card.passed, Card.yellow]).card is Card.yellow


def test_periods() -> None:
    assert parse_period("2024") == Period(2024, False)
    assert parse_period("2023-2024") == Period(2024, True)
    assert parse_period(clean("２０２３－２０２４")) == Period(2024, True)  # NFKC first
    assert parse_period("2023-2025") is None and parse_period("24") is None
    assert periods_of_year(2024) == (Period(2024, True), Period(2024, False))
    assert Period(2024, True).code == "2023-2024"


def test_categories_sum_when_no_total() -> None:
    assert element_totals({("teachers_fulltime", "正高级"): D(10), ("teachers_fulltime", "中级"): D(5)}) == {
        "teachers_fulltime": D(15)
    }
    assert element_totals({("teachers_fulltime", ""): D(20), ("teachers_fulltime", "中级"): D(5)}) == {
        "teachers_fulltime": D(20)
    }


def test_every_explanation_is_in_english_too() -> None:

    from zhijiao.domain.quality.standards import NATIONAL, resolve

    values = {k: Decimal(v) for k, v in GOOD_HIGHER.items()} | {"books": Decimal(200000)}
    values["teachers_dual_qualified"] = Decimal(100)
    del values["hours_total"]  # one that cannot be computed
    on = date(2024, 8, 31)
    verdicts = []
    for ind in INDICATORS:
        std = resolve(
            NATIONAL, ind.code, SchoolLevel.higher, DisciplineType.engineering, on, province="44", school_id=1
        )
        v = judge(ind, ind.compute(values), std)
        verdicts.append(v)
        # no Chinese at all: names, units, document titles and numbers (Jiaofa [2004] No. 2) in English
        assert v.explanation_en and not CJK.search(v.explanation_en), v.explanation_en
    books = next(v for v in verdicts if v.indicator.code == "books_per_student")
    assert books.explanation_en.startswith("Books per student = printed books ÷ weighted students")
    assert "Table 2 (restricted enrolment)" in books.explanation_en and "(fail)" in books.explanation_en
    assert "could not yet be checked" in books.explanation_en
    dual = next(v for v in verdicts if v.indicator.code == "dual_qualified_share")
    assert "dual-qualified teachers make up more than 50% of professional teachers" in dual.explain("en")
    assert dual.explain("zh") == dual.explanation
    card = card_for(verdicts)
    assert card.card is Card.yellow and card.explain("en").startswith(
        "Yellow card (enrolment restricted): Books"
    )


def test_classify_and_card_of_decide_what_judge_and_card_for_explain() -> None:
    import random

    from zhijiao.domain.quality.indicators import IndicatorValue
    from zhijiao.domain.quality.verdicts import card_of, classify

    rng = random.Random(3)
    on = date(2024, 8, 31)
    for _ in range(400):
        ind = rng.choice(INDICATORS)
        level, discipline = rng.choice(list(SchoolLevel)), rng.choice(list(DisciplineType))
        std = resolve(NATIONAL, ind.code, level, discipline, on, province="44", school_id=1)
        value = (
            None
            if rng.random() < 0.1
            else Decimal(str(round(rng.uniform(0, 2) * float(std.pass_line if std else 1), 2)))
        )
        result = IndicatorValue(value, value, Decimal(1))
        v = judge(ind, result, std)
        assert classify(ind, result, std) == (v.verdict, v.below_restrict)
    for below in range(4):
        for prev in (
            [],
            [Card.yellow],
            [Card.yellow, Card.yellow],
            [Card.red, Card.yellow],
            [Card.passed, Card.yellow],
        ):
            fake = [judge(INDICATOR_BY_CODE["books_per_student"], IndicatorValue(Decimal(1), Decimal(1), Decimal(1)),
                          resolve(NATIONAL, "books_per_student", SchoolLevel.higher, DisciplineType.engineering, on,
                                  province="44", school_id=1))] * below  # fmt: skip
            assert card_for(fake, prev).card is card_of(below, prev)
