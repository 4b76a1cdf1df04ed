"""End to end in a real browser: a director's support ticket, from the portal to its survey.

Issue 14 ("done when"): as ``director-uo`` ask for technical support in the portal; the ticket
starts S04.03.04.02; the roles the ficha names take it in the console — ``operador-mesa``
validates and assigns (activities 2 and 4), ``resp-soporte`` records the solution in one form
(activity 5, which completes 6 and closes the ticket); the director answers the satisfaction
survey and sees it recorded. The mails go through the outbox to a real SMTP server on loopback.

Playwright drives Debian's Chromium (``MAPRO_CHROMIUM``; never a browser Playwright
downloads) against the live server; sessions come from ``signed_in_context`` (signing in is
tested elsewhere). In CI a missing browser fails the test instead of skipping it.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from mapro.core.browser_testing import requires_browser, signed_in_context
from mapro.core.testing import seed_demo
from mapro.helpdesk.models import Ticket, TicketSurvey
from mapro.notifications.testing import deliver_outbox, mail_text, smtp_server  # noqa: F401
from mapro.procedures.models import Procedure, TaskRecord
from mapro.procedures.testing import publish_ficha

pytestmark = [pytest.mark.django_db(transaction=True), requires_browser]

CODE = "S04.03.04.02"
SOLUTION = "Se retiró el papel atascado y se limpió el rodillo."


def test_director_support_ticket_from_the_portal_to_its_survey(
    browser,
    live_server,
    smtp_server,  # noqa: F811
):
    seed_demo()
    if not Procedure.objects.filter(code=CODE, current_version__isnull=False).exists():
        publish_ficha(CODE)
    base = live_server.url
    users = get_user_model().objects

    def page_of(username: str):
        return signed_in_context(browser, base, users.get(username=username)).new_page()

    # 1. The director asks for technical support in the self-service portal.
    director = page_of("director-uo")
    director.goto(f"{base}/mesa-de-ayuda/solicitudes/nueva/")
    director.get_by_role("link", name=re.compile("Soporte técnico", re.I)).first.click()
    director.get_by_label(re.compile("^Asunto")).fill("La impresora de la dirección no imprime")
    director.get_by_label(re.compile("^Describa su pedido")).fill(
        "Desde esta mañana la impresora muestra un error de papel atascado."
    )
    director.get_by_label(re.compile("^Ubicación")).fill("Piso 5, despacho del director")
    director.get_by_role("button", name="Registrar solicitud").click()
    director.wait_for_url(re.compile(r"/mesa-de-ayuda/solicitudes/MA-\d{4}-\d{6}/$"))
    number = director.url.rstrip("/").rsplit("/", 1)[1]
    ticket = Ticket.objects.get(number=number)
    assert ticket.requester.user.username == "director-uo"
    # The ticket started the procedure: activity 1 is the ticket, the desk has activity 2.
    assert ticket.instance is not None and ticket.instance.procedure_code == CODE
    assert list(ticket.instance.work_items.filter(state="open").values_list("n", flat=True)) == [2]

    # 2. The desk operator validates the requirements and assigns it to a technician.
    operator = page_of("operador-mesa")
    operator.goto(f"{base}/mesa-de-ayuda/consola/{number}/")
    operator.get_by_label("Sí: asignar").check()
    operator.locator("#validar-persona").select_option("resp-soporte")
    operator.get_by_role("button", name="Registrar validación").click()
    operator.wait_for_load_state()
    ticket.refresh_from_db()
    assert ticket.status == "asignado" and ticket.assignee.username == "resp-soporte"

    # 3. The technician records the solution once, in activity 5's own form in the console;
    # "Sí" completes activity 6 with it, which closes the ticket as the manual says.
    technician = page_of("resp-soporte")
    technician.goto(f"{base}/mesa-de-ayuda/consola/{number}/")
    form = technician.locator("#formulario-tarea")
    form.get_by_label(re.compile("^Remota")).check()
    form.get_by_label(re.compile("^Diagnóstico")).fill("Papel atascado en el rodillo.")
    form.get_by_label(re.compile("^Acciones realizadas")).fill(SOLUTION)
    form.get_by_label("Sí", exact=True).check()
    form.get_by_role("button", name="Registrar solución").click()
    technician.wait_for_load_state()
    said = technician.get_by_role("alert").or_(technician.get_by_role("status")).all_inner_texts()
    assert any("cerró el ticket, como indica el manual" in text for text in said), said
    ticket.refresh_from_db()
    assert ticket.status == "cerrado" and ticket.solution == SOLUTION
    assert ticket.instance.status == "completed"
    records = TaskRecord.objects.filter(instance=ticket.instance).order_by("id")
    assert [r.n for r in records] == [1, 2, 4, 5, 6]
    assert records.last().data["solucion"] == SOLUTION

    # 4. The director sees it closed with its solution, rates the attention, sees the rating.
    director.goto(f"{base}/mesa-de-ayuda/solicitudes/{number}/")
    main = director.locator("main")
    assert "Cerrado" in main.inner_text() and SOLUTION in main.inner_text()
    director.get_by_label(re.compile("^4 —")).check()
    director.get_by_label("Comentario (opcional)").fill("Rápido y amable.")
    director.get_by_role("button", name="Enviar calificación").click()
    director.wait_for_load_state()
    assert "Gracias por calificar la atención." in main.inner_text()
    assert "Calificó la atención con 4 de 5" in main.inner_text()
    survey = TicketSurvey.objects.get(ticket=ticket)
    assert (survey.rating, survey.comment) == (4, "Rápido y amable.")

    # 5. Each of them received the right mails, through the outbox and real SMTP.
    assert deliver_outbox() is not None
    received: dict[str, list[str]] = {}
    for message in smtp_server.messages:
        for address in message.get_all("To", []):
            for one in address.split(","):
                received.setdefault(one.strip().lower(), []).append(message["Subject"])
    requester_mail = ticket.requester.email.lower()
    technician_mail = ticket.assignee.person.email.lower()
    assert requester_mail and technician_mail
    subjects = received.get(requester_mail, [])
    assert any("registrado" in s for s in subjects), subjects
    assert any("cerrado" in s for s in subjects), subjects
    # The procedure closed it at once: never asked to confirm a solution of a closed ticket.
    assert not any("resuelto" in s for s in subjects), subjects
    assert any("asignado a usted" in s for s in received.get(technician_mail, [])), received
    for message in smtp_server.messages:
        assert number in message["Subject"]
        assert "demo" not in mail_text(message).split()  # no password in any mail
