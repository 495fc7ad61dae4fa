"""Indicators: versioned numerator ÷ denominator × factor expressions over data elements.

Each indicator quotes the policy it comes from. Two derived quantities are named once and used by
several indicators, as 教发〔2004〕2号 defines them: 折合在校生 and 教师总数.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import cached_property

from zhijiao.domain.quality.elements import ELEMENT_BY_CODE
from zhijiao.domain.quality.expressions import BinOp, Neg, Node, Ref, describe, evaluate, parse


@dataclass(frozen=True, slots=True)
class Source:
    """Where a figure comes from: the document, its number, and the sentence (quoted, or its gist)."""

    document: str
    number: str
    sentence: str
    sentence_en: str = ""  # an English rendering of the sentence, when the code has one

    def cite(self, lang: str = "zh") -> str:
        if lang == "en":
            return self.cite_en()
        return f"《{self.document}》（{self.number}）：“{self.sentence}”"

    def cite_en(self) -> str:
        """In English: the document's English title and number, and the sentence rendered in English
        (the Chinese quotation when no rendering is known, e.g. a province's own line)."""
        from zhijiao.domain.quality.english import DOCUMENTS_EN, SENTENCES_EN, document_number_en

        title = DOCUMENTS_EN.get(self.document, self.document)
        sentence = self.sentence_en or SENTENCES_EN.get(self.sentence, self.sentence)
        number = f" ({document_number_en(self.number)})" if self.number else ""
        return f"{title}{number}: “{sentence}”"


PLAN = ("职业教育提质培优行动计划（2020—2023年）", "教职成〔2020〕7号")
BASIC_2004 = ("普通高等学校基本办学条件指标（试行）", "教发〔2004〕2号")
SECONDARY_2010 = ("中等职业学校设置标准", "教职成〔2010〕12号")

# 教发〔2004〕2号, notes to its tables (in substance): the weighting of 折合在校生 and 教师总数.
DERIVED: dict[str, tuple[str, str]] = {
    "students_converted": (
        "折合在校生数",
        "students_fulltime + students_postgraduate_master * 1.5 + students_postgraduate_doctor * 2"
        " + students_international * 3 + students_parttime_evening * 0.3 + students_correspondence * 0.1",
    ),
    "teachers_total": ("教师总数", "teachers_fulltime + teachers_external * 0.5"),
}
DERIVED_SOURCE = Source(
    *BASIC_2004,
    "折合在校生数＝普通本、专科（高职）生数＋硕士生数×1.5＋博士生数×2＋留学生数×3＋预科生数＋进修生数"
    "＋成人脱产班学生数＋夜大（业余）学生数×0.3＋函授生数×0.1；教师总数＝专任教师数＋聘请校外教师数×0.5（办学条件指标测算办法）",
)
# 折合在校生's weights were checked against https://360docs.net/doc/268866136.html (测算办法); that copy
# breaks off at 教师总数＝专任教师数＋聘请校外教师…, so its ×0.5 is as the issue and 表一备注1 (“聘请校外教师
# 经折算后计入教师总数”) give it. 预科生、进修生、成人脱产班 are not collected separately: report them in
# students_fulltime.


def _expand(node: Node) -> Node:
    match node:
        case Ref(code) if code in DERIVED:
            return _expand(parse(DERIVED[code][1]))
        case Neg(operand):
            return Neg(_expand(operand))
        case BinOp(op, left, right):
            return BinOp(op, _expand(left), _expand(right))
    return node


def expand(text: str) -> Node:
    """The expression tree of `text` with the derived quantities replaced by their definitions."""
    return _expand(parse(text))


DERIVED_NAMES_EN = {"students_converted": "weighted students", "teachers_total": "total teachers"}
NAMES = {**{e.code: e.name for e in ELEMENT_BY_CODE.values()}, **{k: v[0] for k, v in DERIVED.items()}}
NAMES_EN = {**{e.code: e.name_en for e in ELEMENT_BY_CODE.values()}, **DERIVED_NAMES_EN}


class Direction(StrEnum):
    at_least = "at_least"  # higher is better: the value must reach the line (≥)
    at_most = "at_most"  # lower is better: the value must not exceed the line (≤)


@dataclass(frozen=True, slots=True)
class IndicatorValue:
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None

    @property
    def missing(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    numerator: str
    denominator: str
    direction: Direction
    unit: str = ""  # "" for a plain number; shares are fractions (0.52)
    factor: Decimal = Decimal(1)
    decimals: int = 2
    version: int = 1
    source: Source | None = None
    share: bool = False  # shown as a percentage to people, a fraction in JSON
    name_en: str = ""  # the name in English

    @cached_property
    def numerator_tree(self) -> Node:
        return expand(self.numerator)

    @cached_property
    def denominator_tree(self) -> Node:
        return expand(self.denominator)

    @cached_property
    def inputs(self) -> list[str]:
        from zhijiao.domain.quality.expressions import references

        return list(dict.fromkeys(references(self.numerator_tree) + references(self.denominator_tree)))

    def compute(self, values: dict[str, Decimal]) -> IndicatorValue:
        num = evaluate(self.numerator_tree, values)
        den = evaluate(self.denominator_tree, values)
        if num is None or den is None or den == 0:
            return IndicatorValue(None, num, den)
        return IndicatorValue(self.round(num / den * self.factor), num, den)

    def round(self, value: Decimal) -> Decimal:
        return value.quantize(Decimal(1).scaleb(-self.decimals), rounding=ROUND_HALF_UP)

    def formula(self) -> str:
        """The formula in words: 折合在校生数 ÷ 教师总数."""
        text = describe(parse(self.numerator), NAMES)
        if self.denominator.strip() != "1":  # a count: no division to show
            text += f" ÷ {describe(parse(self.denominator), NAMES)}"
        return text if self.factor == 1 else f"（{text}）× {self.factor}"

    def formula_en(self) -> str:
        """The formula in English words: weighted students ÷ total teachers."""
        text = describe(parse(self.numerator), NAMES_EN, en=True)
        if self.denominator.strip() != "1":
            text += f" ÷ {describe(parse(self.denominator), NAMES_EN, en=True)}"
        return text if self.factor == 1 else f"({text}) × {self.factor}"

    def show_en(self, value: Decimal | None) -> str:
        from zhijiao.domain.quality.english import UNITS_EN

        if value is None or self.share:
            return self.show(value)
        return f"{value}{UNITS_EN.get(self.unit, self.unit)}"

    def show(self, value: Decimal | None) -> str:
        """A value as people read it: 52.00% for a share, 17.35 otherwise."""
        if value is None:
            return "—"
        if self.share:
            return f"{(value * 100).quantize(Decimal(1).scaleb(-max(self.decimals - 2, 0)))}%"
        return f"{value}{self.unit}"


AT_LEAST, AT_MOST = Direction.at_least, Direction.at_most

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "student_teacher_ratio", "生师比", "students_converted", "teachers_total", AT_MOST,
        source=Source(*BASIC_2004, "生师比＝折合在校生数÷教师总数"),
        name_en="Student-teacher ratio",
    ),
    Indicator(
        "postgraduate_teacher_share", "具有研究生学位教师占专任教师的比例", "teachers_postgraduate_degree",
        "teachers_fulltime", AT_LEAST, decimals=4, share=True,
        source=Source(*BASIC_2004, "具有研究生学位教师占专任教师的比例＝具有研究生学位的专任教师数÷专任教师数"),
        name_en="Share of full-time teachers with a postgraduate degree",
    ),
    Indicator(
        "teaching_admin_space_per_student", "生均教学行政用房", "floor_area_teaching_admin_m2",
        "students_fulltime", AT_LEAST, unit="平方米/生",
        source=Source(*BASIC_2004, "生均教学行政用房＝教学行政用房面积÷全日制在校生数"),
        name_en="Teaching and administrative space per student",
    ),
    Indicator(
        "equipment_value_per_student", "生均教学科研仪器设备值", "equipment_value_yuan",
        "students_converted", AT_LEAST, unit="元/生",
        source=Source(*BASIC_2004, "生均教学科研仪器设备值＝教学科研仪器设备资产总值÷折合在校生数"),
        name_en="Teaching and research equipment value per student",
    ),
    Indicator(
        "books_per_student", "生均图书", "books", "students_converted", AT_LEAST, unit="册/生",
        source=Source(*BASIC_2004, "生均图书＝图书总数÷折合在校生数"),
        name_en="Books per student",
    ),
    Indicator(
        "dual_qualified_share", "“双师型”教师占专业课教师的比例", "teachers_dual_qualified",
        "teachers_professional", AT_LEAST, decimals=4, share=True,
        source=Source(*PLAN, "到2023年，专业教师中“双师型”教师占比超过50%"),
        name_en="Share of dual-qualified teachers among professional teachers",
    ),
    Indicator(
        "professional_teacher_share", "专业课教师占专任教师的比例", "teachers_professional",
        "teachers_fulltime", AT_LEAST, decimals=4, share=True,
        source=Source(*SECONDARY_2010, "专业教师一般应不低于本校专任教师数的50%"),
        name_en="Share of professional teachers among full-time teachers",
    ),
    Indicator(
        "students_per_ideopolitical_teacher", "全日制在校生数与专职思政课教师数之比",
        "students_fulltime", "teachers_ideopolitical_fulltime", AT_MOST,
        source=Source(*PLAN, "高职学校应当根据全日制在校生总数，严格按照师生比不低于1:350的比例核定专职思政课教师岗位"),
        name_en="Full-time students per full-time ideological-political teacher",
    ),
    Indicator(
        "practical_hours_share", "实践性教学学时占总学时的比例", "hours_practical", "hours_total",
        AT_LEAST, decimals=4, share=True,
        source=Source(*PLAN, "加强实践性教学，实践性教学学时原则上占总学时数50%以上"),
        name_en="Share of practical teaching hours",
    ),
    Indicator(
        "training_ratio", "社会培训人次与全日制在校生数之比", "training_person_times",
        "students_fulltime", AT_LEAST,
        source=Source(*PLAN, "实现优质职业学校年培训人次达到在校生规模的2倍以上"),
        name_en="Training person-times per full-time student",
    ),
    Indicator(
        "recent_textbook_share", "使用近三年修订教材的课程占比", "courses_recent_textbook",
        "courses_total", AT_LEAST, decimals=4, share=True,
        source=Source(*PLAN, "建立健全三年大修订、每年小修订的教材动态更新调整机制"),
        name_en="Share of courses using textbooks revised in the last three years",
    ),
    Indicator(
        "employment_rate", "毕业生就业率", "graduates_employed", "graduates", AT_LEAST, decimals=4,
        share=True,
        source=Source(*PLAN, "把职业道德、职业素养、技术技能水平、就业质量和创业能力作为衡量人才培养质量的重要内容"),
        name_en="Graduate employment rate",
    ),
    Indicator(
        "senior_title_share", "具有高级专业技术职务专任教师的比例", "teachers_senior_title", "teachers_fulltime",
        AT_LEAST, decimals=4, share=True,
        source=Source(*SECONDARY_2010, "专任教师中，具有高级专业技术职务人数不低于20%"),
        name_en="Share of full-time teachers with a senior professional title",
    ),
    Indicator(
        "fulltime_teachers", "专任教师数", "teachers_fulltime", "1", AT_LEAST, unit="人", decimals=0,
        source=Source(*SECONDARY_2010, "专任教师一般不少于60人"),
        name_en="Full-time teachers",
    ),
    Indicator(
        "land_area_per_student", "生均占地面积", "land_area_m2", "students_fulltime", AT_LEAST,
        unit="平方米/生", source=Source(*SECONDARY_2010, "校园占地面积……生均用地面积指标不少于33平方米"),
        name_en="Land area per student",
    ),
    Indicator(
        "building_area_per_student", "生均校舍建筑面积", "building_area_m2", "students_fulltime",
        AT_LEAST, unit="平方米/生",
        source=Source(*SECONDARY_2010, "校舍建筑面积……生均校舍建筑面积不少于20平方米"),
        name_en="Building area per student",
    ),
)  # fmt: skip
INDICATOR_BY_CODE = {i.code: i for i in INDICATORS}
# the five basic conditions (基本办学条件指标) whose 限制招生 lines decide the cards
BASIC_INDICATORS = (
    "student_teacher_ratio", "postgraduate_teacher_share", "teaching_admin_space_per_student",
    "equipment_value_per_student", "books_per_student",
)  # fmt: skip


def element_totals(values: dict[tuple[str, str], Decimal]) -> dict[str, Decimal]:
    """(element, category) → value, as element → total: the value without category when given,
    else the sum of its categories."""
    totals: dict[str, Decimal] = {}
    parts: dict[str, Decimal] = {}
    for (code, category), value in values.items():
        if category:
            parts[code] = parts.get(code, Decimal(0)) + value
        else:
            totals[code] = value
    for code, value in parts.items():
        totals.setdefault(code, value)
    return totals
