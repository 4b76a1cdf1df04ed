"""Cronogramas: register, approve, and the worker starting each due occurrence exactly once."""

from __future__ import annotations

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection, connections

from mapro.audit.models import AuditEvent
from mapro.core.exceptions import Forbidden, InvalidInput, InvalidTransition
from mapro.core.testing import ensure_role, ensure_unit, make_user
from mapro.notifications.models import Notification
from mapro.procedures.models import Instance, InstanceStatus, Procedure, WorkItem
from mapro.procedures.tests.runtime_helpers import FICHA, publish
from mapro.schedules.actions.cronogramas import (
    do_approve_schedule,
    do_create_schedule,
    do_retire_schedule,
    do_start_due_occurrences,
    do_start_occurrence,
    do_update_schedule,
)
from mapro.schedules.choices import OccurrenceStatus, ScheduleStatus
from mapro.schedules.models import Schedule, ScheduleOccurrence

LIMA = ZoneInfo("America/Lima")
NOW = datetime.datetime(2026, 2, 10, 10, 0, tzinfo=LIMA)
TWICE_A_YEAR = "FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=2"


def at(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=LIMA)


@pytest.fixture
def setup(db):
    publish(FICHA)
    ogtie = ensure_unit("OGTIE")
    return {
        "ogtie": ogtie,
        "coord": make_user("coord-infraestructura", unit=ogtie),
        "jefe": make_user("jefe-ogtie", unit=ogtie),
        "operador": make_user("operador-mesa", unit=ogtie),
    }


def _create(actor, **overrides):
    fields = {
        "name": "Revisión semestral",
        "procedure_code": "T.01",
        "start_key": "oficio",
        "unit": "OGTIE",
        "role": "operador-mesa",
        "rrule": TWICE_A_YEAR,
        "dtstart": at(2026, 1, 1, 9, 0),
    }
    fields.update(overrides)
    return do_create_schedule(actor=actor, **fields)


@time_machine.travel(NOW, tick=False)
def test_a_coordinator_registers_a_draft_that_starts_nothing(setup):
    schedule = _create(setup["coord"])
    assert schedule.status == ScheduleStatus.DRAFT
    assert schedule.next_occurrence_at is None
    assert schedule.rrule == TWICE_A_YEAR
    event = AuditEvent.objects.get(action="schedule.create")
    assert event.after["rrule"] == TWICE_A_YEAR
    with time_machine.travel(at(2026, 3, 2, 9, 5), tick=False):
        assert do_start_due_occurrences() == []
    assert not Instance.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_only_managers_register_or_approve(setup):
    with pytest.raises(Forbidden):
        _create(setup["operador"])
    assert not Schedule.objects.exists()
    schedule = _create(setup["coord"])
    with pytest.raises(Forbidden):
        do_approve_schedule(schedule, actor=setup["operador"])
    schedule.refresh_from_db()
    assert schedule.status == ScheduleStatus.DRAFT


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"rrule": "FREQ=YEARLY;FOO=1"}, "rrule"),  # not RFC 5545
        ({"rrule": "BYMONTH=3"}, "rrule"),  # no FREQ
        ({"rrule": "FREQ=MINUTELY"}, "rrule"),  # not a cronograma
        ({"rrule": "FREQ=YEARLY;UNTIL=20251231"}, "rrule"),  # ends before it starts
        ({"rrule": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"}, "rrule"),  # no occurrence at all
        ({"rrule": "", "dates": []}, "rrule"),  # neither a rule nor dates
        ({"rrule": "", "dates": ["2026-13-01"]}, "dates"),
        ({"dtstart": "mañana"}, "dtstart"),
        ({"start_key": "nope"}, "start_key"),
        ({"procedure_code": "S04.99.99.99"}, "procedure"),
        ({"unit": "NOPE"}, "unit"),
        ({"role": "rey"}, "role"),
        ({"name": "  "}, "name"),
    ],
)
@time_machine.travel(NOW, tick=False)
def test_bad_input_is_a_field_error_and_saves_nothing(setup, overrides, field):
    with pytest.raises(InvalidInput) as caught:
        _create(setup["coord"], **overrides)
    assert field in caught.value.errors, caught.value.errors
    assert all(isinstance(m, str) and m for m in caught.value.errors[field])
    assert not Schedule.objects.exists()
    assert not AuditEvent.objects.filter(action="schedule.create").exists()


