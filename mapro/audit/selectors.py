"""Read queries for the audit viewer."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from .models import AuditEvent

PAGE_SIZE = 50


@dataclass(frozen=True)
class EventPage:
    """One page of events, newest first, with keyset cursors (ids) to the next pages."""

    events: list[AuditEvent]
    older_than: int | None  # pass as ``antes`` for the next, older page
    newer_than: int | None  # pass as ``despues`` for the previous, newer page


def page_of_events(
    qs: QuerySet[AuditEvent],
    *,
    before: int | None = None,
    after: int | None = None,
    size: int = PAGE_SIZE,
) -> EventPage:
    """Events of ``qs`` newest first, ``size`` at a time, without OFFSET or COUNT.

    Keyset on the primary key: each page is one indexed range scan however long the trail is.
    ``before`` gives the page older than that id, ``after`` the page newer than it.
    """
    qs = qs.defer("before", "after")
    if after is not None:
        rows = list(qs.filter(id__gt=after).order_by("id")[: size + 1])
        has_newer = len(rows) > size
        rows = rows[:size][::-1]
        has_older = True  # the page we came from is older
    else:
        if before is not None:
            qs = qs.filter(id__lt=before)
        rows = list(qs.order_by("-id")[: size + 1])
        has_older = len(rows) > size
        rows = rows[:size]
        has_newer = before is not None
    return EventPage(
        events=rows,
        older_than=rows[-1].pk if rows and has_older else None,
        newer_than=rows[0].pk if rows and has_newer else None,
    )


def history_of(obj: Any, *, limit: int = 200) -> list[AuditEvent]:
    """The audit events of one object (a register entry, a device…), oldest first: the
    "historial de cambios" every register's detail page shows (include
    ``audit/_history.html`` with ``history``). Uses the (object_type, object_id) index."""
    rows = AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    ).order_by("-id")[:limit]
    return list(rows)[::-1]
