"""Times shown to people: 北京时间 (UTC+8), always labelled. One rule for pages and exports.

Storage and the API keep UTC / RFC 3339 with an offset; only what a person reads goes through here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

BEIJING = timezone(timedelta(hours=8), "北京时间")
LABEL = "北京时间"


def to_beijing(moment: datetime) -> datetime:
    if moment.tzinfo is None:  # SQLite gives naive UTC back
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BEIJING)


def beijing_time(moment: datetime | date | None, *, seconds: bool = False) -> str:
    """`2026-12-02 21:52`: the wall-clock time in Beijing (a date passes through as a date)."""
    if moment is None:
        return "—"
    if not isinstance(moment, datetime):
        return moment.isoformat()
    return to_beijing(moment).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def labelled(moment: datetime | None, label: str = LABEL) -> str:
    """`2026-12-02 21:52（北京时间）` — for exports and other places without a labelled column."""
    return "—" if moment is None else f"{beijing_time(moment)}（{label}）"
