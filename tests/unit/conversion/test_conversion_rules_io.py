from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest

from zhijiao.adapters.analytics.conversion_synthetic import synthetic_plan, synthetic_rule_set
from zhijiao.adapters.rules_io import (
    RuleSetInvalid,
    dumps_rule_set,
    loads_rule_set,
    rule_set_from_data,
    to_file_data,
)
from zhijiao.domain.conversion.rules import IssuerScope, rule_set_to_dict
from zhijiao.domain.creditbank.model import Level
from zhijiao.domain.errors import ValidationFailed
from zhijiao.i18n import translator

# A file names institutions by code: the school by its 学校标识码, the certifier and the partner school by
# their 统一社会信用代码; the domain (and the stored documents) keep ids.
CODES = {"4144012345": 1, "52440105MJL000002X": 2, "12100000400000624D": 100}
IDS = {v: k for k, v in CODES.items()}


def resolve(code: str, field: str) -> int:
    if code not in CODES:
        raise ValidationFailed(f"{field}：找不到学校标识码或统一社会信用代码为 {code} 的机构", field=field)
    return CODES[code]


def loads(text: str, fmt: str = "yaml") -> Any:
    return loads_rule_set(text, fmt, resolve=resolve)  # type: ignore[arg-type]


def dumps(rs: Any, fmt: str = "yaml") -> str:
    return dumps_rule_set(rs, fmt, code_of=IDS.__getitem__)  # type: ignore[arg-type]


def file_data(rs: Any) -> dict[str, Any]:
    return to_file_data(rule_set_to_dict(rs), IDS.__getitem__)


YAML = """
institution: 4144012345
plan: {institution: "4144012345", major_code: "510201", cohort_year: 2023}
caps: {plan_ratio: "1/3", per_category: {专业核心: 12}, per_year: "30"}
rules:
  - id: WEB-1
    version: 2
    name: Web前端开发（中级）免修 Web前端开发
    effective_from: 2023-09-01
    sources:
      - {kind: skill_certificate, code: "X-WEB", min_level: 中级, within_years: 3, issuers: [12100000400000624D]}
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
  - {id: MOU-1, partner: 52440105MJL000002X, effective_from: 2021-01-01, rule_ids: [DB-2]}
"""


def test_yaml_document_parses() -> None:
    rs = loads(YAML)
    web, db = rs.rules
    assert web.sources[0].min_level is Level.intermediate and web.effective_from == date(2023, 9, 1)
    assert db.sources[0].issuer_scope is IssuerScope.partner and db.targets == ("H02", "B01")
    assert rs.agreements[0].rule_ids == {"DB-2"} and str(rs.caps.plan_ratio) == "1/3"
    assert rs.institution_id == rs.plan.institution_id == 1 and rs.agreements[0].partner_id == 2
    assert web.sources[0].issuer_ids == {100}


def test_codes_are_normalised_before_lookup() -> None:
    """Full-width digits, a zero-width space, surrounding spaces and lower case still name the institution."""
    text = YAML.replace('institution: "4144012345"', 'institution: " ４１４４０１２３４５\u200b"').replace(
        "partner: 52440105MJL000002X", "partner: 52440105mjl000002x"
    )
    rs = loads(text)
    assert rs.plan.institution_id == 1 and rs.agreements[0].partner_id == 2


def test_unknown_code_names_the_field_and_the_code() -> None:
    with pytest.raises(ValidationFailed) as info:
        loads(YAML.replace("issuers: [12100000400000624D]", "issuers: [12100000400000624D, 9999999999]"))
    assert info.value.message == "rules[0].sources[0].issuers：找不到学校标识码或统一社会信用代码为 9999999999 的机构"
    assert translator("en")(info.value.message) == (
        "rules[0].sources[0].issuers: no institution has the school code (学校标识码) or unified social credit code"
        " 9999999999"
    )


def test_files_with_internal_ids_are_refused_pointing_to_export() -> None:
    old = (
        YAML.replace("institution: 4144012345", "institution_id: 1")
        .replace("issuers: [12100000400000624D]", "issuer_ids: [100]")
        .replace("partner: 52440105MJL000002X", "partner_id: 2")
    )
    with pytest.raises(RuleSetInvalid) as info:
        loads(old)
    assert [e.split("：")[0] for e in info.value.errors] == [
        "institution_id", "rules[0].sources[0].issuer_ids", "agreements[0].partner_id"
    ]  # fmt: skip
    assert all("zhijiao rules export" in e and "机构代码" in e for e in info.value.errors)
    assert translator("en")(info.value.errors[0]).startswith("institution_id: rule files no longer accept internal ids")
    exported = dumps(loads(YAML))
    assert "_id" not in exported.replace("rule_ids", "") and "4144012345" in exported


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_round_trip(fmt: str) -> None:
    plan = synthetic_plan()
    rs = synthetic_rule_set(plan, rules=40)
    ids = {rs.institution_id, *(a.partner_id for a in rs.agreements)}
    ids |= {i for r in rs.rules for c in r.sources for i in (c.issuer_ids or ())}
    codes = {i: f"C{i:04d}" for i in ids}
    back = {c: i for i, c in codes.items()}
    text = dumps_rule_set(rs, fmt, code_of=codes.__getitem__)  # type: ignore[arg-type]
    assert loads_rule_set(text, fmt, resolve=lambda code, field: back[code]) == rs  # type: ignore[arg-type]


def test_every_schema_error_is_reported_with_its_path() -> None:
    data: dict[str, Any] = file_data(loads(YAML))
    bad = copy.deepcopy(data)
    del bad["rules"][0]["targets"]
    bad["rules"][1]["sources"][0]["kind"] = "diploma"
    bad["rules"][1]["sources"][1]["min_level"] = 9
    bad["rules"][1]["effective_from"] = "2022/01/01"
    bad["caps"]["plan_ratio"] = "一半"
    bad["agreements"][0]["colour"] = "red"
    with pytest.raises(RuleSetInvalid) as info:
        rule_set_from_data(bad, resolve)
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
    data: dict[str, Any] = file_data(loads(YAML))
    data["rules"][1]["effective_to"] = "2021-01-01"
    with pytest.raises(ValidationFailed, match="失效日期早于生效日期"):
        rule_set_from_data(data, resolve)


def test_unparsable_text() -> None:
    with pytest.raises(RuleSetInvalid, match="无法解析 JSON"):
        loads("{", "json")


def test_unquoted_decimals_and_chinese_kinds_and_scopes_are_accepted() -> None:
    """Issue 8 item 15: `min_score: 69.5` unquoted (a YAML float) and the Chinese names the parser
    knows (课程, 职业技能等级证书, 本校, 本校及协议院校) pass the published schema too."""
    text = YAML.replace("{kind: course, code: K01, min_score: 70, issuer_scope: partner}",
                        "{kind: 课程, code: K01, min_score: 69.5, issuer_scope: 本校及协议院校}").replace(
        "{kind: course, code: K02, min_grade: 良, issuer_scope: own}", "{kind: 课程, code: K02, min_grade: 良, issuer_scope: 本校}"
    ).replace("kind: skill_certificate,", "kind: 职业技能等级证书,")  # fmt: skip
    rs = loads(text)
    web, db = rs.rules
    assert str(db.sources[0].min_score) == "69.5" and db.sources[0].issuer_scope is IssuerScope.partner
    assert db.sources[1].issuer_scope is IssuerScope.own and web.sources[0].kind.value == "skill_certificate"
    as_json = dumps(rs, "json").replace('"min_score": "69.5"', '"min_score": 69.5')
    assert '"min_score": 69.5' in as_json and loads(as_json, "json") == rs
