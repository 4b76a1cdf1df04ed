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

Cost (issue #15): which version is published is one short read (the procedure's current
version's ``content_hash``), or none when the ticket query brought it along
(``with_request_form_version``: a scalar subquery of the ticket page's own query, so the
console's ticket page no longer spends a statement on it). What the version's request form is
never changes once published (versions are immutable, a changed ficha is a new version with a
new hash), so it is computed once per process per hash (``_request_activity_of``) and not
read again: no ficha is loaded per request.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from mapro.procedures.actions import form_schema_for
from mapro.procedures.entries import REQUESTER_ROLE, request_start
from mapro.procedures.models import Procedure, ProcedureVersion

#: The activity's fields that are the ticket's own subject and description.
SUBJECT_FIELD, DESCRIPTION_FIELD = "asunto", "descripcion"
TICKET_OWN_FIELDS = (SUBJECT_FIELD, DESCRIPTION_FIELD)
_MEMO = "_request_activity_memo"
#: The attribute of a category holding its procedure's published version hash, when the query
#: that read the category brought it along ("" / None: nothing published).
_VERSION = "_request_form_version"
#: The annotation ``with_request_form_version`` adds to a ticket query.
TICKET_ANNOTATION = "request_form_version"


@dataclass(frozen=True)
class RequestActivity:
    """The activity whose form a category's portal form is."""

    procedure_code: str
    start: str
    n: int
    name: str
    schema: dict[str, Any]


def published_hash(code_ref: Any) -> Subquery:
    """A scalar subquery: the ``content_hash`` of the published version of the procedure whose
    code is ``code_ref`` (an ``OuterRef``), NULL when none is published."""
    return Subquery(
        Procedure.objects.filter(code=code_ref).values("current_version__content_hash")[:1]
    )


def with_request_form_version(tickets: QuerySet[Any]) -> QuerySet[Any]:
    """``tickets`` (with their category) also reading the published version of the category's
    procedure in the same statement; ``attach_version`` then hands it to the category."""
    return tickets.annotate(
        **{TICKET_ANNOTATION: published_hash(OuterRef("category__procedure_code"))}
    )


def attach_version(ticket: Any) -> None:
    """Give ``ticket.category`` the version hash its query read (``with_request_form_version``),
    so that ``request_activity`` does not look it up again."""
    category = getattr(ticket, "category", None)
    if category is not None and hasattr(ticket, TICKET_ANNOTATION):
        category.__dict__[_VERSION] = getattr(ticket, TICKET_ANNOTATION) or ""


@lru_cache(maxsize=128)
def _request_activity_of(code: str, content_hash: str) -> RequestActivity | None:
    """The request activity of the published version ``content_hash`` of ``code`` (one read
    of its ficha per process: a version never changes). The schema is shared between callers:
    ``requirements_of`` hands out copies."""
    ficha = (
        ProcedureVersion.objects.filter(content_hash=content_hash)
        .values_list("ficha", flat=True)
        .first()
    )
    pair = request_start(ficha) if ficha is not None else None
    if ficha is None or pair is None:
        return None
    start, act = pair
    return RequestActivity(
        procedure_code=code,
        start=str(start["key"]),
        n=int(act["n"]),
        name=str(act.get("name") or ""),
        schema=form_schema_for(ficha, int(act["n"])),
    )


def request_activity(category: Any) -> RequestActivity | None:
    """The published request activity of the category's procedure, or None (memoized).

    Its ``schema`` is shared (cached per version): read it, never change it."""
    if category is None:
        return None
    memo = category.__dict__.get(_MEMO, _MEMO)
    if memo is not _MEMO:
        return memo  # type: ignore[no-any-return]
    found: RequestActivity | None = None
    code = getattr(category, "procedure_code", "") or ""
    if code:
        digest = category.__dict__.get(_VERSION)
        if digest is None:
            digest = (
                Procedure.objects.filter(code=code)
                .values_list("current_version__content_hash", flat=True)
                .first()
            )
        if digest:
            found = _request_activity_of(code, digest)
    category.__dict__[_MEMO] = found
    return found


def forget(category: Any) -> None:
    """Drop the memo (a test that publishes a ficha after reading the category)."""
    category.__dict__.pop(_MEMO, None)
    category.__dict__.pop(_VERSION, None)


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
        # A copy: the activity's schema is shared by every request of this process.
        prop = copy.deepcopy(prop)
        if name in defaults and isinstance(prop, dict):
            prop["default"] = defaults[name]
        props[name] = prop
    required = [r for r in found.schema.get("required") or [] if r not in TICKET_OWN_FIELDS]
    return {"type": "object", "properties": props, "required": required}


__all__ = [
    "REQUESTER_ROLE",
    "TICKET_ANNOTATION",
    "RequestActivity",
    "attach_version",
    "forget",
    "published_hash",
    "request_activity",
    "request_start",
    "requirements_of",
    "with_request_form_version",
]
