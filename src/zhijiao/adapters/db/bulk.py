"""Fast bulk writes: client-side id allocation, then executemany (SQLite) or COPY (PostgreSQL)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Numeric, Table, func, select, text

BIG_WRITE = 10_000  # rows
BULK_CACHE_KIB = 64 * 1024


def allocate_ids(conn: Connection, table: Table, n: int) -> int:
    """Reserve `n` consecutive ids in `table` (whose ids the application assigns); return the first.

    PostgreSQL: a transaction-scoped advisory lock per table serialises allocators.
    SQLite: the caller's transaction must already have written (holding the database write lock),
    so max(id) cannot move under it.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:t))"), {"t": table.name})
    return int(conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()) + 1


def timestamp_value(conn: Connection, moment: datetime) -> Any:
    """`moment` as `insert_rows(..., plain=True)` takes it: SQLite's UTC text, or the aware datetime itself."""
    return moment if conn.dialect.name == "postgresql" else _sqlite_value(moment)


def insert_rows(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    plain: bool = False,
) -> None:
    """Insert many rows given as tuples in `columns` order.

    `plain`: the values are already what the database takes as they are (str, int, None, bytes;
    decimals and dates as text; times from `timestamp_value`), so SQLite gets them unconverted."""
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        assert raw is not None
        cols = ", ".join(columns)
        with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    if len(rows) >= BIG_WRITE:
        # a big write touches far more index pages than the default 2 MiB page cache holds
        conn.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
    placeholders = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({placeholders})"
    # straight to the driver, in this connection's transaction: one prepared statement for all rows
    raw = conn.connection.driver_connection
    assert raw is not None
    raw.executemany(sql, rows if plain else _sqlite_rows(table, columns, rows))


def _sqlite_rows(
    table: Table, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[tuple[Any, ...]]:
    """Rows with Decimal, date and datetime values turned into SQLite text.

    Only the numeric, date and time columns are touched; dates and times repeat, so each distinct
    value is converted once."""
    convert = [
        i for i, name in enumerate(columns) if isinstance(table.c[name].type, Numeric | Date | DateTime)
    ]
    if not convert:
        return [tuple(r) for r in rows]
    out = []
    memo: dict[Any, Any] = {}
    for r in rows:
        row = list(r)
        for i in convert:
            v = row[i]
            if type(v) not in _NATIVE:
                if type(v) is Decimal:
                    row[i] = str(v)
                else:
                    hit = memo.get(v)
                    if hit is None:
                        hit = memo[v] = _sqlite_value(v)
                    row[i] = hit
        out.append(tuple(row))
    return out


_NATIVE = frozenset({str, int, float, bytes, bool, type(None)})


def _sqlite_value(v: Any) -> Any:
    if isinstance(v, Decimal):
        return str(v)
    if isinstance(v, datetime):
        if v.tzinfo is not None:
            v = v.astimezone(UTC).replace(tzinfo=None)
        return v.isoformat(sep=" ", timespec="microseconds")
    if isinstance(v, date):
        return v.isoformat()
    return v
