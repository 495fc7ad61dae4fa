"""Quality data to act on: a plausible, passing set of values for a 高职 school, as long-format rows."""

from __future__ import annotations

import csv
import io

GOOD_HIGHER = {
    "students_fulltime": 8000, "students_parttime_evening": 500, "students_correspondence": 1000,
    "students_postgraduate_master": 0, "students_postgraduate_doctor": 0, "students_international": 20,
    "new_enrolment": 2800, "teachers_fulltime": 420, "teachers_external": 120,
    "teachers_postgraduate_degree": 168, "teachers_senior_title": 150, "teachers_professional": 300,
    "teachers_dual_qualified": 170, "teachers_ideopolitical_fulltime": 25,
    "floor_area_teaching_admin_m2": 136000, "land_area_m2": 400000, "building_area_m2": 250000,
    "equipment_value_yuan": 36000000, "books": 600000, "hours_total": 2600, "hours_practical": 1400,
    "courses_total": 300, "courses_recent_textbook": 240, "graduates": 2600, "graduates_employed": 2400,
    "training_person_times": 18000, "enterprise_partners": 120,
}  # fmt: skip


def long_rows(
    org: str, period: str, values: dict[str, object] | None = None, **changes: object
) -> list[list[str]]:
    data = {**(values or GOOD_HIGHER), **changes}
    return [[org, period, code, "", str(v)] for code, v in data.items() if v is not None]


def long_csv(
    rows: list[list[str]], header: tuple[str, ...] = ("机构代码", "期间", "数据元代码", "分类", "值")
) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")
