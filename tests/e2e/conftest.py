"""Fixtures the page tests share: the page world and signing in through the real form."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from tests.e2e.page_world import PageWorld, build_page_world
from tests.factories import PASSWORD, World

SignIn = Callable[[str], None]


@pytest.fixture
def pw(world: World) -> PageWorld:
    return build_page_world(world)


@pytest.fixture
def sign_in(client: TestClient) -> SignIn:
    def _sign_in(username: str) -> None:
        client.cookies.clear()
        r = client.post("/signin", data={"username": username, "password": PASSWORD}, follow_redirects=False)
        assert r.status_code == 303, r.text

    return _sign_in
