"""Conversion rule sets as YAML or JSON: validated against the published schema, errors in Chinese.

The schema (`zhijiao/domain/conversion/rules.schema.json`) is package data; this adapter applies it
with jsonschema and reports every error with its path, then the domain parser adds the checks a
schema cannot express (dates in order, unique versions, ...).

A file names institutions by their codes (`institution`, `plan.institution`, `issuers`, `partner`:
学校标识码 or 统一社会信用代码), never by database ids; the caller passes `resolve` (code → id, raising a
Chinese error naming the field) and `code_of` (id → code). The domain keeps ids
(`institution_id`, `issuer_ids`, `partner_id`). Files still carrying those id fields are refused: an
id only means something in one database, so such a file cannot be migrated — re-export it
(decision 0017).
"""

from __future__ import annotations

import json
import math
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, Literal, Protocol

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from zhijiao.domain.conversion.rules import RuleSet, parse_rule_set, rule_set_to_dict
from zhijiao.domain.errors import ValidationFailed
from zhijiao.domain.text import clean

Format = Literal["yaml", "json"]
_TYPE_NAMES = {"string": "字符串", "integer": "整数", "number": "数字", "object": "对象", "array": "列表",
               "boolean": "布尔值"}  # fmt: skip


class RuleSetInvalid(ValidationFailed):
    """The rule set does not follow the schema; `errors` lists every problem (path：message)."""

    code = "rule_set_invalid"

    def __init__(self, errors: list[str]) -> None:
        super().__init__("转换规则集校验失败：\n" + "\n".join(errors), field=None)
        self.errors = tuple(errors)


class Resolve(Protocol):
    def __call__(self, code: str, field: str) -> int:
        """The id of the institution with this 学校标识码/统一社会信用代码; `field` names it in errors."""
        ...


class CodeOf(Protocol):
    def __call__(self, institution_id: int) -> str:
        """The code a file names this institution by (学校标识码, else 统一社会信用代码)."""
        ...


OLD_ID_FIELDS = ("institution_id", "issuer_ids", "partner_id")


