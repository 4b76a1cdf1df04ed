"""In a real browser: the portal's new-ticket form shows the knowledge base's suggestions, for
the category on load and for the subject once it is written (htmx, out-of-band swap)."""

from __future__ import annotations

import re

import pytest

from mapro.core.browser_testing import requires_browser, sign_in
from mapro.core.testing import seed_demo
from mapro.helpdesk.models import Category
from mapro.knowledge.testing import make_article

pytestmark = [pytest.mark.django_db(transaction=True), requires_browser]


def test_suggestions_appear_while_the_ticket_is_written(browser, live_server):
    seed_demo()
    category = Category.objects.filter(is_active=True, children__isnull=True).order_by("path")[0]
    make_article(
        title="Guía general de la categoría",
        symptoms="Dudas frecuentes sobre este tipo de pedido.",
        solution="Revisar los requisitos antes de enviarlo.",
        tags="guía",
        category=category,
    )
    make_article(
        title="La impresora muestra papel atascado",
        symptoms="Error de papel atascado aunque la bandeja está vacía.",
        solution="Abrir la tapa trasera y retirar el rodillo.",
    )
    make_article(published=False, title="Borrador sobre papel atascado", symptoms="papel")
    page = sign_in(browser, live_server.url, "personal")
    page.goto(f"{live_server.url}/mesa-de-ayuda/solicitudes/nueva/{category.code}/")
    panel = page.locator("#kb-sugerencias")
    panel.get_by_role("link", name="Guía general de la categoría").wait_for()
    page.get_by_label(re.compile("^Asunto")).fill("Papel atascado en la impresora")
    page.get_by_label(re.compile("^Describa su pedido")).click()  # leaving the field: "change"
    panel.get_by_role("link", name="La impresora muestra papel atascado").wait_for()
    links = panel.get_by_role("link").all_inner_texts()
    assert links[0] == "La impresora muestra papel atascado"
    assert "Borrador sobre papel atascado" not in links
