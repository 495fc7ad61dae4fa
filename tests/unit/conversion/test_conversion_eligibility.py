from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhijiao.domain.conversion.eligibility import evaluate, find_claims
from zhijiao.domain.conversion.plan import CurriculumPlan
from zhijiao.domain.conversion.rules import Agreement, IssuerScope, SourceCondition
from zhijiao.domain.creditbank.model import Grade, Level, OutcomeKind, OutcomeStatus
from zhijiao.domain.errors import ValidationFailed

from .factories import outcome, rule

ON = date(2024, 6, 1)
CERT = OutcomeKind.skill_certificate


def lines_for(plan: CurriculumPlan, outcomes, *rules, **kw) -> list[str]:  # type: ignore[no-untyped-def]
    (verdict,) = evaluate(outcomes, plan, rules, ON, targets={"H01"}, **kw)
    return [line for r in verdict.rules for line in r.lines]


@pytest.mark.parametrize(
    ("cond", "o", "expected"),
    [
        (
            SourceCondition(CERT, min_level=Level.intermediate),
            outcome(1, level=Level.intermediate),
            "证书等级 中级 ≥ 要求 中级：满足",
        ),
        (
            SourceCondition(CERT, min_level=Level.intermediate),
            outcome(1, level=Level.junior),
            "证书等级 初级 < 要求 中级：不满足",
        ),
        (SourceCondition(CERT, min_level=Level.intermediate), outcome(1), "证书等级 无 < 要求 中级：不满足"),
        (SourceCondition(CERT, code="X1"), outcome(1, code="X2"), "证书/课程代码 X2 = 要求 X1：不满足"),
        (SourceCondition(OutcomeKind.course), outcome(1), "未找到类型为 课程 的学习成果：不满足"),
        (
            SourceCondition(OutcomeKind.course, min_score=Decimal(70)),
            outcome(1, OutcomeKind.course, score=Decimal(82)),
            "成绩 82 ≥ 要求 70分：满足",
        ),
        (
            SourceCondition(OutcomeKind.course, min_score=Decimal(70)),
            outcome(1, OutcomeKind.course, score=Decimal("69.5")),
            "成绩 69.5 < 要求 70分：不满足",
        ),
        (
            SourceCondition(OutcomeKind.course, min_score=Decimal(70), min_grade=Grade.good),
            outcome(1, OutcomeKind.course, grade=Grade.excellent),
            "成绩 优 ≥ 要求 70分 或 良：满足",
        ),
        (
            SourceCondition(OutcomeKind.course, min_grade=Grade.good),
            outcome(1, OutcomeKind.course, grade=Grade.fair),
            "成绩 中 < 要求 良：不满足",
        ),
        (
            SourceCondition(CERT, within_years=3),
            outcome(1, obtained_on=date(2019, 5, 1)),
            "取得日期 2019-05-01 超过3年时效（不早于 2021-06-01）：不满足",
        ),
        (
            SourceCondition(CERT, within_years=3),
            outcome(1, obtained_on=date(2021, 6, 1)),
            "取得日期 2021-06-01 在3年时效（不早于 2021-06-01）：满足",
        ),
        (
            SourceCondition(CERT, issuer_ids=frozenset({100, 101})),
            outcome(1, issuer_id=102),
            "发证机构 102 属于指定机构（100、101）：不满足",
        ),
        (
            SourceCondition(OutcomeKind.course, issuer_scope=IssuerScope.own),
            outcome(1, OutcomeKind.course, issuer_id=1),
            "发证机构 1 属于本校（1）：满足",
        ),
        (
            SourceCondition(OutcomeKind.course, issuer_scope=IssuerScope.partner),
            outcome(1, OutcomeKind.course, issuer_id=5),
            "发证机构 5 属于本校及协议院校（1、2）：不满足",
        ),
        (SourceCondition(CERT), outcome(1, status=OutcomeStatus.revoked), "成果状态 已撤销：不满足"),
    ],
)
def test_each_condition_is_explained(plan: CurriculumPlan, cond: SourceCondition, o, expected: str) -> None:  # type: ignore[no-untyped-def]
    agreements = [Agreement("A", 1, 2, date(2020, 1, 1))]
    lines = lines_for(plan, [o], rule("R1", ("H01",), cond), agreements=agreements)
    assert any(line.endswith(expected) for line in lines), lines
    passed = expected.endswith("：满足")
    assert bool(find_claims([o], plan, [rule("R1", ("H01",), cond)], ON, agreements)) == passed


