"""The demo's plans and rule sets: valid by the plan parser and the published rules schema, course
codes equal to the generator's, certificates exempting a professional core course, caps at 1/3."""

from __future__ import annotations

import json
import random
from fractions import Fraction

import pytest

from zhijiao.adapters.rules_io import loads_rule_set
from zhijiao.demo.catalogs import majors
from zhijiao.demo.curriculum import course_pool, plan_document, rules_document
from zhijiao.demo.province import SCALES, ProvinceGenerator
from zhijiao.domain.conversion.plan import CourseCategory, parse_plan
from zhijiao.domain.conversion.rules import check_against_plan
from zhijiao.domain.creditbank.model import Level, OutcomeKind

IDS = {"4144010001": 1, "C7": 7, "C8": 8, "C9": 9}  # code → id, as the service resolves them


@pytest.mark.parametrize("level", ["zhongzhi", "zhuanke", "benke"])
def test_every_plannable_major_gets_a_valid_plan_and_rule_set(level: str) -> None:
    for major in (m for m in majors(level) if m.code.isdigit()):
        plan = parse_plan(plan_document(1, "演示学校", major, 2024, seed=5), major_codes={major.code})
        assert {c.category for c in plan.courses} == set(CourseCategory)
        pool = course_pool(major)
        for course in plan.courses[: len(pool)]:
            assert course.name == pool[int(course.code[-2:])] and course.code.startswith(major.code)
        certifiers = {"工业机器人操作与运维": "C7", "Web前端开发": "C8", "老年照护": "C9"}  # codes, not ids
        document = json.dumps(rules_document("4144010001", major, 2024, certifiers, seed=5))
        rules = loads_rule_set(document, "json", resolve=lambda code, field: IDS[code])
        check_against_plan(rules, plan)
        assert rules.caps.plan_ratio == Fraction(1, 3)
        for rule in rules.rules:
            (source,) = rule.sources
            if source.kind is OutcomeKind.skill_certificate:
                assert plan.course(rule.targets[0]).category is CourseCategory.professional_core
                assert source.min_level is (Level.junior if level == "zhongzhi" else Level.intermediate)
                assert source.issuer_ids is not None and source.issuer_ids <= {7, 8, 9}
            else:
                assert plan.course(rule.targets[0]).category is CourseCategory.elective


def test_plan_codes_are_the_codes_of_generated_course_outcomes() -> None:
    gen = ProvinceGenerator("44", 3, SCALES["small"], 40)
    rng = random.Random("3:outcomes")
    checked = 0
    for person in gen.learners():
        rows = gen.rows(person, rng)
        if person.major is None or person.cohort is None or not person.major.code.isdigit():
            continue
        plan = parse_plan(plan_document(1, "演示学校", person.major, person.cohort, seed=3))
        for row in rows:
            if row.get("code"):
                assert plan.course(row["code"]).name == row["title"]
                checked += 1
    assert checked > 100
