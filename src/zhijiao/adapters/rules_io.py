"""Conversion rule sets as YAML or JSON: validated against the published schema, errors in Chinese.

The schema (`zhijiao/domain/conversion/rules.schema.json`) is package data; this adapter applies it
with jsonschema and reports every error with its path, then the domain parser adds the checks a
schema cannot express (dates in order, unique versions, ...).
"""

from __future__ import annotations

import json
import math
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from zhijiao.domain.conversion.rules import RuleSet, parse_rule_set, rule_set_to_dict
from zhijiao.domain.errors import ValidationFailed

Format = Literal["yaml", "json"]
_TYPE_NAMES = {"string": "字符串", "integer": "整数", "number": "数字", "object": "对象", "array": "列表",
               "boolean": "布尔值"}  # fmt: skip


class RuleSetInvalid(ValidationFailed):
    """The rule set does not follow the schema; `errors` lists every problem (path：message)."""

    code = "rule_set_invalid"

    def __init__(self, errors: list[str]) -> None:
        super().__init__("转换规则集校验失败：\n" + "\n".join(errors), field=None)
        self.errors = tuple(errors)


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


def rule_set_from_data(data: object) -> RuleSet:
    errors = schema_errors(data)
    if errors:
        raise RuleSetInvalid(errors)
    return parse_rule_set(data)


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


def loads_rule_set(text: str, fmt: Format = "yaml") -> RuleSet:
    try:
        data = (
            _dates_as_text(yaml.safe_load(text))
            if fmt == "yaml"
            else _dates_as_text(json.loads(text, parse_float=str))
        )
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise RuleSetInvalid([f"（根）：无法解析 {fmt.upper()}：{exc}"]) from exc
    return rule_set_from_data(data)


def dumps_rule_set(rule_set: RuleSet, fmt: Format = "yaml") -> str:
    data = rule_set_to_dict(rule_set)
    if fmt == "json":
        return json.dumps(data, ensure_ascii=False, indent=2)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def read_rule_set(path: Path) -> RuleSet:
    fmt: Format = "json" if path.suffix.lower() == ".json" else "yaml"
    return loads_rule_set(path.read_text("utf-8"), fmt)


def write_rule_set(rule_set: RuleSet, path: Path) -> None:
    fmt: Format = "json" if path.suffix.lower() == ".json" else "yaml"
    path.write_text(dumps_rule_set(rule_set, fmt), "utf-8")
