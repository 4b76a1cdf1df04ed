"""Helpers every ticket action shares: locking, the log line, audit snapshots, requirements,
stored uploads and the mail call site (``_notify``)."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any, TypeVar, cast

from django.apps import apps
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from mapro.audit.actions import actor_name
from mapro.core.exceptions import InvalidInput
from mapro.procedures.forms import REQUIRED_MESSAGE, form_errors

from .. import attachments as files_
from .. import counters
from ..choices import ActionKind, Status
from ..models import Attachment, Category, Ticket, TicketAction
from ..request_forms import requirements_of


def lock(ticket: Ticket) -> Ticket:
    """The ticket re-read with a row lock (PostgreSQL) inside the action's transaction.

    Every transition decides on the locked row, so two people acting at once are serialized
    and the second one sees the first one's status (and may get InvalidTransition).
    """
    return counters.remember(
        Ticket.objects.select_for_update(of=("self",))
        .select_related("team", "category", "requester", "requester__user", "assignee")
        .get(pk=ticket.pk)
    )


def save_ticket(ticket: Ticket, *, update_fields: Iterable[str] | None = None) -> None:
    """Save a ticket an action changed (read with ``lock``) and count what moved (status,
    team, priority, category, closing date) in the dashboard's counters, in the same
    transaction (``mapro.helpdesk.counters``)."""
    counters.remembered(ticket)  # refuses a ticket not read with lock(), before saving it
    ticket.save(update_fields=update_fields)
    counters.ticket_changed(ticket)


def snapshot(ticket: Ticket) -> dict[str, Any]:
    """The fields an audit event compares before and after."""
    return {
        "status": ticket.status,
        "team": ticket.team_id,
        "assignee": ticket.assignee_id,
        "priority": ticket.priority,
        "hold_reason": ticket.hold_reason,
        "resolution_due_at": ticket.resolution_due_at,
    }


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def log(
    ticket: Ticket,
    kind: str,
    *,
    actor: Any,
    body: str = "",
    from_status: str = "",
    to_status: str = "",
    visible: bool = True,
) -> TicketAction:
    """Append a line to the ticket's log."""
    return TicketAction.objects.create(
        ticket=ticket,
        kind=kind,
        author=actor if getattr(actor, "pk", None) else None,
        author_name=actor_name(actor),
        body=body,
        from_status=from_status,
        to_status=to_status,
        visible_to_requester=visible,
    )


def log_status(
    ticket: Ticket, old: str, *, actor: Any, body: str = "", kind: str = ActionKind.STATUS_CHANGE
) -> TicketAction:
    return log(ticket, kind, actor=actor, body=body, from_status=old, to_status=ticket.status)


def required_text(value: Any, field: str, label: str) -> str:
    text = (value or "").strip() if isinstance(value, str) else ""
    if not text:
        raise InvalidInput(errors={field: [f"Indique {label}."]})
    return text


def responded(ticket: Ticket, now: datetime.datetime) -> None:
    """The first thing OGTIE does on a ticket counts as its response."""
    if ticket.first_response_at is None:
        ticket.first_response_at = now


# --- requirements and uploads --------------------------------------------------------------------


def file_fields(category: Category) -> dict[str, dict[str, Any]]:
    props = requirements_of(category).get("properties", {})
    return {
        name: prop
        for name, prop in props.items()
        if isinstance(prop, dict) and prop.get("format") == "file"
    }


def _title(category: Category, field: str) -> str:
    prop = requirements_of(category).get("properties", {}).get(field, {})
    return str(prop.get("title") or field) if isinstance(prop, dict) else field


def check_requirements(
    category: Category,
    data: dict[str, Any],
    uploads: dict[str, Any],
    *,
    existing_files: Iterable[str] = (),
    demand_required: bool = True,
) -> dict[str, files_.CheckedFile]:
    """Check ``data`` plus ``uploads`` against the category's requirements, all errors at once.

    File fields are satisfied by an upload under the field's name (or an attachment already on
    the ticket, ``existing_files``). Missing items are named by their title in the message
    ("Falta «Declaración jurada»."). Returns the checked uploads; raises InvalidInput listing
    every problem, before anything is stored. With ``demand_required=False`` (a ticket created
    by a procedure step) only the values given are checked; nothing is missing.
    """
    schema = requirements_of(category)
    if not demand_required:
        schema = {k: v for k, v in schema.items() if k != "required"}
    fields = file_fields(category)
    errors: dict[str, list[str]] = {}
    checked: dict[str, files_.CheckedFile] = {}
    candidate = {k: v for k, v in (data or {}).items() if k not in fields}
    for name in existing_files:
        if name in fields:
            candidate[name] = "adjunto"
    for name, upload in uploads.items():
        if name not in fields:
            errors.setdefault(name, []).append("Este formulario no pide un archivo con ese nombre.")
            continue
        try:
            checked[name] = files_.check_upload(upload, field=name)
            candidate[name] = "adjunto"
        except InvalidInput as exc:
            for field, messages in exc.errors.items():
                errors.setdefault(field, []).extend(messages)
            candidate[name] = "adjunto"  # already reported; do not report it as missing too
    for field, messages in form_errors(schema, candidate).items():
        named = [
            f"Falta «{_title(category, field)}»." if m == REQUIRED_MESSAGE else m for m in messages
        ]
        errors.setdefault(field, []).extend(named)
    if errors:
        missing = [
            _title(category, f)
            for f, messages in errors.items()
            if any(m.startswith("Falta «") for m in messages)
        ]
        message = (
            "Faltan requisitos de la categoría: " + ", ".join(missing) + "."
            if missing
            else "Los datos de la solicitud no son válidos."
        )
        raise InvalidInput(message, errors=errors)
    return checked


