"""The occurrences of a cronograma: an RFC 5545 recurrence rule and/or a list of dates.

A rule is the ``RRULE`` value of iCalendar (``FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=1``), read by
python-dateutil, anchored at ``dtstart``; ``dates`` are extra occurrences (iCalendar's
``RDATE``). Both are read in the calendar's zone (America/Lima): "every 1 March at 09:00" means
09:00 in Lima. ``UNTIL`` may be written as local time (``UNTIL=20271231T235959``) or in UTC
(``…Z``) as calendar clients write it.

``check_recurrence`` is the one validator (actions, forms and the API use it): it returns the
clean values or raises ``InvalidInput`` with Spanish messages per field (``rrule``, ``dates``,
``dtstart``), including "no occurrence at all" — nothing is saved then.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from dateutil.rrule import rruleset, rrulestr
from django.conf import settings
from django.utils.dateparse import parse_date, parse_datetime

from mapro.core.exceptions import InvalidInput

#: Sub-hourly rules would start a procedure every few minutes: never a cronograma.
FORBIDDEN_FREQS = {"SECONDLY", "MINUTELY"}
MAX_DATES = 366
MAX_RULE_LENGTH = 500
_UNTIL_RE = re.compile(r"UNTIL=([0-9]{8})(T[0-9]{6})?(Z?)", re.IGNORECASE)
_DEFAULT_TIME = datetime.time(9, 0)


def zone() -> ZoneInfo:
    return ZoneInfo(getattr(settings, "MAPRO_CALENDAR_TIMEZONE", None) or settings.TIME_ZONE)


def _normalize_rule(text: str) -> str:
    """The rule without an ``RRULE:`` prefix, upper-case, its ``UNTIL`` in UTC."""
    rule = text.strip()
    if rule.upper().startswith("RRULE:"):
        rule = rule[len("RRULE:") :]
    rule = rule.upper()

    def to_utc(match: re.Match[str]) -> str:
        day, time, utc = match.group(1), match.group(2) or "T235959", match.group(3)
        if utc:
            return f"UNTIL={day}{time}Z"
        local = datetime.datetime.strptime(day + time, "%Y%m%dT%H%M%S").replace(tzinfo=zone())
        return f"UNTIL={local.astimezone(datetime.UTC):%Y%m%dT%H%M%S}Z"

    return _UNTIL_RE.sub(to_utc, rule)


@lru_cache(maxsize=1024)
def _build(rule: str, dtstart: datetime.datetime, dates: tuple[datetime.datetime, ...]) -> rruleset:
    """The rule set (cached: schedules are read far more often than they change)."""
    rset = rruleset()
    if rule:
        parsed = rrulestr(f"RRULE:{rule}", dtstart=dtstart, forceset=True)
        for r in parsed._rrule:
            rset.rrule(r)
    for when in dates:
        rset.rdate(when)
    return rset


@dataclass(frozen=True)
class Recurrence:
    """A validated recurrence: rule (may be empty), anchor, and extra dates (aware, sorted)."""

    rule: str
    dtstart: datetime.datetime
    dates: tuple[datetime.datetime, ...]

    def _set(self) -> rruleset:
        return _build(self.rule, self.dtstart, self.dates)

    def next_after(
        self, moment: datetime.datetime, *, inclusive: bool = False
    ) -> datetime.datetime | None:
        """The first occurrence after ``moment`` (at or after it when ``inclusive``)."""
        found = self._set().after(moment.astimezone(zone()), inc=inclusive)
        return found.astimezone(zone()) if found is not None else None

    def between(
        self, start: datetime.datetime, end: datetime.datetime, *, limit: int = 1000
    ) -> list[datetime.datetime]:
        """Occurrences in ``[start, end]``, at most ``limit`` of them."""
        found: list[datetime.datetime] = []
        for when in self._set().xafter(start.astimezone(zone()), count=limit, inc=True):
            if when > end:
                break
            found.append(when.astimezone(zone()))
        return found


def _parse_moment(value: Any) -> datetime.datetime | None:
    """An aware datetime from a datetime, a date (09:00 local) or an ISO string; else None."""
    if isinstance(value, str):
        text = value.strip()
        try:
            parsed: Any = parse_datetime(text) if "T" in text or " " in text else parse_date(text)
        except ValueError:  # well formed but impossible (month 13)
            return None
        value = parsed
    if isinstance(value, datetime.datetime):
        # Always in the calendar's zone (not a bare offset), so iCalendar writes its TZID.
        return value.astimezone(zone()) if value.tzinfo else value.replace(tzinfo=zone())
    if isinstance(value, datetime.date):
        return datetime.datetime.combine(value, _DEFAULT_TIME, tzinfo=zone())
    return None


def recurrence_of(rule: str, dtstart: datetime.datetime, dates: Iterable[Any]) -> Recurrence:
    """A stored schedule's recurrence (already validated when it was saved)."""
    moments = sorted(m for m in (_parse_moment(d) for d in dates) if m is not None)
    local = dtstart.astimezone(zone())
    return Recurrence(_normalize_rule(rule) if rule else "", local, tuple(moments))


