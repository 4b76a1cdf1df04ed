"""Failed-login throttling with growing delays, per account+address, account and address.

No hard lock a stranger can trigger for everyone: failures slow down the pair that makes them.

- **Pair** (account typed × client address): after ``LOGIN_MAX_FAILURES`` failures each new
  failure makes the pair wait 1 s, 2 s, 4 s… up to ``LOGIN_LOCKOUT_SECONDS``. A thousand guesses
  from one address against one account therefore take days, and nobody else is slowed: other
  accounts from the same address (the same proxy, the same office NAT) and the same account
  from other addresses log in as usual.
- **Address**: counts the *distinct accounts* that failed from it (a password-spraying address);
  past ``LOGIN_MAX_FAILURES_PER_ADDRESS`` accounts the address waits, growing the same way.
- **Account**: counts the *distinct addresses* it failed from (a distributed attack); past
  ``LOGIN_MAX_ADDRESSES_PER_ACCOUNT`` the account waits, from every address.

Attempts made while a row waits are refused without checking the password, are not counted as
failures (they cannot lengthen the wait) and add no audit row: the row keeps how many were
refused (``refused``), which is what the administrator sees next to the wait (admin, "Controles
de intentos de ingreso") and can lift (``do_unlock_login``, audited). A success clears the pair
and the account's count. Failures are forgotten ``LOGIN_FAILURE_WINDOW`` seconds after the last
one. Counters live in ``LoginThrottle`` rows shared by every web process; increments are single
``UPDATE … SET failures = failures + 1`` statements, so concurrent failures never lose a count.
"""

import datetime
import unicodedata

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import LoginThrottle

Scope = LoginThrottle.Scope


def lockout_seconds() -> int:
    """The longest wait (seconds)."""
    return int(settings.LOGIN_LOCKOUT_SECONDS)


def window_seconds() -> int:
    return int(getattr(settings, "LOGIN_FAILURE_WINDOW", 3600))


def pair_limit() -> int:
    return int(settings.LOGIN_MAX_FAILURES)


def address_limit() -> int:
    return int(getattr(settings, "LOGIN_MAX_FAILURES_PER_ADDRESS", 4 * pair_limit()))


def account_limit() -> int:
    return int(getattr(settings, "LOGIN_MAX_ADDRESSES_PER_ACCOUNT", 4 * pair_limit()))


def account_key(username: str) -> str:
    """One key per account whatever the case or Unicode form the attacker types it in."""
    return unicodedata.normalize("NFKC", username).casefold()[:100]


def _address(address: str | None) -> str:
    return (address or "-")[:45]


def pair_key(username: str, address: str | None) -> str:
    return f"{account_key(username)}|{_address(address)}"


def delay(excess: int) -> datetime.timedelta:
    """The wait after the ``excess``-th failure over the limit: 1 s, 2 s, 4 s… up to the cap."""
    seconds = 2 ** min(max(excess, 1) - 1, 30)
    return datetime.timedelta(seconds=min(seconds, lockout_seconds()))


def _keys(username: str, address: str | None) -> list[tuple[str, str]]:
    keys = [
        (Scope.PAIR.value, pair_key(username, address)),
        (Scope.ACCOUNT.value, account_key(username)),
    ]
    if address:
        keys.append((Scope.ADDRESS.value, _address(address)))
    return keys


def _query(keys: list[tuple[str, str]]) -> Q:
    query = Q()
    for scope, key in keys:
        query |= Q(scope=scope, key=key)
    return query


def waiting(username: str, address: str | None) -> bool:
    """True while the pair, the account or the address must wait."""
    now = timezone.now()
    return LoginThrottle.objects.filter(
        _query(_keys(username, address)), locked_until__gt=now
    ).exists()


is_locked = waiting


def count_refused(username: str, address: str | None) -> None:
    """An attempt refused while waiting: counted on the waiting rows, nothing else."""
    now = timezone.now()
    LoginThrottle.objects.filter(_query(_keys(username, address)), locked_until__gt=now).update(
        refused=F("refused") + 1
    )


def _bump(scope: str, key: str, limit: int, now: datetime.datetime) -> int:
    """Count one failure on (scope, key); set its wait when over ``limit``. Returns the count."""
    forget = now - datetime.timedelta(seconds=window_seconds())
    # One transaction: the increment's UPDATE holds the row's lock until it ends, so the count
    # read back is this failure's. Outside a transaction (each statement committed apart) two
    # concurrent failures of a new pair could both read 2, and neither counted the new pair on
    # the account and the address (test_throttle_concurrency, seen failing once in CI).
    with transaction.atomic():
        row, created = LoginThrottle.objects.get_or_create(
            scope=scope,
            key=key,
            defaults={"failures": 1, "window_started_at": now, "last_failure_at": now},
        )
        rows = LoginThrottle.objects.filter(pk=row.pk)
        if created:
            failures = 1
        else:
            # Failures are forgotten a window after the last one.
            rows.filter(last_failure_at__lt=forget).update(
                failures=0, window_started_at=now, refused=0
            )
            rows.update(failures=F("failures") + 1, last_failure_at=now)
            failures = rows.values_list("failures", flat=True).get()
        if failures > limit:
            rows.update(locked_until=now + delay(failures - limit))
    return failures


def count_failure(username: str, address: str | None) -> None:
    """Count one failed attempt (module doc). Call inside the transaction of its audit event."""
    now = timezone.now()
    pair_failures = _bump(Scope.PAIR.value, pair_key(username, address), pair_limit(), now)
    if pair_failures == 1:
        # A new pair: one more address for the account, one more account for the address.
        _bump(Scope.ACCOUNT.value, account_key(username), account_limit(), now)
        if address:
            _bump(Scope.ADDRESS.value, _address(address), address_limit(), now)
    purge_stale(now)


def clear_account(username: str, address: str | None = None) -> None:
    """After a successful login: forget the pair and the account's count (never the address's:
    one valid account must not reset an address that sprays others)."""
    LoginThrottle.objects.filter(
        Q(scope=Scope.PAIR, key=pair_key(username, address))
        | Q(scope=Scope.ACCOUNT, key=account_key(username))
    ).delete()


def purge_stale(now: datetime.datetime | None = None) -> int:
    """Delete rows that neither make anyone wait nor count any more; returns how many."""
    now = now or timezone.now()
    horizon = now - datetime.timedelta(seconds=max(window_seconds(), lockout_seconds()))
    deleted, _ = (
        LoginThrottle.objects.filter(last_failure_at__lt=horizon)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lt=now))
        .delete()
    )
    return deleted
