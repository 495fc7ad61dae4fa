from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from zhijiao.domain.conversion.allocation import Exemption, allocate, allocate_greedy, remaining_budget
from zhijiao.domain.conversion.eligibility import Claim, claim_priority, find_claims
from zhijiao.domain.conversion.plan import CourseCategory, CurriculumPlan, parse_plan
from zhijiao.domain.conversion.revocation import flag_revoked
from zhijiao.domain.conversion.rules import ExemptionCaps, SourceCondition
from zhijiao.domain.creditbank.model import OutcomeKind

from .factories import PLAN_DATA, outcome, rule

ON = date(2024, 6, 1)
NO_CAPS = ExemptionCaps()


def claim(
    rule_id: str, targets: tuple[str, ...], ids: tuple[int, ...], plan: CurriculumPlan, reuse: bool = False
) -> Claim:
    credits = sum((plan.course(c).credits for c in targets), Decimal(0))
    return Claim(rule_id, 1, ids, targets, credits, reuse)


def test_most_credits_and_no_outcome_twice(plan: CurriculumPlan) -> None:
    claims = [
        claim("R1", ("H02",), (1,), plan),
        claim("R2", ("H01",), (1,), plan),
        claim("R3", ("G01",), (2,), plan),
    ]
    result = allocate(claims, plan, NO_CAPS, ON)
    assert [(e.course_code, e.outcome_ids) for e in result.exemptions] == [("G01", (2,)), ("H01", (1,))]
    assert result.credits == 7
    assert result.reason_for("H02") == (
        "学习成果 #1 已用于免修「Web前端开发（H01）」；本方案已免修 7 学分；若改选本课程只能免修 6.5 学分"
    )


def test_reuse_allowed_by_rule(plan: CurriculumPlan) -> None:
    claims = [claim("R1", ("H01",), (1,), plan), claim("R2", ("H02",), (1,), plan, reuse=True)]
    assert [e.course_code for e in allocate(claims, plan, NO_CAPS, ON).exemptions] == ["H01", "H02"]


def test_target_exempted_once(plan: CurriculumPlan) -> None:
    claims = [claim("R1", ("H01", "H02"), (1,), plan), claim("R2", ("H01",), (2,), plan)]
    result = allocate(claims, plan, NO_CAPS, ON)
    assert [e.course_code for e in result.exemptions] == ["H01", "H02"]
    assert result.left_out == ()


def test_worked_example_cap_leaves_eight_credits() -> None:
    """Issue 13: a cap leaving 8 credits and exemptions of 5, 4 and 4 credits: 4 + 4, not 5."""
    plan = parse_plan(
        {**PLAN_DATA, "courses": [
            {"code": "A5", "name": "网络基础", "credits": 5, "category": "专业基础"},
            {"code": "B4", "name": "数据库", "credits": 4, "category": "专业核心"},
            {"code": "C4", "name": "前端开发", "credits": 4, "category": "专业核心"},
        ], "requirements": {"total_credits": 24}}
    )  # fmt: skip
    claims = [
        claim("R1", ("A5",), (1,), plan),
        claim("R2", ("B4",), (2,), plan),
        claim("R3", ("C4",), (3,), plan),
    ]
    result = allocate(claims, plan, ExemptionCaps(plan_credits=Decimal(8)), ON)
    assert result.credits == 8 and result.courses == ("B4", "C4")
    assert [x.course_code for x in result.left_out] == ["A5"]
    assert result.left_out[0].reason == (
        "超出免修学分上限：剩余 0 学分，本课程 5 学分；本方案已免修 8 学分，达到上限；若改选本课程只能免修 5 学分"
    )
    assert allocate_greedy(claims, plan, ExemptionCaps(plan_credits=Decimal(8)), ON)[0].course_code == "A5"
    # the learner prefers the 5-credit course: kept, and the rest maximised around it
    preferring = allocate(claims, plan, ExemptionCaps(plan_credits=Decimal(8)), ON, preferred=["A5"])
    assert preferring.courses == ("A5",) and preferring.credits == 5 and preferring.preferred_not_kept == ()
    # issue 8.13: with 8 credits of cap and courses of 5 and 4, the 4 is left out with the figures
    two = allocate(claims[:2], plan, ExemptionCaps(plan_credits=Decimal(8)), ON)
    assert two.courses == ("A5",)
    assert (
        two.reason_for(
            "B4",
        )
        is not None
    )
    assert two.reason_for("B4").startswith("超出免修学分上限：剩余 3 学分，本课程 4 学分")  # type: ignore[union-attr]


