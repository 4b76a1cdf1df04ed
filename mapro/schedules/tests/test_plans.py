"""Annual cronogramas: lines checked against the year, signing by the plan's role, versions,
planned against executed with overdue dates reported, and the calendar = the iCalendar feed."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from icalendar import Calendar
from rest_framework.test import APIClient

from mapro.audit.models import AuditEvent
from mapro.core.testing import ensure_role, ensure_unit, make_user
from mapro.notifications.models import Notification
from mapro.schedules.actions.plans import do_report_overdue
from mapro.schedules.choices import PlanOccurrenceStatus, PlanStatus
from mapro.schedules.models import Plan, PlanItem, PlanOccurrence
from mapro.schedules.testing import ensure_test_procedure
from mapro.schedules.testing_plans import make_plan, plan_items

NOW = datetime.datetime(2026, 3, 10, 15, 0, tzinfo=datetime.UTC)


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(pk=user.pk))
    return client


@pytest.fixture
def people(db):
    ensure_test_procedure()
    ogtie = ensure_unit("OGTIE")
    for code in ("profesional-ogtie", "prof-redes"):
        ensure_role(code)
    return {
        "prof": make_user("profesional-ogtie", unit=ogtie),
        "redes": make_user("prof-redes", unit=ogtie),
        "coord": make_user("coord-infraestructura", unit=ogtie),
        "other_coord": make_user("coord-innovacion", unit=ogtie),
        "jefe": make_user("jefe-ogtie", unit=ogtie),
        "outsider": make_user("personal"),
    }


def _create(client, **overrides):
    body = {
        "procedure": "T.01",
        "year": 2026,
        "title": "Cronograma anual de respaldo 2026",
        "approver_role": "coord-infraestructura",
        "items": plan_items(2026),
    }
    body.update(overrides)
    return client.post("/api/v1/plans/", body, format="json")


@time_machine.travel(NOW, tick=False)
def test_line_outside_the_year_is_a_field_error_naming_the_line_and_nothing_is_saved(people):
    items = plan_items(2026)
    items[1]["starts_on"] = "2027-01-10"
    items[0]["responsible_role"] = "no-existe"
    response = _create(api(people["prof"]), items=items)
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert errors["items.1.starts_on"] == [
        "La fecha debe estar dentro del año 2026 del cronograma."
    ]
    assert "items.0.responsible_role" in errors
    assert not Plan.objects.exists() and not PlanItem.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_outsider_cannot_write_or_read(people):
    assert _create(api(people["outsider"])).status_code == 403
    assert api(people["outsider"]).get("/api/v1/plans/").status_code == 403


@time_machine.travel(NOW, tick=False)
def test_signing_creates_the_dates_only_by_the_plan_role(people):
    created = _create(api(people["prof"]))
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["status"] == "draft" and created.json()["occurrences"] == []
    # The author and another coordinator may not sign: the plan names its signer's role.
    for user in (people["prof"], people["other_coord"]):
        assert api(user).post(f"/api/v1/plans/{pk}/approve/").status_code == 403
    assert not PlanOccurrence.objects.exists()
    signed = api(people["coord"]).post(f"/api/v1/plans/{pk}/approve/")
    assert signed.status_code == 200, signed.content
    body = signed.json()
    assert body["status"] == "approved"
    assert body["approved_by_name"].startswith(people["coord"].username)
    dates = sorted(o["due_on"] for o in body["occurrences"])
    assert len(dates) == 13  # the 5th of every month, and 15 June
    assert "2026-06-15" in dates and "2026-12-05" in dates
    # 5 January, February and March are past and not executed: overdue; the rest pending.
    assert body["totals"] == {"planned": 13, "executed": 0, "pending": 10, "overdue": 3}
    states = {o["due_on"]: o["state"] for o in body["occurrences"]}
    assert states["2026-03-05"] == "overdue" and states["2026-04-05"] == "pending"
    assert AuditEvent.objects.filter(action="plan.approve").count() == 1
    # Signing twice is a conflict.
    assert api(people["coord"]).post(f"/api/v1/plans/{pk}/approve/").status_code == 409


@time_machine.travel(NOW, tick=False)
def test_a_signed_plan_changes_only_by_a_new_version_signed_by_the_same_role(people):
    plan = make_plan(signer=people["coord"])
    executed = PlanOccurrence.objects.get(plan=plan, due_on=datetime.date(2026, 1, 5))
    assert (
        api(people["prof"])
        .post(
            f"/api/v1/plan-occurrences/{executed.pk}/execute/",
            {"executed_on": "2026-01-06", "evidence": "Registro 1"},
            format="json",
        )
        .status_code
        == 200
    )
    refused = api(people["prof"]).patch(
        f"/api/v1/plans/{plan.pk}/", {"title": "Otro"}, format="json"
    )
    assert refused.status_code == 409
    assert api(people["prof"]).post(f"/api/v1/plans/{plan.pk}/items/", {}).status_code == 409
    draft = api(people["prof"]).post(f"/api/v1/plans/{plan.pk}/new-version/")
    assert draft.status_code == 201, draft.content
    v2 = draft.json()
    assert v2["version"] == 2 and v2["previous"] == plan.pk and v2["status"] == "draft"
    # Only one pending new version.
    assert api(people["prof"]).post(f"/api/v1/plans/{plan.pk}/new-version/").status_code == 409
    items = [{**i, "key": i["key"]} for i in v2["items"]]
    items[1]["starts_on"] = "2026-07-20"
    changed = api(people["prof"]).patch(
        f"/api/v1/plans/{v2['id']}/", {"items": items}, format="json"
    )
    assert changed.status_code == 200, changed.content
    assert api(people["other_coord"]).post(f"/api/v1/plans/{v2['id']}/approve/").status_code == 403
    signed = api(people["coord"]).post(f"/api/v1/plans/{v2['id']}/approve/")
    assert signed.status_code == 200, signed.content
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUPERSEDED
    assert not PlanOccurrence.objects.filter(
        plan=plan, status=PlanOccurrenceStatus.PENDING
    ).exists()
    rows = {o["due_on"]: o for o in signed.json()["occurrences"]}
    assert rows["2026-01-05"]["state"] == "done" and rows["2026-01-05"]["evidence"] == "Registro 1"
    assert "2026-07-20" in rows and "2026-06-15" not in rows


@time_machine.travel(NOW, tick=False)
def test_overdue_dates_are_reported_once(people):
    plan = make_plan(signer=people["coord"])
    assert do_report_overdue(datetime.date(2026, 3, 10)) == 3  # 5 Jan, 5 Feb, 5 Mar
    told = Notification.objects.filter(recipient=people["prof"])
    assert told.count() == 3 and "vencido el 05/01/2026" in told.order_by("id").first().subject
    assert do_report_overdue(datetime.date(2026, 3, 10)) == 0
    assert PlanOccurrence.objects.filter(plan=plan, overdue_notified_at__isnull=False).count() == 3


@time_machine.travel(NOW, tick=False)
def test_filters_and_list(people):
    make_plan(signer=people["coord"])
    make_plan(year=2027, approved=False)
    client = api(people["jefe"])
    assert len(client.get("/api/v1/plans/").json()) == 2
    assert [p["year"] for p in client.get("/api/v1/plans/?anio=2027").json()] == [2027]
    assert [p["status"] for p in client.get("/api/v1/plans/?estado=approved").json()] == [
        "approved"
    ]
    assert client.get("/api/v1/plans/?procedimiento=X.99").status_code == 400


@time_machine.travel(NOW, tick=False)
def test_calendar_events_are_the_feed_occurrences(people, client):
    make_plan(signer=people["coord"])
    client.force_login(people["prof"])
    response = client.post("/cronogramas/calendario/", {})
    address = response.context["address"]
    token = address.rstrip("/").rsplit("/", 1)[-1]
    feed = client.get(f"/cronogramas/ical/{token}/")
    assert feed.status_code == 200
    calendar = Calendar.from_ical(feed.content)
    from_feed = {
        (str(ev["uid"]).split("@")[0], ev.decoded("dtstart").isoformat())
        for ev in calendar.walk("VEVENT")
        if str(ev["uid"]).startswith("plan-occurrence-")
    }
    events = api(people["prof"]).get("/api/v1/plans/calendar/?start=2026-01-01&end=2027-01-01")
    assert events.status_code == 200
    from_page = {(e["id"], e["start"]) for e in events.json()}
    # The prof sees the monthly backups (their role), not the switch line of prof-redes.
    assert len(from_page) == 12
    assert from_page == from_feed
    assert api(people["prof"]).get("/api/v1/plans/calendar/?start=2026-02-01").status_code == 400


@time_machine.travel(NOW, tick=False)
def test_pages_register_detail_history_and_xlsx_read_back(people, client):
    from mapro.core.xlsx import read_xlsx

    plan = make_plan(signer=people["coord"])
    executed = PlanOccurrence.objects.get(plan=plan, due_on=datetime.date(2026, 1, 5))
    api(people["prof"]).post(
        f"/api/v1/plan-occurrences/{executed.pk}/execute/",
        {"executed_on": "2026-01-05", "evidence": "Registro de ejecución N° 7"},
        format="json",
    )
    draft = make_plan(year=2027, approved=False)
    client.force_login(people["jefe"])
    listing = client.get("/cronogramas/anuales/?anio=2026")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert plan.title in text and draft.title not in text
    assert client.get("/cronogramas/anuales/?anio=1800").status_code == 400
    page = client.get(f"/cronogramas/anuales/{plan.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Vencido sin ejecutar" in text and "Registro de ejecución N° 7" in text
    assert "Cronograma anual firmado" in text  # the history
    # The Jefe(a) does not sign this cronograma (its role is the coordinator's): no button.
    assert (
        "Firmar el cronograma"
        not in client.get(f"/cronogramas/anuales/{draft.pk}/").content.decode()
    )
    assert client.post(f"/cronogramas/anuales/{draft.pk}/firmar/").status_code == 403
    headers, rows = read_xlsx(client.get("/cronogramas/anuales/exportar/").content)
    by_year = {row[headers.index("Año")]: dict(zip(headers, row, strict=True)) for row in rows}
    assert by_year[2026]["Programadas"] == 13 and by_year[2026]["Ejecutadas"] == 1
    assert (
        by_year[2026]["Vencidas"] == 2
        and by_year[2027]["Estado"] == "Borrador (pendiente de firma)"
    )
    headers, rows = read_xlsx(client.get(f"/cronogramas/anuales/{plan.pk}/exportar/").content)
    first = dict(zip(headers, rows[0], strict=True))
    assert first["Estado"] == "Ejecutado" and first["Evidencia"] == "Registro de ejecución N° 7"
    assert first["Fecha programada"].date() == datetime.date(2026, 1, 5)
    assert len(rows) == 13
    # Signing from the page, by the plan's role; then a new version from the page.
    client.force_login(people["coord"])
    assert client.post(f"/cronogramas/anuales/{draft.pk}/firmar/").status_code == 302
    draft.refresh_from_db()
    assert draft.status == PlanStatus.APPROVED
    response = client.post(f"/cronogramas/anuales/{draft.pk}/nueva-version/")
    assert response.status_code == 302
    v2 = Plan.objects.get(previous=draft)
    assert response["Location"] == f"/cronogramas/anuales/{v2.pk}/"
    calendar = client.get("/cronogramas/anuales/calendario/?vista=anio")
    assert calendar.status_code == 200
    body = calendar.content.decode()
    assert 'data-initial-view="multiMonthYear"' in body and "fullcalendar.min.js" in body
