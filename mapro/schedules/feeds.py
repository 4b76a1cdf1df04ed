"""iCalendar (RFC 5545) feeds of cronogramas, and the secret addresses to subscribe to them.

A calendar client cannot log in, so each user may create a secret address
(``/cronogramas/ical/<token>/``). Only the token's SHA-256 is stored (``CalendarFeedToken``):
the address is shown once, when created; a new one replaces the old; revoking deletes it. The
token is 256 random bits, so a plain hash is enough (no slow hash needed to resist guessing),
and lets the feed find its row with one indexed lookup. A signed-in user may also download one
schedule's ``.ics`` with their session.

Each approved schedule is one ``VEVENT`` carrying its ``RRULE`` and ``RDATE`` s, so clients
expand the occurrences themselves; the event is an hour long, in America/Lima.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from mapro.audit.actions import record_event
from mapro.core.exceptions import Forbidden

from .models import CalendarFeedToken, Schedule
from .recurrence import Recurrence, zone

PRODID = "-//MINDEF OGTIE//mapro cronogramas//ES"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def do_create_feed_token(*, actor: Any) -> str:
    """A new secret feed address token for ``actor`` (replacing any earlier one); returns the
    token itself, which is never stored and cannot be shown again."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise Forbidden()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        replaced = CalendarFeedToken.objects.filter(user=actor).delete()[0] > 0
        row = CalendarFeedToken.objects.create(user=actor, token_hash=_digest(token))
        record_event(
            actor=actor,
            action="calendar_feed.create",
            obj=row,
            after={"replaced": replaced},  # never the token
        )
    return token


def do_revoke_feed_token(*, actor: Any) -> bool:
    """Delete ``actor``'s feed address; calendars subscribed to it stop updating."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise Forbidden()
    with transaction.atomic():
        row = CalendarFeedToken.objects.filter(user=actor).first()
        if row is None:
            return False
        record_event(
            actor=actor,
            action="calendar_feed.revoke",
            object_type=CalendarFeedToken._meta.label_lower,
            object_id=str(row.pk),
            object_repr=str(row),
        )
        row.delete()
    return True


def user_for_feed_token(token: str) -> Any | None:
    """The active user a token belongs to (and mark it used), or None."""
    if not token or len(token) > 100:
        return None
    row = (
        CalendarFeedToken.objects.select_related("user")
        .filter(token_hash=_digest(token), user__is_active=True)
        .first()
    )
    if row is None:
        return None
    now = timezone.now()
    # At most one write an hour per token: calendar clients poll often.
    if row.last_used_at is None or now - row.last_used_at > datetime.timedelta(hours=1):
        CalendarFeedToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user


def ical_for(
    schedules: Iterable[Schedule],
    *,
    name: str,
    site: str = "",
    occurrences: Iterable[Any] = (),
) -> bytes:
    """The iCalendar text of ``schedules`` (one recurring event each) and of the planned dates
    of annual cronogramas (``occurrences``: one all-day event each, its UID the same id the
    calendar page gives the date, ``plan-occurrence-<id>``)."""
    # Imported here: only a calendar client's request needs it, not every web worker.
    from icalendar import Calendar, Event, vRecur

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", str(zone()))
    stamp = timezone.now()
    for schedule in schedules:
        recurrence = schedule.recurrence()
        event = Event()
        event.add("uid", f"cronograma-{schedule.pk}@{site or 'mapro'}")
        event.add("dtstamp", stamp)
        event.add("summary", f"{schedule.name} ({schedule.procedure.code})")
        description = [
            f"Procedimiento {schedule.procedure.code} {schedule.procedure.name}",
            f"Forma de inicio: {schedule.start_key}",
            f"Unidad responsable: {schedule.unit.code}",
            f"Rol responsable: {schedule.role}",
        ]
        if schedule.description:
            description.append(schedule.description)
        event.add("description", "\n".join(description))
        # RFC 5545 counts DTSTART as an occurrence even when the rule does not match it, and
        # dateutil does not: the event starts at the rule's first occurrence instead.
        rule_only = Recurrence(recurrence.rule, recurrence.dtstart, ())
        first = (
            rule_only.next_after(recurrence.dtstart, inclusive=True) if recurrence.rule else None
        )
        if first is None:
            first = recurrence.dates[0] if recurrence.dates else recurrence.dtstart
        event.add("dtstart", first)
        event.add("dtend", first + datetime.timedelta(hours=1))
        if recurrence.rule:
            event.add("rrule", vRecur.from_ical(recurrence.rule))
        extra = [d for d in recurrence.dates if d != first]
        if extra:
            event.add("rdate", extra)
        cal.add_component(event)
    for occ in occurrences:
        event = Event()
        event.add("uid", f"plan-occurrence-{occ.pk}@{site or 'mapro'}")
        event.add("dtstamp", stamp)
        event.add("summary", f"{occ.item.activity} — {occ.item.target} ({occ.plan.procedure.code})")
        event.add("dtstart", occ.due_on)
        event.add("dtend", occ.due_on + datetime.timedelta(days=1))
        event.add(
            "description",
            "\n".join(
                [
                    f"Cronograma: {occ.plan.title} (v{occ.plan.version})",
                    f"Rol responsable: {occ.item.responsible_role}",
                    f"Estado: {occ.get_status_display()}",
                ]
            ),
        )
        cal.add_component(event)
    cal.add_missing_timezones()  # a VTIMEZONE for America/Lima, so clients need not know it
    return bytes(cal.to_ical())
