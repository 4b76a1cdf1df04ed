"""Procedures and tickets, both ways (decision record: docs/decisions/tickets-and-procedures.md).

**Procedure → ticket.** ``handle_ticket_effect`` is the handler of ``{ticket: …}`` effects
(registered in ``HelpdeskConfig.ready``; called by ``mapro.procedures.effects`` inside the
transaction that completes the activity). It acts on the ticket linked to the instance
(``Ticket.instance``) only through the help-desk actions, as the system (``actor=None``): the
engine has already checked that the user holds the activity's role, and the help desk's team
scoping must not veto a step of the manual. Each log line names the activity, the instance and
the person who completed it.

- ``create``: the instance's ticket if it has one (the ticket that started it: no duplicate);
  otherwise a new ticket, channel "sistema", category ``category_for_procedure``, requester the
  person who started the instance, subject/description from ``asunto``/``descripcion``.
- ``assign``: team and person from ``asignado_a`` when it names a user with an OGTIE role (their
  team is their unit), or the team when it names a unit by its code (the console assigns a team
  without a person); else the completing user, unless that user is the desk (who assigns to
  someone else, named only in text); team otherwise unchanged (the category's).
- ``annotate``: an internal note with the activity's name and its data, by their form titles.
- ``close``: resolved with ``solucion`` (else the step's data) and closed; a ticket never
  assigned (the "¿Cumple con los requisitos? No" path) is returned with ``observaciones`` and
  closed. A ticket already closed is left alone. The requester gets one mail, "cerrado", with
  the solution and the survey and reopening offer — never "resuelto: confirme la solución"
  for a ticket closed in the same second.

**Ticket → procedure.** ``start_procedure_for_ticket`` is called by ``do_create_ticket`` (same
transaction) for a category with ``procedure_code``: see its docstring. Afterwards, the ticket
actions that move the ticket (assign, return, resolve, close…) complete the open activity
instead of moving the ticket themselves (``procedure_steps``), so the two never disagree.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model

from mapro.audit.actions import actor_name
from mapro.core.exceptions import InvalidInput
from mapro.organization.models import Person, Unit
from mapro.organization.permissions import has_role
from mapro.procedures.actions import activity, do_complete_task, do_start_instance, form_schema_for
from mapro.procedures.effects import EffectCall, Outcome
from mapro.procedures.entries import creates_ticket, is_request
from mapro.procedures.exceptions import EngineError
from mapro.procedures.forms import form_errors
from mapro.procedures.html_forms import describe_data
from mapro.procedures.models import Procedure, WorkItemState

from . import access
from .choices import Channel, Status
from .models import Ticket
from .procedure_steps import applying_effect
from .request_forms import request_activity, requirements_of
from .selectors import category_for_procedure

logger = logging.getLogger(__name__)

#: Form fields an activity uses for the ticket's subject, description, assignee and solution.
SUBJECT_FIELD, DESCRIPTION_FIELD = "asunto", "descripcion"
ASSIGNEE_FIELD, SOLUTION_FIELD, OBSERVATIONS_FIELD = "asignado_a", "solucion", "observaciones"
SUBJECT_MAX = Ticket._meta.get_field("subject").max_length or 200
#: Where a ticket's file, given as an activity's answer, is said to be (shown as its name).
TICKET_FILES = "mesa-de-ayuda"


# --- lookups ---------------------------------------------------------------------------------


def linked_ticket(instance: Any) -> Ticket | None:
    """The ticket of the instance (the first one linked, if several)."""
    return Ticket.objects.filter(instance=instance).order_by("id").first()


def _person_of_user(user: Any) -> Person | None:
    if user is None:
        return None
    return Person.objects.select_related("unit").filter(user=user).first()


def _named_staff_user(value: Any) -> Any:
    """The active user whose username is ``value`` and who holds an OGTIE role, else None."""
    if not isinstance(value, str) or not value.strip():
        return None
    user = get_user_model().objects.filter(username=value.strip(), is_active=True).first()
    if user is None or not has_role(user, access.STAFF_ROLES):
        return None
    return user


def _named_team(value: str) -> Unit | None:
    """The active unit whose code is ``value`` (the console assigns a team without a person)."""
    if not value:
        return None
    return Unit.objects.filter(code__iexact=value, is_active=True).first()


def _summary(call: EffectCall) -> str:
    """The step's data as "Título: valor" lines (files and lists shown briefly)."""
    ficha = call.instance.procedure_version.ficha
    try:
        schema = form_schema_for(ficha, call.record.n)
    except Exception:  # a ficha without that activity cannot happen for a stored record
        schema = {}
    lines = []
    for item in describe_data(schema, call.data):
        if item.rows:
            text = f"{len(item.rows)} registro(s)"
        elif item.is_file:
            text = f"{item.text} (archivo)"
        else:
            text = str(item.text)
        lines.append(f"{item.label}: {text}")
    return "\n".join(lines)


