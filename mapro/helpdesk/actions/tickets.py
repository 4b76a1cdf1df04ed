"""Registering tickets and moving them through the desk: create, assign, start, hold, return,
add information, comment, link to a procedure instance.

Each ``do_*`` runs in one transaction (``atomic_action``), re-reads the ticket with a row lock,
checks permission (403) and the transition table (409), validates (400), writes a log line, an
audit event and its mails (``_notify``, through the outbox).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import F
from django.utils import timezone

from mapro.audit.actions import record_event
from mapro.core.demo import DEMO_LABEL, is_demo_data
from mapro.core.exceptions import Forbidden, InvalidInput, MaproError
from mapro.organization.models import Person, Unit
from mapro.organization.permissions import has_role

from .. import access, counters, procedure_steps, sla
from ..choices import ActionKind, Channel, Impact, Status, Urgency, priority_for
from ..models import Category, Ticket, TicketSequence
from ..selectors import get_ticket_for_user
from ..transitions import check_transition
from ._common import (
    _notify,
    atomic_action,
    changed,
    check_extra_uploads,
    check_requirements,
    file_fields,
    lock,
    log,
    log_status,
    requester_email,
    required_text,
    responded,
    save_ticket,
    snapshot,
    store_files,
    user_email,
)

SUBJECT_MAX = Ticket._meta.get_field("subject").max_length or 200


def next_ticket_number(year: int) -> str:
    """Take the next number of ``year`` (``MA-2026-000123``) inside the caller's transaction.

    The sequence row is created if missing (``INSERT … ON CONFLICT DO NOTHING``) and bumped with
    ``UPDATE … SET last = last + 1``: the update locks the row until the transaction ends, so
    concurrent creators queue on it and each reads its own value; a rollback gives the number
    back. Correlative, without gaps or duplicates.
    """
    TicketSequence.objects.bulk_create([TicketSequence(year=year, last=0)], ignore_conflicts=True)
    TicketSequence.objects.filter(year=year).update(last=F("last") + 1)
    last = TicketSequence.objects.filter(year=year).values_list("last", flat=True).get()
    return f"MA-{year}-{last:06d}"


def _choice(value: Any, choices: Any, field: str, label: str) -> str:
    if value not in choices.values:
        options = ", ".join(str(v) for v in choices.values)
        raise InvalidInput(errors={field: [f"Elija {label} válido(a): {options}."]})
    return str(value)


def _requester_for(actor: Any, requester: Person | None, channel: str | None) -> tuple[Person, str]:
    """Who the ticket is for and by which channel; only the desk registers for someone else."""
    own = access.person_of(actor) if actor is not None else None
    if requester is None:
        if own is None:
            if actor is None:
                raise InvalidInput(errors={"requester": ["Indique el solicitante."]})
            raise Forbidden("Su usuario no tiene una persona registrada; no puede abrir tickets.")
        requester = own
    if requester != own and not access.is_desk(actor):
        raise Forbidden("Solo la mesa de ayuda registra tickets a nombre de otra persona.")
    if channel is None:
        channel = Channel.SISTEMA if actor is None else Channel.PORTAL
    channel = _choice(channel, Channel, "channel", "un canal")
    # The system (actor None) registers by other channels too: mail read from the help-desk
    # mailbox (helpdesk.mailin) is a ticket of channel "correo".
    if channel != Channel.PORTAL and actor is not None and not access.is_desk(actor):
        raise Forbidden("Solo la mesa de ayuda registra tickets recibidos por otros canales.")
    return requester, channel


@atomic_action
def do_create_ticket(
    *,
    actor: Any,
    category: Category,
    subject: str,
    description: str,
    impact: str = Impact.MEDIO,
    urgency: str = Urgency.MEDIA,
    data: dict[str, Any] | None = None,
    files: dict[str, Any] | None = None,
    extra_files: Iterable[Any] = (),
    requester: Person | None = None,
    channel: str | None = None,
    instance: Any = None,
) -> Ticket:
    """Register a ticket (status registrado) with its number, priority and due times.

    The requester is the actor's own person (portal); the desk (operador-mesa, jefe-ogtie) may
    register for ``requester`` with another ``channel``; the system (``actor=None``) needs a
    requester. ``data`` answers the category's requirements and ``files`` maps its file fields
    to uploads; anything missing is named in the error and nothing is saved. ``extra_files``
    are further attachments. When the category names a procedure (``procedure_code``) and the
    ticket was not created by an instance, that procedure starts with the ticket linked
    (``procedure_effects.start_procedure_for_ticket``).

    A ticket created by a procedure's step (``instance`` given, no actor) carries what the
    manual's form for that step asked (already validated by the engine): the category's portal
    requirements are checked for what the step gives, but none is demanded as missing.
    """
    requester, channel = _requester_for(actor, requester, channel)
    errors: dict[str, list[str]] = {}
    if category is None or not category.is_active:
        errors["category"] = ["Elija una categoría activa."]
    subject = (subject or "").strip()
    if subject and is_demo_data() and not subject.startswith(DEMO_LABEL):
        subject = f"{DEMO_LABEL}: {subject}"  # ``mapro seed --demo``: seen in every list
    if not subject:
        errors["subject"] = ["Indique el asunto."]
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = [f"Escriba como máximo {SUBJECT_MAX} caracteres."]
    description = (description or "").strip()
    if not description:
        errors["description"] = ["Describa la solicitud."]
    if impact not in Impact.values:
        errors["impact"] = ["Elija un impacto válido: alto, medio o bajo."]
    if urgency not in Urgency.values:
        errors["urgency"] = ["Elija una urgencia válida: alta, media o baja."]
    # Every problem at once, as the manual's checklist would: the ticket's own fields, the
    # category's requirements and the free attachments (a form shows them all together).
    message = None
    by_step = actor is None and instance is not None
    checked: dict[str, Any] = {}
    extra: list[Any] = []
    if category is not None:
        try:
            checked = check_requirements(
                category, data or {}, files or {}, demand_required=not by_step
            )
        except InvalidInput as exc:
            message = exc.message
            for field, msgs in exc.errors.items():
                errors.setdefault(field, []).extend(msgs)
    try:
        extra = check_extra_uploads(extra_files)
    except InvalidInput as exc:
        for field, msgs in exc.errors.items():
            errors.setdefault(field, []).extend(msgs)
    if errors:
        raise InvalidInput(message, errors=errors)

    now = timezone.now()
    priority = priority_for(impact, urgency)
    response_due, resolution_due = sla.due_times(category, priority, now)
    ticket = Ticket.objects.create(
        number=next_ticket_number(timezone.localtime(now).year),
        requester=requester,
        requester_unit=requester.unit,
        channel=channel,
        category=category,
        impact=impact,
        urgency=urgency,
        priority=priority,
        status=Status.REGISTRADO,
        team=category.team,
        subject=subject,
        description=description,
        data={k: v for k, v in (data or {}).items() if k not in file_fields(category)},
        response_due_at=response_due,
        resolution_due_at=resolution_due,
        instance=instance,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    counters.ticket_created(ticket)
    entry = log(ticket, ActionKind.CREATED, actor=actor, body=description, to_status=ticket.status)
    stored = store_files(
        ticket,
        [*checked.items(), *(("", f) for f in extra)],
        actor=actor,
        action=entry,
    )
    for attachment in stored:
        if attachment.field:
            ticket.data[attachment.field] = attachment.pk
    if checked:
        save_ticket(ticket, update_fields=["data"])
    record_event(
        actor=actor,
        action="ticket.create",
        obj=ticket,
        after={
            "number": ticket.number,
            "category": category.code,
            "requester": requester.pk,
            "channel": channel,
            "priority": priority,
            "attachments": [a.pk for a in stored],
        },
    )
    _notify(ticket, "registrado", action=entry, to=[requester_email(ticket)])
    if category.procedure_code and instance is None:
        # The category's procedure starts with this ticket, in this transaction
        # (docs/decisions/tickets-and-procedures.md).
        from ..procedure_effects import start_procedure_for_ticket

        start_procedure_for_ticket(ticket, actor=actor)
    return ticket


def _assignee_ok(user: Any) -> Any:
    if user is None:
        return None
    if not user.is_active or not has_role(user, access.STAFF_ROLES):
        raise InvalidInput(
            errors={"assignee": ["La persona elegida no tiene un rol de la OGTIE para atender."]}
        )
    return user


@atomic_action
def do_assign_ticket(
    ticket: Ticket,
    *,
    actor: Any,
    team: Unit | None = None,
    assignee: Any = None,
    note: str = "",
) -> Ticket:
    """Assign the ticket to a team and/or a person (status asignado).

    The desk assigns anywhere; a coordinator only within their team. Changing the team without
    naming a person clears the assignee (the new team's coordinator picks one).
    """
    ticket = lock(ticket)
    if team is None and assignee is None:
        raise InvalidInput(errors={"team": ["Indique el equipo o la persona responsable."]})
    new_team = team or ticket.team
    if not access.can_assign(actor, ticket, new_team):
        raise Forbidden("Solo la mesa de ayuda o el coordinador del equipo asignan este ticket.")
    target = check_transition("assign", ticket.status)
    if team is not None and not team.is_active:
        raise InvalidInput(errors={"team": ["El equipo elegido no está activo."]})
    assignee = _assignee_ok(assignee)
    routed = procedure_steps.route(ticket, "assign", actor=actor, team=new_team, assignee=assignee)
    if routed is not None:
        if note.strip():
            do_comment_ticket(routed, actor=actor, body=note.strip(), internal=True)
        return routed
    before = snapshot(ticket)
    old = ticket.status
    now = timezone.now()
    if team is not None and team != ticket.team and assignee is None:
        ticket.assignee = None
    ticket.team = new_team
    if assignee is not None:
        ticket.assignee = assignee
    ticket.status = target
    responded(ticket, now)
    save_ticket(ticket)
    who = ""
    if ticket.assignee is not None:
        who = ticket.assignee.get_full_name() or ticket.assignee.get_username()
    body = f"Asignado a {new_team.name}" + (f" — {who}" if who else "") + "."
    if note.strip():
        body += f"\n{note.strip()}"
    entry = log(
        ticket, ActionKind.ASSIGNMENT, actor=actor, body=body, from_status=old, to_status=target
    )
    record_event(actor=actor, action="ticket.assign", obj=ticket, **_diff(before, ticket))
    if ticket.assignee is not None and ticket.assignee_id != before["assignee"]:
        _notify(ticket, "asignado", action=entry, to=[user_email(ticket.assignee)])
    if old == Status.REGISTRADO:
        _notify(ticket, "asignado_solicitante", action=entry, to=[requester_email(ticket)])
    return ticket


@atomic_action
def do_assign_tickets(
    tickets: Iterable[Ticket], *, actor: Any, team: Unit | None = None, assignee: Any = None
) -> list[Ticket]:
    """Bulk assignment from the console: all the tickets or none (one transaction)."""
    return [
        do_assign_ticket(ticket, actor=actor, team=team, assignee=assignee) for ticket in tickets
    ]


def do_assign_each_ticket(
    numbers: Iterable[str], *, actor: Any, team: Unit | None = None, assignee: Any = None
) -> dict[str, str | None]:
    """Bulk assignment where each ticket stands alone (the console's checked rows).

    Each ticket is found among those the actor sees and assigned through ``do_assign_ticket``
    in its own transaction; one that is not visible, not the actor's to assign or not
    assignable now is left as it was and the others go on. Returns, per number in the given
    order, None when it was assigned or the Spanish reason it was not.
    """
    outcome: dict[str, str | None] = {}
    for number in numbers:
        try:
            ticket = get_ticket_for_user(actor, number)
            do_assign_ticket(ticket, actor=actor, team=team, assignee=assignee)
        except MaproError as exc:  # one ticket's refusal is reported, the batch goes on
            outcome[number] = (
                "; ".join(str(m) for msgs in exc.errors.values() for m in msgs) or exc.message
            )
        else:
            outcome[number] = None
    return outcome


def _diff(before: dict[str, Any], ticket: Ticket) -> dict[str, Any]:
    old, new = changed(before, snapshot(ticket))
    return {"before": old, "after": new}


@atomic_action
def do_start_ticket(ticket: Ticket, *, actor: Any) -> Ticket:
    """Start attending (en atención), or resume a ticket that was en espera. Whoever starts an
    unassigned ticket takes it."""
    ticket = lock(ticket)
    if not access.can_handle(actor, ticket):
        raise Forbidden()
    target = check_transition("start", ticket.status)
    before = snapshot(ticket)
    old, now = ticket.status, timezone.now()
    if ticket.assignee_id is None and actor is not None and has_role(actor, access.STAFF_ROLES):
        ticket.assignee = actor
    sla.resume(ticket, now)
    ticket.hold_reason = ""
    ticket.status = target
    responded(ticket, now)
    save_ticket(ticket)
    log_status(ticket, old, actor=actor)
    record_event(actor=actor, action="ticket.start", obj=ticket, **_diff(before, ticket))
    return ticket


@atomic_action
def do_put_ticket_on_hold(ticket: Ticket, *, actor: Any, reason: str) -> Ticket:
    """Put the ticket en espera (with the reason the requester will read); the SLA pauses."""
    ticket = lock(ticket)
    if not access.can_handle(actor, ticket):
        raise Forbidden()
    target = check_transition("hold", ticket.status)
    reason = required_text(reason, "reason", "el motivo de la espera")
    before = snapshot(ticket)
    old, now = ticket.status, timezone.now()
    ticket.status = target
    ticket.hold_reason = reason
    sla.pause(ticket, now)
    responded(ticket, now)
    save_ticket(ticket)
    entry = log_status(ticket, old, actor=actor, body=reason)
    record_event(actor=actor, action="ticket.hold", obj=ticket, **_diff(before, ticket))
    _notify(ticket, "en_espera", action=entry, to=[requester_email(ticket)], body=reason)
    return ticket


@atomic_action
def do_return_ticket(ticket: Ticket, *, actor: Any, observations: str) -> Ticket:
    """Return the request to the requester ("¿Cumple con los requisitos?" No) with the
    observations to correct (devuelto). The SLA pauses until the requester adds information;
    the desk may also close it, as the manual does."""
    ticket = lock(ticket)
    if not access.is_desk(actor):
        raise Forbidden("Solo la mesa de ayuda valida los requisitos y devuelve solicitudes.")
    target = check_transition("return", ticket.status)
    observations = required_text(observations, "observations", "las observaciones a subsanar")
    routed = procedure_steps.route(ticket, "return", actor=actor, observations=observations)
    if routed is not None:
        return routed
    before = snapshot(ticket)
    old, now = ticket.status, timezone.now()
    ticket.status = target
    ticket.hold_reason = observations
    sla.pause(ticket, now)
    responded(ticket, now)
    save_ticket(ticket)
    entry = log_status(ticket, old, actor=actor, body=observations)
    record_event(actor=actor, action="ticket.return", obj=ticket, **_diff(before, ticket))
    _notify(ticket, "devuelto", action=entry, to=[requester_email(ticket)], body=observations)
    return ticket


@atomic_action
def do_add_ticket_information(
    ticket: Ticket,
    *,
    actor: Any,
    body: str,
    data: dict[str, Any] | None = None,
    files: dict[str, Any] | None = None,
    extra_files: Iterable[Any] = (),
) -> Ticket:
    """The requester answers: en espera → en atención, devuelto → registrado (to be validated
    again). ``data``/``files`` complete the category's requirements; the whole request is
    checked again, so a returned ticket comes back complete or not at all. The desk may record
    information the requester sent by another channel."""
    ticket = lock(ticket)
    if not (access.is_requester(actor, ticket) or access.is_desk(actor)):
        raise Forbidden("Solo el solicitante (o la mesa de ayuda) añade información.")
    target = check_transition("add_information", ticket.status)
    body = required_text(body, "body", "la información que añade")
    fields = file_fields(ticket.category)
    merged = {k: v for k, v in {**ticket.data, **(data or {})}.items() if k not in fields}
    existing = [k for k in ticket.data if k in fields and k not in (files or {})]
    checked = check_requirements(ticket.category, merged, files or {}, existing_files=existing)
    extra = check_extra_uploads(extra_files)
    before = snapshot(ticket)
    old, now = ticket.status, timezone.now()
    sla.resume(ticket, now)
    ticket.status = target
    ticket.hold_reason = ""
    entry = log_status(ticket, old, actor=actor, body=body, kind=ActionKind.DATA_ADDED)
    stored = store_files(
        ticket, [*checked.items(), *(("", f) for f in extra)], actor=actor, action=entry
    )
    ticket.data = {**merged, **{k: v for k, v in ticket.data.items() if k in existing}}
    for attachment in stored:
        if attachment.field:
            ticket.data[attachment.field] = attachment.pk
    save_ticket(ticket)
    record_event(
        actor=actor,
        action="ticket.add_information",
        obj=ticket,
        **_diff(before, ticket),
    )
    if ticket.assignee is not None:
        _notify(ticket, "informacion", action=entry, to=[user_email(ticket.assignee)], body=body)
    return ticket


@atomic_action
def do_comment_ticket(
    ticket: Ticket,
    *,
    actor: Any,
    body: str,
    internal: bool = False,
    extra_files: Iterable[Any] = (),
) -> Any:
    """A public comment (requester and OGTIE) or an internal note (only who attends the ticket
    sees it). Returns the log line."""
    ticket = lock(ticket)
    handler = access.can_handle(actor, ticket)
    if not (handler or access.is_requester(actor, ticket)):
        raise Forbidden()
    if internal and not handler:
        raise Forbidden("Solo quien atiende el ticket escribe notas internas.")
    check_transition("comment", ticket.status)
    body = required_text(body, "body", "el comentario")
    extra = check_extra_uploads(extra_files)
    kind = ActionKind.INTERNAL_NOTE if internal else ActionKind.COMMENT
    entry = log(ticket, kind, actor=actor, body=body, visible=not internal)
    store_files(ticket, [("", f) for f in extra], actor=actor, action=entry)
    if handler and not internal and not access.is_requester(actor, ticket):
        before = ticket.first_response_at
        responded(ticket, timezone.now())
        if before is None:
            save_ticket(ticket, update_fields=["first_response_at", "updated_at"])
    else:
        save_ticket(ticket, update_fields=["updated_at"])
    record_event(
        actor=actor,
        action="ticket.note" if internal else "ticket.comment",
        obj=ticket,
        after={"action": entry.pk},
    )
    return entry


@atomic_action
def do_link_ticket_instance(ticket: Ticket, instance: Any, *, actor: Any) -> Ticket:
    """Record that the ticket started (or belongs to) a procedure instance (the system or the
    desk links them)."""
    ticket = lock(ticket)
    if not access.is_desk(actor):
        raise Forbidden()
    old = ticket.instance_id
    ticket.instance = instance
    save_ticket(ticket, update_fields=["instance", "updated_at"])
    log(
        ticket,
        ActionKind.PROCEDURE,
        actor=actor,
        body=f"Vinculado al expediente {instance.pk} ({instance.procedure_code}).",
    )
    record_event(
        actor=actor,
        action="ticket.link_instance",
        obj=ticket,
        before={"instance": old},
        after={"instance": instance.pk},
    )
    return ticket
