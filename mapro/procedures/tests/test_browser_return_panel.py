"""In a real browser: the task page's folded "Devolver" panel loads its targets when opened.

The task page no longer reads the workflow's state (issue #15): the panel's targets are an htmx
fragment (``task_return_targets``) fetched on the first ``toggle`` of the ``<details>``.
"""

from __future__ import annotations

from typing import Any

import pytest

from mapro.core.browser_testing import requires_browser, signed_in_context

from .test_rewind import at_parallel, open_items

pytestmark = [pytest.mark.django_db(transaction=True), requires_browser]


def test_opening_the_panel_fetches_the_targets_and_returns_the_task(
    browser: Any, live_server: Any, people: Any, t01: Any
) -> None:
    instance = at_parallel(people)
    branch_a = open_items(instance)[0]
    page = signed_in_context(browser, live_server.url, people.coord_inn).new_page()
    page.goto(f"{live_server.url}/tareas/{branch_a.pk}/")
    assert page.locator("#devolver-a").count() == 0  # folded: nothing read yet
    page.get_by_text("Devolver a una actividad anterior").click()
    select = page.locator("#devolver-a")
    select.wait_for()
    options = select.locator("option").all_inner_texts()
    assert options[0] == "1. Registrar solicitud"
    assert [o.split(".")[0] for o in options] == ["1", "2", "3"]
    select.select_option("1")
    page.locator("#devolver-motivo").fill("Detalle equivocado")
    page.get_by_role("button", name="Devolver la tarea").click()
    page.wait_for_url(f"**/procedimientos/instancias/{instance.pk}/")
    assert "devuelta a la actividad 1" in page.content()