def _heading(call: EffectCall) -> str:
    name = call.activity.get("name") or call.record.name
    return (
        f"Actividad {call.record.n}. {name} — expediente N° {call.instance.pk} "
        f"({call.instance.procedure_code}), por {actor_name(call.actor)}."
    )


def _text(call: EffectCall, field: str) -> str:
    value = call.data.get(field)
    return value.strip() if isinstance(value, str) else ""


# --- the handler -----------------------------------------------------------------------------


def handle_ticket_effect(call: EffectCall) -> Outcome:
    """Apply ``{ticket: create|assign|annotate|close}`` to the instance's ticket (module doc)."""
    # The help-desk actions below are this step's own effect: they must not be routed to the
    # procedure again (procedure_steps).
    with applying_effect():
        return _handle(call)


def _handle(call: EffectCall) -> Outcome:
    value = str(call.value)
    if value == "create":
        return _create(call)
    ticket = call.ticket
    if ticket is None:
        return Outcome.skipped("El expediente no tiene un ticket de la mesa de ayuda.")
    if ticket.status == Status.CERRADO:
        return Outcome.skipped("El ticket ya estaba cerrado.", ticket=ticket.number)
    if value == "assign":
        ticket = _assign(call, ticket)
    elif value == "annotate":
        _annotate(call, ticket)
    elif value == "close":
        ticket = _close(call, ticket)
    else:
        return Outcome.skipped(f"Efecto de ticket desconocido: {value}.")
    return Outcome.applied(ticket=ticket.number, status=ticket.status)


def _create(call: EffectCall) -> Outcome:
    from .actions import do_create_ticket

    existing = call.ticket
    if existing is not None:
        # The ticket that started the instance (or one created by an earlier step): reuse it.
        return Outcome.applied(ticket=existing.number, status=existing.status, existing=True)
    code = call.instance.procedure_code
    category = category_for_procedure(code)
    if category is None:
        return Outcome.skipped(f"Ninguna categoría de la mesa de ayuda corresponde a {code}.")
    requester = _person_of_user(call.instance.started_by)
    if requester is None:
        return Outcome.skipped("Quien inició el expediente no tiene una persona registrada.")
    ficha = call.instance.procedure_version.ficha
    subject = (
        _text(call, SUBJECT_FIELD)
        or f"{ficha.get('name', code)} — expediente N° {call.instance.pk}"
    )
    description = _text(call, DESCRIPTION_FIELD) or "\n".join(
        part for part in (_heading(call), _summary(call)) if part
    )
    wanted = requirements_of(category).get("properties", {})
    data = {
        k: v
        for k, v in call.data.items()
        if k in wanted and isinstance(wanted[k], dict) and wanted[k].get("format") != "file"
    }
    try:
        ticket = do_create_ticket(
            actor=None,
            category=category,
            subject=subject[:SUBJECT_MAX],
            description=description,
            data=data,
            requester=requester,
            channel=Channel.SISTEMA,
            instance=call.instance,
        )
    except InvalidInput as exc:
        # The category asks for data the step does not carry (its form is the manual's, the
        # category's is the portal's): the procedure goes on without a ticket, and says why.
        return Outcome.skipped(
            "La categoría exige datos que el paso no registra.",
            category=category.code,
            errors=exc.errors,
        )
    return Outcome.applied(ticket=ticket.number, status=ticket.status, created=True)


def _assign(call: EffectCall, ticket: Ticket) -> Ticket:
    from .actions import do_assign_ticket

    named = _text(call, ASSIGNEE_FIELD)
    assignee = _named_staff_user(named)
    taker = call.actor is not None and not access.is_desk(call.actor)
    if assignee is None and taker and has_role(call.actor, access.STAFF_ROLES):
        assignee = call.actor
    person = _person_of_user(assignee)
    named_team = None if person is not None else _named_team(named)
    team = person.unit if person is not None else (named_team or ticket.team)
    note = _heading(call)
    if named and assignee is None and named_team is None:
        note += f"\nEncargado: {named}."
    return do_assign_ticket(ticket, actor=None, team=team, assignee=assignee, note=note)


def _annotate(call: EffectCall, ticket: Ticket) -> None:
    from .actions import do_comment_ticket

    body = "\n".join(part for part in (_heading(call), _summary(call)) if part)
    do_comment_ticket(ticket, actor=None, body=body, internal=True)


