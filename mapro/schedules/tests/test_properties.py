"""Property checks of the business calendar against a naive minute-by-minute reference.

Hypothesis draws instants across 2025–2028 (weekends, Peru's holidays, year boundaries, times
outside office hours, with seconds) and durations up to two years of office time; a few
declared exceptions are in the database for every example, and half the runs use a lunch break.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mapro.schedules.calendar import (
    add_business_days,
    add_business_minutes,
    business_minutes_between,
    is_business_day,
    next_opening,
    office_intervals,
)
from mapro.schedules.models import CalendarException
from mapro.schedules.sla import due_after_pause, sla_due_at, sla_elapsed_minutes

pytestmark = pytest.mark.django_db

LIMA = ZoneInfo("America/Lima")
LUNCH_BREAK = [
    (day, start, end) for day in range(5) for start, end in (("08:30", "13:00"), ("14:00", "17:30"))
]
PROPERTY = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

instants = st.datetimes(
    min_value=datetime.datetime(2025, 1, 1),
    max_value=datetime.datetime(2028, 12, 31, 23, 59, 59),
    timezones=st.just(LIMA),
)
# Instants near office boundaries and year ends, where off-by-one errors live.
edge_instants = st.builds(
    lambda day, hm: datetime.datetime.combine(day, hm, tzinfo=LIMA),
    st.dates(min_value=datetime.date(2025, 12, 24), max_value=datetime.date(2027, 1, 8)),
    st.sampled_from(
        [datetime.time(h, m) for h, m in ((0, 0), (8, 29), (8, 30), (13, 0), (14, 0), (17, 30))]
        + [datetime.time(17, 29, 59, 999999), datetime.time(23, 59, 59)]
    ),
)
any_instant = st.one_of(instants, edge_instants)
minutes = st.integers(min_value=0, max_value=540 * 500)


@pytest.fixture(params=["office", "lunch"])
def calendar_setup(request, settings):
    """A few declared exceptions, with and without a lunch break."""
    if request.param == "lunch":
        settings.MAPRO_OFFICE_HOURS = LUNCH_BREAK
    declared = [
        (datetime.date(2026, 11, 26), "no_laborable"),
        (datetime.date(2026, 12, 31), "feriado"),
        (datetime.date(2026, 11, 28), "laborable"),  # a Saturday
        (datetime.date(2027, 1, 2), "laborable"),  # a Saturday after New Year
    ]
    CalendarException.objects.bulk_create(
        [CalendarException(date=day, kind=kind, description=kind) for day, kind in declared]
    )
    return request.param


def reference_minutes(a: datetime.datetime, b: datetime.datetime) -> float:
    """Business time from a to b, summed interval by interval, day by day (slow and obvious)."""
    total = datetime.timedelta()
    day = a.astimezone(LIMA).date()
    while day <= b.astimezone(LIMA).date():
        for start, end in office_intervals(day):
            lo, hi = max(start, a), min(end, b)
            if hi > lo:
                total += hi - lo
        day += datetime.timedelta(days=1)
    return total.total_seconds() / 60


@PROPERTY
@given(a=any_instant, m=minutes)
def test_between_inverts_add(calendar_setup, a, m):
    due = add_business_minutes(a, m)
    assert due >= a
    assert business_minutes_between(a, due) == m
    assert business_minutes_between(due, a) == -m


@PROPERTY
@given(a=any_instant, m=st.integers(min_value=1, max_value=540 * 20))
def test_add_gives_the_earliest_instant(calendar_setup, a, m):
    due = add_business_minutes(a, m)
    # Inside or at the end of a working interval, never at an opening (that would not be the
    # earliest: the previous closing has the same business offset).
    assert any(start < due <= end for start, end in office_intervals(due.date()))
    assert business_minutes_between(a, due - datetime.timedelta(microseconds=1)) == m - 1


@PROPERTY
@given(a=any_instant, span=st.integers(min_value=0, max_value=60 * 24 * 3600 * 10**6))
def test_between_matches_the_reference(calendar_setup, a, span):
    lo, hi = a, a + datetime.timedelta(microseconds=span)
    expected = int(reference_minutes(lo, hi))
    assert business_minutes_between(lo, hi) == expected
    assert business_minutes_between(hi, lo) == -expected


@PROPERTY
@given(a=any_instant, b=any_instant, c=any_instant)
def test_between_is_additive(calendar_setup, a, b, c):
    a, b, c = sorted([a, b, c])
    exact = add_business_minutes(a, 0)
    assert exact == a
    total = business_minutes_between(a, c)
    parts = business_minutes_between(a, b) + business_minutes_between(b, c)
    assert parts in (total, total - 1)  # each part floors its own partial minute


@PROPERTY
@given(a=any_instant)
def test_next_opening(calendar_setup, a):
    opening = next_opening(a)
    assert opening >= a
    assert any(start <= opening < end for start, end in office_intervals(opening.date()))
    assert business_minutes_between(a, opening) == 0
    if opening > a:
        assert any(start == opening for start, _ in office_intervals(opening.date()))


@PROPERTY
@given(
    d=st.dates(min_value=datetime.date(2025, 6, 1), max_value=datetime.date(2028, 6, 1)),
    n=st.integers(min_value=-300, max_value=300),
)
def test_add_business_days_counts_business_days(calendar_setup, d, n):
    result = add_business_days(d, n)
    if n == 0:
        assert result == d
        return
    assert is_business_day(result)
    lo, hi = (d, result) if n > 0 else (result, d)
    assert lo < hi
    # Business days strictly after lo up to hi (forward), or from lo up to before hi (backward).
    days = [lo + datetime.timedelta(days=i) for i in range(1, (hi - lo).days + 1)]
    if n < 0:
        days = [lo + datetime.timedelta(days=i) for i in range((hi - lo).days)]
    assert sum(is_business_day(day) for day in days) == abs(n)


pauses = st.lists(
    st.tuples(any_instant, st.one_of(st.none(), st.integers(0, 60 * 24 * 10))).map(
        lambda p: (p[0], None if p[1] is None else p[0] + datetime.timedelta(minutes=p[1]))
    ),
    max_size=4,
)


@PROPERTY
@given(start=any_instant, target=st.integers(0, 540 * 30), ps=pauses)
def test_sla_due_at_is_when_elapsed_reaches_the_target(calendar_setup, start, target, ps):
    due = sla_due_at(start, target, ps)
    if due is None:
        # Only a pause still open stops the clock.
        assert any(end is None for _, end in ps)
        return
    assert due >= start
    assert sla_elapsed_minutes(start, due, ps) == target


@PROPERTY
@given(start=any_instant, now=any_instant, ps=pauses)
def test_sla_elapsed_never_exceeds_the_unpaused_time(calendar_setup, start, now, ps):
    elapsed = sla_elapsed_minutes(start, now, ps)
    assert 0 <= elapsed <= max(business_minutes_between(start, now), 0)
    if not ps:
        assert elapsed == max(business_minutes_between(start, now), 0)


@PROPERTY
@given(
    start=any_instant,
    target=st.integers(0, 540 * 30),
    gaps=st.lists(
        st.tuples(st.integers(0, 60 * 24 * 10), st.integers(0, 60 * 24 * 10)), max_size=4
    ),
)
def test_moving_the_due_time_pause_by_pause_is_sla_due_at(calendar_setup, start, target, gaps):
    """A ticket keeps only its due time and moves it at each resume (``due_after_pause``);
    that must land where the whole history says (``sla_due_at``)."""
    ps, cursor = [], start
    for run, length in gaps:
        paused_at = cursor + datetime.timedelta(minutes=run)
        cursor = paused_at + datetime.timedelta(minutes=length)
        ps.append((paused_at, cursor))
    due = add_business_minutes(start, target)
    for paused_at, resumed_at in ps:
        due = due_after_pause(due, paused_at, resumed_at)
    assert due == sla_due_at(start, target, ps)
