"""Data elements (数据元), school levels and discipline types, and periods (期间).

A data element is one number a school reports each period (DHIS2's data element), optionally
disaggregated by a category (分类); the total of an element is its value without category, or the
sum of its categories when only those are given.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from zhijiao.domain.creditbank.model import InstitutionKind
from zhijiao.domain.quality.english import UNITS_EN


class ValueType(StrEnum):
    integer = "integer"  # 非负整数
    number = "number"  # 非负数（至多两位小数）


class SchoolLevel(StrEnum):
    secondary = "secondary"  # 中职
    higher = "higher"  # 高职专科
    bachelor = "bachelor"  # 职业本科


SCHOOL_LEVEL_LABELS = {
    SchoolLevel.secondary: "中职",
    SchoolLevel.higher: "高职专科",
    SchoolLevel.bachelor: "职业本科",
}

LEVEL_OF_KIND = {
    InstitutionKind.secondary: SchoolLevel.secondary,
    InstitutionKind.technician: SchoolLevel.secondary,
    InstitutionKind.higher: SchoolLevel.higher,
    InstitutionKind.bachelor: SchoolLevel.bachelor,
}


def level_of(kind: InstitutionKind) -> SchoolLevel | None:
    """The level quality monitoring treats an institution at; None: not a monitored school."""
    return LEVEL_OF_KIND.get(kind)


class DisciplineType(StrEnum):
    """The six school types of 教发〔2004〕2号's tables."""

    comprehensive = "comprehensive"  # 综合、师范、民族院校
    engineering = "engineering"  # 工科、农、林院校
    medical = "medical"  # 医学院校
    humanities = "humanities"  # 语文、财经、政法院校
    sports = "sports"  # 体育院校
    arts = "arts"  # 艺术院校


DISCIPLINE_LABELS = {
    DisciplineType.comprehensive: "综合、师范、民族院校",
    DisciplineType.engineering: "工科、农、林院校",
    DisciplineType.medical: "医学院校",
    DisciplineType.humanities: "语文、财经、政法院校",
    DisciplineType.sports: "体育院校",
    DisciplineType.arts: "艺术院校",
}
SCHOOL_LEVEL_LABELS_EN = {
    SchoolLevel.secondary: "Secondary vocational",
    SchoolLevel.higher: "Higher vocational (junior college)",
    SchoolLevel.bachelor: "Vocational bachelor",
}
DEFAULT_DISCIPLINE = DisciplineType.engineering  # most vocational schools are 工科 schools


@dataclass(frozen=True, slots=True)
class DataElement:
    code: str
    name: str
    unit: str
    section: str  # the form's sheet (工作表)
    value_type: ValueType = ValueType.integer
    categories: tuple[str, ...] = ()  # optional disaggregation (分类)
    note: str = ""
    name_en: str = ""  # the name in English (i18n: Chinese first, English complete)

    @property
    def unit_en(self) -> str:
        return UNITS_EN.get(self.unit, self.unit)


INT, NUM = ValueType.integer, ValueType.number
STUDENTS, TEACHERS, CONDITIONS, TEACHING, OUTCOMES = "学生", "师资", "办学条件", "教学", "就业与服务"

