"""The reference cronograma: S04.03.01.02's validation of altas y bajas, twice a year."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from mapro.core.testing import ensure_role, ensure_unit, make_user
from mapro.procedures.models import WorkItem, WorkItemState
from mapro.procedures.testing import publish_ficha
from mapro.schedules.actions.cronogramas import do_start_due_occurrences
from mapro.schedules.choices import ScheduleStatus
from mapro.schedules.models import Schedule
from mapro.schedules.seeding import seed_schedules

LIMA = ZoneInfo("America/Lima")
pytestmark = pytest.mark.django_db


def test_without_the_procedure_published_the_seed_registers_nothing():
    assert "pendiente" in seed_schedules()
    assert not Schedule.objects.exists()


@time_machine.travel(datetime.datetime(2026, 1, 20, 10, 0, tzinfo=LIMA), tick=False)
def test_the_validation_of_altas_y_bajas_runs_twice_a_year_from_its_schedule():
    publish_ficha("S04.03.01.02")
    ensure_unit("OGTIE")
    ensure_role("coord-infraestructura")
    jefe = make_user("jefe-ogtie", username="jefe-ogtie")
    seed_schedules()
    schedule = Schedule.objects.get()
    assert schedule.status == ScheduleStatus.DRAFT  # a person approves it
    assert seed_schedules(approve_as=jefe.username).startswith("0 nuevos, aprobado")
    schedule.refresh_from_db()
    assert schedule.approved_by == jefe
    # First business day of March 2026 is Monday the 2nd; of September, Tuesday the 1st.
    assert schedule.next_occurrence_at == datetime.datetime(2026, 3, 2, 9, 0, tzinfo=LIMA)
    planned = schedule.recurrence().between(
        datetime.datetime(2026, 1, 1, tzinfo=LIMA), datetime.datetime(2027, 12, 31, tzinfo=LIMA)
    )
    assert [p.date().isoformat() for p in planned] == [
        "2026-03-02",
        "2026-09-01",
        "2027-03-01",
        "2027-09-01",
    ]
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 1, tzinfo=LIMA), tick=False):
        [occurrence] = do_start_due_occurrences()
    instance = occurrence.instance
    assert instance.start_key == "conciliacion"
    item = WorkItem.objects.get(instance=instance, state=WorkItemState.OPEN)
    assert item.n == 11
    assert item.roles == ["coord-infraestructura"]
