"""Figures computed from the rollup tables, kept in the worker between requests.

The region page's figures (and the national overview's rows) depend only on the rollup
tables, the period and the language of the labels; they are the same for everyone
allowed to see the region. A refresh of the rollups writes a new random stamp
(`insight.models.RollupRefresh`) in the same transaction, so an entry keyed on
(what, region, period, language, stamp) can never outlive the rows it was computed
from. Only suppressed figures and HTML rendered from them are stored; who may see a
region is decided per request, before the cache is asked.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import TypeVar

from flask import current_app
from sqlalchemy import select

from core.i18n import current_language
from insight.models import RollupRefresh

#: Entries per worker: 27 regions × 12 periods × 2 languages would be 648; the pages
#: people open are far fewer, and an entry is at most ~50 kB.
MAX_ENTRIES = 256
EXTENSION = "insight_figures_cache"

T = TypeVar("T")


class FiguresCache:
    """A small least-recently-used mapping, safe for threaded workers."""

    def __init__(self, max_entries: int = MAX_ENTRIES) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[Hashable, object] = OrderedDict()
        self._lock = Lock()

    def get_or_make(self, key: Hashable, make: Callable[[], T]) -> T:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]  # type: ignore[return-value]
        value = make()
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def init_app(app) -> None:
    app.extensions[EXTENSION] = FiguresCache()


def figures_cache() -> FiguresCache:
    return current_app.extensions[EXTENSION]


def refresh_stamp_column():
    """The stamp of the committed refresh, as a scalar subquery (to ride along with a
    query the page runs anyway)."""
    return select(RollupRefresh.stamp).order_by(RollupRefresh.id.desc()).limit(1).scalar_subquery()


def cached(stamp: str | None, key: tuple, make: Callable[[], T]) -> T:
    """`make()` once per (key, language, stamp) in this worker. Without a stamp (the
    rollups were never refreshed) nothing is cached."""
    if stamp is None:
        return make()
    return figures_cache().get_or_make((*key, current_language(), stamp), make)
