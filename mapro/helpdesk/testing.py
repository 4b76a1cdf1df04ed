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
