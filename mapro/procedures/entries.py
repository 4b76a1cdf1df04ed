"""One way to ask: a procedure that starts with a request is asked for where requests are made.

A start that begins with the requester's request (``starts_with_request``: the rule of the
portal forms, ``is_request``; the manual's "Ingresar ticket de atención", "Reportar el
incidente de seguridad informática") is not started from the procedure's page: its entry is
the help desk's request form for the procedure's category, which asks what the request needs
(the risk-acceptance acta of an account request…), creates the ticket and starts the procedure
linked to it (``helpdesk.procedure_effects.start_procedure_for_ticket``). The help desk
registers where that form is (``register_request_entry``); the engine does not import it.
API v1 still starts any procedure directly, for integrations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .actions import activity

#: ``entry(procedure_code) -> URL of its request form, or None``.
RequestEntry = Callable[[str], "str | None"]

_entries: list[RequestEntry] = []


def register_request_entry(entry: RequestEntry) -> None:
    """Say where the request form of a procedure is (the help desk does, at start-up)."""
    if entry not in _entries:
        _entries.append(entry)


def creates_ticket(act: dict[str, Any]) -> bool:
    """True when the activity registers the request as a ticket (``{ticket: create}``)."""
    return any(
        isinstance(e, dict) and e.get("ticket") == "create" for e in act.get("effects") or []
    )


#: Role of the person asking: a request activity is theirs.
REQUESTER_ROLE = "personal"


def is_request(act: dict[str, Any]) -> bool:
    """True when the activity is the requester's request: it registers the ticket
    (``{ticket: create}``, the manual's "Ingresar ticket de atención") or it is performed by
    the requester (``personal``: "Reportar el correo electrónico recibido", "Reportar el
    incidente de seguridad informática"), and it decides nothing. The help desk's request for
    the procedure's category *is* that activity (docs/decisions/tickets-and-procedures.md §3)."""
    if act.get("decision"):
        return False
    return creates_ticket(act) or REQUESTER_ROLE in (act.get("roles") or [])


def request_start(ficha: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The start the help desk's request form takes: the first start (ficha order) whose first
    activity is the requester's request (``is_request`` and the requester's role), with that
    activity; else None. The portal form of the procedure's category *is* that activity's form
    (``helpdesk.request_forms``)."""
    for start in ficha.get("starts") or []:
        act = activity(ficha, int(start["activity"]))
        if is_request(act) and REQUESTER_ROLE in (act.get("roles") or []):
            return dict(start), act
    return None


def starts_with_request(ficha: dict[str, Any], start: dict[str, Any]) -> bool:
    """True when ``start`` begins with a request made where requests are made: it is the
    ficha's request start (``request_start``: the requester's request, S04.03.01.01 activity 1
    "Ingresar ticket de atención", S04.04.00.02 activity 1 "Reportar el correo electrónico
    recibido", S04.04.00.03's start ``uo``), or its first activity registers the request as a
    ticket (``{ticket: create}``: the desk's S04.03.01.02 activity 5). Another start whose
    first activity is the requester's act but not the request (S04.03.04.01 ``devolucion``,
    "Entregar dispositivos asignados") is started on the procedure's page."""
    if creates_ticket(activity(ficha, int(start.get("activity", 0)))):
        return True
    found = request_start(ficha)
    return found is not None and found[0].get("key") == start.get("key")


def request_url(code: str) -> str | None:
    """The URL of the procedure's request form, if an entry knows one."""
    for entry in _entries:
        url = entry(code)
        if url:
            return url
    return None