def test_worked_example_shared_outcomes(plan: CurriculumPlan) -> None:
    """Issue 13: a many-to-one rule worth 6 on certificates A and B loses to 4 + 4 on A and B apart."""
    plan = parse_plan(
        {**PLAN_DATA, "courses": [
            {"code": "M6", "name": "综合实训", "credits": 6, "category": "实习实训"},
            {"code": "A4", "name": "网络设备配置", "credits": 4, "category": "专业核心"},
            {"code": "B4", "name": "网络安全", "credits": 4, "category": "专业核心"},
        ], "requirements": {"total_credits": 30}}
    )  # fmt: skip
    claims = [
        claim("R1", ("M6",), (1, 2), plan),
        claim("R2", ("A4",), (1,), plan),
        claim("R3", ("B4",), (2,), plan),
    ]
    result = allocate(claims, plan, NO_CAPS, ON)
    assert result.credits == 8 and result.courses == ("A4", "B4")
    assert result.reason_for("M6") == (
        "学习成果 #1 已用于免修「网络设备配置（A4）」；本方案已免修 8 学分；若改选本课程只能免修 6 学分"
    )
    assert sum(e.credits for e in allocate_greedy(claims, plan, NO_CAPS, ON)) == 6
    # preferring the many-to-one course keeps it; the courses it blocks are said to be blocked
    preferring = allocate(claims, plan, NO_CAPS, ON, preferred=["M6", "A4"])
    assert preferring.courses == ("M6",)
    assert [(x.course_code, x.reason) for x in preferring.preferred_not_kept] == [
        ("A4", "与更优先的课程「综合实训（M6）」不能同时免修：学习成果 #1 已用于免修「综合实训（M6）」")
    ]


def test_plan_category_and_year_caps(plan: CurriculumPlan) -> None:
    claims = [
        claim("R1", ("H01",), (1,), plan),
        claim("R2", ("H02",), (2,), plan),
        claim("R3", ("G01",), (3,), plan),
    ]
    third = allocate(claims, plan, ExemptionCaps(plan_ratio=Fraction(1, 3)), ON)  # 7.5 credits
    assert third.courses == ("H01", "H02")
    assert third.reason_for("G01") == (
        "超出免修学分上限：剩余 0 学分，本课程 3 学分；本方案已免修 7.5 学分，达到上限；若改选本课程只能免修 7 学分"
    )
    core = allocate(
        claims, plan, ExemptionCaps(per_category={CourseCategory.professional_core: Decimal(4)}), ON
    )
    assert core.courses == ("G01", "H01")
    assert core.reason_for("H02") == (
        "超出专业核心类免修学分上限：剩余 0 学分，本课程 3.5 学分；本方案已免修 7 学分；若改选本课程只能免修 6.5 学分"
    )
    prior = [Exemption("P01", Decimal(6), CourseCategory.practice, "R0", 1, (9,), date(2024, 1, 5))]
    yearly = allocate(claims, plan, ExemptionCaps(per_year=Decimal(10)), ON, prior)
    assert yearly.courses == ("H01",)
    last_year = [Exemption("P01", Decimal(6), CourseCategory.practice, "R0", 1, (9,), date(2023, 12, 5))]
    assert len(allocate(claims, plan, ExemptionCaps(per_year=Decimal(10)), ON, last_year).exemptions) == 2
    # a prior exemption also blocks its outcome and its course
    reuse_prior = allocate(
        [claim("R4", ("P01",), (5,), plan), claim("R5", ("E01",), (9,), plan)], plan, NO_CAPS, ON, prior
    )
    assert reuse_prior.exemptions == ()
    assert [x.reason for x in reuse_prior.left_out] == [
        "课程「岗位实习（P01）」已免修",
        "学习成果 #9 已用于免修「岗位实习（P01）」",
    ]


