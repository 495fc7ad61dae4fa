"""Exit codes and labels of `zhijiao credential verify` (importable without the Typer app)."""

from __future__ import annotations

from zhijiao.domain.credentials.verify import Verdict

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