@cache
def rules_schema() -> dict[str, Any]:
    text = resources.files("zhijiao.domain.conversion").joinpath("rules.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _path(error: ValidationError) -> str:
    out = ""
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "（根）"


def _message(error: ValidationError) -> str:
    v, value = error.validator, error.validator_value
    if v == "required":
        missing = [k for k in value if isinstance(error.instance, dict) and k not in error.instance]
        return f"缺少必填字段 {'、'.join(missing)}"
    if v == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return f"不允许的字段 {'、'.join(extra)}"
    if v == "type":
        return f"类型应为{_TYPE_NAMES.get(str(value), str(value))}，实际为 {error.instance!r}"
    if v == "enum":
        return f"取值 {error.instance!r} 无效，可选：{'、'.join(str(x) for x in value)}"
    if v == "propertyNames":
        return f"字段名 {error.instance!r} 无效"
    if v in ("minimum", "maximum"):
        return f"数值 {error.instance!r} {'不能小于' if v == 'minimum' else '不能大于'} {value}"
    if v == "exclusiveMinimum":
        return f"数值 {error.instance!r} 必须大于 {value}"
    if v == "minItems":
        return f"至少需要 {value} 项"
    if v == "minLength":
        return "不能为空"
    if v == "uniqueItems":
        return "列表中有重复项"
    if v == "pattern":
        return f"格式不正确：{error.instance!r}"
    if v in ("oneOf", "anyOf"):
        return f"取值 {error.instance!r} 不符合允许的格式"
    return f"不符合规则 {v}"


def schema_errors(data: object, schema: dict[str, Any] | None = None) -> list[str]:
    """Every error against `schema` (default: the conversion rules') as 'path：message' (zh-CN), in
    document order."""
    validator = Draft202012Validator(rules_schema() if schema is None else schema)
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    return [f"{_path(e)}：{_message(e)}" for e in errors]


def _old_id_fields(data: object, path: str = "") -> list[str]:
    """Where a file still names institutions by internal ids (the format before codes)."""
    found: list[str] = []
    if isinstance(data, dict):
        for k, v in data.items():
            here = f"{path}.{k}" if path else str(k)
            if k in OLD_ID_FIELDS:
                found.append(here)
            found += _old_id_fields(v, here)
    elif isinstance(data, list):
        for i, v in enumerate(data):
            found += _old_id_fields(v, f"{path}[{i}]")
    return found


def normalise_code(value: object) -> str:
    """A code as written (YAML reads an unquoted 学校标识码 as a number): NFKC, zero-width removed, trimmed,
    upper case (统一社会信用代码 letters are capitals)."""
    return clean(str(value)).upper()


def from_file_data(data: dict[str, Any], resolve: Resolve) -> dict[str, Any]:
    """Schema-valid file data (codes) → the domain's data (ids)."""
    out = dict(data)
    out["institution_id"] = resolve(normalise_code(out.pop("institution")), "institution")
    plan = dict(out["plan"])
    plan["institution_id"] = resolve(normalise_code(plan.pop("institution")), "plan.institution")
    out["plan"] = plan
    rules_out = []
    for i, rule in enumerate(out.get("rules", [])):
        sources = []
        for j, cond in enumerate(rule["sources"]):
            cond = dict(cond)
            if "issuers" in cond:
                where = f"rules[{i}].sources[{j}].issuers"
                cond["issuer_ids"] = [resolve(normalise_code(c), where) for c in cond.pop("issuers")]
            sources.append(cond)
        rules_out.append({**rule, "sources": sources})
    out["rules"] = rules_out
    agreements = []
    for i, agreement in enumerate(out.get("agreements", [])):
        agreement = dict(agreement)
        agreement["partner_id"] = resolve(normalise_code(agreement.pop("partner")), f"agreements[{i}].partner")
        agreements.append(agreement)
    out["agreements"] = agreements
    return out


def to_file_data(data: dict[str, Any], code_of: CodeOf) -> dict[str, Any]:
    """The domain's data (ids, from `rule_set_to_dict`) → file data (codes), keys in the schema's order."""
    return {
        "institution": code_of(data["institution_id"]),
        "plan": {
            "institution": code_of(data["plan"]["institution_id"]),
            "major_code": data["plan"]["major_code"],
            "cohort_year": data["plan"]["cohort_year"],
        },
        "caps": data["caps"],
        "rules": [
            {
                **rule,
                "sources": [
                    {
                        ("issuers" if k == "issuer_ids" else k): ([code_of(x) for x in v] if k == "issuer_ids" else v)
                        for k, v in cond.items()
                    }
                    for cond in rule["sources"]
                ],
            }
            for rule in data["rules"]
        ],
        "agreements": [
            {("partner" if k == "partner_id" else k): (code_of(v) if k == "partner_id" else v) for k, v in a.items()}
            for a in data["agreements"]
        ],
    }


def check_file_data(data: object) -> dict[str, Any]:
    """The file refused unless it follows the published schema (old id fields are named first)."""
    old = _old_id_fields(data)
    if old:
        raise RuleSetInvalid(
            [
                f"{where}：规则文件不再接受内部编号，请改用机构代码（学校标识码或统一社会信用代码）；"
                "可用 zhijiao rules export 导出现行格式的规则文件"
                for where in old
            ]
        )
    errors = schema_errors(data)
    if errors:
        raise RuleSetInvalid(errors)
    assert isinstance(data, dict)
    return data


def rule_set_from_data(data: object, resolve: Resolve) -> RuleSet:
    return parse_rule_set(from_file_data(check_file_data(data), resolve))


def _dates_as_text(value: object) -> object:
    """YAML reads unquoted 2023-09-01 as a date; the schema (like JSON) wants the ISO text. An unquoted
    decimal (`min_score: 69.5`) is read as a float: it is kept as the decimal text the person wrote
    (Python's shortest round-trip form), never as a binary fraction."""
    if isinstance(value, dict):
        return {k: _dates_as_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(v) for v in value]
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    return value.isoformat() if isinstance(value, date) else value


def loads_rule_set(text: str, fmt: Format = "yaml", *, resolve: Resolve) -> RuleSet:
    try:
        data = (
            _dates_as_text(yaml.safe_load(text))
            if fmt == "yaml"
            else _dates_as_text(json.loads(text, parse_float=str))
        )
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise RuleSetInvalid([f"（根）：无法解析 {fmt.upper()}：{exc}"]) from exc
    return rule_set_from_data(data, resolve)


def dumps_rule_set(rule_set: RuleSet, fmt: Format = "yaml", *, code_of: CodeOf) -> str:
    data = to_file_data(rule_set_to_dict(rule_set), code_of)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)

