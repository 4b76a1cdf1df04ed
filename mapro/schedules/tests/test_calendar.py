"""The business calendar on known dates: holidays, office hours, lunch breaks, exceptions."""

import datetime
import time
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mapro.schedules.calendar import (
    add_business_days,
    add_business_minutes,
    business_minutes_between,
    describe_day,
    is_business_day,
    next_opening,
    office_intervals,
)
from mapro.schedules.choices import ExceptionKind
from mapro.schedules.models import CalendarException

pytestmark = pytest.mark.django_db

LIMA = ZoneInfo("America/Lima")
LUNCH_BREAK = [
    (day, start, end) for day in range(5) for start, end in (("08:30", "13:00"), ("14:00", "17:30"))
]


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LIMA)


D = datetime.date


# --- Peru's 2026 holidays, as the holidays package (0.109) gives them ---------------------------


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2026, 1, 1), "Año Nuevo"),
        (D(2026, 4, 2), "Jueves Santo"),
        (D(2026, 4, 3), "Viernes Santo"),
        (D(2026, 5, 1), "Día del Trabajo"),
        (D(2026, 6, 29), "San Pedro y San Pablo"),  # Monday
        (D(2026, 7, 23), "Día de la Fuerza Aérea del Perú"),
        (D(2026, 7, 28), "Día de la Independencia"),
        (D(2026, 7, 29), "Día de la Gran Parada Militar"),
        (D(2026, 8, 6), "Batalla de Junín"),
        (D(2026, 10, 8), "Combate de Angamos"),  # Thursday
        (D(2026, 12, 8), "Inmaculada Concepción"),
        (D(2026, 12, 9), "Batalla de Ayacucho"),
        (D(2026, 12, 25), "Navidad del Señor"),
    ],
)
def test_2026_holidays_on_weekdays_are_not_business_days(day, name):
    assert day.weekday() < 5
    assert not is_business_day(day)
    assert describe_day(day) == name


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2026, 6, 7), "Batalla de Arica y Día de la Bandera"),
        (D(2026, 8, 30), "Santa Rosa de Lima"),
        (D(2026, 11, 1), "Todos Los Santos"),
    ],
)
def test_2026_holidays_that_fall_on_a_sunday_are_holidays_too(day, name):
    assert day.weekday() == 6
    assert not is_business_day(day)
    assert describe_day(day) == name


def test_ordinary_days():
    assert is_business_day(D(2026, 11, 26))  # a Thursday, no holiday in Peru
    assert describe_day(D(2026, 11, 26)) is None
    assert is_business_day(D(2026, 7, 27))
    assert not is_business_day(D(2026, 7, 25))  # Saturday
    assert not is_business_day(D(2026, 7, 26))  # Sunday
    # A datetime counts by its date in Lima: 02:00 UTC on the 28th is still the 27th there.
    assert is_business_day(datetime.datetime(2026, 7, 28, 2, 0, tzinfo=datetime.UTC))
    assert not is_business_day(datetime.datetime(2026, 7, 28, 6, 0, tzinfo=datetime.UTC))


def test_2026_has_248_business_days_of_nine_hours():
    minutes = business_minutes_between(at(2026, 1, 1), at(2027, 1, 1))
    assert minutes == 248 * 9 * 60
    assert add_business_days(D(2025, 12, 31), 248) == D(2026, 12, 31)
    assert add_business_days(D(2025, 12, 31), 249) == D(2027, 1, 4)


# --- add_business_minutes --------------------------------------------------------------------


def test_minutes_within_a_day():
    assert add_business_minutes(at(2026, 5, 4, 9, 0), 90) == at(2026, 5, 4, 10, 30)


def test_a_due_time_at_closing_stays_at_closing():
    assert add_business_minutes(at(2026, 5, 29, 16, 30), 60) == at(2026, 5, 29, 17, 30)


def test_friday_afternoon_rolls_over_the_weekend():
    assert add_business_minutes(at(2026, 5, 29, 17, 0), 60) == at(2026, 6, 1, 9, 0)


def test_start_outside_office_hours_counts_from_the_next_opening():
    assert add_business_minutes(at(2026, 5, 30, 10, 0), 30) == at(2026, 6, 1, 9, 0)  # Saturday
    assert add_business_minutes(at(2026, 6, 1, 7, 0), 30) == at(2026, 6, 1, 9, 0)  # early
    assert add_business_minutes(at(2026, 6, 1, 20, 0), 30) == at(2026, 6, 2, 9, 0)  # late
    assert add_business_minutes(at(2026, 5, 30, 10, 0), 0) == at(2026, 5, 30, 10, 0)


