"""The key pages the keyboard and width browser tests walk, with the data that fills them.

The demo organization and users, S04.03.04.02 published and one support ticket from ``personal``
(its activity 2 waits in the desk's "Mis tareas"): the portal's request form, the console, the
inbox, a task page, a register list and the help-desk dashboard each show real rows.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from mapro.core.testing import seed_demo
from mapro.helpdesk.actions import do_create_ticket
from mapro.helpdesk.models import Category
from mapro.procedures.models import WorkItem, WorkItemState
from mapro.procedures.testing import publish_ficha


def key_pages() -> dict[str, list[str]]:
    """Seed the data; return the paths to visit, by the demo user who visits them."""
    seed_demo()
    publish_ficha("S04.03.04.02")
    users = get_user_model().objects.in_bulk(["personal", "operador-mesa"], field_name="username")
    ticket = do_create_ticket(
        actor=users["personal"],
        category=Category.objects.get(code="soporte-tecnico"),
        subject="La impresora del piso 3 no imprime",
        description="Muestra un error de papel atascado desde esta mañana.",
        data={"ubicacion": "Piso 3, oficina 305"},
    )
    task = WorkItem.objects.get(instance=ticket.instance, state=WorkItemState.OPEN)
    return {
        "personal": ["/mesa-de-ayuda/solicitudes/nueva/soporte-tecnico/"],
        "operador-mesa": [
            "/mesa-de-ayuda/consola/",
            "/tareas/",
            f"/tareas/{task.pk}/",
            "/cuentas-y-accesos/",
            "/mesa-de-ayuda/tablero/",
        ],
    }


def user(username: str) -> Any:
    return get_user_model().objects.get(username=username)
