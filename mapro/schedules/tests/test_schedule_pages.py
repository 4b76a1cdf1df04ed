"""Cronogramas through API v1, the HTML pages and the iCalendar feed."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from icalendar import Calendar
from rest_framework.test import APIClient

from mapro.core.testing import ensure_unit, make_user
from mapro.schedules.actions.cronogramas import do_start_due_occurrences
from mapro.schedules.choices import ScheduleStatus
from mapro.schedules.models import CalendarFeedToken, Schedule
from mapro.schedules.testing import ensure_test_procedure, make_schedule

LIMA = ZoneInfo("America/Lima")
NOW = datetime.datetime(2026, 2, 10, 10, 0, tzinfo=LIMA)
API = "/api/v1/schedules/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


def api(user):
    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(pk=user.pk))
    return client


@pytest.fixture
def people():
    ensure_test_procedure()
    ogtie = ensure_unit("OGTIE")
    return {
        "coord": make_user("coord-infraestructura", unit=ogtie),
        "jefe": make_user("jefe-ogtie", unit=ogtie),
        "operador": make_user("operador-mesa", unit=ogtie),
        "soporte": make_user("resp-soporte", unit=ogtie),
        "personal": make_user("personal", unit=ogtie),
    }


BODY = {
    "name": "Revisión semestral",
    "procedure": "T.01",
    "start": "oficio",
    "unit": "OGTIE",
    "role": "operador-mesa",
    "rrule": "FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=2",
    "dtstart": "2026-01-01T09:00",
}


# --- API ---------------------------------------------------------------------------------------


def test_api_registers_approves_and_shows_planned_against_executed(people):
    created = api(people["coord"]).post(API, BODY, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["status"] == ScheduleStatus.DRAFT
    assert [o["state"] for o in body["occurrences"]] == ["scheduled", "scheduled"]
    approved = api(people["jefe"]).post(f"{API}{body['id']}/approve/")
    assert approved.status_code == 200
    assert approved.json()["approved_by"].startswith(people["jefe"].username)
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, 1, tzinfo=LIMA), tick=False):
        [occurrence] = do_start_due_occurrences()
        detail = api(people["soporte"]).get(f"{API}{body['id']}/?year=2026").json()
    assert detail["summary"] == {"planned": 2, "executed": 1, "failed": 0, "missed": 0}
    first, second = detail["occurrences"]
    assert first["state"] == "executed"
    assert first["instance"] == occurrence.instance_id
    assert first["instance_status"] == "running"
    assert datetime.datetime.fromisoformat(first["planned_at"]) == datetime.datetime(
        2026, 3, 2, 9, 0, tzinfo=LIMA
    )
    assert second["state"] == "scheduled"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"rrule": "FREQ=YEARLY;BYMONTH=13"}, "rrule"),
        ({"rrule": "", "dates": []}, "rrule"),
        ({"dates": ["ayer"], "rrule": ""}, "dates"),
        ({"start": "nada"}, "start"),
    ],
)
def test_api_bad_input_is_a_field_error_and_saves_nothing(people, change, field):
    response = api(people["coord"]).post(API, {**BODY, **change}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    # The API names its own fields (``start``), the action its keyword (``start_key``).
    assert field in body["errors"] or f"{field}_key" in body["errors"], body
    assert not Schedule.objects.exists()


def test_api_only_managers_write_and_only_ogtie_reads(people):
    assert api(people["operador"]).post(API, BODY, format="json").status_code == 403
    assert not Schedule.objects.exists()
    schedule = make_schedule(approved=False)
    assert api(people["operador"]).post(f"{API}{schedule.pk}/approve/").status_code == 403
    assert api(people["personal"]).get(API).status_code == 403
    assert api(people["personal"]).get(f"{API}{schedule.pk}/").status_code == 403
    assert api(people["soporte"]).get(API).json()[0]["id"] == schedule.pk
    assert api(people["soporte"]).get(f"{API}999999/").status_code == 404
    schedule.refresh_from_db()
    assert schedule.status == ScheduleStatus.DRAFT


def test_api_patch_moving_the_dates_returns_the_schedule_to_draft(people):
    schedule = make_schedule()
    response = api(people["coord"]).patch(
        f"{API}{schedule.pk}/", {"rrule": "FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=1"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["status"] == ScheduleStatus.DRAFT
    assert response.json()["approved_by"] is None


# --- HTML ----------------------------------------------------------------------------------------


def test_html_form_shows_field_errors_in_spanish_and_saves_nothing(people, client):
    client.force_login(people["coord"])
    data = {**BODY, "start_key": "oficio", "rrule": "FREQ=SOMETIMES", "dates": ""}
    response = client.post("/cronogramas/nuevo/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "No se guardó" in html
    assert "regla de recurrencia no es válida" in html
    assert not Schedule.objects.exists()


def test_html_register_then_approve(people, client):
    client.force_login(people["coord"])
    data = {**BODY, "start_key": "oficio", "dates": "2026-05-04\n2026-06-01T15:30"}
    response = client.post("/cronogramas/nuevo/", data)
    assert response.status_code == 302
    schedule = Schedule.objects.get()
    assert len(schedule.dates) == 2
    page = client.get(f"/cronogramas/{schedule.pk}/").content.decode()
    assert "Aprobar cronograma" in page
    assert "Programado frente a ejecutado" in page
    client.force_login(people["jefe"])
    assert client.post(f"/cronogramas/{schedule.pk}/aprobar/").status_code == 302
    schedule.refresh_from_db()
    assert schedule.status == ScheduleStatus.APPROVED
    assert schedule.approved_by == people["jefe"]
    page = client.get(f"/cronogramas/{schedule.pk}/?anio=2026").content.decode()
    assert page.count('class="plan-scheduled"') == 4  # 2 Mar, 4 May, 1 Jun, 2 Sep


# --- iCalendar -----------------------------------------------------------------------------------


def _feed_address(client, user) -> str:
    client.force_login(user)
    page = client.post("/cronogramas/calendario/", {"action": "create"}).content.decode()
    match = re.search(r'value="(https?://[^"]+/cronogramas/ical/[^"]+/)"', page)
    assert match, page
    return match.group(1)


def test_a_team_subscribes_to_its_schedules_by_a_secret_address(people, client):
    schedule = make_schedule()
    make_schedule(name="Otro equipo", role="resp-soporte")
    address = _feed_address(client, people["operador"])
    token = address.rstrip("/").rsplit("/", 1)[1]
    # Only its hash is stored.
    row = CalendarFeedToken.objects.get(user=people["operador"])
    assert token not in row.token_hash and len(row.token_hash) == 64
    client.logout()
    response = client.get(address.split("//", 1)[1].split("/", 1)[1].join(["/", ""]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == 1  # the operator's team only
    event = events[0]
    assert str(event["uid"]).startswith(f"cronograma-{schedule.pk}@")
    assert event["rrule"]["FREQ"] == ["YEARLY"]
    assert event["rrule"]["BYMONTH"] == [3, 9]
    assert event.decoded("dtstart") == datetime.datetime(2026, 3, 2, 9, 0, tzinfo=LIMA)


def test_a_new_address_replaces_the_old_and_revoking_ends_it(people, client):
    make_schedule()
    first = "/" + _feed_address(client, people["operador"]).split("//", 1)[1].split("/", 1)[1]
    second = "/" + _feed_address(client, people["operador"]).split("//", 1)[1].split("/", 1)[1]
    assert first != second
    client.logout()
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    client.force_login(people["operador"])
    client.post("/cronogramas/calendario/", {"action": "revoke"})
    client.logout()
    assert client.get(second).status_code == 404
    assert not CalendarFeedToken.objects.exists()


def test_one_schedule_downloads_as_ics_with_the_session(people, client):
    schedule = make_schedule(rrule="", dates=["2026-04-15", "2026-06-01T15:30"])
    client.force_login(people["soporte"])
    response = client.get(f"/cronogramas/{schedule.pk}/ical/")
    assert response.status_code == 200
    event = next(iter(Calendar.from_ical(response.content).walk("VEVENT")))
    assert event.decoded("dtstart") == datetime.datetime(2026, 4, 15, 9, 0, tzinfo=LIMA)
    assert "rrule" not in event
    client.force_login(people["personal"])
    assert client.get(f"/cronogramas/{schedule.pk}/ical/").status_code == 403


def test_admin_approves_through_the_action_and_edits_nothing(people, client):
    schedule = make_schedule(approved=False)
    admin_user = make_user(is_superuser=True)
    client.force_login(admin_user)
    url = "/admin/schedules/schedule/"
    assert client.get(f"{url}{schedule.pk}/change/").status_code == 200  # view only
    response = client.post(url, {"action": "approve_selected", "_selected_action": [schedule.pk]})
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert schedule.status == ScheduleStatus.APPROVED
    assert schedule.approved_by == admin_user
    assert client.post(f"{url}{schedule.pk}/change/", {"name": "x"}).status_code == 403


def test_the_register_filters_the_same_way_on_the_page_and_in_the_api(people, client):
    draft = make_schedule(approved=False, name="Borrador")
    approved = make_schedule(name="Aprobado")
    rows = api(people["soporte"]).get(f"{API}?estado=approved").json()
    assert [r["id"] for r in rows] == [approved.pk]
    bad = api(people["soporte"]).get(f"{API}?estado=quizas")
    assert bad.status_code == 400 and "estado" in bad.json()["errors"]
    assert api(people["soporte"]).get(f"{API}?color=rojo").status_code == 400
    paged = api(people["soporte"]).get(f"{API}?limit=1")
    assert len(paged.json()) == 1 and 'rel="next"' in paged["Link"]
    client.force_login(people["soporte"])
    html = client.get("/cronogramas/?estado=draft").content.decode()
    assert f"/cronogramas/{draft.pk}/" in html
    assert f"/cronogramas/{approved.pk}/" not in html
    assert api(people["soporte"]).get(f"{API}{draft.pk}/?anyo=2026").status_code == 400
