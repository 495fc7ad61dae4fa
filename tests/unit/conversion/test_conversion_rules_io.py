from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from zhijiao.adapters.analytics.conversion_synthetic import synthetic_plan, synthetic_rule_set
from zhijiao.adapters.rules_io import (
    RuleSetInvalid,
    dumps_rule_set,
    loads_rule_set,
    read_rule_set,
    rule_set_from_data,
    write_rule_set,
)
from zhijiao.domain.conversion.rules import IssuerScope, rule_set_to_dict
from zhijiao.domain.creditbank.model import Level
from zhijiao.domain.errors import ValidationFailed

YAML = """
institution_id: 1
plan: {institution_id: 1, major_code: "510201", cohort_year: 2023}
caps: {plan_ratio: "1/3", per_category: {专业核心: 12}, per_year: "30"}
rules:
  - id: WEB-1
    version: 2
    name: Web前端开发（中级）免修 Web前端开发
    effective_from: 2023-09-01
    sources:
      - {kind: skill_certificate, code: "X-WEB", min_level: 中级, within_years: 3, issuer_ids: [100]}
    targets: [H01]
  - id: DB-2
    version: 1
    effective_from: "2022-01-01"
    effective_to: "2025-12-31"
    sources:
      - {kind: course, code: K01, min_score: 70, issuer_scope: partner}
      - {kind: course, code: K02, min_grade: 良, issuer_scope: own}
    targets: [H02, B01]
agreements:
  - {id: MOU-1, partner_id: 2, effective_from: 2021-01-01, rule_ids: [DB-2]}
"""


def test_yaml_document_parses() -> None:
    rs = loads_rule_set(YAML)
    web, db = rs.rules
    assert web.sources[0].min_level is Level.intermediate and web.effective_from == date(2023, 9, 1)
    assert db.sources[0].issuer_scope is IssuerScope.partner and db.targets == ("H02", "B01")
    assert rs.agreements[0].rule_ids == {"DB-2"} and str(rs.caps.plan_ratio) == "1/3"


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_round_trip(fmt: str) -> None:
    plan = synthetic_plan()
    rs = synthetic_rule_set(plan, rules=40)
    assert loads_rule_set(dumps_rule_set(rs, fmt), fmt) == rs  # type: ignore[arg-type]


def test_files(tmp_path: Path) -> None:
    rs = loads_rule_set(YAML)
    for name in ("rules.yaml", "rules.json"):
        write_rule_set(rs, tmp_path / name)
        assert read_rule_set(tmp_path / name) == rs


def test_every_schema_error_is_reported_with_its_path() -> None:
    data: dict[str, Any] = rule_set_to_dict(loads_rule_set(YAML))
    bad = copy.deepcopy(data)
    del bad["rules"][0]["targets"]
    bad["rules"][1]["sources"][0]["kind"] = "diploma"
    bad["rules"][1]["sources"][1]["min_level"] = 9
    bad["rules"][1]["effective_from"] = "2022/01/01"
    bad["caps"]["plan_ratio"] = "一半"
    bad["agreements"][0]["colour"] = "red"
    with pytest.raises(RuleSetInvalid) as info:
        rule_set_from_data(bad)
    errors = info.value.errors
    assert len(errors) == 6, errors
    expected = [
        "agreements[0]：不允许的字段 colour",
        "caps.plan_ratio：格式不正确：'一半'",
        "rules[0]：缺少必填字段 targets",
        "rules[1].effective_from：格式不正确：'2022/01/01'",
        "rules[1].sources[0].kind：取值 'diploma' 无效",
        "rules[1].sources[1].min_level：取值 9 不符合允许的格式",
    ]
    for text in expected:
        assert any(e.startswith(text) for e in errors), (text, errors)
    assert info.value.message.startswith("转换规则集校验失败")


def test_semantic_errors_after_the_schema() -> None:
    data: dict[str, Any] = rule_set_to_dict(loads_rule_set(YAML))
    data["rules"][1]["effective_to"] = "2021-01-01"
    with pytest.raises(ValidationFailed, match="失效日期早于生效日期"):
        rule_set_from_data(data)


def test_unparsable_text() -> None:
    with pytest.raises(RuleSetInvalid, match="无法解析 JSON"):
        loads_rule_set("{", "json")


def test_unquoted_decimals_and_chinese_kinds_and_scopes_are_accepted() -> None:
    """Issue 8 item 15: `min_score: 69.5` unquoted (a YAML float) and the Chinese names the parser
    knows (课程, 职业技能等级证书, 本校, 本校及协议院校) pass the published schema too."""
    text = YAML.replace("{kind: course, code: K01, min_score: 70, issuer_scope: partner}",
                        "{kind: 课程, code: K01, min_score: 69.5, issuer_scope: 本校及协议院校}").replace(
        "{kind: course, code: K02, min_grade: 良, issuer_scope: own}", "{kind: 课程, code: K02, min_grade: 良, issuer_scope: 本校}"
    ).replace("kind: skill_certificate,", "kind: 职业技能等级证书,")  # fmt: skip
    rs = loads_rule_set(text)
    web, db = rs.rules
    assert str(db.sources[0].min_score) == "69.5" and db.sources[0].issuer_scope is IssuerScope.partner
    assert db.sources[1].issuer_scope is IssuerScope.own and web.sources[0].kind.value == "skill_certificate"
    as_json = dumps_rule_set(rs, "json").replace('"min_score": "69.5"', '"min_score": 69.5')
    assert '"min_score": 69.5' in as_json and loads_rule_set(as_json, "json") == rs
