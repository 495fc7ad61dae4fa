"""The API's principal cache: tokens are still checked on every request, and a deactivated user
loses access within `Settings.principal_cache_seconds`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from tests.conftest import token_for
from tests.factories import World
from zhijiao.adapters.db.tables import users
from zhijiao.api.app import create_app
from zhijiao.api.principal_cache import PrincipalCache
from zhijiao.bootstrap import Platform
from zhijiao.services.users import load_principal


def deactivate(platform: Platform, username: str) -> None:
    with platform.engine.begin() as c:
        c.execute(update(users).where(users.c.username == username).values(is_active=False))


@pytest.fixture
def clocked(platform: Platform) -> Iterator[tuple[TestClient, list[float]]]:
    """A client whose principal cache runs on a clock the test moves."""
    now = [1000.0]
    app = create_app(platform)
    app.state.principals = PrincipalCache(
        lambda user_id: load_principal(platform.uow(), user_id),
        platform.settings.principal_cache_seconds,
        clock=lambda: now[0],
    )
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c, now


def test_a_deactivated_user_loses_access_within_the_ttl(
    clocked: tuple[TestClient, list[float]], platform: Platform, world: World
) -> None:
    client, now = clocked
    ttl = platform.settings.principal_cache_seconds
    assert ttl == 5
    h = token_for(client, "national")
    path = f"/api/v1/accounts/{world.learner_account.account_no}/transcript"
    assert client.get(path, headers=h).status_code == 200
    deactivate(platform, "national")
    now[0] += ttl - 0.5
    assert client.get(path, headers=h).status_code == 200  # the documented bound: still cached
    now[0] += 0.5
    r = client.get(path, headers=h)
    assert r.status_code == 401
    assert r.json()["title"] == "未登录或登录已过期"


def test_without_the_cache_deactivation_is_immediate(platform: Platform, world: World) -> None:
    uncached = Platform(platform.settings.model_copy(update={"principal_cache_seconds": 0}))
    try:
        with TestClient(create_app(uncached), raise_server_exceptions=False) as client:
            h = token_for(client, "national")
            assert client.get("/api/v1/me", headers=h).status_code == 200
            deactivate(platform, "national")
            assert client.get("/api/v1/me", headers=h).status_code == 401
    finally:
        uncached.dispose()


def test_a_cached_user_still_needs_a_valid_token(
    clocked: tuple[TestClient, list[float]], world: World
) -> None:
    client, _ = clocked
    h = token_for(client, "national")
    assert client.get("/api/v1/me", headers=h).status_code == 200
    head, claims, signature = h["Authorization"].removeprefix("Bearer ").split(".")
    tampered = {"Authorization": f"Bearer {head}.{claims}.{signature[::-1]}"}
    assert client.get("/api/v1/me", headers=tampered).status_code == 401
    assert client.get("/api/v1/me").status_code == 401
