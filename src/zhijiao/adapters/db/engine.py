"""Database engines for SQLite (embedded default) and PostgreSQL (psycopg 3)."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import make_url

PING_IF_IDLE_SECONDS = 1.0


def normalize_url(url: str) -> str:
    """Accept plain `postgresql://` URLs and use the psycopg 3 driver for them."""
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    return u.render_as_string(hide_password=False)


def make_engine(url: str, *, ping_if_idle_seconds: float = PING_IF_IDLE_SECONDS, **kwargs: Any) -> Engine:
    url = normalize_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)
        _configure_sqlite(engine)
        return engine
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 30)
    engine = create_engine(url, **kwargs)
    _ping_idle_connections(engine, ping_if_idle_seconds)
    return engine


def _ping_idle_connections(engine: Engine, idle_seconds: float) -> None:
    """Check a pooled PostgreSQL connection before use if it sat idle for `idle_seconds` or more.

    Like SQLAlchemy's `pool_pre_ping`, a connection the server dropped (restart, idle timeout) is
    replaced before a request sees it, but a connection handed back and forth under load skips the
    extra round trip (docs/decisions/0010)."""

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_conn: Any, record: Any) -> None:
        record.info["zhijiao_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("zhijiao_idle_since")
        if dbapi_conn.closed:
            raise exc.DisconnectionError("连接已关闭")
        if since is None or time.monotonic() - since < idle_seconds:
            return  # new, or just handed back
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as e:
            raise exc.DisconnectionError("数据库连接已失效") from e


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself (pysqlite's own handling defers it oddly).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        if engine.url.database not in (None, "", ":memory:"):
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the write lock at BEGIN: a deferred transaction that read first could not
        # upgrade after another writer committed (SQLITE_BUSY_SNAPSHOT). Readers stay deferred.
        write = conn.get_execution_options().get("zhijiao_write", True)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")