def test_fiestas_patrias_are_skipped():
    # Monday 27 July 17:00 + 1 h: 28 and 29 are holidays → Thursday 30 at 09:00.
    assert add_business_minutes(at(2026, 7, 27, 17, 0), 60) == at(2026, 7, 30, 9, 0)


def test_year_boundary():
    # 31 Dec 2026 (Thursday) 17:00 + 1 h: 1 Jan 2027 is a holiday (Friday), then the weekend.
    assert add_business_minutes(at(2026, 12, 31, 17, 0), 60) == at(2027, 1, 4, 9, 0)
    assert business_minutes_between(at(2026, 12, 31, 17, 0), at(2027, 1, 4, 9, 0)) == 60


def test_seconds_and_other_time_zones_are_kept():
    start = datetime.datetime(2026, 5, 4, 14, 0, 30, tzinfo=datetime.UTC)  # 09:00:30 Lima
    due = add_business_minutes(start, 10)
    assert due == at(2026, 5, 4, 9, 10) + datetime.timedelta(seconds=30)
    assert business_minutes_between(start, due) == 10


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        add_business_minutes(datetime.datetime(2026, 5, 4, 9, 0), 10)
    with pytest.raises(ValueError):
        business_minutes_between(datetime.datetime(2026, 5, 4, 9, 0), at(2026, 5, 4, 10, 0))


def test_negative_minutes_are_refused():
    with pytest.raises(ValueError):
        add_business_minutes(at(2026, 5, 4, 9, 0), -1)


def test_lunch_break(settings):
    settings.MAPRO_OFFICE_HOURS = LUNCH_BREAK
    assert add_business_minutes(at(2026, 5, 4, 12, 30), 60) == at(2026, 5, 4, 14, 30)
    assert add_business_minutes(at(2026, 5, 4, 12, 30), 30) == at(2026, 5, 4, 13, 0)
    assert add_business_minutes(at(2026, 5, 4, 13, 15), 1) == at(2026, 5, 4, 14, 1)
    assert business_minutes_between(at(2026, 5, 4, 8, 0), at(2026, 5, 4, 18, 0)) == 8 * 60
    assert next_opening(at(2026, 5, 4, 13, 0)) == at(2026, 5, 4, 14, 0)
    assert [(a.time(), b.time()) for a, b in office_intervals(D(2026, 5, 4))] == [
        (datetime.time(8, 30), datetime.time(13, 0)),
        (datetime.time(14, 0), datetime.time(17, 30)),
    ]


@pytest.mark.parametrize(
    "hours",
    [
        [(0, "09:00", "08:00")],
        [(0, "08:00", "12:00"), (0, "11:00", "13:00")],
        [(7, "08:00", "12:00")],
        [(0, "8h", "12:00")],
        [(0, "25:00", "26:00")],
    ],
)
def test_bad_office_hours_are_refused(settings, hours):
    settings.MAPRO_OFFICE_HOURS = hours
    with pytest.raises(ImproperlyConfigured):
        is_business_day(D(2026, 5, 4))


# --- business_minutes_between ------------------------------------------------------------------


def test_between_is_signed_and_ignores_closed_time():
    a, b = at(2026, 5, 29, 17, 0), at(2026, 6, 1, 9, 0)
    assert business_minutes_between(a, b) == 60
    assert business_minutes_between(b, a) == -60
    assert business_minutes_between(at(2026, 5, 30, 9), at(2026, 5, 31, 18)) == 0


def test_between_floors_partial_minutes():
    assert business_minutes_between(at(2026, 5, 4, 9, 0), at(2026, 5, 4, 9, 0, 59)) == 0
    assert business_minutes_between(at(2026, 5, 4, 9, 0, 59), at(2026, 5, 4, 9, 0)) == 0


# --- next_opening and business days ------------------------------------------------------------


def test_next_opening():
    assert next_opening(at(2026, 5, 4, 10, 0)) == at(2026, 5, 4, 10, 0)
    assert next_opening(at(2026, 5, 4, 8, 29)) == at(2026, 5, 4, 8, 30)
    assert next_opening(at(2026, 5, 4, 17, 30)) == at(2026, 5, 5, 8, 30)
    assert next_opening(at(2026, 7, 27, 18, 0)) == at(2026, 7, 30, 8, 30)
    assert next_opening(at(2026, 12, 31, 17, 45)) == at(2027, 1, 4, 8, 30)


def test_add_business_days():
    assert add_business_days(D(2026, 5, 29), 1) == D(2026, 6, 1)  # Friday → Monday
    assert add_business_days(D(2026, 5, 30), 1) == D(2026, 6, 1)  # Saturday → Monday
    assert add_business_days(D(2026, 7, 24), 2) == D(2026, 7, 30)  # over Fiestas Patrias
    assert add_business_days(D(2026, 12, 30), 3) == D(2027, 1, 5)
    assert add_business_days(D(2027, 1, 4), -3) == D(2026, 12, 29)
    assert add_business_days(D(2026, 7, 30), -1) == D(2026, 7, 27)
    assert add_business_days(D(2026, 7, 26), 0) == D(2026, 7, 26)


