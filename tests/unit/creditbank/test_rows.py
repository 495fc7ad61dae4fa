from __future__ import annotations

from datetime import date
from decimal import Decimal

from zhijiao.domain.creditbank.model import Grade, Level, OutcomeKind
from zhijiao.domain.creditbank.rows import header_map, parse_row

TODAY = date(2026, 11, 29)
GOOD = {
    "national_id": "11010519491231002X", "name": "张三", "kind": "职业技能等级证书", "title": "Web前端开发",
    "issuer": "某评价组织", "level": "中级", "obtained_on": "2024/6/30", "score": "良",
}  # fmt: skip


def test_a_good_row_parses() -> None:
    row, errors = parse_row(GOOD, TODAY)
    assert errors == []
    assert row is not None
    assert (row.kind, row.level, row.grade, row.obtained_on) == (
        OutcomeKind.skill_certificate, Level.intermediate, Grade.good, date(2024, 6, 30),
    )  # fmt: skip


def test_every_problem_of_a_row_is_reported_at_once() -> None:
    bad = {
        **GOOD,
        "national_id": "110105194912310021",
        "kind": "证书",
        "hours": "-2",
        "score": "120",
        "obtained_on": "2027-01-01",
        "name": "",
    }
    row, errors = parse_row(bad, TODAY)
    assert row is None
    assert {k for k, _ in errors} == {"national_id", "kind", "hours", "score", "obtained_on", "name"}
    assert dict(errors)["national_id"] == "身份证号校验码错误"


def test_scores_dates_and_kinds_in_their_usual_spellings() -> None:
    row, _ = parse_row(
        {**GOOD, "kind": "course", "hours": "32", "score": "88.5", "obtained_on": "2024-06-30 00:00:00"},
        TODAY,
    )
    assert row is not None and row.score == Decimal("88.5") and row.kind is OutcomeKind.course
    row, _ = parse_row({**GOOD, "obtained_on": "2024年6月30日"}, TODAY)
    assert row is not None and row.obtained_on == date(2024, 6, 30)


def test_certificates_need_a_level_and_courses_need_hours_or_credits() -> None:
    _, errors = parse_row({**GOOD, "level": ""}, TODAY)
    assert [k for k, _ in errors] == ["level"]
    _, errors = parse_row({**GOOD, "kind": "课程", "level": ""}, TODAY)
    assert [k for k, _ in errors] == ["hours"]


def test_headers_in_chinese_or_english() -> None:
    positions, problems = header_map(
        ["身份证号", "name", "成果类型", "title", "颁发机构", "获得日期", "备注"]
    )
    assert problems == ["无法识别的列“备注”"]
    assert positions[1] == "name"
    _, problems = header_map(["姓名"])
    assert problems and problems[0].startswith("缺少必需的列：身份证号")
