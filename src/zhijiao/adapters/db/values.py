"""Column values as the domain wants them, whichever database returned them.

SQLite hands back numerics as floats or text, dates as text and datetimes without a zone
(they are stored as UTC); PostgreSQL hands back Decimal, date and aware datetimes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any


def as_decimal(v: Any) -> Decimal | None:
    if v is None:
        return None
    return v if isinstance(v, Decimal) else Decimal(str(v))


def as_date(v: Any) -> date:
    return v if isinstance(v, date) else date.fromisoformat(str(v))


def as_utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
