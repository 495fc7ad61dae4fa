from __future__ import annotations

import copy
from decimal import Decimal

import pytest

from zhijiao.domain.conversion.plan import (
    CourseCategory,
    CourseKind,
    CurriculumPlan,
    parse_plan,
    plan_to_dict,
)
from zhijiao.domain.errors import NotFound, ValidationFailed

from .factories import PLAN_DATA


def test_parses_courses_categories_and_requirements(plan: CurriculumPlan) -> None:
    assert plan.key == (1, "510201", 2023)
    assert plan.course("H02").credits == Decimal("3.5")
    assert plan.course("G01").category is CourseCategory.public_basic
    assert plan.course("P01").hours == 360
    assert plan.course("E01").kind is CourseKind.module and not plan.course("E01").required
    assert plan.requirements.min_by_category == {CourseCategory.professional_core: Decimal("7.5")}
    # required courses default to the courses marked required
    assert plan.requirements.required_courses == {"G01", "B01", "H01", "H02", "P01"}


def test_round_trip(plan: CurriculumPlan) -> None:
    assert parse_plan(plan_to_dict(plan)) == plan


def test_major_code_checked_against_catalog() -> None:
    with pytest.raises(ValidationFailed, match="不在2021年专业目录中"):
        parse_plan(PLAN_DATA, major_codes={"510202"})
    assert parse_plan(PLAN_DATA, major_codes={"510201"}).major_code == "510201"


@pytest.mark.parametrize(
    ("mutate", "path", "text"),
    [
        (lambda d: d["courses"][2].pop("credits"), "courses[2].credits", "缺少必填字段"),
        (lambda d: d["courses"][1].update(credits=2.5), "courses[1].credits", "不接受浮点数"),
        (lambda d: d["courses"][0].update(category="体育"), "courses[0].category", "可选：公共基础"),
        (
            lambda d: d["requirements"]["min_by_category"].update(专业核心="x"),
            "requirements.min_by_category.专业核心",
            "不是有效的数值",
        ),
        (lambda d: d.update(major_code="51020"), "major_code", "6位数字"),
        (lambda d: d.update(courses="G01"), "courses", "应为列表"),
        (lambda d: d["courses"][3].update(hours_theory=-1), "courses[3].hours_theory", "不能小于 0"),
    ],
)
def test_errors_name_the_field_path(mutate, path: str, text: str) -> None:  # type: ignore[no-untyped-def]
    data = copy.deepcopy(PLAN_DATA)
    mutate(data)
    with pytest.raises(ValidationFailed) as info:
        parse_plan(data)
    assert info.value.field == path
    assert info.value.message.startswith(path + "：") and text in info.value.message


def test_duplicate_codes_and_unknown_required_courses() -> None:
    data = copy.deepcopy(PLAN_DATA)
    data["courses"].append(dict(data["courses"][0]))
    with pytest.raises(ValidationFailed, match="课程代码重复：G01"):
        parse_plan(data)
    data = copy.deepcopy(PLAN_DATA)
    data["requirements"]["required_courses"] = ["G01", "Z99"]
    with pytest.raises(ValidationFailed, match="不在方案中：Z99"):
        parse_plan(data)


def test_unknown_course(plan: CurriculumPlan) -> None:
    with pytest.raises(NotFound, match="没有课程 Z99"):
        plan.course("Z99")