def test_preferred_course_beyond_the_cap_is_reported(plan: CurriculumPlan) -> None:
    claims = [claim("R1", ("P01",), (1,), plan), claim("R2", ("H01",), (2,), plan)]
    result = allocate(claims, plan, ExemptionCaps(plan_credits=Decimal(5)), ON, preferred=["P01", "E01"])
    assert result.courses == ("H01",)
    assert [(x.course_code, x.reason) for x in result.preferred_not_kept] == [
        ("P01", "超出免修学分上限：剩余 5 学分，本课程 6 学分"),
        ("E01", "没有满足条件的转换规则"),
    ]


def test_budget(plan: CurriculumPlan) -> None:
    caps = ExemptionCaps(
        plan_ratio=Fraction(1, 3), per_year=Decimal(5), per_category={CourseCategory.practice: Decimal(8)}
    )
    prior = [Exemption("P01", Decimal(6), CourseCategory.practice, "R0", 1, (9,), date(2023, 1, 5))]
    budget = remaining_budget(plan, caps, ON, prior)
    assert budget.total == Decimal("1.5") and budget.by_category == {CourseCategory.practice: Decimal(2)}


def test_revoked_outcome_flags_exemptions(plan: CurriculumPlan) -> None:
    result = allocate(
        [claim("R1", ("H01", "H02"), (1, 2), plan), claim("R2", ("G01",), (3,), plan)], plan, NO_CAPS, ON
    )
    flagged = flag_revoked(2, result.exemptions)
    assert [e.course_code for e in flagged] == ["H01", "H02"]
    assert flag_revoked(42, result.exemptions) == ()


# ---- properties -------------------------------------------------------------------------------

PLAN = parse_plan(PLAN_DATA)
CODES = [c.code for c in PLAN.courses]
conditions = st.builds(
    SourceCondition, kind=st.just(OutcomeKind.skill_certificate), code=st.sampled_from(["X1", "X2", "X3"])
)
rules = st.lists(
    st.tuples(
        st.lists(conditions, min_size=1, max_size=2),
        st.lists(st.sampled_from(CODES), min_size=1, max_size=3, unique=True),
        st.booleans(),
    ),
    max_size=7,
).map(lambda items: [rule(f"R{i}", tuple(t), *s, reuse=r) for i, (s, t, r) in enumerate(items)])
outcomes = st.lists(st.sampled_from(["X1", "X2", "X3"]), max_size=6).map(
    lambda codes: [outcome(i + 1, code=c) for i, c in enumerate(codes)]
)
caps = st.builds(
    ExemptionCaps,
    plan_ratio=st.one_of(st.none(), st.sampled_from([Fraction(1, 3), Fraction(1, 2), Fraction(1, 5)])),
    per_category=st.dictionaries(
        st.sampled_from(list(CourseCategory)), st.sampled_from([Decimal(0), Decimal(3), Decimal("4.5")])
    ),
    per_year=st.one_of(st.none(), st.sampled_from([Decimal(5), Decimal("7.5")])),
)


MAX_CLAIMS = 12  # 4,096 subsets for the brute force


