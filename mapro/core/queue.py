"""Huey on Redis without loading the Redis client before the queue is used (issue #15).

``huey.storage`` imports the ``redis`` package when it is imported (~13 MB in a web worker
with the ``cryptography`` it imports), and ``RedisHuey`` opens its connection pool when the
``HUEY`` object is made, at app loading. A web worker only needs the queue when a request
enqueues a task (a POST that sends mail, for instance); most requests never do.

``RedisHuey`` below (``settings.HUEY["huey_class"]`` with ``REDIS_URL``) makes its storage on
first use. ``mapro.wsgi`` imports ``huey.storage`` while ``redis`` looks absent (so the module
keeps ``None`` for the client's names), and ``_give_huey_the_redis_client`` gives them back
the moment the storage is made. In every other process (the consumer, commands, tests) huey
imported the client as usual and that step finds nothing to do.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from huey import RedisHuey as HueyRedisHuey
from huey import storage as huey_storage


def _give_huey_the_redis_client() -> None:
    """Set the names ``huey.storage`` could not import (see the module's docstring)."""
    if huey_storage.Redis is not None:
        return
    import redis
    from redis.exceptions import ConnectionError as RedisConnectionError
    from redis.exceptions import TimeoutError as RedisTimeoutError

    huey_storage.ConnectionPool = redis.ConnectionPool
    huey_storage.ConnectionError = RedisConnectionError
    huey_storage.TimeoutError = RedisTimeoutError
    huey_storage.Redis = redis.Redis
    # The class attribute was bound to the module's None when the class was made.
    huey_storage.RedisStorage.redis_client = redis.Redis


class LazyStorage:
    """Stands for a huey storage and makes it (``create``) on first attribute access."""

    def __init__(self, create: Callable[[], Any]) -> None:
        self._create = create
        self._storage: Any = None
        self._lock = threading.Lock()

    def made(self) -> bool:
        return self._storage is not None

    def _real(self) -> Any:
        if self._storage is None:
            with self._lock:
                if self._storage is None:
                    _give_huey_the_redis_client()
                    self._storage = self._create()
        return self._storage

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real(), name)


class RedisHuey(HueyRedisHuey):
    """huey's ``RedisHuey`` whose Redis storage is made when the queue is first used."""

    def create_storage(self) -> Any:
        if self._immediate and self.immediate_use_memory:
            return super().create_storage()  # the in-memory storage, no Redis
        return LazyStorage(super().create_storage)