@time_machine.travel(NOW, tick=False)
def test_a_list_of_dates_is_a_schedule_too(setup):
    schedule = _create(setup["coord"], rrule="", dates=["2026-04-15", "2026-06-01T15:30"])
    assert schedule.dates == ["2026-04-15T09:00:00-05:00", "2026-06-01T15:30:00-05:00"]
    schedule = do_approve_schedule(schedule, actor=setup["jefe"])
    assert schedule.next_occurrence_at == at(2026, 4, 15, 9, 0)


@time_machine.travel(NOW, tick=False)
def test_approval_records_who_and_when_and_the_first_future_occurrence(setup):
    schedule = do_approve_schedule(_create(setup["coord"]), actor=setup["jefe"])
    assert schedule.status == ScheduleStatus.APPROVED
    assert schedule.approved_by == setup["jefe"]
    assert schedule.approved_at == NOW
    assert setup["jefe"].username in schedule.approved_by_name
    assert schedule.next_occurrence_at == at(2026, 3, 2, 9, 0)
    assert AuditEvent.objects.filter(action="schedule.approve", actor=setup["jefe"]).exists()
    with pytest.raises(InvalidTransition):
        do_approve_schedule(schedule, actor=setup["jefe"])


@time_machine.travel(NOW, tick=False)
def test_a_schedule_with_only_past_occurrences_cannot_be_approved(setup):
    schedule = _create(setup["coord"], rrule="", dates=["2026-01-05"])
    with pytest.raises(InvalidInput) as caught:
        do_approve_schedule(schedule, actor=setup["jefe"])
    assert "rrule" in caught.value.errors
    schedule.refresh_from_db()
    assert schedule.status == ScheduleStatus.DRAFT


def test_the_worker_starts_each_occurrence_once_on_its_date(setup):
    with time_machine.travel(NOW, tick=False):
        schedule = do_approve_schedule(_create(setup["coord"]), actor=setup["jefe"])
    with time_machine.travel(at(2026, 3, 2, 8, 59), tick=False):
        assert do_start_due_occurrences() == []
    with time_machine.travel(at(2026, 3, 2, 9, 0, 30), tick=False):
        [occurrence] = do_start_due_occurrences()
        assert do_start_due_occurrences() == []  # the next tick, or a restarted worker
    assert occurrence.occurs_at == at(2026, 3, 2, 9, 0)
    assert occurrence.status == OccurrenceStatus.STARTED
    instance = occurrence.instance
    assert instance.status == InstanceStatus.RUNNING
    assert instance.start_key == "oficio"
    assert instance.unit == setup["ogtie"]
    assert instance.started_by is None
    assert list(WorkItem.objects.filter(instance=instance).values_list("n", flat=True)) == [2]
    schedule.refresh_from_db()
    assert schedule.next_occurrence_at == at(2026, 9, 2, 9, 0)
    # Handling the same occurrence again (a restart mid-tick) starts nothing.
    assert do_start_occurrence(schedule, at(2026, 3, 2, 9, 0)) is None
    assert Instance.objects.count() == 1


def test_occurrences_missed_while_the_worker_was_down_start_late_one_per_tick(setup):
    with time_machine.travel(NOW, tick=False):
        do_approve_schedule(_create(setup["coord"]), actor=setup["jefe"])
    with time_machine.travel(at(2026, 10, 1, 8, 0), tick=False):
        first = do_start_due_occurrences()
        second = do_start_due_occurrences()
        assert do_start_due_occurrences() == []
    assert [o.occurs_at for o in first + second] == [at(2026, 3, 2, 9, 0), at(2026, 9, 2, 9, 0)]
    assert Instance.objects.count() == 2


