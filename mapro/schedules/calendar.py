"""The business calendar: office hours, Peru's public holidays and declared exceptions.

Everything that measures time "in business hours" (SLA targets of the help desk, due dates of
procedure activities) asks these functions, so that every part of mapro agrees on when the
office is open.

A day's working intervals come from, in this order:

1. a ``CalendarException`` row for the date: ``feriado`` / ``no_laborable`` → closed all day;
   ``laborable`` → open with that weekday's office hours, or ``MAPRO_EXTRA_WORKDAY_HOURS`` when
   the weekday has none (a compensatory Saturday);
2. Peru's public holidays from the maintained ``holidays`` package → closed;
3. office hours for the weekday (``MAPRO_OFFICE_HOURS``).

Settings (all optional):

- ``MAPRO_OFFICE_HOURS``: list of ``(weekday, "HH:MM", "HH:MM")``, weekday 0 = Monday; several
  intervals per weekday allow a lunch break. Default Monday–Friday 08:30–17:30.
- ``MAPRO_EXTRA_WORKDAY_HOURS``: list of ``("HH:MM", "HH:MM")`` for a compensatory working day on
  a weekday without office hours. Default: Monday's office hours.
- ``MAPRO_CALENDAR_TIMEZONE``: default ``"America/Lima"`` (no daylight saving since 1994).
- ``MAPRO_HOLIDAYS_COUNTRY`` / ``MAPRO_HOLIDAYS_SUBDIVISION``: default ``"PE"`` / none.
- ``MAPRO_CALENDAR_RECHECK_SECONDS``: how often a process checks whether another process changed
  the exceptions (default 30).

Speed: each year is built once into per-day intervals and prefix sums of business time and of
business days, so ``business_minutes_between`` is O(1) per year crossed and
``add_business_minutes`` / ``add_business_days`` are a binary search. Building a year costs one
query; afterwards the functions touch the database only for a one-row fingerprint query every
``MAPRO_CALENDAR_RECHECK_SECONDS``. The cache is per process and rebuilt on demand, as design.md
("Scaling out") allows; this process drops it at once when an exception is saved or deleted
(``signals``), other processes within the recheck interval.

Durations are wall-clock time in the calendar's zone, exact for any zone whose offset never
changes during office hours (true of Lima). Business time is counted in microseconds and
reported in whole minutes (floored toward zero).
"""

from __future__ import annotations

import datetime
import threading
import time
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Count, Max

__all__ = [
    "add_business_days",
    "add_business_minutes",
    "business_minutes_between",
    "clear_calendar_cache",
    "describe_day",
    "is_business_day",
    "is_regular_business_day",
    "next_opening",
    "office_intervals",
]

US_PER_MINUTE = 60_000_000
US_PER_DAY = 86_400_000_000
DEFAULT_OFFICE_HOURS: list[tuple[int, str, str]] = [(day, "08:30", "17:30") for day in range(5)]
DEFAULT_TIMEZONE = "America/Lima"
# A span with no business time at all for this many years means a broken configuration.
_MAX_EMPTY_YEARS = 10

Interval = tuple[int, int]  # microseconds since local midnight, [start, end)


@dataclass(frozen=True)
class _Config:
    tz: ZoneInfo
    hours: dict[int, tuple[Interval, ...]]  # weekday → sorted, disjoint intervals
    extra_hours: tuple[Interval, ...]
    country: str
    subdivision: str | None
    recheck_seconds: float


@dataclass(frozen=True)
class _Year:
    """One calendar year, precomputed. Index ``i`` is the day ``first + i``."""

    year: int
    first: datetime.date
    intervals: tuple[tuple[Interval, ...], ...]
    cum_us: tuple[int, ...]  # business µs in days [0, i); len = days + 1
    cum_days: tuple[int, ...]  # business days in days [0, i); len = days + 1
    notes: dict[datetime.date, str]

    @property
    def total_us(self) -> int:
        return self.cum_us[-1]

    @property
    def total_days(self) -> int:
        return self.cum_days[-1]


