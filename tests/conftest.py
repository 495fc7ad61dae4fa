"""Shared fixtures: a migrated database on SQLite and on PostgreSQL, and a small world to act in.

PostgreSQL tests use ZHIJIAO_TEST_POSTGRES_URL, or a local server at 127.0.0.1:5432 (database
`test`) if one answers; otherwise they are skipped with the reason shown.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from tests.factories import PASSWORD, World, build_world
from zhijiao.adapters.db.migrate import upgrade
from zhijiao.adapters.db.tables import metadata
from zhijiao.bootstrap import Platform
from zhijiao.config import Settings

TEST_SECRET = "test-secret-key-0123456789abcdef-0123456789"
DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _postgres_url() -> str | None:
    url = os.environ.get("ZHIJIAO_TEST_POSTGRES_URL", DEFAULT_PG)
    try:
        eng = create_engine(
            url.replace("postgresql://", "postgresql+psycopg://"), connect_args={"connect_timeout": 2}
        )
        with eng.connect() as c:
            c.execute(text("select 1"))
        eng.dispose()
        return url
    except Exception:
        return None


@pytest.fixture(scope="session")
def postgres_server() -> str:
    url = _postgres_url()
    if url is None and os.environ.get("ZHIJIAO_REQUIRE_POSTGRES"):
        pytest.fail("ZHIJIAO_REQUIRE_POSTGRES 已设置，但 PostgreSQL 不可用")
    if url is None:
        pytest.skip("未找到 PostgreSQL（设置 ZHIJIAO_TEST_POSTGRES_URL 或在 127.0.0.1:5432 启动服务）")
    return url


@pytest.fixture(scope="session")
def postgres_db(postgres_server: str) -> Iterator[str]:
    """A fresh database for this test session, migrated to head, dropped at the end."""
    name = f"zhijiao_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(
        postgres_server.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    yield url
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


def _truncate_postgres(url: str) -> None:
    eng = create_engine(url)
    names = ", ".join(t.name for t in metadata.sorted_tables)
    with eng.begin() as c:
        c.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        # a test may have switched the append-only triggers off, as an insider would: every test starts protected
        for t in metadata.sorted_tables:
            c.execute(text(f"ALTER TABLE {t.name} ENABLE TRIGGER USER"))
    eng.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> Iterator[str]:
    """A migrated, empty database: a copy of the SQLite template, or the session's PostgreSQL database."""
    if request.param == "sqlite":
        path = tmp_path / "zhijiao.db"
        shutil.copy(sqlite_template, path)
        yield f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_db")
        _truncate_postgres(url)
        yield url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, secret_key=TEST_SECRET)


@pytest.fixture
def platform(settings: Settings) -> Iterator[Platform]:
    p = Platform(settings)
    yield p
    p.dispose()


@pytest.fixture
def world(platform: Platform) -> World:
    return build_world(platform)


@pytest.fixture
def client(platform: Platform) -> Iterator[TestClient]:
    from zhijiao.api.app import create_app

    with TestClient(create_app(platform), raise_server_exceptions=False) as c:
        yield c


def token_for(client: TestClient, username: str) -> dict[str, str]:
    r = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}
