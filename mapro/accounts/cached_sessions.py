"""``SESSION_ENGINE`` with ``REDIS_URL``: database sessions kept in the cache too (see
``mapro.accounts.sessions``)."""

from .sessions import CachedSessionStore as SessionStore

__all__ = ["SessionStore"]
