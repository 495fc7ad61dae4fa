"""录取政策 files (YAML or JSON): validated against the published schema, every problem named in Chinese,
then the domain's own checks (the skill share ≥ 50 %, ...)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any

import yaml

from zhijiao.adapters.rules_io import schema_errors
from zhijiao.domain.admissions.policy import Part, Policy, PolicyInvalid, parse_policy, skill_share_problem

PACKAGE = "zhijiao.domain.admissions"


@cache
def policy_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        resources.files(PACKAGE).joinpath("policy.schema.json").read_text("utf-8")
    )
    return schema


def policy_template() -> str:
    """The documented example policy a province edits (YAML with comments)."""
    return resources.files(PACKAGE).joinpath("policy-template.yaml").read_text("utf-8")


def load_policy_data(text: str, filename: str = "policy.yaml") -> dict[str, Any]:
    json_file = filename.lower().endswith(".json")
    try:
        data = json.loads(text) if json_file else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise PolicyInvalid(
            [f"文件“{filename}”无法解析为 {'JSON' if json_file else 'YAML'}：{exc}"]
        ) from None
    if not isinstance(data, dict):
        raise PolicyInvalid([f"文件“{filename}”应为一个对象（键值对），实际为 {type(data).__name__}"])
    return data


def policy_from_data(data: Mapping[str, Any], overrides: Mapping[str, Any] | None = None) -> Policy:
    """Apply command-line overrides (dotted keys, e.g. ``exempt_groups.mode``), validate, parse."""
    merged: dict[str, Any] = json.loads(json.dumps(data, default=str))
    for dotted, value in (overrides or {}).items():
        node = merged
        *parents, last = dotted.split(".")
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = value
    errors = schema_errors(merged, policy_schema())
    if errors:
        raise PolicyInvalid(errors + _share_problem(merged))
    return parse_policy(merged)


def _share_problem(data: Mapping[str, Any]) -> list[str]:
    """The skill-share refusal, reported along with schema errors when the figures can be read."""
    try:
        parts = [data["score"][k] for k in ("culture", "skill")]
        culture, skill = (
            Part(str(p.get("name", n)), Decimal(str(p["full_marks"])), Decimal(str(p.get("weight", 1))))
            for p, n in zip(parts, ("文化素质", "职业技能"), strict=True)
        )
    except (KeyError, TypeError, AttributeError, ArithmeticError):
        return []
    why = skill_share_problem(culture, skill)
    return [why] if why else []


def read_policy(
    text: str, filename: str = "policy.yaml", overrides: Mapping[str, Any] | None = None
) -> Policy:
    return policy_from_data(load_policy_data(text, filename), overrides)