# --- exceptions declared in the database -------------------------------------------------------


def test_a_declared_non_working_day_is_skipped():
    assert is_business_day(D(2026, 11, 26))
    CalendarException.objects.create(
        date=D(2026, 11, 26), kind=ExceptionKind.NO_LABORABLE, description="DS 000-2026-PCM"
    )
    assert not is_business_day(D(2026, 11, 26))
    assert describe_day(D(2026, 11, 26)) == "DS 000-2026-PCM"
    assert add_business_minutes(at(2026, 11, 25, 17, 0), 60) == at(2026, 11, 27, 9, 0)
    assert add_business_days(D(2026, 11, 25), 1) == D(2026, 11, 27)


def test_a_compensatory_saturday_is_counted():
    CalendarException.objects.create(
        date=D(2026, 11, 28), kind=ExceptionKind.LABORABLE, description="Recuperación"
    )
    assert is_business_day(D(2026, 11, 28))
    assert add_business_minutes(at(2026, 11, 27, 17, 0), 60) == at(2026, 11, 28, 9, 0)
    assert business_minutes_between(at(2026, 11, 27, 17, 30), at(2026, 11, 30, 8, 30)) == 540
    assert add_business_days(D(2026, 11, 27), 1) == D(2026, 11, 28)


def test_a_compensatory_day_uses_the_configured_extra_hours(settings):
    settings.MAPRO_EXTRA_WORKDAY_HOURS = [("09:00", "13:00")]
    CalendarException.objects.create(
        date=D(2026, 11, 28), kind=ExceptionKind.LABORABLE, description="Recuperación"
    )
    assert business_minutes_between(at(2026, 11, 28, 0, 0), at(2026, 11, 29, 0, 0)) == 240


def test_a_working_day_declared_on_a_holiday_wins():
    CalendarException.objects.create(
        date=D(2026, 10, 8), kind=ExceptionKind.LABORABLE, description="Traslado del feriado"
    )
    assert is_business_day(D(2026, 10, 8))


def test_deleting_an_exception_restores_the_day():
    row = CalendarException.objects.create(
        date=D(2026, 11, 26), kind=ExceptionKind.FERIADO, description="Nuevo feriado"
    )
    assert not is_business_day(D(2026, 11, 26))
    row.delete()
    assert is_business_day(D(2026, 11, 26))


def test_a_change_made_elsewhere_is_seen_after_the_recheck_interval(settings):
    settings.MAPRO_CALENDAR_RECHECK_SECONDS = 0
    assert is_business_day(D(2026, 11, 26))
    # A write that fires no signal here, as if another process had made it.
    CalendarException.objects.bulk_create(
        [CalendarException(date=D(2026, 11, 26), kind="no_laborable", description="x")]
    )
    assert not is_business_day(D(2026, 11, 26))


def test_a_change_made_elsewhere_is_not_seen_before_the_interval(settings):
    settings.MAPRO_CALENDAR_RECHECK_SECONDS = 3600
    assert is_business_day(D(2026, 11, 26))
    CalendarException.objects.bulk_create(
        [CalendarException(date=D(2026, 11, 26), kind="no_laborable", description="x")]
    )
    assert is_business_day(D(2026, 11, 26))  # cached: proves the cache is really used


# --- cost ------------------------------------------------------------------------------------


def test_calls_do_not_query_the_database_once_the_years_are_built():
    business_minutes_between(at(2026, 1, 5, 9), at(2027, 3, 1, 9))
    with CaptureQueriesContext(connection) as queries:
        for day in range(1, 28):
            business_minutes_between(at(2026, 1, day, 9), at(2027, 2, day, 11))
            add_business_minutes(at(2026, 2, day, 9), 540 * 200)
            add_business_days(D(2026, 3, day), 200)
            is_business_day(D(2026, 4, day))
            next_opening(at(2026, 5, day, 20))
    assert len(queries) == 0


def test_a_long_span_is_fast():
    start = at(2026, 1, 2, 10, 0)
    add_business_minutes(start, 1)  # build the years
    add_business_minutes(at(2031, 1, 2), 1)
    began = time.perf_counter()
    for _ in range(200):
        due = add_business_minutes(start, 540 * 248 * 5)  # five years of office time
        assert business_minutes_between(start, due) == 540 * 248 * 5
        business_minutes_between(start, at(2027, 1, 2, 10, 0))
    elapsed = time.perf_counter() - began
    assert elapsed < 0.5, elapsed  # ~0.1 ms per call here; a minute loop would take seconds
