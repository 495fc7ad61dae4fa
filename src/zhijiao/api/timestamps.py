"""The one type of every time the API returns: RFC 3339 with an offset, on every database.

SQLite has no time-zone type: SQLAlchemy hands back the stored UTC moment as a naive datetime, while
PostgreSQL's timestamptz comes back aware. Every time this platform stores is UTC (services.clock,
adapters.db.bulk), so a naive value read back *is* UTC. Response models declare their times as
`Timestamp`, which attaches UTC to a naive value when the model is built and writes the offset when
it is serialised — whatever path (validation or `model_construct`) built the model.
(issue 8 item 4; tests/e2e/test_api_timestamps.py checks every schema and every endpoint.)
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, PlainSerializer


def as_utc(moment: datetime) -> datetime:
    """`moment` with its offset: a naive value is the UTC this platform stores."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def rfc3339(moment: datetime) -> str:
    return as_utc(moment).isoformat()


Timestamp = Annotated[
    datetime,
    AfterValidator(as_utc),
    PlainSerializer(rfc3339, return_type=str, when_used="json"),
]
