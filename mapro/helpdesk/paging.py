"""Keyset pages in both directions for the HTML lists (console queue, "Mis solicitudes").

``selectors.page_of_tickets`` walks towards older tickets (``cursor``: rows older than it).
Going back needs the opposite walk: ``before`` asks for the ``size`` rows just *newer* than a
ticket, read in ascending ``(created_at, id)`` order (the same indexes, scanned backwards) and
turned around. Neither direction uses OFFSET or COUNT, so page 1 and page 10,000 cost the same.

A :class:`Pager` tells the template which links to draw: ``next_cursor`` (older tickets) and
``previous_cursor`` (newer tickets; None on the first page).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from .models import Ticket
from .selectors import MAX_PAGE_SIZE, PAGE_SIZE, decode_cursor, encode_cursor, page_of_tickets


@dataclass(frozen=True)
class Pager:
    """One page of tickets, newest first, with the cursors of its neighbours."""

    tickets: list[Ticket]
    next_cursor: str | None
    previous_cursor: str | None

    @property
    def is_first(self) -> bool:
        return self.previous_cursor is None


def _newer_than(qs: QuerySet[Ticket], before: str, size: int) -> tuple[list[Ticket], bool]:
    when, pk = decode_cursor(before)
    table = connection.ops.quote_name(Ticket._meta.db_table)
    newer = RawSQL(  # noqa: S611 - constant SQL, values are parameters
        f"({table}.created_at, {table}.id) > (%s, %s)",
        (connection.ops.adapt_datetimefield_value(when), pk),
        output_field=BooleanField(),
    )
    rows: list[Ticket] = list(
        qs.alias(_after_cursor=newer)
        .filter(_after_cursor=True)
        .order_by("created_at", "id")[: size + 1]
    )
    more = len(rows) > size
    return rows[:size][::-1], more


def page_both_ways(
    qs: QuerySet[Ticket],
    *,
    cursor: str | None = None,
    before: str | None = None,
    size: int = PAGE_SIZE,
) -> Pager:
    """The page after ``cursor`` (older tickets) or, with ``before``, the page before it.

    One query (two when ``before`` reaches the top and the full first page is read instead).
    ``InvalidInput`` (from ``decode_cursor``) when a cursor was forged.
    """
    size = max(1, min(size, MAX_PAGE_SIZE))
    if before:
        rows, more_newer = _newer_than(qs, before, size)
        if not more_newer:
            # Back at the top: show a full first page rather than a short one.
            first = page_of_tickets(qs, size=size)
            return Pager(first.tickets, first.next_cursor, None)
        newer_cursor = encode_cursor(rows[0])
        # The ticket ``before`` points at is older than every row here: a next page exists.
        return Pager(rows, encode_cursor(rows[-1]), newer_cursor)
    page = page_of_tickets(qs, cursor=cursor, size=size)
    previous = encode_cursor(page.tickets[0]) if cursor and page.tickets else None
    return Pager(page.tickets, page.next_cursor, previous)
