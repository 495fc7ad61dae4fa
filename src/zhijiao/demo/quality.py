"""The demo province's quality data: every school, three academic years, values plausible for its
level, type and size, with a realistic spread (most schools pass, some yellow, a few red, a few
outliers), as the long data-value set a province's system would send.

Sizes are calibrated with the national statistics (`data/vocational-statistics.csv`): students per
school = enrolled ÷ schools of the level (中职 2023: 1298.46万 ÷ 7085 ≈ 1,833; 高职专科 2021:
1590.10万 ÷ 1486 ≈ 10,700; 职业本科 2022: 22.87万 ÷ 32 ≈ 7,147), and 高职's student-teacher ratio
(18.92 in 2023) sits near the 合格 line of 18, as the statistics report.

Pure generation: the same seed gives the same values.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from functools import cache
from importlib import resources

from zhijiao.domain.quality.elements import DisciplineType, SchoolLevel
from zhijiao.domain.quality.standards import BACHELOR_2004, HIGHER_2004

YEARS = (2022, 2023, 2024)  # academic years 2021-2022 … 2023-2024
DT = DisciplineType
_CATALOG_LEVEL = {
    "zhongzhi": SchoolLevel.secondary,
    "zhuanke": SchoolLevel.higher,
    "benke": SchoolLevel.bachelor,
}


@cache
def students_per_school() -> dict[SchoolLevel, int]:
    """Enrolled ÷ schools, per level, from the latest year with both figures."""
    text = resources.files("zhijiao.data").joinpath("vocational-statistics.csv").read_text(encoding="utf-8")
    out: dict[SchoolLevel, int] = {}
    for row in sorted(csv.DictReader(text.splitlines()), key=lambda r: r["year"]):
        if row["enrolled_10k"] and row["schools"]:
            out[_CATALOG_LEVEL[row["level"]]] = round(
                float(row["enrolled_10k"]) * 10_000 / int(row["schools"])
            )
    return out


def discipline_of(name: str) -> DisciplineType:
    """The school type a demo school's name suggests (卫生 → 医学, 艺术 → 艺术, 财经 → 财经…)."""
    for words, kind in (
        (("卫生", "医", "护理"), DT.medical), (("艺术", "美术", "音乐"), DT.arts), (("体育",), DT.sports),
        (("财经", "商贸", "政法", "外语", "经贸"), DT.humanities), (("师范", "民族"), DT.comprehensive),
    ):  # fmt: skip
        if any(w in name for w in words):
            return kind
    return DT.engineering


@dataclass(frozen=True, slots=True)
class Profile:
    """A school's lasting character: `weak` basic conditions sit under their 限制招生 line."""

    weak: tuple[int, ...] = ()  # indexes into the five basic conditions
    weak_since: int = YEARS[-1]  # the first year they are weak
    warning: tuple[int, ...] = ()  # between the 合格 and 限制招生 lines
    outlier_year: int | None = None  # a year with a data-entry slip (books ×10)


def profile_for(rng: random.Random) -> Profile:
    draw = rng.random()
    weak: tuple[int, ...] = ()
    if draw < 0.04:
        weak = tuple(rng.sample(range(5), 2))  # red
    elif draw < 0.16:
        weak = (rng.randrange(5),)  # yellow (red when it lasts three years)
    warning = tuple(i for i in range(5) if i not in weak and rng.random() < 0.08)
    outlier = rng.choice(YEARS[1:]) if rng.random() < 0.05 else None
    since = rng.choices(YEARS[::-1], weights=(6, 2.5, 1.5))[0]  # yellow three years running: red
    return Profile(weak=weak, weak_since=since, warning=warning, outlier_year=outlier)


def _line(level: SchoolLevel, discipline: DisciplineType) -> tuple[tuple[float, ...], tuple[float, ...]]:
    if level is SchoolLevel.higher:
        passing, restricting, _checked = HIGHER_2004[discipline]
        return tuple(map(float, passing)), tuple(map(float, restricting))
    if level is SchoolLevel.bachelor:  # 表一's 本科 rows; the "weak" levels are only for the generator
        lines = tuple(map(float, BACHELOR_2004[discipline]))
        return lines, (lines[0] * 1.2, lines[1] * 0.5, lines[2] * 0.65, lines[3] * 0.6, lines[4] * 0.6)
    # 中职 (教职成〔2010〕12号: ratio 20, books 30): plausible levels, no 限制招生 line
    return (18.0, 0.15, 14.0, 4000.0, 60.0), (22.0, 0.05, 9.0, 2500.0, 35.0)