def _close(call: EffectCall, ticket: Ticket) -> Ticket:
    from .actions import (
        do_assign_ticket,
        do_close_ticket,
        do_resolve_ticket,
        do_return_ticket,
        do_start_ticket,
    )

    heading = _heading(call)
    solution = _text(call, SOLUTION_FIELD)
    if ticket.status == Status.REGISTRADO and not solution:
        # Never taken up: the request is returned ("devolver la solicitud y cerrar ticket").
        observations = _text(call, OBSERVATIONS_FIELD) or _summary(call) or heading
        ticket = do_return_ticket(ticket, actor=None, observations=observations)
    elif ticket.status == Status.REGISTRADO:
        ticket = do_assign_ticket(ticket, actor=None, team=ticket.team, note=heading)
    if ticket.status == Status.EN_ESPERA:
        ticket = do_start_ticket(ticket, actor=None)
    if ticket.status in (Status.ASIGNADO, Status.EN_ATENCION):
        text = solution or "\n".join(part for part in (heading, _summary(call)) if part)
        # Closed in the same step: the closing mail carries the solution, no "confirme".
        ticket = do_resolve_ticket(ticket, actor=None, solution=text, ask_confirmation=False)
    return do_close_ticket(ticket, actor=None, comment=heading)


# --- ticket → procedure ----------------------------------------------------------------------


def start_for_ticket(ficha: dict[str, Any]) -> dict[str, Any] | None:
    """The way to start a procedure from a ticket: the first start (ficha order) whose first
    activity creates the ticket (``{ticket: create}``), else the first start whose first
    activity is the requester's (``personal``), else None."""
    starts = list(ficha.get("starts") or [])
    for test in (creates_ticket, lambda act: "personal" in (act.get("roles") or [])):
        for start in starts:
            if test(activity(ficha, int(start["activity"]))):
                return dict(start)
    return None


def _engine_actor(ticket: Ticket, actor: Any, first: dict[str, Any]) -> Any:
    """Who starts the instance: the requester's user when they hold a role of the first
    activity in their unit (the normal case: the ticket is their act), else the user who
    registered the ticket if they hold one; None when nobody may."""
    roles = list(first.get("roles") or [])
    requester_user = ticket.requester.user if ticket.requester.user_id else None
    if actor is not None and requester_user is not None and actor.pk == requester_user.pk:
        requester_user = actor  # the same user: keep the object (and its cached grants)
    for candidate in (requester_user, actor):
        if (
            candidate is not None
            and candidate.is_active
            and has_role(candidate, roles, ticket.requester_unit)
        ):
            return candidate
    return None


def _requester_user(ticket: Ticket, actor: Any) -> Any:
    """The requester's active user (the acting user's object when it is the same), or None."""
    if not ticket.requester.user_id:
        return None
    user = actor if actor is not None and actor.pk == ticket.requester.user_id else None
    user = user or ticket.requester.user
    return user if user is not None and user.is_active else None


def _ticket_answers(ticket: Ticket, schema: dict[str, Any]) -> dict[str, Any]:
    """The ticket's data as answers to the first activity's form (its own fields only)."""
    props = schema.get("properties") or {}
    data = ticket.data or {}
    answers: dict[str, Any] = {
        k: v
        for k, v in data.items()
        if k in props and isinstance(props[k], dict) and props[k].get("format") != "file"
    }
    # A file field of the ticket holds its attachment's id; the activity's answer names that
    # file where it is (the ticket), so the steps that check documents see it attached.
    wanted = {
        k: v
        for k, v in data.items()
        if isinstance(v, int)
        and isinstance(props.get(k), dict)
        and props[k].get("format") == "file"
    }
    if wanted:
        names = dict(
            ticket.attachments.filter(pk__in=wanted.values()).values_list("pk", "original_name")
        )
        for k, pk in wanted.items():
            if pk in names:
                answers[k] = f"{TICKET_FILES}/{ticket.number}/{names[pk]}"
    if SUBJECT_FIELD in props:
        answers[SUBJECT_FIELD] = ticket.subject
    if DESCRIPTION_FIELD in props:
        answers[DESCRIPTION_FIELD] = ticket.description
    return answers


def _note(ticket: Ticket, body: str) -> None:
    from .actions import do_comment_ticket

    do_comment_ticket(ticket, actor=None, body=body, internal=True)


