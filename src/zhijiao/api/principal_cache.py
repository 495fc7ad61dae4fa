"""Principals by user id, kept for a few seconds so that an API call need not query `users` each time.

Tokens are still verified on every request; only the user row behind a valid token is cached. The
bound: a user who is deactivated (or whose role or scope changes) keeps the old principal for at
most `ttl` seconds in each server process (`Settings.principal_cache_seconds`; 0 turns the cache
off). Only active users are cached, so a refused user is looked up again on the next request.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from zhijiao.domain.access import Principal


class PrincipalCache:
    """A bounded LRU of `user id → (principal, expiry)`; safe to share between threads."""

    def __init__(
        self,
        load: Callable[[int], Principal | None],
        ttl: float,
        size: int = 4096,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._load = load
        self.ttl = ttl
        self._size = size
        self._clock = clock
        self._lock = threading.Lock()
        self._items: OrderedDict[int, tuple[Principal, float]] = OrderedDict()

    def cached(self, user_id: int) -> Principal | None:
        """The principal if it is cached and fresh, without touching the database."""
        with self._lock:
            hit = self._items.get(user_id)
            if hit is None:
                return None
            if hit[1] <= self._clock():
                del self._items[user_id]
                return None
            self._items.move_to_end(user_id)
            return hit[0]

    def load(self, user_id: int) -> Principal | None:
        """Read the user from the database (None when missing or inactive) and cache an active one."""
        principal = self._load(user_id)
        if principal is not None and self.ttl > 0:
            with self._lock:
                self._items[user_id] = (principal, self._clock() + self.ttl)
                self._items.move_to_end(user_id)
                while len(self._items) > self._size:
                    self._items.popitem(last=False)
        return principal

    def get(self, user_id: int) -> Principal | None:
        return self.cached(user_id) or self.load(user_id)
