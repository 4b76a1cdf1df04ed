"""The portal form of a category whose procedure starts with the requester's "Ingresar ticket de
atención" IS that activity's form (issue 14, items 1 and 3): same field names, choices and
validation; submitting it registers the ticket and completes activity 1 with that data, so the
case waits at activity 2 and nothing is typed twice; a wrong answer gets Spanish field errors
and saves nothing (no ticket without its case)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mapro.helpdesk.models import Ticket
from mapro.helpdesk.request_forms import requirements_of
from mapro.procedures.actions import form_schema_for
from mapro.procedures.models import Instance, Procedure, WorkItemState
from mapro.procedures.testing import publish_ficha

from .helpers import PDF_BYTES, category, requester_user, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(org: Any) -> None:
    publish_ficha("S04.03.01.01")


def _activity_1_schema() -> dict[str, Any]:
    procedure = Procedure.objects.select_related("current_version").get(code="S04.03.01.01")
    return form_schema_for(procedure.current_version.ficha, 1)


def _post(**extra: Any) -> dict[str, Any]:
    data = {
        "subject": "Cuenta para la nueva especialista",
        "description": "Ingresa el lunes; necesita cuenta de red y correo.",
        "impact": "medio",
        "urgency": "media",
        "tipo_solicitud": "creacion",
        "nombres_apellidos": "María Elena Quispe Huamán",
        "dni": "45871236",
        "cargo": "Especialista administrativo",
        "regimen": "cas",
        "accesos-TOTAL": "2",
        "accesos-0-tipo": "red",
        "accesos-1-tipo": "correo",
        "acta_aceptacion_riesgos": upload("acta.pdf", PDF_BYTES),
    }
    data.update(extra)
    return data


def test_the_account_form_is_activity_1s_form(published: None) -> None:
    schema = requirements_of(category("cuentas-creacion"))
    ficha = _activity_1_schema()
    assert set(schema["properties"]) == set(ficha["properties"])
    assert schema["required"] == ficha["required"]
    assert schema["properties"]["regimen"]["oneOf"] == ficha["properties"]["regimen"]["oneOf"]
    assert schema["properties"]["tipo_solicitud"]["default"] == "creacion"
    # The other account categories share it, each with its kind of request preselected.
    vpn = requirements_of(category("cuentas-vpn"))
    assert set(vpn["properties"]) == set(ficha["properties"])
    assert vpn["properties"]["tipo_solicitud"]["default"] == "modificacion"

    web = Client()
    web.force_login(requester_user("DIGEP"))
    page = web.get(reverse("helpdesk:ticket_new_form", args=["cuentas-creacion"])).content
    text = page.decode()
    assert 'name="nombres_apellidos"' in text and 'name="accesos-0-tipo"' in text
    assert 'name="nombres"' not in text
    assert "Qué necesita tener a mano" in text


def test_submitting_it_registers_the_ticket_and_completes_activity_1(published: None) -> None:
    personal = requester_user("DIGEP")
    web = Client()
    web.force_login(personal)
    url = reverse("helpdesk:ticket_new_form", args=["cuentas-creacion"])
    response = web.post(url, _post())
    assert response.status_code == 302, response.content.decode()[:2000]
    ticket = Ticket.objects.get()
    instance = ticket.instance
    assert instance is not None
    open_items = instance.work_items.filter(state=WorkItemState.OPEN)
    assert list(open_items.values_list("n", flat=True)) == [2]
    record = instance.history.get(n=1)
    assert record.completed_by == personal
    assert record.data["nombres_apellidos"] == "María Elena Quispe Huamán"
    assert record.data["accesos"] == [{"tipo": "red"}, {"tipo": "correo"}]
    assert record.data["tipo_solicitud"] == "creacion"
    # The acta is the ticket's attachment, named in the activity's data (activity 2 checks it).
    assert record.data["acta_aceptacion_riesgos"] == f"mesa-de-ayuda/{ticket.number}/acta.pdf"
    assert ticket.attachments.get(field="acta_aceptacion_riesgos").original_name == "acta.pdf"
    # Nothing is left for the requester in "Mis tareas".
    tasks = web.get("/tareas/").content.decode()
    assert "Ingresar ticket de atención" not in tasks


def test_wrong_input_gets_spanish_field_errors_and_saves_nothing(published: None) -> None:
    web = Client()
    web.force_login(requester_user("DIGEP"))
    url = reverse("helpdesk:ticket_new_form", args=["cuentas-creacion"])
    response = web.post(url, _post(dni="12A", regimen="contratista"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "El DNI debe tener exactamente 8 dígitos." in text  # the DNI's one definition
    assert "Elija una opción válida (orden_servicio, cas, fag, pac, militar, nombrado)." in text
    assert 'value="María Elena Quispe Huamán"' in text  # what was typed is kept
    assert not Ticket.objects.exists()
    assert not Instance.objects.exists()


def test_the_acta_is_still_required_where_the_ficha_asks(published: None) -> None:
    web = Client()
    web.force_login(requester_user("DIGEP"))
    url = reverse("helpdesk:ticket_new_form", args=["cuentas-creacion"])
    data = _post()
    data.pop("nombres_apellidos")
    response = web.post(url, data)
    assert response.status_code == 200
    assert not Ticket.objects.exists() and not Instance.objects.exists()


def test_a_user_without_a_person_cannot_ask(published: None) -> None:
    from mapro.core.testing import make_user

    nobody = make_user("personal")
    from mapro.organization.models import Person

    Person.objects.filter(user=nobody).delete()
    web = Client()
    web.force_login(nobody)
    response = web.post(reverse("helpdesk:ticket_new_form", args=["cuentas-creacion"]), _post())
    assert response.status_code == 403
    assert not Ticket.objects.exists() and not Instance.objects.exists()
