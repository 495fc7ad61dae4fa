"""PrincipalCache on its own: time-bounded, size-bounded, and never caching a refusal."""

from __future__ import annotations

from zhijiao.api.principal_cache import PrincipalCache
from zhijiao.domain.access import Principal, Role


class Users:
    """A stand-in for the users table: user id → principal, counting the loads."""

    def __init__(self) -> None:
        self.active = {i: Principal(user_id=i, username=f"u{i}", role=Role.national_admin) for i in range(5)}
        self.loads = 0

    def load(self, user_id: int) -> Principal | None:
        self.loads += 1
        return self.active.get(user_id)


def test_a_principal_is_reused_until_its_ttl_runs_out() -> None:
    users, now = Users(), [100.0]
    cache = PrincipalCache(users.load, ttl=5, clock=lambda: now[0])
    assert cache.get(1) == users.active[1]
    now[0] += 4.9
    assert cache.get(1) == users.active[1]
    assert users.loads == 1
    del users.active[1]  # deactivated
    now[0] += 0.1
    assert cache.cached(1) is None
    assert cache.get(1) is None
    assert users.loads == 2


def test_a_refused_user_is_not_cached() -> None:
    users = Users()
    cache = PrincipalCache(users.load, ttl=5)
    assert cache.get(9) is None
    assert cache.get(9) is None
    assert users.loads == 2


def test_ttl_zero_turns_the_cache_off() -> None:
    users = Users()
    cache = PrincipalCache(users.load, ttl=0)
    cache.get(1)
    cache.get(1)
    assert users.loads == 2


def test_the_least_recently_used_principal_is_dropped_past_the_size() -> None:
    users = Users()
    cache = PrincipalCache(users.load, ttl=60, size=2)
    cache.get(1)
    cache.get(2)
    cache.get(1)  # 1 is now the most recently used
    cache.get(3)  # evicts 2
    assert cache.cached(1) is not None
    assert cache.cached(3) is not None
    assert cache.cached(2) is None
