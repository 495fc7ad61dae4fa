"""Quality results as plain JSON-ready data: one shape for the CLI's `--format json` and the API."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from zhijiao.adapters.db.quality_repository import StoredValue
from zhijiao.domain.quality.indicators import INDICATOR_BY_CODE
from zhijiao.services.quality.collection import QualityImportResult, SubmissionState
from zhijiao.services.quality.verdicts import SchoolCard, SchoolYear, Trace


def rfc3339(moment: datetime | None) -> str | None:
    """RFC 3339 with an offset (SQLite gives naive UTC back)."""
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def number(v: Decimal | float | None) -> float | int | None:
    if v is None:
        return None
    d = Decimal(str(v))
    return int(d) if d == d.to_integral_value() else float(d)


def school_year_json(report: SchoolYear) -> dict[str, Any]:
    rows = []
    for line in report.lines:
        v = line.verdict
        source = v.standard.source if v.standard else v.indicator.source
        rows.append(
            {
                "indicator": v.indicator.code, "name": v.indicator.name, "value": number(v.result.value),
                "numerator": number(v.result.numerator), "denominator": number(v.result.denominator),
                "threshold": number(v.threshold),
                "restrict_line": number(v.standard.restrict_line if v.standard else None),
                "standard_scope": v.standard.scope if v.standard else None,
                "standard_verified": (v.standard.verified and v.standard.restrict_verified) if v.standard else None,
                "verdict": v.verdict.value, "source": source.cite() if source else None,
                "source_en": source.cite_en() if source else None,
                "formula": v.indicator.formula(), "explanation": v.explanation,
                "name_en": v.indicator.name_en, "formula_en": v.indicator.formula_en(),
                "explanation_en": v.explanation_en,
                "previous": number(line.previous), "jump": number(line.jump),
            }
        )  # fmt: skip
    return {
        "org": report.school.code, "school": report.school.name, "level": report.school.level.value,
        "discipline_type": report.school.discipline.value, "year": report.year, "periods": report.periods,
        "card": report.card.card.value, "card_explanation": report.card.explanation,
        "card_explanation_en": report.card.explanation_en,
        "status": report.status.value, "indicators": rows,
        "violations": [v.explanation for v in report.violations],
        "violations_en": [v.explanation_en for v in report.violations],
    }  # fmt: skip


def cards_json(found: list[SchoolCard]) -> list[dict[str, Any]]:
    return [
        {
            "org": c.school.code, "school": c.school.name, "level": c.school.level.value,
            "discipline_type": c.school.discipline.value, "card": c.card.value if c.card else None,
            "below": list(c.below), "below_indicators": list(c.below_codes),
            "below_en": [INDICATOR_BY_CODE[code].name_en for code in c.below_codes], "explanation": c.explanation,
            "explanation_en": c.explanation_en, "status": c.status.value,
            "outliers": c.outliers, "outliers_en": c.outliers_en, "values": c.values,
        }
        for c in found
    ]  # fmt: skip


def value_json(v: StoredValue) -> dict[str, Any]:
    return {
        "element": v.element, "category": v.category, "period": v.period, "value": number(v.value),
        "version": v.version, "current": v.is_current, "file": v.filename, "file_sha256": v.file_sha256,
        "sheet": v.sheet, "cell": v.cell, "row": v.row_no, "batch": v.batch_id, "submitted_by": v.submitted_by,
        "submitted_at": rfc3339(v.submitted_at),
    }  # fmt: skip


def trace_json(t: Trace) -> dict[str, Any]:
    return {
        "indicator": t.indicator, "formula": t.formula, "formula_en": t.formula_en, "value": number(t.value),
        "cells": [value_json(v) for v in t.cells], "history": [value_json(v) for v in t.history],
    }  # fmt: skip


def import_json(r: QualityImportResult) -> dict[str, Any]:
    return {
        "filename": r.filename, "ok": r.ok, "values_total": r.values_total, "values_written": r.values_written,
        "values_unchanged": r.values_unchanged, "batch_id": r.batch_id, "schools": r.schools, "periods": r.periods,
        "warnings": r.warnings, "warnings_en": r.warnings_en,
        "problems": [
            {"sheet": p.where.sheet, "cell": p.where.cell, "row": p.where.row, "column": p.column,
             "where": p.where.describe(p.column), "message": p.message}
            for p in r.problems
        ],
    }  # fmt: skip


def state_json(s: SubmissionState) -> dict[str, Any]:
    return {
        "org": s.school, "school": s.school_name, "period": s.period, "status": s.status.value,
        "declared_by": s.declared_by, "submitted_at": rfc3339(s.submitted_at),
        "on_time": s.on_time,
        "history": [{**e, "at": rfc3339(e["at"])} for e in s.history],
    }  # fmt: skip
