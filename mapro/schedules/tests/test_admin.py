"""The calendar admin writes through the audited actions and shows their refusals."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from mapro.audit.models import AuditEvent
from mapro.core.testing import make_user
from mapro.schedules.calendar import is_business_day
from mapro.schedules.models import CalendarException

pytestmark = pytest.mark.django_db

ADD = reverse("admin:schedules_calendarexception_add")
LIST = reverse("admin:schedules_calendarexception_changelist")


def test_adding_in_the_admin_is_audited(client):
    staff = make_user(is_staff=True)
    client.force_login(staff)
    assert client.get(ADD).status_code == 200
    response = client.post(
        ADD,
        {
            "date": "26/11/2026",
            "kind": "no_laborable",
            "description": "Día no laborable",
            "legal_basis": "DS N.° 000-2026-PCM",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    row = CalendarException.objects.get()
    assert row.date == datetime.date(2026, 11, 26)
    event = AuditEvent.objects.get(action="calendar_exception.create")
    assert event.actor_id == staff.pk
    assert event.object_id == str(row.pk)
    assert not is_business_day(datetime.date(2026, 11, 26))
    page = client.get(LIST)
    assert "Día no laborable" in page.content.decode()
    assert "jueves" in page.content.decode()


def test_the_admin_form_shows_the_action_s_message(client):
    client.force_login(make_user(is_staff=True))
    response = client.post(
        ADD, {"date": "28/11/2026", "kind": "no_laborable", "description": "Sábado"}
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["kind"] == ["Esa fecha ya es un día no laborable (fin de semana o feriado)."]
    assert not CalendarException.objects.exists()


def test_editing_and_deleting_in_the_admin_are_audited(client):
    client.force_login(make_user(is_superuser=True))
    row = CalendarException.objects.create(
        date=datetime.date(2026, 11, 28), kind="laborable", description="Recuperación"
    )
    change = reverse("admin:schedules_calendarexception_change", args=[row.pk])
    response = client.post(
        change, {"kind": "laborable", "description": "Recuperación del 26", "legal_basis": ""}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.description == "Recuperación del 26"
    assert AuditEvent.objects.get(action="calendar_exception.update").after == {
        "description": "Recuperación del 26"
    }
    delete = reverse("admin:schedules_calendarexception_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not CalendarException.objects.exists()
    assert AuditEvent.objects.filter(action="calendar_exception.delete").count() == 1


def test_bulk_delete_goes_through_the_action(client):
    client.force_login(make_user(is_staff=True))
    rows = [
        CalendarException.objects.create(
            date=datetime.date(2026, 11, day), kind="no_laborable", description="x"
        )
        for day in (25, 26)
    ]
    response = client.post(
        LIST,
        {
            "action": "delete_selected_exceptions",
            ACTION_CHECKBOX_NAME: [str(r.pk) for r in rows],
        },
    )
    assert response.status_code == 302
    assert not CalendarException.objects.exists()
    assert AuditEvent.objects.filter(action="calendar_exception.delete").count() == 2


def test_admin_access(client):
    row = CalendarException.objects.create(
        date=datetime.date(2026, 11, 26), kind="no_laborable", description="x"
    )
    change = reverse("admin:schedules_calendarexception_change", args=[row.pk])
    # Anonymous: sent to the login page.
    assert client.get(LIST).status_code == 302
    # A non-staff user with the right role still cannot enter the admin.
    client.force_login(make_user("jefe-ogtie"))
    assert client.get(LIST).status_code == 302
    # Staff see the list and may change it.
    client.force_login(make_user(is_staff=True))
    assert client.get(LIST).status_code == 200
    assert client.get(ADD).status_code == 200
    assert client.get(change).status_code == 200
