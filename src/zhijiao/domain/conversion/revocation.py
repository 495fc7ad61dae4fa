"""撤销成果: a revoked source outcome flags the exemptions that used it."""

from __future__ import annotations

from collections.abc import Iterable

from zhijiao.domain.conversion.allocation import Exemption


def flag_revoked(outcome_id: int, exemptions: Iterable[Exemption]) -> tuple[Exemption, ...]:
    """The exemptions that rest on the revoked outcome and must be reviewed again."""
    return tuple(e for e in exemptions if outcome_id in e.outcome_ids)
