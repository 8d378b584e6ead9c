"""Pause Python's cyclic garbage collector around work that creates no reference cycles.

CPython frees most objects by reference counting, the moment the last reference goes.
Only objects caught in reference cycles need the cyclic collector, which runs every few
hundred allocations and, now and then, walks every live container object. A training
step builds tens of thousands of graph nodes, so those walks can dominate its run time.

The graphs built by :class:`~autograd.engine.Value` contain no cycles (each ``_backward``
receives the upstream gradient as an argument instead of holding a reference to its own
output node), so reference counting alone frees them. Pausing the collector during a step
therefore loses no memory that this engine allocates.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Switch the cyclic garbage collector off inside the ``with`` block, then restore it.

    A context manager: use it as ``with gc_paused():``.

    The previous state is restored even if the block raises, and a collector that was
    already off stays off.

    >>> import gc
    >>> with gc_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
