"""Designations, formats, the cronograma and its reminders, the pages."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook
from rest_framework.test import APIClient

from mapro.core.testing import make_user
from mapro.notifications.models import Notification
from mapro.organization.permissions import has_role
from mapro.statistics.actions import (
    do_designate_representative,
    do_evaluate_submission,
    do_formulate_calendar,
    do_submit,
)
from mapro.statistics.models import CalendarEntry, Designation
from mapro.statistics.notices import do_send_submission_reminders
from mapro.statistics.testing import (
    approved_calendar,
    datasets,
    organ,
    personal_csv,
    representative,
)


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def web(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_new_titular_ends_the_previous_one_and_gets_the_role(db: Any) -> None:
    first = representative("EP")
    person = make_user(username="nuevo-ep").person
    assert not has_role(person.user, "resp-organo-estadistico")
    do_designate_representative(
        organization=organ("EP"),
        person=person,
        document="OF. 9",
        valid_from=datetime.date(2026, 3, 1),
        actor=None,
    )
    old = Designation.objects.get(person=first.person)
    assert old.valid_until == datetime.date(2026, 2, 28)
    person.user.refresh_from_db()
    with time_machine.travel(datetime.datetime(2026, 3, 2, 12, tzinfo=datetime.UTC)):
        assert has_role(person.user, "resp-organo-estadistico")


def test_a_designation_needs_its_document_and_a_manager(db: Any) -> None:
    from mapro.core.exceptions import Forbidden, InvalidInput

    person = make_user(username="x").person
    with pytest.raises(InvalidInput) as error:
        do_designate_representative(
            organization=organ("EP"),
            person=person,
            document=" ",
            valid_from=datetime.date(2026, 1, 1),
            actor=None,
        )
    assert "document" in error.value.errors
    with pytest.raises(Forbidden):
        do_designate_representative(
            organization=organ("EP"),
            person=person,
            document="OF",
            valid_from=datetime.date(2026, 1, 1),
            actor=make_user("esp-estadistico"),
        )
    assert not Designation.objects.exists()


def test_the_template_is_the_schema(db: Any) -> None:
    datasets()
    rep = representative("EP")
    response = web(rep).get("/estadistica/formatos/personal/plantilla.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book["Datos"][1]] == ["categoria", "hombres", "mujeres", "total"]
    info = [[c.value for c in row] for row in book["Instrucciones"].iter_rows()]
    assert [
        "categoria",
        "Categoría",
        "Texto",
        None,
        "Sí",
        "OFICIALES, TECNICOS, SUBOFICIALES, TROPA, CIVILES",
        None,
    ] in info
    assert any(row[0] == "Control" and "Total = Hombres + Mujeres" in row[1] for row in info)
    csv = web(rep).get("/estadistica/formatos/personal/plantilla.csv")
    assert csv.content.decode("utf-8-sig").strip() == "categoria,hombres,mujeres,total"
    assert web(rep).get("/estadistica/formatos/personal/plantilla.doc").status_code == 404


def test_due_dates_are_business_days_after_the_period(db: Any) -> None:
    datasets()
    representative("EP")
    calendar = do_formulate_calendar(2026, actor=None)
    entry = CalendarEntry.objects.get(calendar=calendar, dataset__code="personal")
    assert entry.period == "2026" and entry.period_end == datetime.date(2026, 12, 31)
    # 20 business days after 31/12/2026: January 2027, skipping weekends and 1 January.
    assert entry.due_date.year == 2027 and entry.due_date.weekday() < 5
    assert (entry.due_date - entry.period_end).days >= 28


def test_calendar_approval_is_the_secretary_generals(db: Any) -> None:
    datasets()
    representative("EP")
    coord = make_user("coord-estadistica")
    assert (
        api(coord).post("/api/v1/statistics/calendars/", {"year": 2027}, format="json").status_code
        == 201
    )
    url = "/api/v1/statistics/calendars/2027/approve/"
    assert api(coord).post(url).status_code == 403
    assert api(make_user("secretario-general")).post(url).json()["status"] == "aprobado"
    # Approved: not reformulated.
    assert (
        api(coord).post("/api/v1/statistics/calendars/", {"year": 2027}, format="json").status_code
        == 409
    )


def test_reminders_before_and_after_the_due_date_once_each(db: Any) -> None:
    datasets()
    ep, fap = representative("EP"), representative("FAP")
    coord = make_user("coord-estadistica")
    approved_calendar(organs=["EP", "FAP"])
    due = CalendarEntry.objects.filter(dataset__code="personal").first().due_date
    do_submit(
        dataset="personal",
        organization="FAP",
        period="2026",
        content=personal_csv(),
        filename="p.csv",
        actor=fap,
    )
    before = due - datetime.timedelta(days=3)
    # EP: both datasets; FAP: the one it has not sent.
    assert do_send_submission_reminders(before) == {"antes": 3, "vencido": 0}
    assert do_send_submission_reminders(before) == {"antes": 0, "vencido": 0}  # never twice
    subjects = list(Notification.objects.filter(recipient=ep).values_list("subject", flat=True))
    assert any(s.startswith("Recordatorio: Personal por categoría") for s in subjects)
    assert not Notification.objects.filter(
        recipient=fap, subject__startswith="Recordatorio: Personal"
    )
    after = due + datetime.timedelta(days=1)
    assert do_send_submission_reminders(after)["vencido"] >= 1
    assert Notification.objects.filter(
        recipient=coord, subject__startswith="Envío vencido"
    ).exists()


def test_a_value_far_from_last_period_is_refused(db: Any) -> None:
    datasets()
    ep = representative("EP")
    approved_calendar(2025, organs=["EP"])
    approved_calendar(2026, organs=["EP"])
    esp = make_user("esp-estadistico")
    last = do_submit(
        dataset="personal",
        organization="EP",
        period="2025",
        content=personal_csv(),
        filename="p.csv",
        actor=ep,
    )
    do_evaluate_submission(last, accept=True, actor=esp)
    jump = personal_csv([["OFICIALES", 1800, 200, 2000]])  # 1000 → 2000: beyond 30 %
    sub = do_submit(
        dataset="personal",
        organization="EP",
        period="2026",
        content=jump,
        filename="p.csv",
        actor=ep,
    )
    assert sub.status == "rechazado"
    assert (
        sub.errors[0]["column"] == "Total" and "periodo anterior (1000)" in sub.errors[0]["message"]
    )


def test_pages_of_the_representative_the_team_and_everyone(db: Any) -> None:
    datasets()
    ep = representative("EP")
    approved_calendar(organs=["EP"])
    page = web(ep).get("/estadistica/mis-envios/")
    assert page.status_code == 200 and "Personal por categoría y sexo" in page.content.decode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = web(ep).post(
        "/estadistica/mis-envios/",
        {
            "conjunto": "personal",
            "organo": "EP",
            "periodo": "2026",
            "archivo": SimpleUploadedFile("p.csv", personal_csv([["CIVILES", 1, 1, 3]])),
        },
    )
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "no es igual a la suma" in text and "<td>2</td><td>Total</td>" in text
    forbidden = web(ep).post(
        "/estadistica/mis-envios/",
        {
            "conjunto": "personal",
            "organo": "FAP",
            "periodo": "2026",
            "archivo": SimpleUploadedFile("p.csv", personal_csv()),
        },
    )
    assert forbidden.status_code == 403
    team = web(make_user("coord-estadistica")).get("/estadistica/gestion/")
    assert team.status_code == 200 and "EP" in team.content.decode()
    anyone = web(make_user("personal")).get("/estadistica/?periodo=2026")
    assert anyone.status_code == 200
    assert web(make_user("personal")).get("/estadistica/?periodo=abc").status_code == 400


def test_the_team_defines_a_format_through_the_api(db: Any) -> None:
    url = "/api/v1/statistics/datasets/"
    body = {
        "code": "vehiculos",
        "title": "Vehículos por tipo",
        "schema": {
            "fields": [
                {"name": "tipo", "type": "string", "constraints": {"required": True}},
                {"name": "cantidad", "type": "integer", "constraints": {"minimum": 0}},
            ],
            "primaryKey": ["tipo"],
        },
        "checks": [{"type": "suma", "total": "cantidad", "parts": ["no_existe"]}],
    }
    coord = api(make_user("coord-estadistica"))
    response = coord.post(url, body, format="json")
    assert response.status_code == 400
    assert "no_existe" in response.json()["errors"]["checks"][0]
    bad_schema = {**body, "checks": [], "schema": {"fields": "x"}}
    assert "schema" in coord.post(url, bad_schema, format="json").json()["errors"]
    assert (
        api(make_user("esp-estadistico"))
        .post(url, {**body, "checks": []}, format="json")
        .status_code
        == 403
    )
    response = coord.post(url, {**body, "checks": []}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["schema"]["primaryKey"] == ["tipo"]


def test_chart_images_and_the_documents_files(db: Any) -> None:
    from mapro.statistics.publishing import do_assemble_publication, do_create_publication

    datasets()
    ep = representative("EP")
    approved_calendar(organs=["EP"])
    esp = make_user("esp-estadistico")
    sub = do_submit(
        dataset="personal",
        organization="EP",
        period="2026",
        content=personal_csv(),
        filename="p.csv",
        actor=ep,
    )
    do_evaluate_submission(sub, accept=True, actor=esp)
    png = web(make_user("personal")).get(
        "/estadistica/cuadros/personal-por-organo.png?periodo=2026"
    )
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    dashboard = web(make_user("personal")).get("/estadistica/?periodo=2026").content.decode()
    assert "<svg" in dashboard and "8 000" in dashboard  # the chart inline, the figures
    pub = do_create_publication(kind="boletin", title="Boletín 2026", period="2026", actor=esp)
    team = web(esp)
    assert team.get(f"/estadistica/documentos/{pub.pk}/documento.pdf").status_code == 400
    do_assemble_publication(pub, actor=esp)
    pdf = team.get(f"/estadistica/documentos/{pub.pk}/documento.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = team.get(f"/estadistica/documentos/{pub.pk}/documento.xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames[:2] == ["Carátula", "Cuadro 1"]
    assert book["Cuadro 1"]._images  # the chart travels with its table
    # Not yet disseminated: only the team reads it.
    assert web(ep).get(f"/estadistica/documentos/{pub.pk}/").status_code == 403
