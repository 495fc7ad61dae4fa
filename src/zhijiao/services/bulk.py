"""What the bulk services (an outcome import, an admissions run) share."""

from __future__ import annotations

import contextlib
import gc
import queue
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """A bulk run makes millions of small objects and keeps a million of them alive: each of the
    collector's generation-2 passes then walks them all, for no garbage (nothing here makes cycles).
    Measured on 200,000 import rows: 7.5 s → 5.3 s end to end. Reference counting still frees everything."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class InOrder:
    """Runs submitted calls one after another on a thread of its own, in submission order, while the
    caller prepares the next ones (decision 0020): a bulk write's database work — SQLite's B-tree
    updates and foreign-key look-ups inside `sqlite3_step`, PostgreSQL's server round trips — runs
    without the GIL, so it overlaps the Python work of building the next rows.

    The calls use the caller's connection and transaction: while an `InOrder` is open, the caller
    must not touch that connection itself. At most `depth` calls wait (bounded memory). `close`
    waits for all of them and raises the first error; after an error the remaining calls are
    dropped (the caller's transaction is then rolled back)."""

    def __init__(self, depth: int = 2) -> None:
        self._calls: queue.Queue[tuple[Callable[..., object], tuple[object, ...], dict[str, object]] | None]
        self._calls = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="zhijiao-bulk-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (call := self._calls.get()) is not None:
            if self._error is None:
                fn, args, kwargs = call
                try:
                    fn(*args, **kwargs)
                except BaseException as e:  # handed to the caller by `close` or the next `submit`
                    self._error = e

    def submit(self, fn: Callable[..., object], *args: object, **kwargs: object) -> None:
        if self._error is not None:
            self.close()
        self._calls.put((fn, args, kwargs))

    def close(self) -> None:
        if self._thread.is_alive():
            self._calls.put(None)
            self._thread.join()
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def __enter__(self) -> InOrder:
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        if exc_type is None:
            self.close()
            return
        with contextlib.suppress(BaseException):  # the caller's own error is the one to see
            self.close()
