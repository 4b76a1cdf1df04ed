"""The operator console in HTML: the queue (filters, search, keyset pages, constant queries,
bulk assignment) and the ticket page with one form per action."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mapro.core import menu
from mapro.helpdesk import access, actions
from mapro.helpdesk.models import Attachment, Ticket, TicketAction
from mapro.helpdesk.testing import ticket_in_status

from .helpers import PNG_BYTES, category, requester_user, requires_postgres, staff_user, upload

pytestmark = pytest.mark.django_db

QUEUE = reverse("helpdesk:console_queue")
BULK = reverse("helpdesk:console_bulk_assign")


def page(number: str) -> str:
    return reverse("helpdesk:console_ticket", args=[number])


def act(name: str, number: str) -> str:
    return reverse(f"helpdesk:console_{name}", args=[number])


def support(person, status="registrado", **kwargs):
    kwargs.setdefault("data", {"ubicacion": "Piso 2"})
    return ticket_in_status(person, status, category=category("soporte-tecnico"), **kwargs)


@pytest.fixture
def desk(org, client):
    user = staff_user("operador-mesa", "OGTIE")
    client.force_login(user)
    return user


@pytest.fixture
def ana(org):
    return requester_user("DIGEP")


# --- access --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [QUEUE, page("MA-2026-000001")])
def test_anonymous_goes_to_login(org, client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_requesters_and_directors_are_403(org, client, ana):
    ticket = support(ana.person)
    for user in (ana, make_director()):
        client.force_login(user)
        assert client.get(QUEUE).status_code == 403
        assert client.get(page(ticket.number)).status_code == 403
        response = client.post(act("start", ticket.number))
        assert response.status_code == 403


def make_director():
    from mapro.core.testing import make_user

    from .helpers import unit

    return make_user("director-uo", unit=unit("DIGEP"))


def test_a_team_member_sees_only_their_team(org, client, ana):
    mine = support(ana.person)  # soporte técnico: OGTIE-INFRAESTRUCTURA
    phishing = ticket_in_status(ana.person, category=category("spam-phishing"))
    tech = staff_user("resp-soporte", "OGTIE-INFRAESTRUCTURA")
    client.force_login(tech)
    html = client.get(QUEUE).content.decode()
    assert mine.number in html and phishing.number not in html
    assert client.get(page(mine.number)).status_code == 200
    assert client.get(page(phishing.number)).status_code == 404
    assert client.post(act("start", phishing.number)).status_code == 404


def test_the_menu_entry_names_the_roles_that_attend_tickets():
    entry = next(e for e in menu.ENTRIES if e.url_name == "helpdesk:console_queue")
    assert entry.roles == access.STAFF_ROLES


# --- validation, assignment, attention -----------------------------------------------------


def test_validate_yes_assigns_to_team_and_person(desk, client, ana):
    ticket = support(ana.person)
    tech = staff_user("resp-soporte", "OGTIE-INFRAESTRUCTURA")
    html = client.get(page(ticket.number)).content.decode()
    assert "¿Cumple con los requisitos?" in html
    response = client.post(
        act("validate", ticket.number),
        {"cumple": "si", "team": "OGTIE-INFRAESTRUCTURA", "assignee": tech.username},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "asignado" and ticket.assignee == tech
    assert ticket.team.code == "OGTIE-INFRAESTRUCTURA"


def test_validate_no_returns_with_observations(desk, client, ana):
    ticket = support(ana.person)
    url = act("validate", ticket.number)
    response = client.post(url, {"cumple": "no", "observations": ""})
    assert response.status_code == 200
    assert "Indique las observaciones a subsanar." in response.content.decode()
    response = client.post(url, {})
    assert "Indique si la solicitud cumple los requisitos." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == "registrado"
    response = client.post(url, {"cumple": "no", "observations": "Falta el acta firmada."})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "devuelto" and ticket.hold_reason == "Falta el acta firmada."


def test_an_unknown_person_is_a_field_error(desk, client, ana):
    ticket = support(ana.person)
    response = client.post(
        act("validate", ticket.number), {"cumple": "si", "team": "OGTIE", "assignee": "nadie"}
    )
    assert response.status_code == 200
    assert "Elija una persona de la lista." in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == "registrado"


def test_technician_starts_holds_and_resolves(org, client, ana):
    tech = staff_user("resp-soporte", "OGTIE-INFRAESTRUCTURA")
    ticket = support(ana.person, "asignado")
    client.force_login(tech)
    assert client.post(act("start", ticket.number)).status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "en_atencion" and ticket.assignee == tech
    assert client.post(act("hold", ticket.number), {"reason": ""}).status_code == 200
    assert client.post(act("hold", ticket.number), {"reason": "¿Qué anexo?"}).status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "en_espera"
    assert client.post(act("start", ticket.number)).status_code == 302
    response = client.post(act("resolve", ticket.number), {"solution": "Se cambió el tóner."})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "resuelto" and ticket.solution == "Se cambió el tóner."


def test_only_the_desk_returns_a_request(org, client, ana):
    ticket = support(ana.person, "asignado")
    coordinator = staff_user("coord-infraestructura", "OGTIE-INFRAESTRUCTURA")
    client.force_login(coordinator)
    assert "Devolver al solicitante" not in client.get(page(ticket.number)).content.decode()
    response = client.post(act("return", ticket.number), {"observations": "Falta el acta."})
    assert response.status_code == 403
    assert "Solo la mesa de ayuda valida los requisitos" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == "asignado"


def test_an_impossible_transition_is_a_spanish_409(desk, client, ana):
    ticket = support(ana.person, "cerrado")
    response = client.post(act("resolve", ticket.number), {"solution": "x"})
    assert response.status_code == 409
    assert "No se puede resolver un ticket cerrado" in response.content.decode()


def test_internal_note_is_marked_and_hidden_from_the_portal(desk, client, ana):
    ticket = support(ana.person)
    response = client.post(
        act("comment", ticket.number), {"body": "Revisar con proveedor", "interna": "on"}
    )
    assert response.status_code == 302
    note = TicketAction.objects.get(ticket=ticket, kind="internal_note")
    assert not note.visible_to_requester
    html = client.get(page(ticket.number)).content.decode()
    assert "Revisar con proveedor" in html and "Nota interna" in html
    client.force_login(ana)
    portal = reverse("helpdesk:portal_ticket", args=[ticket.number])
    assert "Revisar con proveedor" not in client.get(portal).content.decode()


def test_attach_checks_files(desk, client, ana):
    ticket = support(ana.person)
    url = act("attach", ticket.number)
    response = client.post(url, {"archivos": upload("x.pdf", b"MZ\x90 no es pdf")})
    assert response.status_code == 200
    assert "no es de un tipo permitido" in response.content.decode()
    assert client.post(url, {"archivos": upload("captura.png", PNG_BYTES)}).status_code == 302
    assert Attachment.objects.get(ticket=ticket).original_name == "captura.png"


def test_close_and_reopen(desk, client, ana):
    ticket = support(ana.person, "resuelto")
    assert client.post(act("close", ticket.number), {}).status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "cerrado"
    assert (
        client.post(act("reopen", ticket.number), {"reason": "Falla otra vez"}).status_code == 302
    )
    ticket.refresh_from_db()
    assert ticket.status == "asignado"


def test_mail_links_lead_to_the_console_for_staff(desk, client, ana):
    ticket = support(ana.person)
    response = client.get(reverse("helpdesk:ticket_detail", args=[ticket.number]))
    assert response["Location"] == page(ticket.number)


# --- bulk assignment -----------------------------------------------------------------------


def test_bulk_assign_reports_each_failure(desk, client, ana):
    a, b = support(ana.person), support(ana.person, "asignado")
    closed = support(ana.person, "cerrado")
    tech = staff_user("resp-soporte", "OGTIE-INFRAESTRUCTURA")
    response = client.post(
        BULK,
        {
            "numbers": [a.number, b.number, closed.number, "MA-1999-000001"],
            "assignee": tech.username,
            "next": f"{QUEUE}?status=registrado",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"{QUEUE}?status=registrado"
    html = response.content.decode()
    assert f"Se asignaron 2 tickets: {a.number}, {b.number}." in html
    assert f"{closed.number}: no se asignó. No se puede asignar un ticket cerrado" in html
    assert "MA-1999-000001: no se asignó. El ticket no existe o no está en su ámbito." in html
    assert set(Ticket.objects.filter(assignee=tech).values_list("number", flat=True)) == {
        a.number,
        b.number,
    }


def test_bulk_assign_needs_tickets_and_a_target(desk, client, ana):
    a = support(ana.person)
    html = client.post(BULK, {"team": "OGTIE"}, follow=True).content.decode()
    assert "Marque al menos un ticket para asignar." in html
    html = client.post(BULK, {"numbers": [a.number]}, follow=True).content.decode()
    assert "Elija el equipo o la persona responsable." in html
    assert client.post(BULK, {"numbers": [a.number], "next": "https://evil.example/"}).url == QUEUE
    a.refresh_from_db()
    assert a.status == "registrado"


# --- the queue: filters, search, pages, queries ------------------------------------------------


def numbers_in(response) -> list[str]:
    return [row["number"] for row in response.context["rows"]]


def test_filters_and_overdue_flag(desk, client, ana):
    luis = requester_user("OGAJ")
    printer = support(ana.person, subject="Impresora atascada", impact="alto", urgency="alta")
    tech = staff_user("resp-soporte", "OGTIE-INFRAESTRUCTURA")
    held = support(ana.person, "asignado", subject="Monitor sin señal")
    held = actions.do_assign_ticket(held, actor=None, assignee=tech)
    held = actions.do_start_ticket(held, actor=None)
    held = actions.do_put_ticket_on_hold(held, actor=None, reason="¿Qué monitor?")
    phish = ticket_in_status(luis.person, category=category("spam-phishing"), subject="Phishing")
    Ticket.objects.filter(pk=printer.pk).update(
        resolution_due_at=timezone.now() - datetime.timedelta(hours=2)
    )
    assert numbers_in(client.get(QUEUE, {"status": "en_espera"})) == [held.number]
    assert numbers_in(client.get(QUEUE, {"priority": "critica"})) == [printer.number]
    assert numbers_in(client.get(QUEUE, {"team": "OGTIE-CIBERSEGURIDAD"})) == [phish.number]
    assert numbers_in(client.get(QUEUE, {"unit": "OGAJ"})) == [phish.number]
    assert numbers_in(client.get(QUEUE, {"category": "spam-phishing"})) == [phish.number]
    assert numbers_in(client.get(QUEUE, {"assignee": tech.username})) == [held.number]
    assert set(numbers_in(client.get(QUEUE, {"assignee": "ninguno"}))) == {
        printer.number,
        phish.number,
    }
    response = client.get(QUEUE, {"overdue": "on"})
    assert numbers_in(response) == [printer.number]
    assert "Vencido" in response.content.decode()
    response = client.get(QUEUE, {"team": "NO-EXISTE"})
    assert numbers_in(response) == []
    assert "No existe una unidad con esa sigla." in response.content.decode()


def test_search_by_words_and_number(desk, client, ana):
    printer = support(ana.person, subject="Impresora atascada en el tercer piso")
    monitor = support(ana.person, subject="Monitor sin señal")
    assert numbers_in(client.get(QUEUE, {"q": "impresora"})) == [printer.number]
    assert numbers_in(client.get(QUEUE, {"q": monitor.number})) == [monitor.number]


@requires_postgres
@pytest.mark.postgres
def test_search_is_full_text_on_postgresql(desk, client, ana):
    printer = support(ana.person, subject="Las impresoras no imprimen")
    # Spanish stemming: "impresora" finds "impresoras".
    assert numbers_in(client.get(QUEUE, {"q": "impresora"})) == [printer.number]


def test_htmx_filter_returns_only_the_results(desk, client, ana):
    support(ana.person)
    response = client.get(QUEUE, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="resultados")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="resultados"')
    assert "<html" not in html


def test_queue_pages_forward_and_back(desk, client, ana):
    made = [support(ana.person, subject=f"Pedido {i}").number for i in range(7)]
    newest_first = made[::-1]
    first = client.get(QUEUE, {"size": 3})
    assert numbers_in(first) == newest_first[:3]
    assert 'rel="next"' in first.content.decode()
    second = client.get(f"{QUEUE}?{first.context['next_query']}")
    assert numbers_in(second) == newest_first[3:6]
    third = client.get(f"{QUEUE}?{second.context['next_query']}")
    assert numbers_in(third) == newest_first[6:]
    back = client.get(f"{QUEUE}?{third.context['previous_query']}")
    assert numbers_in(back) == newest_first[3:6]
    top = client.get(f"{QUEUE}?{back.context['previous_query']}")
    assert numbers_in(top) == newest_first[:3]
    assert 'rel="prev"' not in top.content.decode()


def test_pages_keep_the_filters(desk, client, ana):
    for i in range(4):
        support(ana.person, "en_espera", subject=f"Espera {i}")
        support(ana.person, subject=f"Nuevo {i}")
    first = client.get(QUEUE, {"status": "en_espera", "size": 2})
    second = client.get(f"{QUEUE}?{first.context['next_query']}")
    assert all(row["status"] == "en_espera" for row in second.context["rows"])
    assert len(second.context["rows"]) == 2


def test_queue_query_count_does_not_grow(desk, client, ana, django_assert_num_queries):
    tech = staff_user("resp-soporte", "OGTIE-INFRAESTRUCTURA")
    for i in range(3):
        support(ana.person, subject=f"Pedido {i}")
    with CaptureQueriesContext(connection) as small:
        client.get(QUEUE)
    luis = requester_user("OGAJ")
    for i in range(30):
        t = support(luis.person if i % 2 else ana.person, "en_atencion", subject=f"Otro {i}")
        if i % 3 == 0:
            actions.do_assign_ticket(t, actor=None, assignee=tech)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(QUEUE)
    assert len(response.context["rows"]) == 33
    with CaptureQueriesContext(connection) as filtered_small:
        client.get(QUEUE, {"status": "en_atencion", "q": "Otro", "size": 5})
    for i in range(10):
        support(ana.person, "en_atencion", subject=f"Otro más {i}")
    with django_assert_num_queries(len(filtered_small.captured_queries)):
        client.get(QUEUE, {"status": "en_atencion", "q": "Otro", "size": 5})


def test_ticket_pages_show_the_procedure_diagram(org, client, ana):
    from mapro.procedures.testing import publish_ficha

    publish_ficha("S04.03.04.02")
    client.force_login(ana)
    response = client.post(
        reverse("helpdesk:ticket_new_form", args=["soporte-tecnico"]),
        {"subject": "PC no enciende", "description": "No prende.", "ubicacion": "Piso 1"},
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and ticket.instance_id is not None
    bpmn = reverse("procedures:instance_bpmn", args=[ticket.instance_id])
    portal = client.get(reverse("helpdesk:portal_ticket", args=[ticket.number])).content.decode()
    assert f'data-bpmn-url="{bpmn}"' in portal
    client.force_login(staff_user("operador-mesa", "OGTIE"))
    console = client.get(page(ticket.number)).content.decode()
    assert f'data-bpmn-url="{bpmn}"' in console
    assert "S04.03.04.02" in console