def start_procedure_for_ticket(ticket: Ticket, *, actor: Any) -> Any:
    """Start the procedure of the ticket's category with the ticket linked; return the instance.

    Runs inside ``do_create_ticket``'s transaction, so the ticket and its instance exist
    together or not at all. Nothing happens when the category maps to no procedure, the ticket
    already belongs to an instance (it was created by one), or the procedure is not published.

    The instance concerns the requester's unit and is started by ``_engine_actor`` through
    ``do_start_instance`` (the engine's own role check applies). When the start's first activity
    is the requester's request (``entries.is_request``: it creates the ticket, S04.03.04.02
    activity 1 "Ingresar ticket de atención", or it is the requester's report, S04.04.00.02
    activity 1 "Reportar el correo electrónico recibido"), registering this ticket *is* that
    activity: it is completed at once, by the
    requester, with the ticket's subject, description and data, so the flow waits at the next
    activity (S04.03.04.02: 2, for ``operador-mesa``). Its ``{ticket: create}`` effect finds
    this ticket linked and creates no other. If the ticket's data does not fill that form, the
    activity stays open in the requester's inbox. A requester without the first activity's role
    (a director, a jefe asking for support) is still the one asking: the system starts the
    instance and the ticket completes that activity on the requester's behalf
    (``do_complete_task(on_behalf=True)``), so every requester's ticket of a procedure's type
    starts it. When the procedure cannot start (no suitable start, an engine error) the ticket
    stays, with an internal note saying why.
    """

    from .actions import do_link_ticket_instance

    code = ticket.category.procedure_code
    if not code or ticket.instance_id is not None:
        return None
    procedure = Procedure.objects.select_related("current_version").filter(code=code).first()
    if procedure is None or procedure.current_version is None:
        logger.info("Ticket %s: procedure %s is not published; not started", ticket.number, code)
        return None
    ficha = procedure.current_version.ficha
    start = start_for_ticket(ficha)
    if start is None:
        _note(ticket, f"El procedimiento {code} no tiene un inicio desde un ticket; no se inició.")
        return None
    first = activity(ficha, int(start["activity"]))
    # The portal form was this activity's form (request_forms): the ticket and the completed
    # activity are one record, so a failure to take it leaves neither (no ticket without its case).
    form_of = request_activity(ticket.category)
    is_form = form_of is not None and form_of.n == int(first["n"])
    engine_actor = _engine_actor(ticket, actor, first)
    # A requester who holds none of the first activity's roles (a director asking for support)
    # still starts the procedure: the ticket is their request, so the system starts it and the
    # ticket completes the request activity on their behalf — recorded as theirs, or as the
    # desk's who registered it for a person without a user.
    requester = _requester_user(ticket, actor) or actor
    on_behalf = engine_actor is None and requester is not None and is_request(first)
    if engine_actor is None and not on_behalf:
        _note(
            ticket,
            f"No se inició el procedimiento {code}: ni el solicitante ni quien registró el "
            f"ticket tienen el rol de su primera actividad ({', '.join(first.get('roles', []))}).",
        )
        return None
    try:
        instance = do_start_instance(
            code,
            start=start["key"],
            data={"ticket": ticket.number},
            unit=ticket.requester_unit,
            actor=None if on_behalf else engine_actor,
            system=on_behalf,
        )
    except EngineError as exc:  # StartRefused: nothing of the instance was stored
        why = getattr(exc, "cause", "") or exc.message
        if is_form:
            raise _not_started(code, why) from exc
        _note(ticket, f"No se pudo iniciar el procedimiento {code}: {why}")
        return None
    linked = do_link_ticket_instance(ticket, instance, actor=None)
    ticket.instance = linked.instance
    completer = requester if on_behalf else engine_actor
    is_requester = ticket.requester.user_id == completer.pk
    if (is_requester or on_behalf) and is_request(first):
        schema = form_schema_for(ficha, int(first["n"]))
        answers = _ticket_answers(ticket, schema)
        item = instance.work_items.filter(state=WorkItemState.OPEN, n=first["n"]).first()
        problems = form_errors(schema, answers)
        if is_form and problems:
            raise InvalidInput(errors=problems)  # cannot happen: the same schema checked it
        if item is not None and not problems:
            try:
                do_complete_task(item.pk, answers, actor=completer, on_behalf=on_behalf)
            except EngineError as exc:  # the engine stored the instance as failed
                if is_form:
                    raise _not_started(code, exc.message) from exc
                _note(ticket, f"El procedimiento {code} falló: {exc.message}")
    return instance


def _not_started(code: str, why: str) -> InvalidInput:
    """The request cannot be registered: its procedure could not take it (nothing is saved)."""
    return InvalidInput(
        f"No se pudo registrar la solicitud: el procedimiento {code} no pudo iniciarse ({why}). "
        "Intente nuevamente; si el problema continúa, comuníquese con la mesa de ayuda."
    )


__all__ = [
    "category_for_procedure",
    "handle_ticket_effect",
    "linked_ticket",
    "start_for_ticket",
    "start_procedure_for_ticket",
]
