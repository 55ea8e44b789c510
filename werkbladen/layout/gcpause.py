"""The cyclic garbage collector paused for a build: a module of its own, so that the report
(``werkbladen.report.document``) can pause it without importing the werkbladen's layout."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Switch the cyclic garbage collector off for a build, and back on if it was on.

    Laying out makes hundreds of thousands of short-lived objects, which sets off collections
    that find next to nothing: reference counting frees them (measured: the same peak memory
    with the collector off, and 5–10% less CPU).
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
