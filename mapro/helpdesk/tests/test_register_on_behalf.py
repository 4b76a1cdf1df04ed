"""The desk registers a ticket for a requester who phoned, mailed or came in person
(``console_register``): the portal's form and checks, plus requester and channel."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from mapro.helpdesk.choices import Channel
from mapro.helpdesk.models import Attachment, Ticket

from .helpers import requester_user, staff_user, upload

pytestmark = pytest.mark.django_db
URL = "/mesa-de-ayuda/consola/registrar/"


def web(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def desk(org: Any) -> Any:
    return staff_user("operador-mesa", "OGTIE")


@pytest.fixture
def caller(org: Any) -> Any:
    user = requester_user("DIGEP")
    person = user.person
    person.first_name, person.last_name, person.dni = "Rosa", "Quispe Mamani", "40123456"
    person.save()
    return person


def test_desk_registers_a_phone_ticket_for_the_caller(desk: Any, caller: Any) -> None:
    page = web(desk).get(URL)
    assert page.status_code == 200
    assert f'href="{URL}capacitacion/"' in page.content.decode()
    form = web(desk).get(f"{URL}capacitacion/")
    html = form.content.decode()
    assert form.status_code == 200
    assert 'name="solicitante"' in html and 'name="channel"' in html
    response = web(desk).post(
        f"{URL}capacitacion/",
        {
            "solicitante": "40123456",
            "channel": "telefono",
            "subject": "Capacitación en el sistema de trámite",
            "description": "Llamó para pedir una capacitación para su equipo.",
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/mesa-de-ayuda/consola/{ticket.number}/"
    assert ticket.requester == caller
    assert ticket.requester_unit.code == "DIGEP"
    assert ticket.channel == Channel.TELEFONO
    assert ticket.created_by == desk


def test_search_by_name_and_choose_among_several(desk: Any, caller: Any) -> None:
    other = requester_user("DIGEP").person
    other.first_name, other.last_name, other.dni = "Rosa", "Quispe Huamán", "40999999"
    other.save()
    found = web(desk).get(f"{URL}personas/", {"solicitante": "rosa quispe"})
    assert found.status_code == 200
    assert "40123456" in found.content.decode() and "40999999" in found.content.decode()
    data = {
        "solicitante": "rosa quispe",
        "channel": "presencial",
        "subject": "Capacitación",
        "description": "Vino en persona.",
    }
    # Two people match: nothing saved, the form asks to choose.
    response = web(desk).post(f"{URL}capacitacion/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Varias personas coinciden" in html
    assert f'value="{other.pk}"' in html and f'value="{caller.pk}"' in html
    assert Ticket.objects.count() == 0
    response = web(desk).post(f"{URL}capacitacion/", {**data, "requester": str(other.pk)})
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.requester == other and ticket.channel == Channel.PRESENCIAL


def test_missing_requirements_requester_and_channel_are_named(
    desk: Any, caller: Any, settings: Any
) -> None:
    response = web(desk).post(
        f"{URL}cuentas-vpn/",
        {"subject": "VPN", "description": "Pide acceso VPN por correo.", "cuenta": "rquispe"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Indique el solicitante: su DNI o su nombre." in html
    assert "Elija por qué canal llegó la solicitud" in html
    # The category's requirements, named as the portal names them.
    assert "Falta «Acta de aceptación de riesgos" in html
    assert "Falta «" in html and "cibersoldado" in html.lower()
    assert Ticket.objects.count() == 0 and Attachment.objects.count() == 0
    # Requester and channel right, one file missing: still nothing saved, the file named.
    response = web(desk).post(
        f"{URL}cuentas-vpn/",
        {
            "solicitante": "40123456",
            "channel": "correo",
            "subject": "VPN",
            "description": "Pide acceso VPN por correo.",
            "cuenta": "rquispe",
            "acta": upload("acta.pdf"),
        },
    )
    assert response.status_code == 200
    assert "Falta «" in response.content.decode()
    assert Ticket.objects.count() == 0 and Attachment.objects.count() == 0


def test_portal_channel_or_unknown_person_refused(desk: Any, caller: Any) -> None:
    data = {"subject": "Capacitación", "description": "Pedido."}
    response = web(desk).post(
        f"{URL}capacitacion/", {**data, "solicitante": "40123456", "channel": "portal"}
    )
    assert response.status_code == 200
    assert "Elija por qué canal llegó la solicitud" in response.content.decode()
    response = web(desk).post(
        f"{URL}capacitacion/", {**data, "solicitante": "Nadie Existe", "channel": "correo"}
    )
    assert "Ninguna persona registrada coincide con «Nadie Existe»." in response.content.decode()
    assert Ticket.objects.count() == 0


@pytest.mark.parametrize("role", ["personal", "resp-soporte", "coord-infraestructura"])
def test_only_the_desk_registers_on_behalf(role: str, caller: Any) -> None:
    user = requester_user("DIGEP") if role == "personal" else staff_user(role)
    client = web(user)
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}capacitacion/").status_code == 403
    assert client.get(f"{URL}personas/", {"solicitante": "40123456"}).status_code == 403
    response = client.post(
        f"{URL}capacitacion/",
        {
            "solicitante": "40123456",
            "channel": "telefono",
            "subject": "Capacitación",
            "description": "Pedido.",
        },
    )
    assert response.status_code == 403
    assert Ticket.objects.count() == 0


def test_anonymous_is_sent_to_log_in(org: Any) -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/cuenta/ingresar/?next=")


def test_queue_links_to_it_for_the_desk_only(desk: Any) -> None:
    assert URL in web(desk).get("/mesa-de-ayuda/consola/").content.decode()
    tech = staff_user("resp-soporte")
    assert URL not in web(tech).get("/mesa-de-ayuda/consola/").content.decode()