def brute_force(claims, plan, caps, on, preferred=()):  # type: ignore[no-untyped-def]
    """Every subset of the claims, checked directly against the rules; the best by the documented order."""
    ordered = sorted(set(claims), key=claim_priority)
    budget = remaining_budget(plan, caps, on)
    best = None
    for mask in range(1 << len(ordered)):
        chosen = [c for i, c in enumerate(ordered) if mask >> i & 1]
        courses = [t for c in chosen for t in c.targets]
        outcomes = [o for c in chosen if not c.reuse_sources for o in c.outcome_ids]
        if len(set(courses)) < len(courses) or len(set(outcomes)) < len(outcomes):
            continue
        credits = sum((c.credits for c in chosen), Decimal(0))
        if budget.total is not None and credits > budget.total:
            continue
        if any(
            sum((plan.course(t).credits for t in courses if plan.course(t).category is k), Decimal(0)) > cap
            for k, cap in budget.by_category.items()
        ):
            continue
        key = (
            tuple(p not in courses for p in preferred),
            -credits,
            sum(len(c.outcome_ids) for c in chosen),
            len(courses),
            tuple(not (mask >> i & 1) for i in range(len(ordered))),
        )
        if best is None or key < best[0]:
            best = (key, chosen)
    assert best is not None
    return best[1]


def _check_valid(exemptions, caps) -> None:  # type: ignore[no-untyped-def]
    assert len({e.course_code for e in exemptions}) == len(exemptions)
    used = Counter(
        i for (_, ids) in {(e.rule_id, e.outcome_ids) for e in exemptions if not e.reuse_sources} for i in ids
    )
    assert all(n == 1 for n in used.values())
    total = sum((e.credits for e in exemptions), Decimal(0))
    limit = caps.plan_limit(PLAN)
    assert limit is None or total <= limit
    assert caps.per_year is None or total <= caps.per_year
    for category, cap in caps.per_category.items():
        assert sum((e.credits for e in exemptions if e.category is category), Decimal(0)) <= cap


def _claims_of(exemptions) -> set[tuple[str, tuple[int, ...]]]:  # type: ignore[no-untyped-def]
    return {(e.rule_id, e.outcome_ids) for e in exemptions}


@settings(max_examples=300, deadline=None)
@given(rules=rules, outcomes=outcomes, caps=caps)
def test_allocation_is_optimal_against_brute_force(rules, outcomes, caps) -> None:  # type: ignore[no-untyped-def]
    claims = find_claims(outcomes, PLAN, rules, ON)[:MAX_CLAIMS]
    result = allocate(claims, PLAN, caps, ON)
    _check_valid(result.exemptions, caps)
    best = brute_force(claims, PLAN, caps, ON)
    assert result.credits == sum((c.credits for c in best), Decimal(0))
    assert _claims_of(result.exemptions) == {(c.rule_id, c.outcome_ids) for c in best}  # the same tie-breaks
    # never fewer credits than the former greedy rule
    assert result.credits >= sum((e.credits for e in allocate_greedy(claims, PLAN, caps, ON)), Decimal(0))
    # deterministic, whatever the order of the claims
    assert allocate(list(reversed(claims)), PLAN, caps, ON) == result
    # every course some claim targets is either exempted or explained
    targeted = {t for c in claims for t in c.targets}
    assert targeted == set(result.courses) | {x.course_code for x in result.left_out}
    assert all(x.reason for x in result.left_out)


@settings(max_examples=200, deadline=None)
@given(
    rules=rules,
    outcomes=outcomes,
    caps=caps,
    preferred=st.lists(st.sampled_from(CODES), max_size=3, unique=True),
)
def test_preference_is_kept_as_far_as_the_rules_allow(rules, outcomes, caps, preferred) -> None:  # type: ignore[no-untyped-def]
    claims = find_claims(outcomes, PLAN, rules, ON)[:MAX_CLAIMS]
    result = allocate(claims, PLAN, caps, ON, preferred=preferred)
    _check_valid(result.exemptions, caps)
    best = brute_force(claims, PLAN, caps, ON, preferred)
    assert _claims_of(result.exemptions) == {(c.rule_id, c.outcome_ids) for c in best}
    assert [x.course_code for x in result.preferred_not_kept] == [
        p for p in preferred if p not in result.courses
    ]
