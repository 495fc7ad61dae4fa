"""What the bulk services (an outcome import, an admissions run) share."""

from __future__ import annotations

import gc
from collections.abc import Iterator
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
