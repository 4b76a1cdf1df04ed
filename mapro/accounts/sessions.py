"""The session store (``SESSION_ENGINE``): Django's database sessions, read by compiled SQL.

Every signed-in request reads its session row; building that query through the ORM cost more
than running it (``mapro.core.compiled``). With ``REDIS_URL`` the sessions are also kept in the
cache (Django's ``cached_db``: read from Redis, written to both, deleted from both on logout),
so a request reads no session row at all. Without Redis the cache is each process's own memory,
which another worker's logout would not clear: the database alone is read then.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.sessions.backends import cached_db, db
from django.contrib.sessions.models import Session
from django.utils import timezone

from mapro.core.compiled import CompiledQuery

_SESSION = CompiledQuery(
    lambda key, now: Session.objects.filter(session_key=key, expire_date__gt=now).values_list(
        "session_data", "expire_date"
    ),
    key="\0clave-de-reemplazo",
    now=datetime.datetime(1901, 2, 3, 4, 5, 6, tzinfo=datetime.UTC),
)


class _Row:
    __slots__ = ("expire_date", "session_data")

    def __init__(self, session_data: str, expire_date: datetime.datetime) -> None:
        self.session_data = session_data
        self.expire_date = expire_date


class _CompiledRead:
    session_key: Any
    _session_key: Any

    def _get_session_from_db(self) -> Any:
        key = self.session_key
        if not key:
            self._session_key = None
            return None
        rows = _SESSION.rows(key=key, now=timezone.now())
        if not rows:
            self._session_key = None
            return None
        return _Row(*rows[0])


class DatabaseSessionStore(_CompiledRead, db.SessionStore):
    """Database sessions (no Redis)."""


class CachedSessionStore(_CompiledRead, cached_db.SessionStore):
    """Database sessions kept in the cache too (with ``REDIS_URL``)."""


#: ``SESSION_ENGINE = "mapro.accounts.sessions"`` (no Redis).
SessionStore = DatabaseSessionStore
