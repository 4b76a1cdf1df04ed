"""End to end in a real browser: a support ticket from the portal to its closure, with its mails.

Playwright drives Debian's Chromium (``MAPRO_CHROMIUM``, started by ``.ci/run``; never a browser
Playwright downloads) against the live server; the mails go through the outbox to a real SMTP
server on loopback. In CI a missing browser fails the test instead of skipping it.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command

from mapro.core.browser_testing import requires_browser, sign_in
from mapro.helpdesk.models import Ticket
from mapro.notifications.testing import deliver_outbox, mail_text, smtp_server  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), requires_browser]


def test_support_ticket_from_the_portal_to_its_closure(
    browser,
    live_server,
    smtp_server,  # noqa: F811
):
    call_command("seed", "--demo")
    call_command("procedures", "publish")
    base = live_server.url

    # 1. An employee opens a support ticket in the self-service portal.
    requester = sign_in(browser, base, "personal")
    requester.goto(f"{base}/mesa-de-ayuda/solicitudes/nueva/")
    requester.get_by_role("link", name=re.compile("Soporte técnico", re.I)).first.click()
    requester.get_by_label(re.compile("^Asunto")).fill("La impresora del piso 3 no imprime")
    requester.get_by_label(re.compile("^Describa su pedido")).fill(
        "Desde esta mañana la impresora muestra un error de papel atascado."
    )
    requester.get_by_label(re.compile("^Ubicación")).fill("Piso 3, oficina 305")
    requester.get_by_role("button", name="Registrar solicitud").click()
    requester.wait_for_url(re.compile(r"/mesa-de-ayuda/solicitudes/MA-\d{4}-\d{6}/$"))
    number = requester.url.rstrip("/").rsplit("/", 1)[1]
    ticket = Ticket.objects.get(number=number)
    assert ticket.status == "registrado"
    assert ticket.requester.user.username == "personal"

    # 2. The help-desk operator validates the requirements and assigns it to a technician.
    operator = sign_in(browser, base, "operador-mesa")
    operator.goto(f"{base}/mesa-de-ayuda/consola/{number}/")
    operator.get_by_label("Sí: asignar").check()
    operator.locator("#validar-persona").select_option("resp-soporte")
    operator.get_by_role("button", name="Registrar validación").click()
    operator.wait_for_load_state()
    ticket.refresh_from_db()
    assert ticket.status == "asignado"
    assert ticket.assignee is not None and ticket.assignee.username == "resp-soporte"

    # 3. The technician attends it. The ticket follows S04.03.04.02: "Registrar solución" is
    # activity 6, so activity 5 (diagnosis and "¿Se dio solución?") is done first on its task
    # page, which the console links to; then the solution closes the ticket (activity 6).
    technician = sign_in(browser, base, "resp-soporte")
    technician.goto(f"{base}/mesa-de-ayuda/consola/{number}/")
    technician.get_by_role("button", name="Iniciar la atención").click()
    technician.wait_for_load_state()
    ticket.refresh_from_db()
    assert ticket.status == "en_atencion"
    technician.get_by_role("link", name=re.compile("^5. Revisar el ticket de atención")).click()
    technician.wait_for_url(re.compile(r"/tareas/\d+/$"))
    technician.get_by_label(re.compile("^Remota")).check()
    technician.get_by_label(re.compile("^Diagnóstico")).fill("Papel atascado en el rodillo.")
    technician.get_by_label(re.compile("^Acciones realizadas")).fill(
        "Se retiró el papel atascado y se limpió el rodillo."
    )
    technician.get_by_label("Sí", exact=True).check()
    technician.get_by_role("button", name="Completar actividad").click()
    technician.wait_for_load_state()
    technician.goto(f"{base}/mesa-de-ayuda/consola/{number}/")
    assert "6. Cerrar el ticket de atención" in technician.locator("main").inner_text()
    technician.get_by_label(re.compile("^Solución aplicada")).fill(
        "Se retiró el papel atascado y se limpió el rodillo."
    )
    technician.get_by_role("button", name="Registrar solución").click()
    technician.wait_for_load_state()
    ticket.refresh_from_db()
    assert ticket.status == "cerrado"
    assert ticket.instance is not None and ticket.instance.status == "completed"

    # 4. The requester sees the ticket closed, with its solution.
    requester.goto(f"{base}/mesa-de-ayuda/solicitudes/{number}/")
    page_text = requester.locator("main").inner_text()
    assert "Cerrado" in page_text
    assert "Se retiró el papel atascado" in page_text

    # 5. Each of them received the right mails, through the outbox and real SMTP.
    report = deliver_outbox()
    assert report is not None
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
    assert any("resuelto" in s for s in subjects), subjects
    assert any("cerrado" in s for s in subjects), subjects
    assert any("asignado a usted" in s for s in received.get(technician_mail, [])), received
    for message in smtp_server.messages:
        assert number in message["Subject"]
        assert "demo" not in mail_text(message).split()  # no password in any mail
