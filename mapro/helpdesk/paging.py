"""Keyset pages in both directions for the HTML lists (console queue, "Mis solicitudes").

``selectors.page_of_tickets`` walks towards older tickets (``cursor``: rows older than it).
Going back needs the opposite walk: ``before`` asks for the ``size`` rows just *newer* than a
ticket, read in ascending ``(created_at, id)`` order (the same indexes, scanned backwards) and
turned around. Neither direction uses OFFSET or COUNT, so page 1 and page 10,000 cost the same.

A :class:`Pager` tells the template which links to draw: ``next_cursor`` (older tickets) and
``previous_cursor`` (newer tickets; None on the first page).

A jump by date ("tickets from 12/03/2025", the lists' ``?fecha=``): ``cursor_at_day`` turns a
day into the cursor of the page that starts with the newest ticket registered that day (or the
newest before it), in the lists' order (newest first). The keyset stays: the page is read from
the same index as any other, and its "Más recientes" link walks back up from there.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.http import HttpRequest

from mapro.core.exceptions import InvalidInput

from .models import Ticket
from .selectors import (
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    TicketCondition,
    cursor_of,
    decode_cursor,
    encode_cursor,
    page_of_tickets,
)

#: What a jump date accepts: the browser's date field (ISO) or a date typed as in Peru.
DAY_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
BAD_DAY = "Escriba una fecha válida, por ejemplo 12/03/2025."


@dataclass(frozen=True)
class Pager:
    """One page of tickets, newest first, with the cursors of its neighbours."""

    #: Tickets, or dicts of the ``fields`` the page was asked for.
    tickets: list[Any]
    next_cursor: str | None
    previous_cursor: str | None

    @property
    def is_first(self) -> bool:
        return self.previous_cursor is None


def _newer_than(
    qs: QuerySet[Ticket],
    before: str,
    size: int,
    fields: tuple[str, ...] = (),
    recheck: bool = True,
) -> tuple[list[Any], bool]:
    when, pk = decode_cursor(before)
    stamp = connection.ops.adapt_datetimefield_value(when)
    if not recheck:
        # As ``selectors.page_of_tickets`` with ``recheck=False``: the page's ids in a
        # subquery, the outer query reads those rows and nothing else.
        newer_ids = (
            qs.filter(TicketCondition("({t}.created_at, {t}.id) > (%s, %s)", stamp, pk))
            .order_by("created_at", "id")
            .values("pk")[: size + 1]
        )
        page = Ticket.objects.filter(pk__in=newer_ids).order_by("created_at", "id")
    else:
        table = connection.ops.quote_name(Ticket._meta.db_table)
        newer = RawSQL(  # noqa: S611 - constant SQL, values are parameters
            f"({table}.created_at, {table}.id) > (%s, %s)",
            (stamp, pk),
            output_field=BooleanField(),
        )
        page = qs.alias(_after_cursor=newer).filter(_after_cursor=True).order_by("created_at", "id")
    rows: list[Any] = list((page.values(*fields) if fields else page)[: size + 1])
    more = len(rows) > size
    return rows[:size][::-1], more


def page_both_ways(
    qs: QuerySet[Ticket],
    *,
    cursor: str | None = None,
    before: str | None = None,
    size: int = PAGE_SIZE,
    fields: tuple[str, ...] = (),
    recheck: bool = True,
) -> Pager:
    """The page after ``cursor`` (older tickets) or, with ``before``, the page before it.

    One query (two when ``before`` reaches the top and the full first page is read instead).
    ``InvalidInput`` (from ``decode_cursor``) when a cursor was forged. With ``fields``, the
    rows are dicts of them (``selectors.page_of_tickets``, which says what ``recheck=False``
    does).
    """
    size = max(1, min(size, MAX_PAGE_SIZE))
    if before:
        rows, more_newer = _newer_than(qs, before, size, fields, recheck)
        if not more_newer:
            # Back at the top: show a full first page rather than a short one.
            first = page_of_tickets(qs, size=size, fields=fields, recheck=recheck)
            return Pager(first.tickets, first.next_cursor, None)
        newer_cursor = encode_cursor(rows[0])
        # The ticket ``before`` points at is older than every row here: a next page exists.
        return Pager(rows, encode_cursor(rows[-1]), newer_cursor)
    page = page_of_tickets(qs, cursor=cursor, size=size, fields=fields, recheck=recheck)
    previous = encode_cursor(page.tickets[0]) if cursor and page.tickets else None
    return Pager(page.tickets, page.next_cursor, previous)


def parse_day(value: str | None, field: str = "fecha") -> datetime.date | None:
    """The day of a jump (``AAAA-MM-DD`` or ``DD/MM/AAAA``); None when blank; InvalidInput
    naming ``field`` (in Spanish) otherwise."""
    text = (value or "").strip()
    if not text:
        return None
    for fmt in DAY_FORMATS:
        try:
            day = datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        if day.year < 1900:
            break
        return day
    raise InvalidInput(errors={field: [BAD_DAY]})


def cursor_at_day(day: datetime.date, today: datetime.date | None = None) -> str | None:
    """The cursor of the page starting with the newest ticket registered on ``day`` or before
    (the installation's days, America/Lima); None (the first page) for today or later.

    The keyset is ``(created_at, id) < (next midnight, 0)``: every ticket registered before
    the next day starts, none after.
    """
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    today = today or datetime.datetime.now(zone).date()
    if day >= today:
        return None
    midnight = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), zone)
    return cursor_of(midnight, 0)


@dataclass(frozen=True)
class DateJump:
    """Where a list page starts: its ``cursor``/``before`` (``?cursor=``/``?antes=``) or, for
    ``?fecha=`` without either, the cursor of that day; ``error`` is the Spanish message of a
    date that is not one (the page is then shown as without it)."""

    value: str
    day: datetime.date | None
    cursor: str | None
    before: str | None
    error: str = ""


def date_jump(request: HttpRequest, field: str = "fecha") -> DateJump:
    """Read a list's paging parameters: a cursor wins over the date (the links of a page
    reached by a jump carry cursors, not the date)."""
    value = (request.GET.get(field) or "").strip()
    cursor = request.GET.get("cursor") or None
    before = request.GET.get("antes") or None
    if not value or cursor or before:
        return DateJump(value, None, cursor, before)
    try:
        day = parse_day(value, field)
    except InvalidInput as exc:
        return DateJump(value, None, None, None, exc.errors[field][0])
    assert day is not None
    return DateJump(value, day, cursor_at_day(day), None)
