"""A small per-process cache for values that are cheap to rebuild and never go stale.

Published forms, their validators and parsed specs are keyed by what makes them immutable
(a version's id and content hash, a text object): an entry is never wrong, only possibly
unused. ``BoundedCache`` keeps at most ``limit`` of them and empties itself when full, so a
process that sees many versions (tests, a long-lived worker) stays bounded without the
bookkeeping of an LRU; the next use rebuilds what it needs. Reads are ``dict.get``.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedCache(dict[K, V]):
    """A ``dict`` that ``put`` empties when it holds ``limit`` entries (module doc)."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def put(self, key: K, value: V) -> V:
        """Keep ``value`` under ``key`` (emptying the cache first when full); return it."""
        if len(self) >= self.limit:
            self.clear()
        self[key] = value
        return value