class _Cache:
    """This process's calendar: config plus built years, guarded by a lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.config: _Config | None = None
        self.years: dict[int, _Year] = {}
        self.fingerprint: Any = None
        self.checked_at = float("-inf")


_cache = _Cache()


def clear_calendar_cache() -> None:
    """Forget the built years and settings; the next call rebuilds them from the database."""
    with _cache.lock:
        _cache.config = None
        _cache.years = {}
        _cache.fingerprint = None
        _cache.checked_at = float("-inf")


# --- configuration -----------------------------------------------------------------------------


def _parse_time(value: Any, name: str) -> int:
    """``"HH:MM"`` (or ``"24:00"``) or a ``datetime.time`` → microseconds since midnight."""
    if isinstance(value, datetime.time):
        return (
            (value.hour * 60 + value.minute) * 60 + value.second
        ) * 1_000_000 + value.microsecond
    try:
        hours, minutes = (int(part) for part in str(value).split(":"))
    except ValueError:
        raise ImproperlyConfigured(f"{name}: hora no válida {value!r} (use HH:MM)") from None
    if not (0 <= hours <= 24 and 0 <= minutes < 60) or (hours == 24 and minutes):
        raise ImproperlyConfigured(f"{name}: hora fuera de rango {value!r}")
    return (hours * 60 + minutes) * US_PER_MINUTE


def _normalized(intervals: Iterable[Interval], name: str) -> tuple[Interval, ...]:
    ordered = sorted(intervals)
    for start, end in ordered:
        if start >= end:
            raise ImproperlyConfigured(f"{name}: un intervalo termina antes de empezar")
    for (_, end), (start, _) in pairwise(ordered):
        if start < end:
            raise ImproperlyConfigured(f"{name}: intervalos superpuestos")
    return tuple(ordered)


def _load_config() -> _Config:
    raw = getattr(settings, "MAPRO_OFFICE_HOURS", None) or DEFAULT_OFFICE_HOURS
    by_day: dict[int, list[Interval]] = {}
    for item in raw:
        try:
            weekday, start, end = item
        except (TypeError, ValueError):
            raise ImproperlyConfigured(
                "MAPRO_OFFICE_HOURS: cada elemento es (día 0-6, 'HH:MM', 'HH:MM')"
            ) from None
        if weekday not in range(7):
            raise ImproperlyConfigured(f"MAPRO_OFFICE_HOURS: día de la semana {weekday!r}")
        interval = (
            _parse_time(start, "MAPRO_OFFICE_HOURS"),
            _parse_time(end, "MAPRO_OFFICE_HOURS"),
        )
        by_day.setdefault(int(weekday), []).append(interval)
    hours = {day: _normalized(ivs, "MAPRO_OFFICE_HOURS") for day, ivs in by_day.items()}
    raw_extra = getattr(settings, "MAPRO_EXTRA_WORKDAY_HOURS", None)
    if raw_extra:
        name = "MAPRO_EXTRA_WORKDAY_HOURS"
        extra = _normalized(
            ((_parse_time(s, name), _parse_time(e, name)) for s, e in raw_extra), name
        )
    else:
        extra = hours.get(0) or (hours[min(hours)] if hours else ())
    if not hours and not extra:
        raise ImproperlyConfigured("MAPRO_OFFICE_HOURS no define ningún horario de atención")
    tz_name = getattr(settings, "MAPRO_CALENDAR_TIMEZONE", None) or DEFAULT_TIMEZONE
    return _Config(
        tz=ZoneInfo(tz_name),
        hours=hours,
        extra_hours=extra,
        country=getattr(settings, "MAPRO_HOLIDAYS_COUNTRY", None) or "PE",
        subdivision=getattr(settings, "MAPRO_HOLIDAYS_SUBDIVISION", None) or None,
        recheck_seconds=float(getattr(settings, "MAPRO_CALENDAR_RECHECK_SECONDS", 30)),
    )


# --- building and caching years ----------------------------------------------------------------


def _fingerprint() -> tuple[int, Any]:
    from .models import CalendarException

    agg = CalendarException.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return agg["n"], agg["last"]


def _build_year(config: _Config, year: int) -> _Year:
    from .choices import NON_WORKING_KINDS, ExceptionKind
    from .models import CalendarException

    first = datetime.date(year, 1, 1)
    after = datetime.date(year + 1, 1, 1) if year < datetime.MAXYEAR else None
    days = ((after or datetime.date(year, 12, 31) + datetime.timedelta(1)) - first).days
    public = _country_holidays(config.country, config.subdivision, year, language="es")
    rows = CalendarException.objects.filter(date__gte=first, date__lte=datetime.date(year, 12, 31))
    exceptions = {row.date: row for row in rows}
    notes: dict[datetime.date, str] = {day: str(name) for day, name in public.items()}
    intervals: list[tuple[Interval, ...]] = []
    cum_us = [0]
    cum_days = [0]
    for i in range(days):
        day = first + datetime.timedelta(days=i)
        weekday_hours = config.hours.get(day.weekday(), ())
        exception = exceptions.get(day)
        if exception is not None:
            notes[day] = exception.description
            if exception.kind in NON_WORKING_KINDS:
                today: tuple[Interval, ...] = ()
            elif exception.kind == ExceptionKind.LABORABLE:
                today = weekday_hours or config.extra_hours
            else:  # an unknown kind from a newer release: trust office hours
                today = weekday_hours
        elif day in public:
            today = ()
        else:
            today = weekday_hours
        intervals.append(today)
        cum_us.append(cum_us[-1] + sum(end - start for start, end in today))
        cum_days.append(cum_days[-1] + (1 if today else 0))
    return _Year(year, first, tuple(intervals), tuple(cum_us), tuple(cum_days), notes)


def _config() -> _Config:
    config = _cache.config
    if config is None:
        config = _load_config()
        with _cache.lock:
            _cache.config = config
    return config


def _year(year: int) -> _Year:
    """The built year, rebuilding the cache when the exceptions table changed elsewhere."""
    config = _config()
    now = time.monotonic()
    if now - _cache.checked_at >= config.recheck_seconds:
        fingerprint = _fingerprint()
        with _cache.lock:
            if fingerprint != _cache.fingerprint:
                _cache.years = {}
                _cache.fingerprint = fingerprint
            _cache.checked_at = now
    built = _cache.years.get(year)
    if built is None:
        built = _build_year(config, year)
        with _cache.lock:
            _cache.years[year] = built
    return built


# --- positions ---------------------------------------------------------------------------------


def _local(dt: datetime.datetime, config: _Config) -> tuple[datetime.date, int]:
    """The local date of ``dt`` and its microseconds since local midnight."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("se requiere una fecha y hora con zona horaria (aware)")
    local = dt.astimezone(config.tz)
    us = ((local.hour * 60 + local.minute) * 60 + local.second) * 1_000_000 + local.microsecond
    return local.date(), us


