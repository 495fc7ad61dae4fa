"""人才培养方案 (CurriculumPlan): courses and modules, categories, graduation requirements."""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple

from zhijiao.domain.conversion import fields as f
from zhijiao.domain.errors import NotFound, ValidationFailed


class CourseCategory(StrEnum):
    public_basic = "public_basic"
    professional_basic = "professional_basic"
    professional_core = "professional_core"
    practice = "practice"
    elective = "elective"


CATEGORY_LABELS: dict[CourseCategory, str] = {
    CourseCategory.public_basic: "公共基础",
    CourseCategory.professional_basic: "专业基础",
    CourseCategory.professional_core: "专业核心",
    CourseCategory.practice: "实习实训",
    CourseCategory.elective: "选修",
}


class CourseKind(StrEnum):
    course = "course"  # 课程
    module = "module"  # 模块


COURSE_KIND_LABELS = {CourseKind.course: "课程", CourseKind.module: "模块"}


class PlanKey(NamedTuple):
    """Identifies a plan: one per institution, major and cohort year."""

    institution_id: int
    major_code: str
    cohort_year: int

    def __str__(self) -> str:
        return f"{self.institution_id}/{self.major_code}/{self.cohort_year}"


@dataclass(frozen=True, slots=True)
class Course:
    """A course (课程) or module (模块) of a plan."""

    code: str
    name: str
    credits: Decimal
    category: CourseCategory
    required: bool = True
    hours_theory: int = 0
    hours_practical: int = 0
    kind: CourseKind = CourseKind.course

    @property
    def hours(self) -> int:
        return self.hours_theory + self.hours_practical


@dataclass(frozen=True, slots=True)
class GraduationRequirements:
    total_credits: Decimal
    min_by_category: Mapping[CourseCategory, Decimal] = field(default_factory=dict)
    required_courses: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class CurriculumPlan:
    institution_id: int
    major_code: str
    cohort_year: int
    courses: tuple[Course, ...]
    requirements: GraduationRequirements
    name: str = ""

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for course in self.courses:
            if course.code in seen:
                raise ValidationFailed(f"课程代码重复：{course.code}", field="courses")
            seen.add(course.code)
        missing = sorted(self.requirements.required_courses - seen)
        if missing:
            raise ValidationFailed(
                f"毕业要求中的必修课程不在方案中：{'、'.join(missing)}", field="requirements.required_courses"
            )

    @property
    def key(self) -> PlanKey:
        return PlanKey(self.institution_id, self.major_code, self.cohort_year)

    def course(self, code: str) -> Course:
        for course in self.courses:
            if course.code == code:
                return course
        raise NotFound(f"培养方案 {self.key} 中没有课程 {code}", field="course_code")

    def has_course(self, code: str) -> bool:
        return any(course.code == code for course in self.courses)


_MAJOR_CODE = re.compile(r"^\d{6}$")


def parse_plan(data: object, *, major_codes: Collection[str] | None = None) -> CurriculumPlan:
    """A plan from plain data (parsed JSON). `major_codes` (the 2021 catalog) is checked when given."""
    root = f.mapping(data, "")
    major_code = str(f.get(root, "major_code", ""))
    if not _MAJOR_CODE.match(major_code):
        raise f.fail("major_code", f"专业代码应为6位数字：{major_code!r}")
    if major_codes is not None and major_code not in major_codes:
        raise f.fail("major_code", f"专业代码 {major_code} 不在2021年专业目录中")
    raw_courses = f.sequence(f.get(root, "courses", ""), "courses")
    courses = tuple(_parse_course(item, f.child("courses", i)) for i, item in enumerate(raw_courses))
    requirements = _parse_requirements(f.get(root, "requirements", ""), courses)
    return CurriculumPlan(
        institution_id=f.integer(f.get(root, "institution_id", ""), "institution_id", minimum=1),
        major_code=major_code,
        cohort_year=f.integer(f.get(root, "cohort_year", ""), "cohort_year", minimum=2000),
        courses=courses,
        requirements=requirements,
        name=str(root.get("name") or ""),
    )


def _parse_course(item: object, path: str) -> Course:
    data = f.mapping(item, path)
    return Course(
        code=f.text(f.get(data, "code", path), f.child(path, "code")),
        name=f.text(f.get(data, "name", path), f.child(path, "name")),
        credits=f.decimal(f.get(data, "credits", path), f.child(path, "credits")),
        category=f.choice(
            CourseCategory, f.get(data, "category", path), f.child(path, "category"), CATEGORY_LABELS
        ),
        required=f.boolean(f.get(data, "required", path, True), f.child(path, "required")),
        hours_theory=f.integer(
            f.get(data, "hours_theory", path, 0), f.child(path, "hours_theory"), minimum=0
        ),
        hours_practical=f.integer(
            f.get(data, "hours_practical", path, 0), f.child(path, "hours_practical"), minimum=0
        ),
        kind=f.choice(
            CourseKind, f.get(data, "kind", path, "course"), f.child(path, "kind"), COURSE_KIND_LABELS
        ),
    )


def _parse_requirements(item: object, courses: tuple[Course, ...]) -> GraduationRequirements:
    path = "requirements"
    data: Mapping[str, Any] = f.mapping(item, path)
    by_category_raw = f.mapping(f.get(data, "min_by_category", path, {}), f.child(path, "min_by_category"))
    by_category = {
        f.choice(
            CourseCategory, key, f.child(f.child(path, "min_by_category"), key), CATEGORY_LABELS
        ): f.decimal(value, f.child(f.child(path, "min_by_category"), key))
        for key, value in by_category_raw.items()
    }
    default_required = [c.code for c in courses if c.required]
    required_raw = f.sequence(
        f.get(data, "required_courses", path, default_required), f.child(path, "required_courses")
    )
    required = frozenset(
        f.text(code, f.child(f.child(path, "required_courses"), i)) for i, code in enumerate(required_raw)
    )
    return GraduationRequirements(
        total_credits=f.decimal(f.get(data, "total_credits", path), f.child(path, "total_credits")),
        min_by_category=by_category,
        required_courses=required,
    )


def plan_to_dict(plan: CurriculumPlan) -> dict[str, Any]:
    """The inverse of `parse_plan` (credits as strings, so JSON stays exact)."""
    return {
        "name": plan.name,
        "institution_id": plan.institution_id,
        "major_code": plan.major_code,
        "cohort_year": plan.cohort_year,
        "courses": [
            {
                "code": c.code,
                "name": c.name,
                "credits": str(c.credits),
                "category": c.category.value,
                "required": c.required,
                "hours_theory": c.hours_theory,
                "hours_practical": c.hours_practical,
                "kind": c.kind.value,
            }
            for c in plan.courses
        ],
        "requirements": {
            "total_credits": str(plan.requirements.total_credits),
            "min_by_category": {k.value: str(v) for k, v in plan.requirements.min_by_category.items()},
            "required_courses": sorted(plan.requirements.required_courses),
        },
    }
