"""The self-service portal in HTML: new request (category tree and requirements form), "Mis
solicitudes" (keyset pages, constant queries) and the requester's ticket page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mapro.audit.models import AuditEvent
from mapro.core.testing import make_user
from mapro.helpdesk import actions
from mapro.helpdesk.models import Attachment, Ticket, TicketAction
from mapro.helpdesk.testing import ticket_in_status

from .helpers import EXE_BYTES, PNG_BYTES, category, requester_user, staff_user, upload

pytestmark = pytest.mark.django_db

NEW = reverse("helpdesk:ticket_new")
MINE = reverse("helpdesk:my_tickets")


def form_url(code: str) -> str:
    return reverse("helpdesk:ticket_new_form", args=[code])


def page(number: str) -> str:
    return reverse("helpdesk:portal_ticket", args=[number])


def rows() -> tuple[int, int, int]:
    return Ticket.objects.count(), Attachment.objects.count(), TicketAction.objects.count()


@pytest.fixture
def ana(org, client):
    user = requester_user("DIGEP")
    client.force_login(user)
    return user


# --- access --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [NEW, MINE, form_url("soporte-tecnico"), page("MA-2026-000001")])
def test_anonymous_goes_to_login(org, client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_user_without_a_person_cannot_open_requests(org, client):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("sin-persona", password="x-clave-segura-1")
    client.force_login(user)
    assert client.get(NEW).status_code == 403
    assert client.post(form_url("soporte-tecnico"), {"subject": "x"}).status_code == 403
    html = client.get(MINE).content.decode()
    assert "no tiene una persona registrada" in html


def test_another_persons_ticket_is_404(ana, client):
    other = ticket_in_status(requester_user("OGAJ").person, "resuelto")
    assert client.get(page(other.number)).status_code == 404
    response = client.post(reverse("helpdesk:portal_confirm", args=[other.number]))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == "resuelto"


def test_unknown_or_inactive_category_is_404(ana, client):
    assert client.get(form_url("no-existe")).status_code == 404
    cat = category("capacitacion")
    cat.is_active = False
    cat.save()
    assert client.get(form_url("capacitacion")).status_code == 404


# --- new request ---------------------------------------------------------------------------


def test_category_tree_groups_and_says_what_is_needed(ana, client):
    html = client.get(NEW).content.decode()
    assert "Cuentas, accesos y privilegios" in html
    # A group heading is not a link; its children are.
    assert f'href="{form_url("cuentas")}"' not in html
    assert f'href="{form_url("cuentas-privilegios")}"' in html
    assert "Declaración jurada de identificación del usuario" in html


def test_the_form_renders_the_category_requirements(ana, client):
    html = client.get(form_url("cuentas-privilegios")).content.decode()
    # procedures/_field.html renders the requirements schema: file inputs, radios, required.
    assert 'type="file" name="acta"' in html
    assert 'type="file" name="cibersoldado"' in html
    assert 'name="privilegio"' in html and 'value="usb"' in html
    assert "Acta de aceptación de riesgos (Formato N° 01)" in html
    assert 'name="subject"' in html and 'name="description"' in html
    assert 'name="impact"' in html and 'name="urgency"' in html


def test_valid_request_is_registered_and_redirects(ana, client):
    response = client.post(
        form_url("soporte-tecnico"),
        {
            "subject": "La impresora no imprime",
            "description": "Muestra error de papel.",
            "ubicacion": "Piso 3, oficina 301",
            "equipo": "PAT-001",
            "impact": "bajo",
            "urgency": "alta",
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == page(ticket.number)
    assert ticket.requester == ana.person
    assert ticket.channel == "portal"
    assert ticket.data == {"ubicacion": "Piso 3, oficina 301", "equipo": "PAT-001"}
    assert ticket.priority == "media"  # bajo × alta
    html = client.get(response["Location"]).content.decode()
    assert f"Se registró su solicitud {ticket.number}" in html
    assert "Piso 3, oficina 301" in html


def test_certificate_without_the_declaracion_jurada_saves_nothing(ana, client):
    before = rows()
    response = client.post(
        form_url("certificado-digital"),
        {"subject": "Necesito mi certificado", "description": "Para firmar oficios."},
    )
    assert response.status_code == 200
    assert rows() == before
    html = response.content.decode()
    assert "No se registró la solicitud" in html
    assert "Falta «Declaración jurada de identificación del usuario»." in html
    # The message sits beside the file input, which is marked invalid.
    assert 'id="campo-declaracion_jurada-error"' in html
    assert 'value="Necesito mi certificado"' in html  # what was typed comes back


def test_certificate_with_the_signed_declaration_is_registered(ana, client):
    response = client.post(
        form_url("certificado-digital"),
        {
            "subject": "Necesito mi certificado",
            "description": "Para firmar oficios.",
            "declaracion_jurada": upload("declaracion.pdf"),
        },
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    attachment = Attachment.objects.get(ticket=ticket)
    assert attachment.field == "declaracion_jurada"
    assert ticket.data == {"declaracion_jurada": attachment.pk}
    html = client.get(page(ticket.number)).content.decode()
    download = reverse("helpdesk:attachment_download", args=[ticket.number, attachment.pk])
    assert f'href="{download}">declaracion.pdf' in html


def test_privileges_name_every_missing_item_even_without_a_subject(ana, client):
    before = rows()
    response = client.post(
        form_url("cuentas-privilegios"),
        {"description": "Necesito USB", "cuenta": "ana.perez", "privilegio": "usb"},
    )
    assert rows() == before
    html = response.content.decode()
    assert "Indique el asunto." in html
    assert "Falta «Acta de aceptación de riesgos (Formato N° 01)»." in html
    assert "Falta «Evidencia de inscripción o culminación del curso de cibersoldado»." in html


def test_a_disguised_attachment_is_refused(ana, client):
    before = rows()
    response = client.post(
        form_url("certificado-digital"),
        {
            "subject": "Certificado",
            "description": "Para firmar.",
            "declaracion_jurada": upload("declaracion.pdf", EXE_BYTES),
        },
    )
    assert rows() == before
    assert "no es de un tipo permitido" in response.content.decode()


# --- my requests ---------------------------------------------------------------------------


def test_my_tickets_lists_only_mine_with_status_and_due(ana, client):
    mine = ticket_in_status(ana.person, "en_espera", subject="Monitor sin señal")
    theirs = ticket_in_status(requester_user("OGAJ").person, subject="Ajeno")
    html = client.get(MINE).content.decode()
    assert mine.number in html and "Requiere su respuesta" in html
    assert theirs.number not in html


def test_closed_tickets_appear_under_todas(ana, client):
    done = ticket_in_status(ana.person, "cerrado", subject="Ya resuelto")
    assert done.number not in client.get(MINE).content.decode()
    assert done.number in client.get(MINE, {"ver": "todas"}).content.decode()


def test_my_tickets_pages_forward_and_back(ana, client):
    numbers = [ticket_in_status(ana.person, subject=f"Pedido {i}").number for i in range(45)]
    newest_first = numbers[::-1]
    first = client.get(MINE)
    assert [t["number"] for t in first.context["pager"].tickets] == newest_first[:20]
    assert first.context["pager"].previous_cursor is None
    second = client.get(f"{MINE}?{first.context['next_query']}")
    assert [t["number"] for t in second.context["pager"].tickets] == newest_first[20:40]
    third = client.get(f"{MINE}?{second.context['next_query']}")
    assert [t["number"] for t in third.context["pager"].tickets] == newest_first[40:]
    assert third.context["pager"].next_cursor is None
    back = client.get(f"{MINE}?{third.context['previous_query']}")
    assert [t["number"] for t in back.context["pager"].tickets] == newest_first[20:40]
    top = client.get(f"{MINE}?{back.context['previous_query']}")
    assert [t["number"] for t in top.context["pager"].tickets] == newest_first[:20]
    assert top.context["pager"].previous_cursor is None


def test_a_forged_cursor_shows_the_first_page(ana, client):
    ticket_in_status(ana.person)
    response = client.get(MINE, {"cursor": "no-es-un-cursor"})
    assert response.status_code == 200
    assert "El enlace de página no es válido" in response.content.decode()


def test_my_tickets_query_count_does_not_grow(ana, client, django_assert_num_queries):
    for i in range(3):
        ticket_in_status(ana.person, subject=f"Pedido {i}")
    with CaptureQueriesContext(connection) as small:
        client.get(MINE)
    for i in range(25):
        ticket_in_status(ana.person, "asignado", subject=f"Otro {i}")
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(MINE)
    assert len(response.context["rows"]) == 20


# --- the requester's ticket ----------------------------------------------------------------


def test_internal_notes_are_hidden_from_the_requester(ana, client):
    ticket = ticket_in_status(ana.person, "en_atencion")
    actions.do_comment_ticket(ticket, actor=None, body="Nota secreta del equipo", internal=True)
    actions.do_comment_ticket(ticket, actor=None, body="Estamos revisando su equipo")
    html = client.get(page(ticket.number)).content.decode()
    assert "Estamos revisando su equipo" in html
    assert "Nota secreta del equipo" not in html


def test_add_information_when_on_hold(ana, client):
    ticket = ticket_in_status(ana.person, "en_espera")
    html = client.get(page(ticket.number)).content.decode()
    assert "Agregar información" in html and "Falta el código patrimonial." in html
    url = reverse("helpdesk:portal_add_information", args=[ticket.number])
    response = client.post(url, {"body": "", "archivos": upload("foto.png", PNG_BYTES)})
    assert response.status_code == 200
    assert "Indique la información que añade." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == "en_espera"
    assert not Attachment.objects.filter(ticket=ticket).exists()
    response = client.post(
        url, {"body": "Es el PAT-123", "archivos": upload("foto.png", PNG_BYTES)}
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "en_atencion"
    assert Attachment.objects.get(ticket=ticket).original_name == "foto.png"


def test_a_returned_certificate_request_comes_back_complete(ana, client):
    ticket = actions.do_create_ticket(
        actor=ana,
        category=category("certificado-digital"),
        subject="Certificado",
        description="Para firmar.",
        files={"declaracion_jurada": upload("dj.pdf")},
    )
    actions.do_return_ticket(ticket, actor=None, observations="La declaración no está firmada.")
    html = client.get(page(ticket.number)).content.decode()
    assert "La declaración no está firmada." in html
    assert "Ya adjuntó «dj.pdf»" in html  # the file field is no longer required
    url = reverse("helpdesk:portal_add_information", args=[ticket.number])
    response = client.post(
        url, {"body": "Adjunto la firmada.", "declaracion_jurada": upload("dj-firmada.pdf")}
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "registrado"  # to be validated again
    replaced = Attachment.objects.get(pk=ticket.data["declaracion_jurada"])
    assert replaced.original_name == "dj-firmada.pdf"


def test_confirm_the_solution_closes(ana, client):
    ticket = ticket_in_status(ana.person, "resuelto")
    html = client.get(page(ticket.number)).content.decode()
    assert "Confirmar solución" in html and "No está resuelto" in html
    response = client.post(
        reverse("helpdesk:portal_confirm", args=[ticket.number]), {"comment": "Gracias"}
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "cerrado"
    assert AuditEvent.objects.filter(action="ticket.confirm", object_id=str(ticket.pk)).exists()


def test_not_solved_needs_a_reason_then_goes_back_to_attention(ana, client):
    ticket = ticket_in_status(ana.person, "resuelto")
    url = reverse("helpdesk:portal_reject", args=[ticket.number])
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert "Indique por qué la solución no resolvió su pedido." in response.content.decode()
    assert client.post(url, {"reason": "Sigue sin imprimir"}).status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "en_atencion"


def test_an_impossible_transition_is_a_spanish_409(ana, client):
    ticket = ticket_in_status(ana.person, "registrado")
    response = client.post(reverse("helpdesk:portal_confirm", args=[ticket.number]))
    assert response.status_code == 409
    assert "No se puede confirmar la solución de un ticket en estado «registrado»" in (
        response.content.decode()
    )


def test_comment_with_a_file_and_reopen_a_closed_ticket(ana, client):
    ticket = ticket_in_status(ana.person, "cerrado")
    html = client.get(page(ticket.number)).content.decode()
    assert "Reabrir ticket" in html and "Escribir a la mesa de ayuda" not in html
    url = reverse("helpdesk:portal_reopen", args=[ticket.number])
    assert client.post(url, {"reason": "Volvió a fallar"}).status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "asignado"
    url = reverse("helpdesk:portal_comment", args=[ticket.number])
    response = client.post(url, {"body": "Adjunto foto", "archivos": upload("f.png", PNG_BYTES)})
    assert response.status_code == 302
    assert Attachment.objects.filter(ticket=ticket, original_name="f.png").exists()


def test_a_staff_member_who_is_not_the_requester_cannot_confirm(org, client):
    ticket = ticket_in_status(requester_user().person, "resuelto")
    desk = staff_user("operador-mesa")
    client.force_login(desk)
    html = client.get(page(ticket.number)).content.decode()
    assert "Confirmar solución" not in html
    response = client.post(reverse("helpdesk:portal_confirm", args=[ticket.number]))
    assert response.status_code == 403
    assert "Solo el solicitante confirma la solución." in response.content.decode()


def test_mail_links_lead_to_the_portal_for_requesters(ana, client):
    ticket = ticket_in_status(ana.person)
    response = client.get(reverse("helpdesk:ticket_detail", args=[ticket.number]))
    assert response["Location"] == page(ticket.number)
    other = ticket_in_status(make_user("personal").person)
    assert client.get(reverse("helpdesk:ticket_detail", args=[other.number])).status_code == 404