def _at(day: datetime.date, us: int, config: _Config) -> datetime.datetime:
    midnight = datetime.datetime(day.year, day.month, day.day, tzinfo=config.tz)
    return midnight + datetime.timedelta(microseconds=us)


def _within_day(intervals: Sequence[Interval], us: int) -> int:
    """Business µs of the day before ``us`` (µs since midnight)."""
    total = 0
    for start, end in intervals:
        if us <= start:
            break
        total += min(us, end) - start
    return total


def _offset(dt: datetime.datetime, config: _Config) -> tuple[int, int]:
    """``(year, business µs from that year's start to dt)``."""
    day, us = _local(dt, config)
    built = _year(day.year)
    i = (day - built.first).days
    return day.year, built.cum_us[i] + _within_day(built.intervals[i], us)


def _from_offset(year: int, offset: int, config: _Config) -> datetime.datetime:
    """The earliest instant whose business offset in ``year`` is ``offset`` (> 0).

    An offset past the year's total carries into the following years.
    """
    empty = 0
    while True:
        built = _year(year)
        if offset <= built.total_us:
            break
        offset -= built.total_us
        empty = empty + 1 if built.total_us == 0 else 0
        if empty > _MAX_EMPTY_YEARS or year >= datetime.MAXYEAR:
            raise ValueError("el calendario no tiene horas laborables en el intervalo")
        year += 1
    i = bisect_left(built.cum_us, offset) - 1  # the day where the offset is reached
    remaining = offset - built.cum_us[i]
    for start, end in built.intervals[i]:
        if remaining <= end - start:
            return _at(built.first + datetime.timedelta(days=i), start + remaining, config)
        remaining -= end - start
    raise AssertionError("prefix sums disagree with the day's intervals")  # pragma: no cover


