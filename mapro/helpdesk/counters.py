"""Keeping the dashboard's summary counters (``models.counters``) equal to the tickets.

Writers (the help-desk actions, in their own transaction):

- ``ticket_created(ticket)`` after a ticket row is inserted (``do_create_ticket``);
- ``remember(ticket)`` when an action reads the ticket it will change (``_common.lock``), and
  ``ticket_changed(ticket)`` after it saves it (``_common.save_ticket``): the delta rows of
  whatever moved (status, team, priority, category, closing date) are inserted, nothing when
  nothing moved.

Every action that changes those fields goes through ``lock`` and ``save_ticket``: create,
assign and bulk assign, start, hold, return, add information, resolve, confirm, reject,
close, autoclose, reopen (and reopen as a new ticket), and the procedure effects and mail
intake, which call those actions. Loading tickets behind the actions' back (``bench/
seed_tickets.py``'s COPY, a restore) must be followed by ``recount_counters`` (``mapro
helpdesk_counters --recount``).

Repair and upkeep: ``recount_counters`` rebuilds both tables from the tickets (locking the
ticket table against writes meanwhile, on PostgreSQL), ``counter_differences`` compares them
without writing, ``compact_counters`` folds each key's delta rows into one.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max, Sum
from django.db.models.functions import TruncDate

from .models import Ticket, TicketCount, TicketDayCount

CountKey = tuple[str, int, str, int]  # status, team id, priority, category id
DayKey = tuple[datetime.date, int, int]  # day, team id, category id

_REMEMBERED = "_mapro_counted"


def local_zone() -> zoneinfo.ZoneInfo:
    """The zone whose dates the daily counters use (the installation's, America/Lima):
    explicit, so that a request that activated another zone counts the same days."""
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local_day(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(local_zone()).date()


@dataclass(frozen=True)
class Counted:
    """What the counters know of one ticket."""

    key: CountKey
    created: DayKey
    closed: DayKey | None


def counted(ticket: Ticket) -> Counted:
    team, category = ticket.team_id, ticket.category_id
    return Counted(
        key=(ticket.status, team, ticket.priority, category),
        created=(local_day(ticket.created_at), team, category),
        closed=(local_day(ticket.closed_at), team, category) if ticket.closed_at else None,
    )


def remember(ticket: Ticket) -> Ticket:
    """Note what the counters hold for ``ticket`` as read now (before an action changes it)."""
    setattr(ticket, _REMEMBERED, counted(ticket))
    return ticket


def _day_contributions(state: Counted | None) -> Counter[tuple[DayKey, str]]:
    out: Counter[tuple[DayKey, str]] = Counter()
    if state is not None:
        out[(state.created, "created")] += 1
        if state.closed is not None:
            out[(state.closed, "closed")] += 1
    return out


def _write(before: Counted | None, after: Counted) -> None:
    """Insert the delta rows that take the counters from ``before`` to ``after``."""
    if before is not None and before.key != after.key:
        rows = [(before.key, -1), (after.key, 1)]
    elif before is None:
        rows = [(after.key, 1)]
    else:
        rows = []
    if rows:
        TicketCount.objects.bulk_create(
            TicketCount(status=k[0], team_id=k[1], priority=k[2], category_id=k[3], n=n)
            for k, n in rows
        )
    delta = _day_contributions(after)
    delta.subtract(_day_contributions(before))
    days: dict[DayKey, dict[str, int]] = defaultdict(dict)
    for (day_key, column), n in delta.items():
        if n:
            days[day_key][column] = n
    if days:
        TicketDayCount.objects.bulk_create(
            TicketDayCount(day=k[0], team_id=k[1], category_id=k[2], **columns)
            for k, columns in sorted(days.items())
        )


def ticket_created(ticket: Ticket) -> None:
    """Count a ticket just inserted."""
    after = counted(ticket)
    _write(None, after)
    setattr(ticket, _REMEMBERED, after)


def remembered(ticket: Ticket) -> Counted:
    """What ``remember`` noted for this instance.

    A ticket the counters do not know the state of is a programming error (an action that
    saves a ticket it did not ``lock``): refused rather than silently miscounted.
    """
    before: Counted | None = getattr(ticket, _REMEMBERED, None)
    if before is None:
        raise RuntimeError(f"Ticket {ticket.pk} saved without lock(): the counters cannot tell.")
    return before


def ticket_changed(ticket: Ticket) -> None:
    """Count what moved since ``remember`` (or the last ``ticket_changed``) on this instance."""
    before = remembered(ticket)
    after = counted(ticket)
    if after != before:
        _write(before, after)
        setattr(ticket, _REMEMBERED, after)


# --- recount, comparison, compaction --------------------------------------------------------------


def recounted() -> tuple[dict[CountKey, int], dict[DayKey, tuple[int, int]]]:
    """The counters as a full recount of the tickets gives them (one scan per table)."""
    zone = local_zone()
    counts = {
        (r["status"], r["team_id"], r["priority"], r["category_id"]): r["n"]
        for r in Ticket.objects.order_by()
        .values("status", "team_id", "priority", "category_id")
        .annotate(n=Count("id"))
    }
    days: dict[DayKey, list[int]] = defaultdict(lambda: [0, 0])
    for column, field, qs in (
        (0, "created_at", Ticket.objects.all()),
        (1, "closed_at", Ticket.objects.filter(closed_at__isnull=False)),
    ):
        rows = (
            qs.order_by()
            .annotate(day=TruncDate(field, tzinfo=zone))
            .values("day", "team_id", "category_id")
            .annotate(n=Count("id"))
        )
        for r in rows:
            days[(r["day"], r["team_id"], r["category_id"])][column] += r["n"]
    return counts, {k: (v[0], v[1]) for k, v in days.items()}


def ledger() -> tuple[dict[CountKey, int], dict[DayKey, tuple[int, int]]]:
    """The counters as their rows add up now (keys summing to zero left out)."""
    counts: dict[CountKey, int] = {}
    for r in (
        TicketCount.objects.order_by()
        .values("status", "team_id", "priority", "category_id")
        .annotate(total=Sum("n"))
    ):
        if r["total"]:
            counts[(r["status"], r["team_id"], r["priority"], r["category_id"])] = r["total"]
    days: dict[DayKey, tuple[int, int]] = {}
    for d in (
        TicketDayCount.objects.order_by()
        .values("day", "team_id", "category_id")
        .annotate(created_n=Sum("created"), closed_n=Sum("closed"))
    ):
        if d["created_n"] or d["closed_n"]:
            days[(d["day"], d["team_id"], d["category_id"])] = (d["created_n"], d["closed_n"])
    return counts, days


@dataclass
class Differences:
    """Keys whose counters disagree with a recount: key → (counters, tickets)."""

    counts: dict[CountKey, tuple[int, int]]
    days: dict[DayKey, tuple[tuple[int, int], tuple[int, int]]]

    def __bool__(self) -> bool:
        return bool(self.counts or self.days)


def _diff(mine: dict[Any, Any], truth: dict[Any, Any], zero: Any) -> dict[Any, Any]:
    return {
        k: (mine.get(k, zero), truth.get(k, zero))
        for k in set(mine) | set(truth)
        if mine.get(k, zero) != truth.get(k, zero)
    }


def counter_differences() -> Differences:
    """Where the counters disagree with the tickets (empty when they are right)."""
    with transaction.atomic():
        _lock_tickets()
        counts, days = ledger()
        true_counts, true_days = recounted()
    return Differences(_diff(counts, true_counts, 0), _diff(days, true_days, (0, 0)))


def _lock_tickets() -> None:
    """Hold ticket writes (PostgreSQL ``SHARE`` lock: reads go on, actions wait) until the
    transaction ends, so that the counters and the tickets are compared or rebuilt at one
    instant. SQLite allows one writer anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Ticket._meta.db_table} IN SHARE MODE")


