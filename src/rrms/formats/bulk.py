"""Helpers for handling files of a million rows in plain Python.

Building millions of small containers (rows, tuples) makes CPython's cyclic garbage
collector walk the growing heap again and again, though none of it is cyclic garbage:
pausing it for the duration of a bulk step is several times faster.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector inside the block, restoring its previous state."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