def _business_us_between(a: datetime.datetime, b: datetime.datetime) -> int:
    """Signed business µs from ``a`` to ``b`` (negative when ``b`` is before ``a``)."""
    config = _config()
    year_a, off_a = _offset(a, config)
    year_b, off_b = _offset(b, config)
    if (year_b, off_b) < (year_a, off_a):
        year_a, off_a, year_b, off_b = year_b, off_b, year_a, off_a
        sign = -1
    else:
        sign = 1
    if year_a == year_b:
        return sign * (off_b - off_a)
    total = _year(year_a).total_us - off_a + off_b
    for year in range(year_a + 1, year_b):
        total += _year(year).total_us
    return sign * total


def _add_business_us(start: datetime.datetime, us: int) -> datetime.datetime:
    if us < 0:
        raise ValueError("la duración no puede ser negativa")
    config = _config()
    year, offset = _offset(start, config)
    if us == 0:
        return start
    return _from_offset(year, offset + us, config)


def _to_minutes(us: int) -> int:
    """Whole minutes, floored toward zero."""
    return us // US_PER_MINUTE if us >= 0 else -(-us // US_PER_MINUTE)


# --- public functions --------------------------------------------------------------------------


def office_intervals(d: datetime.date) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The working intervals of day ``d`` as aware datetimes (empty on a non-working day)."""
    config = _config()
    day = _as_date(d, config)
    built = _year(day.year)
    intervals = built.intervals[(day - built.first).days]
    return [(_at(day, start, config), _at(day, end, config)) for start, end in intervals]


def _as_date(d: datetime.date, config: _Config) -> datetime.date:
    if isinstance(d, datetime.datetime):
        return _local(d, config)[0]
    return d


def is_business_day(d: datetime.date) -> bool:
    """True when the office opens on ``d`` (a datetime counts by its local date)."""
    config = _config()
    day = _as_date(d, config)
    built = _year(day.year)
    return bool(built.intervals[(day - built.first).days])


_COUNTRY_MODULES: dict[str, Any] = {}


def _country_holidays(
    country: str, subdivision: str | None, year: int, language: str | None = None
) -> Any:
    """``holidays.country_holidays(country, …)`` without importing every country.

    ``holidays.country_holidays`` (like ``import holidays.countries.peru``) imports the
    ``holidays.countries`` package, whose ``__init__`` imports all of its ~300 countries: ~8 MB
    more in every web worker that computes a due date (issue #15). The country's own module is
    loaded from its file instead (it imports only the library's base modules); an unknown code
    falls back to the library's function, which names it in its error.
    """
    import importlib.util
    from pathlib import Path

    import holidays
    from holidays import registry

    for module_name, names in registry.COUNTRIES.items():
        if country not in names[1:]:
            continue
        module = _COUNTRY_MODULES.get(module_name)
        if module is None:
            path = Path(holidays.__file__).parent / "countries" / f"{module_name}.py"
            spec = importlib.util.spec_from_file_location(f"mapro_holidays_{module_name}", path)
            if spec is None or spec.loader is None:
                break
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            _COUNTRY_MODULES[module_name] = module
        return getattr(module, names[0])(subdiv=subdivision, years=year, language=language)
    return holidays.country_holidays(country, subdiv=subdivision, years=year, language=language)


def is_regular_business_day(d: datetime.date) -> bool:
    """Whether ``d`` works by office hours and public holidays alone, ignoring exceptions."""
    config = _config()
    day = _as_date(d, config)
    public = _country_holidays(config.country, config.subdivision, day.year)
    return day not in public and bool(config.hours.get(day.weekday()))


def describe_day(d: datetime.date) -> str | None:
    """Why ``d`` is special: the holiday's name (Spanish) or the exception's description."""
    config = _config()
    day = _as_date(d, config)
    return _year(day.year).notes.get(day)


def next_opening(dt: datetime.datetime) -> datetime.datetime:
    """``dt`` itself if the office is open then, else the next moment it opens.

    An interval is half-open: at 17:30 sharp the office is closed, so the next opening is the
    next working day's 08:30.
    """
    config = _config()
    day, us = _local(dt, config)
    built = _year(day.year)
    i = (day - built.first).days
    for start, end in built.intervals[i]:
        if us < start:
            return _at(day, start, config)
        if us < end:
            return dt
    # The first later day with business time: the first index whose prefix sum grows.
    year, reached = day.year, built.cum_us[i + 1]
    empty = 0
    while True:
        k = bisect_right(built.cum_us, reached)
        if k < len(built.cum_us):
            j = k - 1
            first_start = built.intervals[j][0][0]
            return _at(built.first + datetime.timedelta(days=j), first_start, config)
        empty += 1
        if empty > _MAX_EMPTY_YEARS or year >= datetime.MAXYEAR:
            raise ValueError("el calendario no tiene horas laborables en el intervalo")
        year += 1
        built = _year(year)
        reached = 0


def add_business_minutes(start: datetime.datetime, minutes: int) -> datetime.datetime:
    """The earliest instant at which ``minutes`` business minutes have passed since ``start``.

    ``start`` must be aware. Counting begins at ``next_opening(start)``; a result that falls at
    the end of a working interval is that end (17:30 today, not 08:30 tomorrow). ``minutes=0``
    returns ``start`` unchanged. Negative ``minutes`` is a ValueError.
    """
    return _add_business_us(start, minutes * US_PER_MINUTE)


def business_minutes_between(a: datetime.datetime, b: datetime.datetime) -> int:
    """Whole business minutes from ``a`` to ``b``, negative when ``b`` is before ``a``.

    Exact inverse of ``add_business_minutes``:
    ``business_minutes_between(a, add_business_minutes(a, m)) == m``.
    """
    return _to_minutes(_business_us_between(a, b))


def add_business_days(d: datetime.date, n: int) -> datetime.date:
    """The ``n``-th business day after ``d`` (before it when ``n`` is negative).

    ``d`` itself is not counted, whether or not it is a business day; ``n=0`` returns ``d``.
    So from Friday, 1 business day is the next Monday (barring holidays).
    """
    if n == 0:
        return d
    config = _config()
    day = _as_date(d, config)
    built = _year(day.year)
    i = (day - built.first).days
    # 1-based ordinal, within built's year, of the business day we want.
    ordinal = built.cum_days[i + 1] + n if n > 0 else built.cum_days[i] + n + 1
    year = day.year
    empty = 0
    while ordinal <= 0 or ordinal > built.total_days:
        if ordinal <= 0:
            year -= 1
            built = _year(year)
            ordinal += built.total_days
        else:
            ordinal -= built.total_days
            year += 1
            built = _year(year)
        empty = empty + 1 if built.total_days == 0 else 0
        if empty > _MAX_EMPTY_YEARS:
            raise ValueError("el calendario no tiene días laborables en el intervalo")
    j = bisect_left(built.cum_days, ordinal) - 1
    return built.first + datetime.timedelta(days=j)