def test_verdict_text(plan: CurriculumPlan) -> None:
    cond = SourceCondition(CERT, code="X1", min_level=Level.intermediate)
    (verdict,) = evaluate([outcome(7, level=Level.senior)], plan, [rule("R1", ("H01",), cond)], ON)
    assert verdict.eligible
    assert verdict.explanation.splitlines() == [
        "Web前端开发（H01）：可免修",
        "规则 R1（第1版，一对一）",
        "条件1（职业技能等级证书 X1） 成果#7「成果7」 成果类型 职业技能等级证书 = 要求 职业技能等级证书"
        "：满足",
        "条件1（职业技能等级证书 X1） 成果#7「成果7」 证书/课程代码 X1 = 要求 X1：满足",
        "条件1（职业技能等级证书 X1） 成果#7「成果7」 证书等级 高级 ≥ 要求 中级：满足",
    ]


def test_missing_outcome_and_missing_rule(plan: CurriculumPlan) -> None:
    verdicts = evaluate(
        [], plan, [rule("R1", ("H01",), SourceCondition(OutcomeKind.training))], ON, targets={"H01", "H02"}
    )
    assert [v.eligible for v in verdicts] == [False, False]
    assert "未找到类型为 职业培训 的学习成果：不满足" in verdicts[0].explanation
    assert "2024-06-01 没有适用于该课程的转换规则：不满足" in verdicts[1].explanation
    with pytest.raises(ValidationFailed, match="没有课程：Z9"):
        evaluate([], plan, [], ON, targets={"Z9"})


def test_many_to_one_needs_distinct_outcomes(plan: CurriculumPlan) -> None:
    a = SourceCondition(CERT, code="X1")
    b = SourceCondition(CERT, code="X2")
    both = rule("R1", ("H01",), a, b)
    assert find_claims([outcome(1, code="X1")], plan, [both], ON) == ()
    claims = find_claims(
        [outcome(2, code="X2"), outcome(1, code="X1"), outcome(3, code="X1")], plan, [both], ON
    )
    assert [c.outcome_ids for c in claims] == [(1, 2), (3, 2)]
    # the same outcome cannot satisfy two conditions
    twice = rule("R2", ("H01",), a, a)
    assert find_claims([outcome(1)], plan, [twice], ON) == ()
    (verdict,) = evaluate([outcome(1)], plan, [twice], ON)
    assert "各条件须由不同的学习成果满足：不满足" in verdict.explanation
    assert [c.outcome_ids for c in find_claims([outcome(1), outcome(2)], plan, [twice], ON)] == [
        (1, 2),
        (2, 1),
    ]


def test_one_to_many_sums_credits(plan: CurriculumPlan) -> None:
    (claim,) = find_claims([outcome(1)], plan, [rule("R1", ("H01", "H02"))], ON)
    assert claim.credits == Decimal("7.5") and claim.targets == ("H01", "H02")
    verdicts = evaluate([outcome(1)], plan, [rule("R1", ("H01", "H02"))], ON)
    assert [(v.course_code, v.eligible) for v in verdicts] == [("H01", True), ("H02", True)]


def test_unregistered_outcome_refused(plan: CurriculumPlan) -> None:
    with pytest.raises(ValidationFailed, match="缺少编号"):
        find_claims([outcome(None)], plan, [rule("R1", ("H01",))], ON)  # type: ignore[arg-type]


def test_refusal_is_explained_with_the_closest_outcome(plan: CurriculumPlan) -> None:
    """Issue 8.14: two certificates pass as many checks; the one that fails only on its level is shown."""
    cond = SourceCondition(CERT, code="X1", min_level=Level.intermediate)
    wrong_code = outcome(1, code="X9", level=Level.senior)
    too_low = outcome(2, code="X1", level=Level.junior)
    lines = lines_for(plan, [wrong_code, too_low], rule("R1", ("H01",), cond))
    assert any("成果#2" in line and line.endswith("证书等级 初级 < 要求 中级：不满足") for line in lines), (
        lines
    )
    assert not any("成果#1" in line for line in lines)
    # and of two too-low scores the nearer one
    cond = SourceCondition(OutcomeKind.course, code="K1", min_score=Decimal(70))
    far, near = (outcome(i, OutcomeKind.course, code="K1", score=Decimal(s)) for i, s in ((1, 40), (2, 69)))
    lines = lines_for(plan, [far, near], rule("R1", ("H01",), cond))
    assert any(line.endswith("成绩 69 < 要求 70分：不满足") for line in lines), lines
