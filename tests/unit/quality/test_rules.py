from decimal import Decimal

import pytest

from tests.quality_world import GOOD_HIGHER
from zhijiao.domain.errors import Conflict, ValidationFailed
from zhijiao.domain.quality.elements import ELEMENT_BY_CODE
from zhijiao.domain.quality.rules import Missing, ValidationRule, jump, robust_z, violations
from zhijiao.domain.quality.values import Where, parse_number
from zhijiao.domain.quality.workflow import Action, Status, move

D = Decimal
VALUES = {k: D(v) for k, v in GOOD_HIGHER.items()}


def test_consistency_rules() -> None:
    assert violations(VALUES) == []
    broken = violations({**VALUES, "teachers_dual_qualified": D(400), "hours_practical": D(3000)})
    codes = {v.rule.code for v in broken}
    assert codes == {"dual_within_professional", "practical_within_total"}
    assert any("“双师型”教师数不应超过专业课教师数" in v.explanation for v in broken)


def test_missing_value_strategies() -> None:
    any_ = ValidationRule("r", "a", "<=", "b", "m", missing=Missing.skip_if_any)
    all_ = ValidationRule("r", "a", "<=", "b", "m", missing=Missing.skip_if_all)
    never = ValidationRule("r", "a", "<=", "b", "m", missing=Missing.never_skip)
    assert any_.check({"a": D(1)}) is None
    assert all_.check({"a": D(1)}) is False  # b counts as 0
    assert all_.check({}) is None
    assert never.check({}) is True


def test_outliers() -> None:
    peers = [10.0, 11, 12, 11.5, 10.5, 12.5, 11]
    assert abs(robust_z(11, peers) or 0) < 1
    assert (robust_z(40, peers) or 0) > 3.5
    assert robust_z(40, peers[:3]) is None
    assert jump(D(200), D(100)) == D(1)
    assert jump(D(120), D(100)) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", D(12)), ("１２", D(12)), (" 1,234 ", D(1234)), ("12\u200b", D(12)), ("12.0", D(12))],
)
def test_numbers_are_normalised(text: str, expected: Decimal) -> None:
    assert parse_number(ELEMENT_BY_CODE["teachers_fulltime"], text) == expected


@pytest.mark.parametrize("text", ["-1", "1.5", "abc", "", "NaN", "1e400"])
def test_bad_integers_are_named(text: str) -> None:
    msg = parse_number(ELEMENT_BY_CODE["teachers_fulltime"], text)
    assert (isinstance(msg, str) and "非负整数" in msg) or msg == "数值过大"


def test_areas_take_two_decimals() -> None:
    e = ELEMENT_BY_CODE["land_area_m2"]
    assert parse_number(e, "1234.56") == D("1234.56")
    assert isinstance(parse_number(e, "1.234"), str)


def test_where_describes_cells_and_rows() -> None:
    assert Where("师资", "C7").describe() == "工作表“师资” C7"
    assert Where(None, None, 5).describe("value") == "第 5 行“值”列"
    assert Where("数据", None, 5).describe("org") == "工作表“数据”第 5 行“机构代码”列"


def test_workflow_moves() -> None:
    assert move(Status.draft, Action.submit, declared_by="张三") is Status.submitted
    with pytest.raises(ValidationFailed):
        move(Status.draft, Action.submit)
    assert move(Status.submitted, Action.approve) is Status.approved
    with pytest.raises(Conflict):
        move(Status.approved, Action.submit, declared_by="张三")
    with pytest.raises(ValidationFailed):
        move(Status.approved, Action.reopen)
    assert move(Status.approved, Action.reopen, comment="更正图书数") is Status.returned
