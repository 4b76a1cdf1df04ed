"""Helpers for other apps' tests (and the URL permission matrix): tickets in a given status,
made through the real actions by the system (``actor=None``).

    from mapro.helpdesk.testing import ticket_in_status
    ticket = ticket_in_status(person, "en_espera")
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from mapro.core.testing import ensure_unit, make_user

from . import actions
from .models import Category, Ticket

# How to reach each status from registrado, as the system.
_PATHS: dict[str, list[tuple[Callable[..., Any], dict[str, Any]]]] = {
    "registrado": [],
    "asignado": [(actions.do_assign_ticket, {"team": None})],
    "en_atencion": [(actions.do_assign_ticket, {"team": None}), (actions.do_start_ticket, {})],
    "en_espera": [
        (actions.do_assign_ticket, {"team": None}),
        (actions.do_start_ticket, {}),
        (actions.do_put_ticket_on_hold, {"reason": "Falta el código patrimonial."}),
    ],
    "resuelto": [
        (actions.do_assign_ticket, {"team": None}),
        (actions.do_resolve_ticket, {"solution": "Se reinició el servicio."}),
    ],
    "cerrado": [
        (actions.do_assign_ticket, {"team": None}),
        (actions.do_resolve_ticket, {"solution": "Se reinició el servicio."}),
        (actions.do_close_ticket, {}),
    ],
    "devuelto": [(actions.do_return_ticket, {"observations": "Adjunte el acta firmada."})],
}


def simple_category() -> Category:
    """A category without requirements, attended by OGTIE (created if missing)."""
    category, _ = Category.objects.get_or_create(
        code="prueba-soporte",
        defaults={"name": "Soporte (prueba)", "team": ensure_unit("OGTIE")},
    )
    return category


def ticket_in_status(person: Any, status: str = "registrado", **kwargs: Any) -> Ticket:
    """A ticket requested by ``person``, driven by the system to ``status``."""
    values: dict[str, Any] = {
        "category": simple_category(),
        "subject": "No funciona el correo",
        "description": "El cliente de correo no sincroniza desde ayer.",
        "requester": person,
    }
    values.update(kwargs)
    ticket = actions.do_create_ticket(actor=None, **values)
    for step, args in _PATHS[status]:
        if args.get("team", 0) is None:
            args = {**args, "team": ticket.team}
        ticket = step(ticket, actor=None, **args)
    return ticket


def _person(user: Any) -> Any:
    return (user or make_user("personal")).person


def own_ticket_kwargs(status: str = "registrado") -> Callable[[Any], dict[str, Any]]:
    """URL kwargs of a ticket the acting user requested (a fresh requester for anonymous)."""

    def factory(user: Any) -> dict[str, Any]:
        return {"number": ticket_in_status(_person(user), status).number}

    return factory


def other_ticket_kwargs(status: str = "registrado") -> Callable[[Any], dict[str, Any]]:
    """URL kwargs of a ticket someone else requested (out of scope for requesters)."""

    def factory(user: Any) -> dict[str, Any]:
        return {"number": ticket_in_status(make_user("personal").person, status).number}

    return factory


def own_attachment_kwargs(user: Any) -> dict[str, Any]:
    """URL kwargs of a text attachment on a ticket the acting user requested."""
    ticket = ticket_in_status(_person(user))
    upload = SimpleUploadedFile("nota.txt", b"Detalle del problema.\n", "text/plain")
    (attachment,) = actions.do_attach_file(ticket, actor=None, files=[upload])
    return {"number": ticket.number, "pk": attachment.pk}


def other_attachment_kwargs(user: Any) -> dict[str, Any]:
    return own_attachment_kwargs(make_user("personal"))


#: Activity 5 of S04.03.04.02 answered "solved" (the console's "Registrar solución").
SOLVED_AT_5 = {
    "modalidad": "remota",
    "diagnostico": "Controlador de impresión dañado.",
    "acciones_realizadas": "Se reinstaló el controlador.",
    "se_dio_solucion": "si",
}


def support_case_at_5(technician: Any = None) -> tuple[Ticket, Any]:
    """A support ticket whose S04.03.04.02 case waits at activity 5, assigned to
    ``technician`` (a new ``resp-soporte`` if None or without that role); returns the ticket
    and the open task. Publishes the ficha the first time."""
    from mapro.organization.permissions import has_role
    from mapro.procedures.models import Procedure
    from mapro.procedures.testing import publish_ficha

    code = "S04.03.04.02"
    if not Procedure.objects.filter(code=code, current_version__isnull=False).exists():
        publish_ficha(code)
    category, _ = Category.objects.get_or_create(
        code="prueba-soporte-procedimiento",
        defaults={
            "name": "Soporte técnico (prueba)",
            "team": ensure_unit("OGTIE"),
            "procedure_code": code,
        },
    )
    requester = make_user("personal")
    ticket = actions.do_create_ticket(
        actor=requester,
        category=category,
        subject="La impresora no imprime",
        description="Muestra un error de fusor.",
    )
    if technician is None or not has_role(technician, ("resp-soporte",)):
        technician = make_user("resp-soporte")
    ticket = actions.do_assign_ticket(ticket, actor=make_user("operador-mesa"), assignee=technician)
    assert ticket.instance is not None
    item = ticket.instance.work_items.get(state="open")
    assert item.n == 5, item.n
    return ticket, item


def procedure_step_kwargs(user: Any) -> dict[str, Any]:
    """URL kwargs of the console's form of activity 5 for the acting user."""
    ticket, item = support_case_at_5(user)
    return {"number": ticket.number, "pk": item.pk}