def school_year_values(
    rng: random.Random,
    level: SchoolLevel,
    discipline: DisciplineType,
    students: int,
    profile: Profile,
    year: int,
) -> dict[str, int | float]:
    """Every data element of one school and academic year."""
    passing, restricting = _line(level, discipline)
    metric: list[float] = []
    for i, (p, r) in enumerate(zip(passing, restricting, strict=True)):
        at_most = i == 0
        if i in profile.weak and year >= profile.weak_since:
            metric.append(r * rng.uniform(1.03, 1.18) if at_most else r * rng.uniform(0.78, 0.96))
        elif i in profile.warning:
            metric.append(rng.uniform(p * 1.01, r * 0.98) if at_most else rng.uniform(r * 1.03, p * 0.98))
        else:
            metric.append(p * rng.uniform(0.76, 0.98) if at_most else p * rng.uniform(1.02, 1.6))
    if level is SchoolLevel.secondary:
        metric[0] = min(metric[0], 19.6) if not profile.weak else metric[0]
    ratio, pg_share, space, equipment, books_per = metric
    s = students
    evening = int(s * rng.uniform(0, 0.08)) if level is not SchoolLevel.secondary else 0
    correspondence = int(s * rng.uniform(0, 0.12)) if level is not SchoolLevel.secondary else 0
    international = rng.randint(0, 40) if level is not SchoolLevel.secondary else 0
    converted = s + international * 3 + evening * 0.3 + correspondence * 0.1
    teachers_total = converted / ratio
    external_share = rng.uniform(0.08, 0.3)
    fulltime = max(20, round(teachers_total / (1 + 0.5 * external_share)))
    external = max(0, round((teachers_total - fulltime) * 2))
    professional = round(fulltime * rng.uniform(0.55, 0.8))
    dual = round(professional * (rng.uniform(0.5, 0.75) if rng.random() > 0.1 else rng.uniform(0.35, 0.49)))
    ideo_ratio = rng.uniform(230, 345) if rng.random() > 0.12 else rng.uniform(352, 420)
    ideo = max(1, round(s / ideo_ratio))
    hours = rng.randint(2400, 2900)
    practical = round(hours * (rng.uniform(0.5, 0.62) if rng.random() > 0.1 else rng.uniform(0.42, 0.49)))
    courses = rng.randint(120, 420)
    graduates = round(s / (3 if level is not SchoolLevel.bachelor else 4) * rng.uniform(0.9, 1.0))
    teaching_space = round(space * s, 2)
    books = round(books_per * converted)
    if profile.outlier_year == year:
        books *= 10  # an extra zero typed in
    return {
        "students_fulltime": s, "students_parttime_evening": evening, "students_correspondence": correspondence,
        "students_postgraduate_master": 0, "students_postgraduate_doctor": 0, "students_international": international,
        "new_enrolment": round(s / 3 * rng.uniform(0.95, 1.1)), "teachers_fulltime": fulltime,
        "teachers_external": external, "teachers_postgraduate_degree": round(fulltime * pg_share),
        "teachers_senior_title": round(fulltime * rng.uniform(0.2, 0.4)), "teachers_professional": professional,
        "teachers_dual_qualified": dual, "teachers_ideopolitical_fulltime": ideo,
        "floor_area_teaching_admin_m2": teaching_space,
        "land_area_m2": round(s * rng.uniform(34, 70), 2),
        "building_area_m2": round(max(teaching_space * 1.3, s * rng.uniform(21, 40)), 2),
        "equipment_value_yuan": round(equipment * converted, 2), "books": books, "hours_total": hours,
        "hours_practical": practical, "courses_total": courses,
        "courses_recent_textbook": round(courses * rng.uniform(0.55, 0.95)), "graduates": graduates,
        "graduates_employed": round(graduates * rng.uniform(0.84, 0.98)),
        "training_person_times": round(s * rng.uniform(0.3, 2.8)), "enterprise_partners": rng.randint(15, 220),
    }  # fmt: skip


@dataclass(frozen=True, slots=True)
class DemoSchool:
    code: str
    name: str
    level: SchoolLevel
    discipline: DisciplineType
    students: int
    profile: Profile


def demo_schools(rng: random.Random, schools: list[tuple[str, str, SchoolLevel]]) -> list[DemoSchool]:
    """(code, name, level) → each school's type, size and profile."""
    sizes = students_per_school()
    out = []
    for code, name, level in schools:
        students = max(300, round(sizes[level] * rng.lognormvariate(0, 0.35)))
        out.append(DemoSchool(code, name, level, discipline_of(name), students, profile_for(rng)))
    return out


def long_rows(seed: int, school: DemoSchool, year: int) -> list[list[str]]:
    """One school's academic year as long-format rows (机构代码,期间,数据元代码,分类,值): the school's
    own draws every year (so its ratios last), its students growing 3 % a year, and ±1 % noise."""
    grown = round(school.students * (1.03 ** (year - YEARS[0])))
    values = school_year_values(
        random.Random(f"{seed}:{school.code}"), school.level, school.discipline, grown, school.profile, year
    )
    noise = random.Random(f"{seed}:{school.code}:{year}")
    period = f"{year - 1}-{year}"
    rows = []
    for code, v in values.items():
        if code != "students_fulltime" and v:
            v = (
                round(v * noise.uniform(0.99, 1.01), 2)
                if isinstance(v, float)
                else round(v * noise.uniform(0.99, 1.01))
            )
        rows.append([school.code, period, code, "", str(v)])
    return rows
