"""Calendar exceptions change only through audited actions, by staff or the head of OGTIE."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from mapro.audit.models import AuditEvent
from mapro.core.exceptions import Forbidden, InvalidInput
from mapro.core.testing import make_user
from mapro.schedules.actions import (
    do_create_calendar_exception,
    do_delete_calendar_exception,
    do_update_calendar_exception,
)
from mapro.schedules.calendar import is_business_day
from mapro.schedules.models import CalendarException

pytestmark = pytest.mark.django_db

THURSDAY = datetime.date(2026, 11, 26)
SATURDAY = datetime.date(2026, 11, 28)


def test_jefe_ogtie_declares_a_non_working_day():
    jefe = make_user("jefe-ogtie")
    assert is_business_day(THURSDAY)
    row = do_create_calendar_exception(
        THURSDAY,
        "no_laborable",
        "  Día no laborable para el sector público  ",
        actor=jefe,
        legal_basis="DS N.° 000-2026-PCM",
    )
    assert row.description == "Día no laborable para el sector público"
    assert not is_business_day(THURSDAY)
    event = AuditEvent.objects.get(action="calendar_exception.create")
    assert event.actor_id == jefe.pk
    assert event.object_id == str(row.pk)
    assert event.after == {
        "date": "2026-11-26",
        "kind": "no_laborable",
        "description": "Día no laborable para el sector público",
        "legal_basis": "DS N.° 000-2026-PCM",
    }


def test_staff_declares_a_compensatory_saturday_and_deletes_it():
    staff = make_user(is_staff=True)
    row = do_create_calendar_exception(SATURDAY, "laborable", "Recuperación", actor=staff)
    assert is_business_day(SATURDAY)
    do_delete_calendar_exception(row, actor=staff)
    assert not is_business_day(SATURDAY)
    assert not CalendarException.objects.exists()
    event = AuditEvent.objects.get(action="calendar_exception.delete")
    assert event.object_type == "schedules.calendarexception"
    assert event.before["date"] == "2026-11-28"


def test_update_records_only_what_changed():
    staff = make_user(is_staff=True)
    row = do_create_calendar_exception(THURSDAY, "no_laborable", "Primero", actor=staff)
    do_update_calendar_exception(row, actor=staff, kind="feriado", description="Primero")
    event = AuditEvent.objects.get(action="calendar_exception.update")
    assert event.before == {"kind": "no_laborable"}
    assert event.after == {"kind": "feriado"}
    assert not is_business_day(THURSDAY)


@pytest.mark.parametrize("who", ["anonymous", "wrong-role", "inactive-staff"])
def test_others_are_refused(who):
    if who == "anonymous":
        actor = AnonymousUser()
    elif who == "wrong-role":
        actor = make_user("operador-mesa")
    else:
        actor = make_user(is_staff=True)
        actor.is_active = False
    with pytest.raises(Forbidden):
        do_create_calendar_exception(THURSDAY, "no_laborable", "x", actor=actor)
    row = CalendarException.objects.create(date=SATURDAY, kind="laborable", description="y")
    with pytest.raises(Forbidden):
        do_delete_calendar_exception(row, actor=actor)
    with pytest.raises(Forbidden):
        do_update_calendar_exception(row, actor=actor, description="z")
    assert CalendarException.objects.count() == 1
    assert not AuditEvent.objects.filter(action__startswith="calendar_exception.").exists()


@pytest.mark.parametrize(
    ("date", "kind", "description", "field"),
    [
        (None, "no_laborable", "x", "date"),
        ("2026-11-26", "no_laborable", "x", "date"),  # a string, not a date
        (THURSDAY, "vacaciones", "x", "kind"),
        (THURSDAY, "no_laborable", "   ", "description"),
        (THURSDAY, "no_laborable", "x" * 201, "description"),
        (THURSDAY, "laborable", "x", "kind"),  # already a working day
        (SATURDAY, "no_laborable", "x", "kind"),  # already a weekend
        (datetime.date(2026, 7, 28), "feriado", "x", "kind"),  # already a public holiday
    ],
)
def test_bad_input_is_refused_naming_the_field(date, kind, description, field):
    staff = make_user(is_staff=True)
    with pytest.raises(InvalidInput) as caught:
        do_create_calendar_exception(date, kind, description, actor=staff)
    assert field in caught.value.errors
    assert not CalendarException.objects.exists()


def test_one_exception_per_date():
    staff = make_user(is_staff=True)
    do_create_calendar_exception(THURSDAY, "no_laborable", "x", actor=staff)
    with pytest.raises(InvalidInput) as caught:
        do_create_calendar_exception(THURSDAY, "feriado", "y", actor=staff)
    assert caught.value.errors["date"] == ["Ya existe una excepción para esa fecha."]
    assert CalendarException.objects.count() == 1


def test_the_system_may_declare():
    row = do_create_calendar_exception(THURSDAY, "no_laborable", "x", actor=None)
    assert AuditEvent.objects.get(action="calendar_exception.create").actor_name == "sistema"
    assert row.pk