ELEMENTS: tuple[DataElement, ...] = (
    DataElement(
        "students_fulltime",
        "全日制在校生数",
        "人",
        STUDENTS,
        INT,
        ("中职", "专科", "本科"),
        name_en="full-time students",
    ),
    DataElement(
        "students_parttime_evening",
        "夜大（业余）学生数",
        "人",
        STUDENTS,
        name_en="evening (part-time) students",
    ),
    DataElement("students_correspondence", "函授学生数", "人", STUDENTS, name_en="correspondence students"),
    DataElement("students_postgraduate_master", "硕士研究生数", "人", STUDENTS, name_en="master's students"),
    DataElement("students_postgraduate_doctor", "博士研究生数", "人", STUDENTS, name_en="doctoral students"),
    DataElement("students_international", "留学生数", "人", STUDENTS, name_en="international students"),
    DataElement("new_enrolment", "当年招生数", "人", STUDENTS, name_en="new enrolment"),
    DataElement(
        "teachers_fulltime",
        "专任教师数",
        "人",
        TEACHERS,
        INT,
        ("正高级", "副高级", "中级", "初级及以下"),
        name_en="full-time teachers",
    ),
    DataElement(
        "teachers_external", "校外兼职（聘请）教师数", "人", TEACHERS, name_en="external (part-time) teachers"
    ),
    DataElement(
        "teachers_postgraduate_degree",
        "具有研究生学位的专任教师数",
        "人",
        TEACHERS,
        name_en="full-time teachers with a postgraduate degree",
    ),
    DataElement(
        "teachers_senior_title",
        "具有高级职务的专任教师数",
        "人",
        TEACHERS,
        name_en="full-time teachers with a senior title",
    ),
    DataElement(
        "teachers_professional", "专业课教师数", "人", TEACHERS, name_en="professional-course teachers"
    ),
    DataElement(
        "teachers_dual_qualified", "“双师型”教师数", "人", TEACHERS, name_en="dual-qualified teachers"
    ),
    DataElement(
        "teachers_ideopolitical_fulltime",
        "专职思政课教师数",
        "人",
        TEACHERS,
        name_en="full-time ideological-political teachers",
    ),
    DataElement(
        "floor_area_teaching_admin_m2",
        "教学行政用房面积",
        "平方米",
        CONDITIONS,
        NUM,
        name_en="teaching and administrative floor area",
    ),
    DataElement("land_area_m2", "占地面积", "平方米", CONDITIONS, NUM, name_en="land area"),
    DataElement("building_area_m2", "校舍建筑面积", "平方米", CONDITIONS, NUM, name_en="building area"),
    DataElement(
        "equipment_value_yuan",
        "教学科研仪器设备值",
        "元",
        CONDITIONS,
        NUM,
        name_en="teaching and research equipment value",
    ),
    DataElement("books", "纸质图书", "册", CONDITIONS, name_en="printed books"),
    DataElement("hours_total", "教学总学时", "学时", TEACHING, name_en="total teaching hours"),
    DataElement("hours_practical", "实践性教学学时", "学时", TEACHING, name_en="practical teaching hours"),
    DataElement("courses_total", "开设课程数", "门", TEACHING, name_en="courses"),
    DataElement(
        "courses_recent_textbook",
        "使用近三年修订教材的课程数",
        "门",
        TEACHING,
        name_en="courses using textbooks revised in the last three years",
    ),
    DataElement("graduates", "毕业生数", "人", OUTCOMES, name_en="graduates"),
    DataElement("graduates_employed", "已就业毕业生数", "人", OUTCOMES, name_en="employed graduates"),
    DataElement("training_person_times", "社会培训人次", "人次", OUTCOMES, name_en="training person-times"),
    DataElement("enterprise_partners", "合作企业数", "个", OUTCOMES, name_en="partner enterprises"),
)
ELEMENT_BY_CODE = {e.code: e for e in ELEMENTS}
SECTIONS = (STUDENTS, TEACHERS, CONDITIONS, TEACHING, OUTCOMES)
# English for the form's sheets and the elements' categories (the form and its codes stay Chinese)
SECTION_LABELS_EN = {
    STUDENTS: "Students", TEACHERS: "Teachers", CONDITIONS: "Conditions", TEACHING: "Teaching",
    OUTCOMES: "Employment and services",
}  # fmt: skip
CATEGORY_LABELS_EN = {
    "中职": "secondary vocational", "专科": "junior college", "本科": "bachelor", "正高级": "senior (full)",
    "副高级": "senior (associate)", "中级": "intermediate", "初级及以下": "junior and below",
}  # fmt: skip
CATEGORY_BY_EN = {en: zh for zh, en in CATEGORY_LABELS_EN.items()}  # an import may name them in English


# --- periods ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """`2024` (calendar year) or `2023-2024` (academic year, 9月1日 to 8月31日)."""

    end_year: int
    academic: bool

    @property
    def code(self) -> str:
        return f"{self.end_year - 1}-{self.end_year}" if self.academic else str(self.end_year)

    @property
    def label(self) -> str:
        return f"{self.code}学年" if self.academic else f"{self.code}年"

    def __str__(self) -> str:
        return self.code


_CALENDAR = re.compile(r"^(\d{4})$")
_ACADEMIC = re.compile(r"^(\d{4})\s*[-–—~至/]\s*(\d{4})$")


def parse_period(text: str) -> Period | None:
    """The period `text` names, or None when it names none (`2024`, `2023-2024`)."""
    t = text.strip()
    if m := _CALENDAR.match(t):
        year = int(m.group(1))
        return Period(year, False) if 1990 <= year <= 2100 else None
    if m := _ACADEMIC.match(t):
        start, end = int(m.group(1)), int(m.group(2))
        return Period(end, True) if end == start + 1 and 1990 <= end <= 2100 else None
    return None


def periods_of_year(year: int) -> tuple[Period, Period]:
    """What `--year YYYY` reports: the academic year ending in YYYY (preferred) and calendar YYYY."""
    return Period(year, True), Period(year, False)


PERIOD_HINT = "应为年度（如 2024）或学年（如 2023-2024）"
