"""One form to ask: the portal form of a category whose procedure starts with the request.

When a category names a procedure (``Category.procedure_code``) whose start's first activity
is the requester's request (``entries.is_request``: it registers the ticket, ``{ticket:
create}``, the manual's "Ingresar ticket de atención", e.g. S04.03.01.01 or S04.03.04.02
activity 1; or it is performed by the requester, ``personal``, e.g. the report of S04.04.00.02
"Reportar el correo electrónico recibido" or of S04.04.00.03 "Reportar el incidente de
seguridad informática"; and it decides nothing), the portal form of the
category *is* that activity's form: the same fields, names, formats, choices and validation
(the one-definition rule of ``procedures/ficha/fields.py``), read from the published version of
the ficha. Submitting it creates the ticket and completes that activity with the same data on
the requester's behalf (``procedure_effects.start_procedure_for_ticket``), so nothing is typed
twice. The activity's ``asunto`` and ``descripcion`` are the ticket's own subject and
description (asked once, by the portal's fixed fields).

The category's stored ``requirements`` are then not its form: they may only give initial
values for it (``requirements["defaults"]``: "Creación de cuenta de usuario" preselects
``tipo_solicitud: creacion``). A category without such a procedure (or whose procedure is not
published) keeps its own ``requirements`` schema.

``requirements_of`` is what every reader of a category's form calls (portal, console
registration, API, actions); the lookup is memoized on the category object.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mapro.procedures.actions import form_schema_for
from mapro.procedures.entries import REQUESTER_ROLE, request_start
from mapro.procedures.models import Procedure

#: The activity's fields that are the ticket's own subject and description.
SUBJECT_FIELD, DESCRIPTION_FIELD = "asunto", "descripcion"
TICKET_OWN_FIELDS = (SUBJECT_FIELD, DESCRIPTION_FIELD)
_MEMO = "_request_activity_memo"


@dataclass(frozen=True)
class RequestActivity:
    """The activity whose form a category's portal form is."""

    procedure_code: str
    start: str
    n: int
    name: str
    schema: dict[str, Any]


def request_activity(category: Any) -> RequestActivity | None:
    """The published request activity of the category's procedure, or None (memoized)."""
    if category is None:
        return None
    memo = category.__dict__.get(_MEMO, _MEMO)
    if memo is not _MEMO:
        return memo  # type: ignore[no-any-return]
    found: RequestActivity | None = None
    code = getattr(category, "procedure_code", "") or ""
    if code:
        procedure = Procedure.objects.select_related("current_version").filter(code=code).first()
        version = procedure.current_version if procedure is not None else None
        if version is not None:
            ficha = version.ficha
            pair = request_start(ficha)
            if pair is not None:
                start, act = pair
                found = RequestActivity(
                    procedure_code=code,
                    start=str(start["key"]),
                    n=int(act["n"]),
                    name=str(act.get("name") or ""),
                    schema=form_schema_for(ficha, int(act["n"])),
                )
    category.__dict__[_MEMO] = found
    return found


def forget(category: Any) -> None:
    """Drop the memo (a test that publishes a ficha after reading the category)."""
    category.__dict__.pop(_MEMO, None)


def requirements_of(category: Any) -> dict[str, Any]:
    """The schema of the category's portal form (see the module doc)."""
    stored = (getattr(category, "requirements", None) or {}) if category is not None else {}
    found = request_activity(category)
    if found is None:
        return stored or {"type": "object", "properties": {}, "required": []}
    given = stored.get("defaults")
    defaults: dict[str, Any] = given if isinstance(given, dict) else {}
    props: dict[str, Any] = {}
    for name, prop in (found.schema.get("properties") or {}).items():
        if name in TICKET_OWN_FIELDS:
            continue
        if name in defaults and isinstance(prop, dict):
            prop = {**prop, "default": defaults[name]}
        props[name] = prop
    required = [r for r in found.schema.get("required") or [] if r not in TICKET_OWN_FIELDS]
    return {"type": "object", "properties": props, "required": required}


__all__ = [
    "REQUESTER_ROLE",
    "RequestActivity",
    "forget",
    "request_activity",
    "request_start",
    "requirements_of",
]
