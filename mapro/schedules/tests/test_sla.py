"""SLA clocks with pauses, on known dates."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from mapro.schedules.sla import due_after_pause, sla_due_at, sla_elapsed_minutes

pytestmark = pytest.mark.django_db

LIMA = ZoneInfo("America/Lima")


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LIMA)


def test_elapsed_without_pauses_is_business_time():
    # Friday 16:30 → Monday 09:30 is 2 business hours.
    assert sla_elapsed_minutes(at(2026, 5, 29, 16, 30), at(2026, 6, 1, 9, 30)) == 120
    assert sla_elapsed_minutes(at(2026, 6, 1, 9, 30), at(2026, 5, 29, 16, 30)) == 0


def test_a_pause_is_excluded():
    pauses = [(at(2026, 5, 4, 10, 0), at(2026, 5, 4, 11, 0))]
    assert sla_elapsed_minutes(at(2026, 5, 4, 9, 0), at(2026, 5, 4, 12, 0), pauses) == 120
    # Paused over the weekend: only the business part of the pause is subtracted.
    pauses = [(at(2026, 5, 29, 17, 0), at(2026, 6, 1, 9, 0))]
    assert sla_elapsed_minutes(at(2026, 5, 29, 16, 0), at(2026, 6, 1, 10, 0), pauses) == 120


def test_an_open_pause_stops_the_clock_until_now():
    pauses = [(at(2026, 5, 4, 10, 0), None)]
    assert sla_elapsed_minutes(at(2026, 5, 4, 9, 0), at(2026, 5, 6, 12, 0), pauses) == 60
    assert sla_due_at(at(2026, 5, 4, 9, 0), 120, pauses) is None


def test_an_open_pause_after_the_due_time_keeps_it():
    pauses = [(at(2026, 5, 4, 12, 0), None)]
    assert sla_due_at(at(2026, 5, 4, 9, 0), 120, pauses) == at(2026, 5, 4, 11, 0)


def test_overlapping_and_early_pauses_count_once():
    pauses = [
        (at(2026, 5, 4, 7, 0), at(2026, 5, 4, 9, 30)),  # starts before the ticket
        (at(2026, 5, 4, 10, 0), at(2026, 5, 4, 11, 0)),
        (at(2026, 5, 4, 10, 30), at(2026, 5, 4, 11, 30)),  # overlaps the previous one
    ]
    start, now = at(2026, 5, 4, 9, 0), at(2026, 5, 4, 13, 0)
    # 4 h minus 30 min (9:00–9:30) minus 90 min (10:00–11:30).
    assert sla_elapsed_minutes(start, now, pauses) == 120
    assert sla_due_at(start, 120, pauses) == now


def test_due_moves_by_the_pause_in_business_time():
    start = at(2026, 7, 27, 9, 0)  # Monday before Fiestas Patrias
    assert sla_due_at(start, 8 * 60) == at(2026, 7, 27, 17, 0)
    # Paused from 16:00 Monday to 10:00 Thursday (28 and 29 are holidays): 7 h ran before the
    # pause, the last hour runs from 10:00 Thursday.
    pauses = [(at(2026, 7, 27, 16, 0), at(2026, 7, 30, 10, 0))]
    assert sla_due_at(start, 8 * 60, pauses) == at(2026, 7, 30, 11, 0)
    assert sla_elapsed_minutes(start, at(2026, 7, 30, 11, 0), pauses) == 8 * 60


def test_zero_target_is_due_at_start():
    assert sla_due_at(at(2026, 5, 30, 10, 0), 0) == at(2026, 5, 30, 10, 0)


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        sla_due_at(at(2026, 5, 4, 9, 0), -1)
    with pytest.raises(ValueError):
        sla_elapsed_minutes(
            at(2026, 5, 4, 9, 0),
            at(2026, 5, 4, 12, 0),
            [(at(2026, 5, 4, 11, 0), at(2026, 5, 4, 10, 0))],
        )


def test_a_resumed_clock_runs_what_was_left_from_the_resume():
    # Due 17:00 Monday; paused 16:00 Monday to 10:00 Thursday (28 and 29 are holidays): the
    # hour that was left runs from 10:00 Thursday (same answer as sla_due_at above).
    due = at(2026, 7, 27, 17, 0)
    assert due_after_pause(due, at(2026, 7, 27, 16, 0), at(2026, 7, 30, 10, 0)) == at(
        2026, 7, 30, 11, 0
    )


def test_a_clock_paused_after_its_due_time_stays_overdue():
    due = at(2026, 5, 4, 11, 0)
    assert due_after_pause(due, at(2026, 5, 4, 12, 0), at(2026, 5, 6, 9, 0)) == due
    # Paused 15 minutes before the end of Friday's office day: those 15 minutes run Monday.
    due = at(2026, 5, 29, 17, 30)
    assert due_after_pause(due, at(2026, 5, 29, 17, 15), at(2026, 6, 1, 9, 0)) == at(
        2026, 6, 1, 9, 15
    )
    with pytest.raises(ValueError):
        due_after_pause(due, at(2026, 5, 4, 12, 0), at(2026, 5, 4, 11, 0))
