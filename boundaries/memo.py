"""A small least-recently-used map of rendered HTML, or of another value nobody changes, kept in each
worker's own memory.

What goes in is keyed by every input its rendering reads, so an entry can never be stale: a change
to any input is a different key, and the old entry simply ages out. No shared cache is needed, and a
restart starts afresh.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class Memo:
    """Safe under a threaded development server; bounded, so memory stays flat."""

    def __init__(self, size: int):
        self.size, self.items, self.lock = size, OrderedDict(), threading.Lock()

    def get_or_render(self, key: Hashable, render: Callable[[], str]) -> str:
        return self.get_or_make(key, lambda: str(render()))

    def get_or_make(self, key: Hashable, make: Callable[[], object]):
        """The value kept under `key`, made (outside the lock) and kept when there is none. Keep only
        values nobody changes: every caller shares the one kept."""
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = make()
        with self.lock:
            self.items[key] = value
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self.lock:
            self.items.clear()

    def __len__(self) -> int:
        return len(self.items)
