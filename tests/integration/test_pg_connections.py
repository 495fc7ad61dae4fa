"""Pooled PostgreSQL connections: checked before use only after sitting idle (docs/decisions/0010)."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from sqlalchemy import text

from zhijiao.adapters.db.engine import make_engine


def _backend_pid(engine: Any) -> int:
    with engine.connect() as c:
        return int(c.execute(text("SELECT pg_backend_pid()")).scalar_one())


def test_a_connection_the_server_dropped_is_replaced_before_a_request_sees_it(postgres_db: str) -> None:
    engine = make_engine(postgres_db, ping_if_idle_seconds=0.0)
    try:
        first = _backend_pid(engine)
        with psycopg.connect(postgres_db.replace("+psycopg", ""), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (first,))
        second = _backend_pid(engine)  # no error: the dead connection was found and replaced
        assert second != first
    finally:
        engine.dispose()


def test_a_connection_in_steady_use_is_not_pinged(postgres_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    pings: list[object] = []
    for idle_seconds, expected in ((60.0, 0), (0.0, 2)):
        engine = make_engine(postgres_db, ping_if_idle_seconds=idle_seconds)
        monkeypatch.setattr(engine.dialect, "do_ping", lambda conn: pings.append(conn) or True)
        try:
            pings.clear()
            for _ in range(3):  # the first use is a new connection: never pinged
                _backend_pid(engine)
            assert len(pings) == expected
        finally:
            engine.dispose()
