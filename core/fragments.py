"""A small per-process cache of rendered HTML fragments, keyed by everything a fragment
is made of (so a changed object has a new key and nothing needs invalidating)."""

from __future__ import annotations

import threading
from collections import OrderedDict

from markupsafe import Markup

CACHE_SIZE = 4096


class FragmentCache:
    """A small thread-safe LRU of rendered fragments (`make run` serves with threads)."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key, render) -> Markup:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                self.hits += 1
                return found
        html = render()
        with self._lock:
            self.misses += 1
            self._items[key] = html
            if len(self._items) > self.size:
                self._items.popitem(last=False)
        return html
