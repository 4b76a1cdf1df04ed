"""Ending tickets: resolve, confirm or reject the solution, close, reopen; and attachments.

Same contract as ``tickets.py``: one transaction each, locked row, 403 before 409 before 400,
a log line, an audit event and mails through ``_notify``.

Reopening rule: a ticket that was *resolved* (resuelto, or cerrado after a solution) may be
reopened by its requester or by whoever may attend it, within ``HELPDESK_REOPEN_DAYS``
(default 10) calendar days of the solution; it goes back to asignado with the same team and
person. When the ticket's procedure case has concluded (the manual closed the ticket), the
reopening is a new ticket linked to it (``Ticket.reopens``), same requester and category,
which starts a new case; ``do_reopen_ticket`` returns that new ticket. A ticket that was
returned and then closed was never resolved: the requester opens a new one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import timezone

from mapro.audit.actions import record_event
from mapro.core.exceptions import Forbidden, InvalidInput, InvalidTransition
from mapro.organization.permissions import has_role

from .. import access, procedure_steps, sla
from ..choices import ActionKind, Status
from ..models import Attachment, Ticket
from ..transitions import check_transition
from ._common import (
    _notify,
    atomic_action,
    check_extra_uploads,
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
from .tickets import _diff


def reopen_days() -> int:
    return int(getattr(settings, "HELPDESK_REOPEN_DAYS", 10))


@atomic_action
def do_resolve_ticket(
    ticket: Ticket, *, actor: Any, solution: str, ask_confirmation: bool = True
) -> Ticket:
    """Record the solution (resuelto); the requester is asked to confirm it by mail.

    ``ask_confirmation=False``: no such mail, because the caller closes the ticket in the same
    transaction (a procedure's ``{ticket: close}``, S04.03.04.02 activity 6) and the closing
    mail carries the solution: the requester is never asked to confirm a closed ticket."""
    ticket = lock(ticket)
    if not access.can_handle(actor, ticket):
        raise Forbidden()
    target = check_transition("resolve", ticket.status)
    solution = required_text(solution, "solution", "la solución aplicada")
    routed = procedure_steps.route(ticket, "resolve", actor=actor, solution=solution)
    if routed is not None:
        return routed
    before = snapshot(ticket)
    old, now = ticket.status, timezone.now()
    if ticket.assignee_id is None and actor is not None and has_role(actor, access.STAFF_ROLES):
        ticket.assignee = actor
    ticket.status = target
    ticket.solution = solution
    ticket.resolved_at = now
    responded(ticket, now)
    save_ticket(ticket)
    entry = log_status(ticket, old, actor=actor, body=solution)
    record_event(actor=actor, action="ticket.resolve", obj=ticket, **_diff(before, ticket))
    if ask_confirmation:
        _notify(ticket, "resuelto", action=entry, to=[requester_email(ticket)], body=solution)
    return ticket


@atomic_action
def do_confirm_ticket_solution(ticket: Ticket, *, actor: Any, comment: str = "") -> Ticket:
    """The requester confirms the solution: cerrado."""
    ticket = lock(ticket)
    if not (access.is_requester(actor, ticket) or access.is_system(actor)):
        raise Forbidden("Solo el solicitante confirma la solución.")
    target = check_transition("confirm", ticket.status)
    procedure_steps.route(ticket, "confirm", actor=actor)  # refused while the procedure runs
    before = snapshot(ticket)
    old = ticket.status
    ticket.status = target
    ticket.closed_at = timezone.now()
    save_ticket(ticket)
    body = comment.strip() or "El solicitante confirmó la solución."
    entry = log_status(ticket, old, actor=actor, body=body)
    record_event(actor=actor, action="ticket.confirm", obj=ticket, **_diff(before, ticket))
    _notify(
        ticket,
        "cerrado",
        action=entry,
        to=[requester_email(ticket), user_email(ticket.assignee)],
        body=body,
    )
    return ticket


@atomic_action
def do_reject_solution(ticket: Ticket, *, actor: Any, reason: str) -> Ticket:
    """The requester says the problem remains: back to en atención, with the reason."""
    ticket = lock(ticket)
    if not access.is_requester(actor, ticket):
        raise Forbidden("Solo el solicitante rechaza la solución.")
    target = check_transition("reject", ticket.status)
    procedure_steps.route(ticket, "reject", actor=actor)  # refused while the procedure runs
    reason = required_text(reason, "reason", "por qué la solución no resolvió su pedido")
    before = snapshot(ticket)
    old = ticket.status
    ticket.status = target
    ticket.resolved_at = None
    save_ticket(ticket)
    entry = log_status(ticket, old, actor=actor, body=reason)
    record_event(actor=actor, action="ticket.reject", obj=ticket, **_diff(before, ticket))
    _notify(ticket, "rechazado", action=entry, to=[user_email(ticket.assignee)], body=reason)
    return ticket


@atomic_action
def do_close_ticket(ticket: Ticket, *, actor: Any, comment: str = "") -> Ticket:
    """Close a resolved ticket without the requester's confirmation (e.g. after the waiting
    days), or a returned one (the manual's "devolver la solicitud y cerrar ticket")."""
    ticket = lock(ticket)
    if not access.can_handle(actor, ticket):
        raise Forbidden()
    target = check_transition("close", ticket.status)
    procedure_steps.route(ticket, "close", actor=actor)  # refused while the procedure runs
    before = snapshot(ticket)
    old, now = ticket.status, timezone.now()
    sla.resume(ticket, now)  # a returned ticket was paused
    ticket.status = target
    ticket.closed_at = now
    save_ticket(ticket)
    body = comment.strip() or "Ticket cerrado."
    entry = log_status(ticket, old, actor=actor, body=body)
    record_event(actor=actor, action="ticket.close", obj=ticket, **_diff(before, ticket))
    _notify(ticket, "cerrado", action=entry, to=[requester_email(ticket)], body=body)
    return ticket


@atomic_action
def do_autoclose_ticket(
    ticket: Ticket, *, now: datetime.datetime, days: int | None = None
) -> Ticket | None:
    """Close, as the system, a resolved ticket whose requester neither confirmed nor reopened
    it within ``HELPDESK_AUTOCLOSE_DAYS`` business days (``autoclose``). Decides on the locked
    row: a ticket no longer resolved, or not yet due at ``now``, is left alone and None is
    returned, so running it twice closes once. The log line says why; the closure mail goes to
    the requester and the technician through the outbox (``do_close_ticket``)."""
    from ..autoclose import autoclose_days, autoclose_deadline

    ticket = lock(ticket)
    days = autoclose_days() if days is None else days
    if ticket.status != Status.RESUELTO or ticket.resolved_at is None or days <= 0:
        return None
    if autoclose_deadline(ticket.resolved_at, days) > now:
        return None
    comment = (
        "Cerrado automáticamente: el solicitante no confirmó la solución ni reabrió el ticket "
        f"en {days} día(s) hábil(es)."
    )
    return do_close_ticket(ticket, actor=None, comment=comment)


def reopen_deadline(ticket: Ticket) -> datetime.datetime | None:
    """Until when the ticket may be reopened (None: never, it was not resolved)."""
    if ticket.resolved_at is None:
        return None
    return ticket.resolved_at + datetime.timedelta(days=reopen_days())


def _reopen_as_new(ticket: Ticket, *, actor: Any, reason: str) -> Ticket:
    """Reopen a ticket whose procedure case concluded: a new ticket, linked to it
    (``reopens``), for the same requester and category, which starts a new case."""
    from .tickets import do_create_ticket

    subject = f"Reapertura de {ticket.number}: {ticket.subject}"[:200]
    try:
        new = do_create_ticket(
            actor=None,
            requester=ticket.requester,
            channel=ticket.channel,
            category=ticket.category,
            subject=subject,
            description=reason,
            impact=ticket.impact,
            urgency=ticket.urgency,
            data=dict(ticket.data or {}),
        )
    except InvalidInput as exc:  # the request needs what only the requester can attach
        raise InvalidTransition(
            "No se puede reabrir: la solicitud necesita documentos nuevos. Registre un ticket "
            f"nuevo ({' '.join(m for msgs in exc.errors.values() for m in msgs)})"
        ) from exc
    new.reopens = ticket
    save_ticket(new, update_fields=["reopens"])
    log(
        ticket,
        ActionKind.COMMENT,
        actor=actor,
        body=f"Reabierto como ticket {new.number}, que inicia un expediente nuevo: {reason}",
    )
    log(new, ActionKind.COMMENT, actor=actor, body=f"Reapertura del ticket {ticket.number}.")
    record_event(
        actor=actor,
        action="ticket.reopen_as",
        obj=ticket,
        after={"new_ticket": new.number, "reason": reason},
    )
    return new


@atomic_action
def do_reopen_ticket(ticket: Ticket, *, actor: Any, reason: str) -> Ticket:
    """Reopen a resolved or closed ticket within the window (see the module docstring)."""
    ticket = lock(ticket)
    if not (access.is_requester(actor, ticket) or access.can_handle(actor, ticket)):
        raise Forbidden()
    target = check_transition("reopen", ticket.status)
    deadline = reopen_deadline(ticket)
    if deadline is None:
        raise InvalidTransition(
            "Este ticket se cerró sin solución (fue devuelto): registre un ticket nuevo."
        )
    if timezone.now() > deadline:
        raise InvalidTransition(
            f"El plazo para reabrir venció ({reopen_days()} días desde la solución): "
            "registre un ticket nuevo."
        )
    reason = required_text(reason, "reason", "por qué se reabre")
    if procedure_steps.reopen_blocked(ticket):  # its case concluded: a new case is needed
        return _reopen_as_new(ticket, actor=actor, reason=reason)
    before = snapshot(ticket)
    old = ticket.status
    ticket.status = target
    ticket.resolved_at = None
    ticket.closed_at = None
    save_ticket(ticket)
    entry = log_status(ticket, old, actor=actor, body=reason)
    record_event(actor=actor, action="ticket.reopen", obj=ticket, **_diff(before, ticket))
    _notify(
        ticket,
        "reabierto",
        action=entry,
        to=[user_email(ticket.assignee), requester_email(ticket)],
        body=reason,
    )
    return ticket


@atomic_action
def do_attach_file(
    ticket: Ticket,
    *,
    actor: Any,
    files: Iterable[Any],
    body: str = "",
    internal: bool = False,
) -> list[Attachment]:
    """Add files to the ticket's log (checked by content and size); internal ones only by who
    attends it, and hidden from the requester."""
    ticket = lock(ticket)
    handler = access.can_handle(actor, ticket)
    if not (handler or access.is_requester(actor, ticket)):
        raise Forbidden()
    if internal and not handler:
        raise Forbidden("Solo quien atiende el ticket adjunta archivos internos.")
    check_transition("attach", ticket.status)
    checked = check_extra_uploads(files)
    if not checked:
        raise InvalidInput(errors={"archivos": ["Adjunte al menos un archivo."]})
    names = ", ".join(f.original_name for f in checked)
    entry = log(
        ticket,
        ActionKind.ATTACHMENT,
        actor=actor,
        body=body.strip() or f"Adjuntó: {names}.",
        visible=not internal,
    )
    stored = store_files(ticket, [("", f) for f in checked], actor=actor, action=entry)
    save_ticket(ticket, update_fields=["updated_at"])
    record_event(
        actor=actor,
        action="ticket.attach",
        obj=ticket,
        after={"attachments": [a.pk for a in stored], "internal": internal},
    )
    return stored
