"""Delivery settings, read at call time so tests and deployments can change them.

- ``NOTIFICATIONS_MAX_ATTEMPTS`` (10): claims before a message is marked failed.
- ``NOTIFICATIONS_BACKOFF_BASE`` (60): seconds before the first retry; doubles each attempt.
- ``NOTIFICATIONS_BACKOFF_CAP`` (3600): longest wait between attempts, in seconds.
- ``NOTIFICATIONS_LEASE`` (600): seconds a worker may hold a claimed message before another
  worker presumes it dead and claims the message again.
- ``NOTIFICATIONS_CLAIM_BATCH`` (10): messages claimed at a time; keep batch × SMTP timeout
  well under the lease.
- ``NOTIFICATIONS_SMTP_TIMEOUT`` (30): socket timeout for the mail server, in seconds
  (``EMAIL_TIMEOUT`` wins when set).
- ``NOTIFICATIONS_KICK_WORKER`` (True): after commit, ask the worker to deliver at once.
- ``NOTIFICATIONS_SYNC_LIMIT`` (200): recipients ``do_notify`` writes in the request; a larger
  audience is written by the worker.
"""

from django.conf import settings


def _int(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def max_attempts() -> int:
    return max(1, _int("NOTIFICATIONS_MAX_ATTEMPTS", 10))


def backoff_base() -> int:
    return max(1, _int("NOTIFICATIONS_BACKOFF_BASE", 60))


def backoff_cap() -> int:
    return max(1, _int("NOTIFICATIONS_BACKOFF_CAP", 3600))


def lease_seconds() -> int:
    return max(1, _int("NOTIFICATIONS_LEASE", 600))


def claim_batch() -> int:
    return max(1, _int("NOTIFICATIONS_CLAIM_BATCH", 10))


def smtp_timeout() -> float:
    timeout = getattr(settings, "EMAIL_TIMEOUT", None)
    return float(timeout if timeout else _int("NOTIFICATIONS_SMTP_TIMEOUT", 30))


def kick_worker() -> bool:
    return bool(getattr(settings, "NOTIFICATIONS_KICK_WORKER", True))


def sync_limit() -> int:
    """``NOTIFICATIONS_SYNC_LIMIT`` (200): above this many recipients ``do_notify`` leaves the
    writing of the notifications to the worker (``NotificationBatch``)."""
    return max(0, _int("NOTIFICATIONS_SYNC_LIMIT", 200))
