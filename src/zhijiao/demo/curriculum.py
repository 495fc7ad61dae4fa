"""A demo school's 人才培养方案 and 学习成果转换办法 for one major and cohort, as plain data.

Pure (no database). Course codes are the ones the generator gives a major's course outcomes
(`major code + index in the major's course pool`, see `ProvinceGenerator._courses`), so the
graduation audit counts the learners' real course outcomes. The plan is the JSON format of
`domain.conversion.plan`, the rule set the schema of `domain.conversion.rules.schema.json`.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

from zhijiao.demo import vocab
from zhijiao.demo.catalogs import Major

PROGRAMME = {
    "zhongzhi": ("中等职业教育", "初级"),
    "zhuanke": ("高职专科", "中级"),
    "benke": ("职业本科", "中级"),
}
ELECTIVES = ("创新创业教育", "中华优秀传统文化", "职业技能竞赛训练", "{major}新技术专题")
AWARD_ELECTIVE = 2  # index in ELECTIVES: 职业技能竞赛训练
ONLINE_ELECTIVE = 3
EXEMPTION_SHARE = "1/3"  # at most a third of the plan's credits by exemption


@dataclass(frozen=True, slots=True)
class PlanCourse:
    code: str
    name: str
    credits: Decimal
    category: str
    required: bool
    hours_theory: int
    hours_practical: int


def course_pool(major: Major) -> list[str]:
    """The course titles the generator gives this major, in code order."""
    return [
        *vocab.GENERAL_COURSES[major.level],
        *vocab.CATEGORY_COURSES[major.category],
        *(p.format(major=major.name) for p in vocab.MAJOR_COURSES),
    ]


def plan_courses(major: Major, seed: int) -> list[PlanCourse]:
    rng = random.Random(f"{seed}:plan:{major.code}")
    pool = course_pool(major)
    general = len(vocab.GENERAL_COURSES[major.level])
    professional = vocab.CATEGORY_COURSES[major.category]
    basic_count = (len(professional) + 1) // 2
    courses = []
    for i, title in enumerate(pool):
        code = f"{major.code}{i:02d}"
        if i < general:
            credits = rng.choice((2, 2, 3, 4))
            theory, practical = credits * 16 - 4 * (credits // 2), 4 * (credits // 2)
            courses.append(PlanCourse(code, title, Decimal(credits), "public_basic", True, theory, practical))
        elif i < general + len(professional):
            core = i - general >= basic_count
            credits = rng.choice((3, 4, 4)) if core else rng.choice((2, 3, 3))
            practical = credits * 8 if core else credits * 4
            category = "professional_core" if core else "professional_basic"
            courses.append(
                PlanCourse(code, title, Decimal(credits), category, True, credits * 16 - practical, practical)
            )
        elif title.endswith("专业导论"):
            courses.append(PlanCourse(code, title, Decimal(1), "professional_basic", True, 16, 0))
        elif title.endswith("岗位实习"):
            courses.append(PlanCourse(code, title, Decimal(16), "practice", True, 0, 480))
        else:  # 综合实训
            courses.append(PlanCourse(code, title, Decimal(4), "practice", True, 0, 96))
    for n, pattern in enumerate(ELECTIVES):
        courses.append(
            PlanCourse(
                f"{major.code}9{n}", pattern.format(major=major.name), Decimal(2), "elective", False, 24, 8
            )
        )
    return courses


def plan_document(
    institution_id: int, school_name: str, major: Major, cohort: int, seed: int
) -> dict[str, Any]:
    courses = plan_courses(major, seed)
    by_category: dict[str, Decimal] = {}
    for c in courses:
        if c.required:
            by_category[c.category] = by_category.get(c.category, Decimal(0)) + c.credits
    by_category["elective"] = Decimal(4)  # two of the electives
    programme = PROGRAMME[major.level][0]
    return {
        "name": f"{school_name}{major.name}专业{cohort}级人才培养方案（{programme}）",
        "institution_id": institution_id,
        "major_code": major.code,
        "cohort_year": cohort,
        "courses": [asdict(c) | {"credits": str(c.credits)} for c in courses],
        "requirements": {
            "total_credits": str(sum(by_category.values(), Decimal(0))),
            "min_by_category": {k: str(v) for k, v in by_category.items()},
        },
    }


def _overlap(a: str, b: str) -> int:
    return len(set(a) & set(b))


def certificate_target(courses: list[PlanCourse], certificate: str) -> PlanCourse | None:
    """The professional core course a 1+X certificate exempts: the one closest in name."""
    core = [c for c in courses if c.category == "professional_core"]
    return max(core, key=lambda c: (_overlap(certificate, c.name), -core.index(c)), default=None)


def exempts_ahead(major: Major, seed: int, rows: list[dict[str, str]], certificate_kind: str) -> bool:
    """Whether one of these outcome rows is a certificate of the major's category whose exempted
    course is not among the rows' courses (an exemption still worth applying for)."""
    courses = plan_courses(major, seed)
    codes = {r.get("code") for r in rows}
    for r in rows:
        name = r["title"].removesuffix("职业技能等级证书")
        if r["kind"] == certificate_kind and name in vocab.SKILL_CERTIFICATES[major.category]:
            target = certificate_target(courses, name)
            if target is not None and target.code not in codes:
                return True
    return False


def rules_document(
    institution: str, major: Major, cohort: int, certifiers: dict[str, str], seed: int
) -> dict[str, Any]:
    """1+X certificates of the major's category (from the level a programme expects) exempt the
    professional core course closest in name; a provincial competition award exempts the
    competition elective; an online course scored ≥ 85 the specialist elective. Capped at 1/3.

    Institutions are named by code, as a rule file must: `institution` is the school's 学校标识码,
    `certifiers` maps a certificate name → the 统一社会信用代码 of the organisation that issues it."""
    courses = plan_courses(major, seed)
    min_level = PROGRAMME[major.level][1]
    start = f"{cohort}-09-01"
    rules: list[dict[str, Any]] = []
    for n, cert in enumerate(vocab.SKILL_CERTIFICATES[major.category], start=1):
        target = certificate_target(courses, cert)
        if cert not in certifiers or target is None:
            continue
        rules.append(
            {"id": f"1X-{n:02d}", "version": 1, "effective_from": start,
             "name": f"“{cert}”职业技能等级证书（{min_level}及以上）免修《{target.name}》",
             "sources": [{"kind": "skill_certificate", "issuers": [certifiers[cert]], "min_level": min_level}],
             "targets": [target.code]}
        )  # fmt: skip
    award = courses[-len(ELECTIVES) + AWARD_ELECTIVE]
    online = courses[-len(ELECTIVES) + ONLINE_ELECTIVE]
    rules.append(
        {"id": "JS-01", "version": 1, "effective_from": start,
         "name": f"本校选送的职业院校技能大赛获奖免修《{award.name}》",
         "sources": [{"kind": "competition_award", "issuer_scope": "own"}], "targets": [award.code]}
    )  # fmt: skip
    rules.append(
        {"id": "ZX-01", "version": 1, "effective_from": start,
         "name": f"在线课程成绩85分及以上免修《{online.name}》",
         "sources": [{"kind": "online_course", "min_score": "85", "within_years": 5}], "targets": [online.code]}
    )  # fmt: skip
    return {
        "institution": institution,
        "plan": {"institution": institution, "major_code": major.code, "cohort_year": cohort},
        "caps": {"plan_ratio": EXEMPTION_SHARE, "per_category": {"elective": "4"}},
        "rules": rules,
    }