@transaction.atomic
def recount_counters() -> Differences:
    """Rebuild both counter tables from the tickets; returns what was wrong before."""
    _lock_tickets()
    counts, days = ledger()
    true_counts, true_days = recounted()
    wrong = Differences(_diff(counts, true_counts, 0), _diff(days, true_days, (0, 0)))
    TicketCount.objects.all().delete()
    TicketDayCount.objects.all().delete()
    TicketCount.objects.bulk_create(
        (
            TicketCount(status=k[0], team_id=k[1], priority=k[2], category_id=k[3], n=n)
            for k, n in sorted(true_counts.items())
        ),
        batch_size=2000,
    )
    TicketDayCount.objects.bulk_create(
        (
            TicketDayCount(day=k[0], team_id=k[1], category_id=k[2], created=c, closed=d)
            for k, (c, d) in sorted(true_days.items())
        ),
        batch_size=2000,
    )
    return wrong


def _fold(table: str, key_columns: Iterable[str], value_columns: Iterable[str]) -> int:
    """Replace the rows of ``table`` up to its current last id by one row per key.

    ``DELETE … RETURNING`` hands back exactly the rows this call removed, and only those are
    summed and inserted again: two compactions at once never count a row twice, and deltas
    inserted meanwhile (higher ids) are left for the next run. Returns the rows removed.
    """
    keys, values = list(key_columns), list(value_columns)
    model: Any = TicketCount if table == TicketCount._meta.db_table else TicketDayCount
    last = model.objects.aggregate(last=Max("id"))["last"]
    if last is None:
        return 0
    quote = connection.ops.quote_name
    columns = ", ".join(quote(c) for c in (*keys, *values))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(table)} WHERE id <= %s RETURNING {columns}",  # noqa: S608 - names are ours
            [last],
        )
        removed = cursor.fetchall()
    totals: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0] * len(values))
    for row in removed:
        sums = totals[tuple(row[: len(keys)])]
        for i, value in enumerate(row[len(keys) :]):
            sums[i] += value
    fresh = []
    for key, sums in sorted(totals.items()):
        if any(sums):
            raw = dict(zip(keys, key, strict=True)) | dict(zip(values, sums, strict=True))
            if "day" in raw and isinstance(raw["day"], str):  # SQLite hands dates back as text
                raw["day"] = datetime.date.fromisoformat(raw["day"])
            fresh.append(model(**raw))
    model.objects.bulk_create(fresh, batch_size=2000)
    return len(removed)


@transaction.atomic
def compact_counters() -> int:
    """Fold each key's delta rows into one row (both tables); returns the rows folded."""
    folded = _fold(
        TicketCount._meta.db_table, ("status", "team_id", "priority", "category_id"), ("n",)
    )
    folded += _fold(
        TicketDayCount._meta.db_table, ("day", "team_id", "category_id"), ("created", "closed")
    )
    return folded
