"""End to end in a real browser (issue 14): an account asked for in the portal is created.

S04.03.01.01, path C as far as the account: ``personal`` asks for "Creación de cuenta de usuario"
in the portal, whose form is activity 1's (the ticket and the activity in one submission);
``operador-mesa`` validates it (2) and assigns it (4);
``profesional-ogtie`` verifies the data (7) and creates the account (9), which the register of
accounts then lists. Every step on its page, each role in its own browser context; axe-core
checks each page on the way (``mapro.core.browser_testing``).
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from mapro.core.browser_testing import requires_browser, signed_in_context
from mapro.core.testing import seed_demo
from mapro.helpdesk.models import Ticket
from mapro.iam.models import Account
from mapro.procedures.models import WorkItemState
from mapro.procedures.testing import publish_ficha

pytestmark = [pytest.mark.django_db(transaction=True), requires_browser]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _open_task(page, base: str, name: str) -> None:  # type: ignore[no-untyped-def]
    """From "Mis tareas", open the task of the activity called ``name``."""
    page.goto(f"{base}/tareas/")
    page.get_by_role("link", name=re.compile(re.escape(name))).first.click()
    page.wait_for_url(re.compile(r"/tareas/\d+/$"))


def _complete(page) -> None:  # type: ignore[no-untyped-def]
    with page.expect_navigation():
        page.get_by_role("button", name="Completar actividad").click()
    alerts = page.locator(".alert-danger")
    assert alerts.count() == 0, alerts.all_inner_texts()


def test_an_account_asked_for_in_the_portal_is_created_through_the_task_pages(browser, live_server):
    seed_demo()
    publish_ficha("S04.03.01.01")
    base = live_server.url
    users = get_user_model().objects.in_bulk(
        ["personal", "operador-mesa", "profesional-ogtie"], field_name="username"
    )

    # 1. The employee asks for the account in the portal, with the signed acta.
    requester = signed_in_context(browser, base, users["personal"]).new_page()
    requester.goto(f"{base}/mesa-de-ayuda/solicitudes/nueva/")
    requester.get_by_role("link", name=re.compile("Creación de cuenta de usuario")).click()
    requester.get_by_label(re.compile("^Asunto")).fill("Cuenta para la nueva especialista")
    requester.get_by_label(re.compile("^Describa su pedido")).fill(
        "Ingresa a la oficina el lunes; necesita cuenta de red y correo."
    )
    # The form is activity 1's ("Ingresar ticket de atención"): the kind of request comes
    # preselected by the category, the accesses are a list.
    assert requester.get_by_label("Creación de cuenta de usuario nuevo").is_checked()
    requester.get_by_label(re.compile("^Nombre completo del usuario")).fill(
        "María Elena Quispe Huamán"
    )
    requester.get_by_label(re.compile("^N° de DNI")).fill("45871236")
    requester.get_by_label(re.compile("^Cargo")).fill("Especialista administrativo")
    requester.get_by_label(re.compile("^Tipo de contrato")).select_option("cas")
    requester.get_by_label(re.compile("^Cuenta, acceso o privilegio")).first.select_option("red")
    requester.get_by_label(re.compile("^Acta de aceptación de riesgos")).set_input_files(
        {"name": "acta.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    requester.get_by_role("button", name="Registrar solicitud").click()
    requester.wait_for_url(re.compile(r"/mesa-de-ayuda/solicitudes/MA-\d{4}-\d{6}/$"))
    number = requester.url.rstrip("/").rsplit("/", 1)[1]
    ticket = Ticket.objects.get(number=number)
    assert ticket.instance is not None

    # Registering the ticket completed activity 1 with the same data: nothing is typed twice,
    # and the requester's "Mis tareas" has nothing of it (helpdesk.request_forms).
    waiting = ticket.instance.work_items.filter(state=WorkItemState.OPEN)
    assert list(waiting.values_list("n", flat=True)) == [2]
    requester.goto(f"{base}/tareas/")
    assert "Ingresar ticket de atención" not in requester.locator("main").inner_text()

    # 2 and 4. The help-desk operator validates the requirements, then assigns the ticket.
    operator = signed_in_context(browser, base, users["operador-mesa"]).new_page()
    _open_task(operator, base, "Recibir y validar ticket de atención")
    operator.get_by_label(re.compile("^El usuario está registrado en el MINDEF")).check()
    operator.get_by_label("Sí", exact=True).check()
    _complete(operator)
    _open_task(operator, base, "Asignar ticket de atención")
    operator.get_by_label(re.compile("^Profesional para la OGTIE asignado")).fill("Ing. Salazar")
    operator.get_by_label("Creación de cuenta de usuario nuevo").check()
    _complete(operator)

    # 7 and 9. The OGTIE professional verifies the data and creates the account, its name
    # given by the institution's rule (left empty on the form).
    professional = signed_in_context(browser, base, users["profesional-ogtie"]).new_page()
    _open_task(professional, base, "Verificar datos de la solicitud")
    professional.get_by_label(re.compile("^Sí: Solicitud de creación de cuentas")).check()
    _complete(professional)
    _open_task(professional, base, "Crear cuenta, accesos y privilegios")
    professional.get_by_label(
        re.compile("^Tipo de cuenta, acceso o privilegio")
    ).first.select_option("red")
    professional.get_by_label(re.compile("^Se generó la contraseña robusta")).check()
    _complete(professional)

    # The register of accounts lists the new account, for the requested person.
    account = Account.objects.get()
    professional.goto(f"{base}/cuentas-y-accesos/")
    listed = professional.locator("main").inner_text()
    assert account.account_name in listed
    assert "Quispe" in listed
    waiting = ticket.instance.work_items.filter(state=WorkItemState.OPEN)
    assert list(waiting.values_list("n", flat=True)) == [10]  # informing the other units
