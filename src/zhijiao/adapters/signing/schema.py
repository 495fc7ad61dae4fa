"""Validate credentials offline: AchievementCredentials against the official OB 3.0
`achievementcredential.json`; transcripts against a CLR 2.0 `clrcredential.json` written from the
CLR 2.0 data model (its source is in the file), plus each bundled credential against the OB schema."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from typing import Any

from jsonschema import Draft201909Validator, FormatChecker

OB_SCHEMA = "achievementcredential.json"
CLR_SCHEMA = "clrcredential.json"
OB_LABEL = "Open Badges 3.0 结构规范（官方 achievementcredential.json）"
CLR_LABEL = "CLR 2.0 成绩单结构（clrcredential.json，据 CLR 2.0 数据模型编写）"


@cache
def _validator(name: str) -> Draft201909Validator:
    resource = files("zhijiao.adapters.signing").joinpath("schemas", name)
    schema = json.loads(resource.read_text("utf-8"))
    return Draft201909Validator(schema, format_checker=FormatChecker())


def _errors(name: str, document: Mapping[str, Any]) -> list[str]:
    errors = sorted(_validator(name).iter_errors(dict(document)), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(根)'}: {e.message}" for e in errors]


def schema_errors(credential: Mapping[str, Any]) -> list[str]:
    """OB 3.0 violations as `path: message`, empty when valid. Only `#/$defs` references: no network."""
    return _errors(OB_SCHEMA, credential)


def _is_transcript(document: Mapping[str, Any]) -> bool:
    declared = document.get("type")
    return "ClrCredential" in ([declared] if isinstance(declared, str) else declared or [])


def _bundled(document: Mapping[str, Any]) -> list[Any]:
    subject = document.get("credentialSubject")
    bundled = subject.get("verifiableCredential") if isinstance(subject, Mapping) else None
    return bundled if isinstance(bundled, list) else []


class CredentialSchemas:
    """The `SchemaChecker` of the verification pipeline: says exactly which schemas it applied."""

    def checked(self, credential: Mapping[str, Any]) -> str:
        if not _is_transcript(credential):
            return OB_LABEL
        return f"{CLR_LABEL}及所含 {len(_bundled(credential))} 份凭证的{OB_LABEL}"

    def __call__(self, credential: Mapping[str, Any]) -> list[str]:
        if not _is_transcript(credential):
            return schema_errors(credential)
        errors = [f"{CLR_SCHEMA} {e}" for e in _errors(CLR_SCHEMA, credential)]
        for i, item in enumerate(_bundled(credential)):
            found = schema_errors(item) if isinstance(item, Mapping) else ["不是 JSON 对象"]
            errors.extend(f"verifiableCredential/{i}/{e}" for e in found)
        return errors


CREDENTIAL_SCHEMAS = CredentialSchemas()
