"""Exit codes and labels of `zhijiao credential verify` (importable without the Typer app)."""

from __future__ import annotations

from zhijiao.domain.credentials.verify import CheckOutcome, Verdict

# one exit code per verdict, so scripts can tell the failures apart
EXIT_CODES: dict[Verdict, int] = {
    Verdict.valid: 0,
    Verdict.malformed: 2,
    Verdict.tampered: 3,
    Verdict.unknown_issuer: 4,
    Verdict.revoked: 5,
    Verdict.suspended: 6,
    Verdict.expired: 7,
    Verdict.not_yet_valid: 8,
    Verdict.schema_invalid: 9,
    Verdict.incomplete: 10,
}
CHECK_LABELS = {
    "signature": "签名",
    "issuer_known": "发证机构",
    "not_expired": "有效期",
    "status": "状态",
    "schema": "结构规范",
}
OUTCOME_LABELS = {
    CheckOutcome.passed: "通过",
    CheckOutcome.failed: "未通过",
    CheckOutcome.not_checked: "未检查",
}