def test_a_refused_start_is_kept_as_failed_and_the_schedule_moves_on(setup):
    with time_machine.travel(NOW, tick=False):
        schedule = do_approve_schedule(_create(setup["coord"]), actor=setup["jefe"])
    Procedure.objects.filter(code="T.01").update(current_version=None)  # withdrawn
    with time_machine.travel(at(2026, 3, 2, 10, 0), tick=False):
        [occurrence] = do_start_due_occurrences()
    assert occurrence.status == OccurrenceStatus.FAILED
    assert occurrence.instance is None
    assert occurrence.error
    assert not Instance.objects.exists()
    schedule.refresh_from_db()
    assert schedule.next_occurrence_at == at(2026, 9, 2, 9, 0)
    assert AuditEvent.objects.get(action="schedule.occurrence").after["status"] == "failed"
    # The responsible role and the Jefe(a) are told, in the app (and by mail).
    told = Notification.objects.filter(subject__startswith="No se pudo iniciar el cronograma")
    assert sorted(n.recipient_id for n in told) == sorted([setup["operador"].pk, setup["jefe"].pk])
    assert setup["coord"].pk not in [n.recipient_id for n in told]


@time_machine.travel(NOW, tick=False)
def test_changing_when_an_approved_schedule_runs_needs_a_new_approval(setup):
    schedule = do_approve_schedule(_create(setup["coord"]), actor=setup["jefe"])
    renamed = do_update_schedule(schedule, actor=setup["coord"], name="Validación semestral")
    assert renamed.status == ScheduleStatus.APPROVED  # a new name is not a new cronograma
    moved = do_update_schedule(schedule, actor=setup["coord"], rrule="FREQ=YEARLY;BYMONTH=4")
    assert moved.status == ScheduleStatus.DRAFT
    assert moved.approved_by is None and moved.next_occurrence_at is None
    with pytest.raises(InvalidInput):
        do_update_schedule(schedule, actor=setup["coord"], rrule="FREQ=NEVER")
    moved.refresh_from_db()
    assert moved.rrule == "FREQ=YEARLY;BYMONTH=4"


@time_machine.travel(NOW, tick=False)
def test_a_retired_schedule_starts_nothing(setup):
    schedule = do_approve_schedule(_create(setup["coord"]), actor=setup["jefe"])
    with pytest.raises(InvalidInput):
        do_retire_schedule(schedule, "", actor=setup["jefe"])
    do_retire_schedule(schedule, "Reemplazado por el cronograma 2027", actor=setup["jefe"])
    with time_machine.travel(at(2026, 3, 2, 9, 1), tick=False):
        assert do_start_due_occurrences() == []
    with pytest.raises(InvalidTransition):
        do_update_schedule(schedule, actor=setup["jefe"], name="x")


# --- two workers racing (PostgreSQL: real row-level concurrency) -----------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_on_a_due_occurrence_start_one_instance():
    publish(FICHA)
    ogtie = ensure_unit("OGTIE")
    coord = make_user("coord-infraestructura", unit=ogtie)
    ensure_role("operador-mesa")
    with time_machine.travel(NOW, tick=False):
        schedule = do_approve_schedule(_create(coord), actor=coord)
    due = at(2026, 3, 2, 9, 0)
    barrier = threading.Barrier(4)
    results: list[object] = []
    errors: list[BaseException] = []

    def worker() -> None:
        # Each thread is a worker with its own connection, and every one of them tries the
        # same occurrence (as workers that all read the schedule as due would).
        try:
            barrier.wait()
            results.append(do_start_occurrence(schedule, due))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    with time_machine.travel(at(2026, 3, 2, 9, 1), tick=False):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []
    assert len(results) == 4
    assert len([r for r in results if r is not None]) == 1
    assert Instance.objects.count() == 1
    assert ScheduleOccurrence.objects.filter(schedule=schedule).count() == 1
    schedule.refresh_from_db()
    assert schedule.next_occurrence_at == at(2026, 9, 2, 9, 0)