def check_extra_uploads(
    uploads: Iterable[Any], field: str = "archivos"
) -> list[files_.CheckedFile]:
    """Check free attachments (not tied to a requirement); all errors at once."""
    checked: list[files_.CheckedFile] = []
    errors: list[str] = []
    for upload in uploads:
        try:
            checked.append(files_.check_upload(upload, field=field))
        except InvalidInput as exc:
            errors.extend(m for ms in exc.errors.values() for m in ms)
    if errors:
        raise InvalidInput(errors={field: errors})
    return checked


def store_files(
    ticket: Ticket,
    items: Iterable[tuple[str, files_.CheckedFile]],
    *,
    actor: Any,
    action: TicketAction | None,
) -> list[Attachment]:
    """Store checked files and create their rows (inside an ``atomic_action``, which deletes the
    files again if the action fails)."""
    stored: list[Attachment] = []
    names: list[str] = []
    try:
        for field, checked in items:
            name = files_.store(checked)
            names.append(name)
            stored.append(
                Attachment.objects.create(
                    ticket=ticket,
                    action=action,
                    field=field,
                    original_name=checked.original_name,
                    stored_name=name,
                    content_type=checked.content_type,
                    size=checked.size,
                    sha256=checked.sha256,
                    uploaded_by=actor if getattr(actor, "pk", None) else None,
                )
            )
    finally:
        tracked = _stored.get()
        if tracked is not None:
            tracked.extend(names)
    return stored


_stored: ContextVar[list[str] | None] = ContextVar("helpdesk_stored_files", default=None)

F = TypeVar("F", bound=Callable[..., Any])


def atomic_action(func: F) -> F:
    """Run an action in one transaction; if it fails, delete the files it stored.

    The storage is not transactional: without this, a refused ticket would leave its uploads
    behind. (Files stored by an action whose *outer* transaction later rolls back are
    unreferenced orphans, never served, and deleted after an hour by
    ``attachments.do_clean_orphan_files``.)
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        names: list[str] = []
        token = _stored.set(names)
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        except BaseException:
            files_.discard(names)
            raise
        finally:
            _stored.reset(token)

    return cast(F, wrapper)


# --- mail ----------------------------------------------------------------------------------

SUBJECTS = {
    "registrado": "Ticket {number} registrado: {subject}",
    "asignado": "Ticket {number} asignado a usted: {subject}",
    "asignado_solicitante": "Su ticket {number} fue asignado: {subject}",
    "en_espera": "Ticket {number} en espera de su información",
    "devuelto": "Ticket {number} devuelto: corrija las observaciones",
    "informacion": "Ticket {number}: el solicitante añadió información",
    "resuelto": "Ticket {number} resuelto: confirme la solución",
    "rechazado": "Ticket {number}: el solicitante rechazó la solución",
    "cerrado": "Ticket {number} cerrado",
    "reabierto": "Ticket {number} reabierto",
}


def requester_email(ticket: Ticket) -> str:
    person = ticket.requester
    return person.email or (person.user.email if person.user_id and person.user else "")


def user_email(user: Any) -> str:
    if user is None:
        return ""
    if user.email:
        return str(user.email)
    person = getattr(user, "person", None)
    return person.email if person is not None else ""


def ticket_path(ticket: Ticket) -> str:
    try:
        return reverse("helpdesk:ticket_detail", kwargs={"number": ticket.number})
    except NoReverseMatch:
        return f"/mesa-de-ayuda/tickets/{ticket.number}/"


def _notify(
    ticket: Ticket, event: str, *, action: TicketAction, to: Iterable[str], body: str = ""
) -> None:
    """NOTIFICATIONS CALL SITE: every help-desk mail goes through here, inside the action's
    transaction, to the outbox (``mapro.notifications.actions.enqueue_mail``).

    The template is ``notifications/mail/helpdesk/ticket_<event>.txt`` (this app's templates);
    the idempotency key names the ticket, the event and the log line, so a retried action can
    never mail twice. While the notifications app is not installed, nothing is sent.
    """
    recipients = [address for address in to if address]
    if not recipients or not apps.is_installed("mapro.notifications"):
        return
    from mapro.notifications.actions import enqueue_mail

    enqueue_mail(
        to=recipients,
        subject=SUBJECTS[event].format(number=ticket.number, subject=ticket.subject),
        template=f"helpdesk/ticket_{event}",
        context={
            "number": ticket.number,
            "subject": ticket.subject,
            "status": Status(ticket.status).label,
            "category": ticket.category.name,
            "requester": ticket.requester.full_name,
            "body": body,
            "solution": ticket.solution,
            "path": ticket_path(ticket),
        },
        key=f"helpdesk:ticket:{ticket.pk}:{event}:{action.pk}",
    )
