"""Validate credentials against the official OB 3.0 `achievementcredential.json` (offline)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from typing import Any

from jsonschema import Draft201909Validator, FormatChecker


@cache
def _validator() -> Draft201909Validator:
    resource = files("zhijiao.adapters.signing").joinpath("schemas", "achievementcredential.json")
    text = resource.read_text("utf-8")
    schema = json.loads(text)
    return Draft201909Validator(schema, format_checker=FormatChecker())


def schema_errors(credential: Mapping[str, Any]) -> list[str]:
    """Violations as `path: message`, empty when valid. Only `#/$defs` references: no network."""
    errors = sorted(_validator().iter_errors(dict(credential)), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(根)'}: {e.message}" for e in errors]
