"""Failed-login throttling per account and per client address, kept in the database.

The counters live in ``LoginThrottle`` rows (not in process memory or the local cache), so every
web process on every host sees the same counts, on SQLite and PostgreSQL alike. Updates are
single ``UPDATE … SET failures = failures + 1`` statements, so concurrent failures never lose a
count.

Settings:

- ``LOGIN_MAX_FAILURES``: failures of one account within the window that lock it.
- ``LOGIN_MAX_FAILURES_PER_ADDRESS``: the same for one client address (higher, since offices
  share an address behind NAT); default four times the account limit.
- ``LOGIN_FAILURE_WINDOW``: seconds over which failures are counted; default the lockout.
- ``LOGIN_LOCKOUT_SECONDS``: how long a lock lasts. Locks are always temporary.
"""

import datetime
import unicodedata

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from .models import LoginThrottle

Scope = LoginThrottle.Scope


def lockout_seconds() -> int:
    return int(settings.LOGIN_LOCKOUT_SECONDS)


def window_seconds() -> int:
    return int(getattr(settings, "LOGIN_FAILURE_WINDOW", lockout_seconds()))


def account_limit() -> int:
    return int(settings.LOGIN_MAX_FAILURES)


def address_limit() -> int:
    return int(getattr(settings, "LOGIN_MAX_FAILURES_PER_ADDRESS", 4 * account_limit()))


def account_key(username: str) -> str:
    """One key per account whatever the case or Unicode form the attacker types it in."""
    return unicodedata.normalize("NFKC", username).casefold()[:150]


def _targets(username: str, address: str | None) -> list[tuple[str, str, int]]:
    targets = [(Scope.ACCOUNT.value, account_key(username), account_limit())]
    if address:
        targets.append((Scope.ADDRESS.value, address[:150], address_limit()))
    return targets


def is_locked(username: str, address: str | None) -> bool:
    """True while the account or the address is locked out."""
    query = Q()
    for scope, key, _limit in _targets(username, address):
        query |= Q(scope=scope, key=key)
    return LoginThrottle.objects.filter(query, locked_until__gt=timezone.now()).exists()


def count_failure(username: str, address: str | None) -> None:
    """Count one failed attempt against the account and the address; lock when at the limit.

    Call inside the transaction that also records the audit event.
    """
    now = timezone.now()
    window_start = now - datetime.timedelta(seconds=window_seconds())
    lock_until = now + datetime.timedelta(seconds=lockout_seconds())
    for scope, key, limit in _targets(username, address):
        row, created = LoginThrottle.objects.get_or_create(
            scope=scope,
            key=key,
            defaults={"failures": 1, "window_started_at": now, "last_failure_at": now},
        )
        rows = LoginThrottle.objects.filter(pk=row.pk)
        if not created:
            # A window that has run out starts again from this failure.
            rows.filter(window_started_at__lt=window_start).update(
                failures=0, window_started_at=now
            )
            rows.update(failures=F("failures") + 1, last_failure_at=now)
        rows.filter(failures__gte=limit).update(
            locked_until=lock_until, failures=0, window_started_at=now
        )
    purge_stale(now)


def clear_account(username: str) -> None:
    """Forget the account's failures (after a successful login)."""
    LoginThrottle.objects.filter(scope=Scope.ACCOUNT, key=account_key(username)).delete()


def purge_stale(now: datetime.datetime | None = None) -> int:
    """Delete rows that neither lock nor count any more; returns how many."""
    now = now or timezone.now()
    horizon = now - datetime.timedelta(seconds=max(window_seconds(), lockout_seconds()))
    deleted, _ = (
        LoginThrottle.objects.filter(last_failure_at__lt=horizon)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .delete()
    )
    return deleted
