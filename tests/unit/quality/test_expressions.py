from decimal import Decimal

import pytest

from zhijiao.domain.quality.expressions import ExpressionError, describe, evaluate, parse, references

D = Decimal


def test_precedence_parentheses_and_unary_minus() -> None:
    assert evaluate(parse("a + b * 2"), {"a": D(1), "b": D(3)}) == 7
    assert evaluate(parse("(a + b) * 2"), {"a": D(1), "b": D(3)}) == 8
    assert evaluate(parse("-a - -b"), {"a": D(1), "b": D(3)}) == 2
    assert evaluate(parse("a / b / 2"), {"a": D(8), "b": D(2)}) == 2


def test_missing_value_and_division_by_zero_give_none() -> None:
    assert evaluate(parse("a + b"), {"a": D(1)}) is None
    assert evaluate(parse("a / b"), {"a": D(1), "b": D(0)}) is None


@pytest.mark.parametrize(
    "text", ["__import__('os')", "a ** 2", "a +", "(a + b", "a b", "a; b", "a.b", "open(a)", "a[0]"]
)
def test_anything_outside_the_language_is_refused(text: str) -> None:
    with pytest.raises(ExpressionError):
        parse(text)


def test_references_and_words() -> None:
    node = parse("teachers_fulltime + teachers_external * 0.5")
    assert references(node) == ["teachers_fulltime", "teachers_external"]
    names = {"teachers_fulltime": "专任教师数", "teachers_external": "校外教师数"}
    assert describe(node, names) == "专任教师数 + 校外教师数 × 0.5"
    assert describe(parse("(a + b) / c"), {}) == "（a + b） ÷ c"
