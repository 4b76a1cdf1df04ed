"""A procedure whose first activity is the requester's report (not flagged ``{ticket: create}``)
is asked for the same way as one that starts with "Ingresar ticket de atención" (issue 14,
item 1): the portal form of its category is that activity's form, and sending it registers the
ticket and completes activity 1 for the requester, so the case waits at activity 2 and the
requester has nothing left in "Mis tareas" (no second report). S04.04.00.02 (spam o phishing)
and S04.04.00.03 (incidente de seguridad, start "U.O.")."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mapro.helpdesk.models import Ticket
from mapro.helpdesk.request_forms import TICKET_OWN_FIELDS, requirements_of
from mapro.procedures.actions import form_schema_for
from mapro.procedures.models import Instance, Procedure, WorkItemState
from mapro.procedures.testing import publish_ficha

from .helpers import category, requester_user

pytestmark = pytest.mark.django_db

#: category → (procedure, its activity 1's name, a valid answer to activity 1's own fields)
CASES = {
    "spam-phishing": (
        "S04.04.00.02",
        "Reportar el correo electrónico recibido",
        {"cuenta_reporte": "alerta", "remitente": "premios@estafa.example"},
    ),
    "incidente-seguridad": (
        "S04.04.00.03",
        "Reportar el incidente de seguridad informática",
        {"equipo_servicio": "Servidor de archivos del piso 3", "telefono": "anexo 6021"},
    ),
}


def _activity_1(code: str) -> dict[str, Any]:
    procedure = Procedure.objects.select_related("current_version").get(code=code)
    return form_schema_for(procedure.current_version.ficha, 1)


def _post(answers: dict[str, Any]) -> dict[str, Any]:
    return {
        "subject": "Correo sospechoso recibido esta mañana",
        "description": "Llegó un correo que pide mi clave del correo institucional.",
        "impact": "medio",
        "urgency": "media",
        **answers,
    }


@pytest.fixture(params=sorted(CASES))
def case(request: Any, org: Any) -> tuple[str, str, str, dict[str, Any]]:
    code, name, answers = CASES[request.param]
    publish_ficha(code)
    return request.param, code, name, answers


def test_the_form_is_activity_1s_form(case: tuple[str, str, str, dict[str, Any]]) -> None:
    slug, code, _, _ = case
    schema = requirements_of(category(slug))
    ficha = _activity_1(code)
    own = set(ficha["properties"]) - set(TICKET_OWN_FIELDS)
    assert own and set(schema["properties"]) == own
    assert schema["required"] == [r for r in ficha["required"] if r not in TICKET_OWN_FIELDS]
    web = Client()
    web.force_login(requester_user("DIGEP"))
    text = web.get(reverse("helpdesk:ticket_new_form", args=[slug])).content.decode()
    for name in own:
        assert f'name="{name}"' in text


def test_sending_it_completes_activity_1(case: tuple[str, str, str, dict[str, Any]]) -> None:
    slug, code, name, answers = case
    personal = requester_user("DIGEP")
    web = Client()
    web.force_login(personal)
    response = web.post(reverse("helpdesk:ticket_new_form", args=[slug]), _post(answers))
    assert response.status_code == 302, response.content.decode()[:2000]
    ticket = Ticket.objects.get()
    instance = ticket.instance
    assert instance is not None and instance.procedure_code == code
    open_items = instance.work_items.filter(state=WorkItemState.OPEN)
    assert list(open_items.values_list("n", flat=True)) == [2]
    record = instance.history.get(n=1)
    assert record.completed_by == personal
    for field, value in answers.items():
        assert record.data[field] == value
    # Activity 2's {ticket: create} reuses the portal's ticket: one ticket, not two.
    assert Ticket.objects.count() == 1
    # Nothing is left for the requester in "Mis tareas": they reported once.
    tasks = web.get(reverse("procedures:inbox")).content.decode()
    assert name not in tasks


def test_bad_input_gets_spanish_field_errors_and_saves_nothing(org: Any) -> None:
    publish_ficha("S04.04.00.02")
    web = Client()
    web.force_login(requester_user("DIGEP"))
    url = reverse("helpdesk:ticket_new_form", args=["spam-phishing"])
    response = web.post(url, _post({"cuenta_reporte": "otra", "remitente": "x" * 400}))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Elija una opción válida (alerta, mesadeayuda)." in text
    assert "Escriba como máximo 320 caracteres." in text
    assert "Correo sospechoso recibido esta mañana" in text  # what was typed is kept
    assert not Ticket.objects.exists()
    assert not Instance.objects.exists()


def test_a_bad_incident_report_saves_nothing(org: Any) -> None:
    publish_ficha("S04.04.00.03")
    web = Client()
    web.force_login(requester_user("DIGEP"))
    url = reverse("helpdesk:ticket_new_form", args=["incidente-seguridad"])
    response = web.post(url, _post({"equipo_servicio": "x" * 301, "telefono": "anexo 6021"}))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Escriba como máximo 300 caracteres." in text  # equipo_servicio
    assert 'value="anexo 6021"' in text  # what was typed is kept
    assert not Ticket.objects.exists()
    assert not Instance.objects.exists()
