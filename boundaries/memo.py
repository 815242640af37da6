"""A small least-recently-used map of rendered HTML, kept in each worker's own memory.

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
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        html = str(render())
        with self.lock:
            self.items[key] = html
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        return html

    def clear(self) -> None:
        with self.lock:
            self.items.clear()

    def __len__(self) -> int:
        return len(self.items)