def check_recurrence(*, rrule: Any, dtstart: Any, dates: Any) -> Recurrence:
    """Validate a schedule's occurrences; ``InvalidInput`` with field errors otherwise.

    At least one of ``rrule`` and ``dates`` is needed, and together they must give at least
    one occurrence (a rule whose ``COUNT`` is 0, whose ``UNTIL`` precedes ``dtstart`` or that
    asks for 30 February gives none).
    """
    errors: dict[str, list[str]] = {}
    rule = rrule.strip() if isinstance(rrule, str) else ""
    if rrule not in (None, "") and not isinstance(rrule, str):
        errors["rrule"] = ["La regla de recurrencia debe ser un texto."]
    start = _parse_moment(dtstart)
    if start is None:
        errors["dtstart"] = ["Indique la fecha y hora de inicio del cronograma."]
    moments: list[datetime.datetime] = []
    if dates in (None, ""):
        dates = []
    if not isinstance(dates, list | tuple):
        errors["dates"] = ["Debe ser una lista de fechas."]
    elif len(dates) > MAX_DATES:
        errors["dates"] = [f"Indique como máximo {MAX_DATES} fechas."]
    else:
        for i, raw in enumerate(dates):
            moment = _parse_moment(raw)
            if moment is None:
                errors.setdefault("dates", []).append(
                    f"La fecha N° {i + 1} ({raw!r}) no es válida (use AAAA-MM-DD o "
                    "AAAA-MM-DDTHH:MM)."
                )
            else:
                moments.append(moment)
    if len(set(moments)) != len(moments):
        errors.setdefault("dates", []).append("Hay fechas repetidas.")
    normalized = ""
    if rule:
        normalized = _normalize_rule(rule)
        freq = re.search(r"(?:^|;)FREQ=([A-Z]+)", normalized)
        if len(rule) > MAX_RULE_LENGTH:
            errors["rrule"] = [f"Use como máximo {MAX_RULE_LENGTH} caracteres."]
        elif "\n" in rule or "DTSTART" in normalized or "RRULE:" in normalized:
            errors["rrule"] = [
                "Escriba solo la regla (p. ej. FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=1); la fecha "
                "de inicio va en su propio campo."
            ]
        elif freq is None:
            errors["rrule"] = ["La regla necesita FREQ (DAILY, WEEKLY, MONTHLY o YEARLY)."]
        elif freq.group(1) in FORBIDDEN_FREQS:
            errors["rrule"] = ["La frecuencia mínima de un cronograma es HOURLY (cada hora)."]
        elif start is not None:
            try:
                _build(normalized, start.astimezone(zone()), ())
            except (ValueError, TypeError, KeyError, IndexError) as exc:
                errors["rrule"] = [f"La regla de recurrencia no es válida (RFC 5545): {exc}."]
    if not rule and not moments and "dates" not in errors:
        errors["rrule"] = ["Indique una regla de recurrencia o una lista de fechas."]
    if errors:
        raise InvalidInput(errors=errors)
    assert start is not None
    recurrence = Recurrence(normalized, start.astimezone(zone()), tuple(sorted(moments)))
    rule_only = Recurrence(normalized, recurrence.dtstart, ())
    if normalized and rule_only.next_after(rule_only.dtstart, inclusive=True) is None:
        raise InvalidInput(
            errors={"rrule": ["La regla no produce ninguna ocurrencia; revise COUNT, UNTIL y BY…."]}
        )
    return recurrence


def dates_to_json(recurrence: Recurrence) -> list[str]:
    """The extra dates as stored: ISO 8601 with the offset."""
    return [moment.isoformat() for moment in recurrence.dates]
