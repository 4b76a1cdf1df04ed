"""Writing effects to the outbox, and the administrator's retry.

``enqueue_mail`` is the API other domains call from inside their own action's transaction::

    with transaction.atomic():
        ticket.status = "asignado"
        ticket.save()
        record_event(...)
        enqueue_mail(
            to=[person.email],
            subject=f"Ticket {ticket.number} asignado",
            template="mesa/ticket_asignado",  # notifications/mail/mesa/ticket_asignado.txt
            context={"ticket": ticket, "url": absolute_url},
            key=f"ticket:{ticket.pk}:asignado:{event.pk}",
        )

The row commits or rolls back with the ticket; the worker sends it afterwards. Never put a secret
in ``context`` (an initial password, a VPN key): send a one-time link instead.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from mapro.audit.actions import record_event
from mapro.core.exceptions import Conflict, Forbidden
from mapro.organization.permissions import has_role

from . import conf
from .choices import Channel, OutboxStatus
from .models import OutboxMessage
from .rendering import check_template_name, render_mail

logger = logging.getLogger(__name__)

#: Keys travel in a mail header: printable ASCII, no spaces (no header injection possible).
KEY_RE = re.compile(r"[\x21-\x7e]+")
KEY_MAX_LENGTH = OutboxMessage._meta.get_field("key").max_length or 200
SUBJECT_MAX_LENGTH = OutboxMessage._meta.get_field("subject").max_length or 255

#: Who may send a failed message again (besides superusers): the office's administrators.
OUTBOX_ADMIN_ROLES = frozenset({"jefe-ogtie", "profesional-ogtie"})


def clean_recipients(to: Iterable[str | None]) -> list[str]:
    """Valid addresses of ``to``, stripped, without repeats (case-insensitive), in order.

    Invalid or empty addresses are dropped with a warning rather than refused: a bad address in
    the directory must not undo the state change that wanted to notify.
    """
    seen: set[str] = set()
    clean: list[str] = []
    for raw in to or ():
        address = (raw or "").strip()
        if not address:
            continue
        try:
            validate_email(address)
        except ValidationError:
            logger.warning("outbox: dirección de correo no válida omitida: %r", address)
            continue
        if address.lower() in seen:
            continue
        seen.add(address.lower())
        clean.append(address)
    return clean


def enqueue_mail(
    *,
    to: list[str],
    subject: str,
    template: str,
    context: dict[str, Any],
    key: str,
) -> OutboxMessage | None:
    """Write a mail to the outbox in the current transaction; the worker sends it after commit.

    - Must run inside ``transaction.atomic()`` (``RuntimeError`` otherwise): the row commits or
      rolls back with the change that causes it.
    - ``template`` names ``notifications/mail/<template>.txt`` (and an optional ``.html``) in any
      installed app; it is rendered now, in Spanish, with ``context``. ``subject`` is used as
      given (line breaks and repeated spaces collapsed).
    - ``key`` identifies the effect (e.g. ``"ticket:42:asignado:1234"``): the same key twice gives
      one row and one mail, and the mail carries it in ``X-Mapro-Idempotency-Key``. Returns the
      existing row in that case, unchanged.
    - Recipients that are empty or not valid addresses are dropped; with none left nothing is
      written and ``None`` is returned.
    - Never secrets in ``context``: the rendered text is stored and shown to administrators.
    """
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        raise RuntimeError("enqueue_mail must run inside the transaction of the change")
    if not key or len(key) > KEY_MAX_LENGTH or not KEY_RE.fullmatch(key):
        raise ValueError(
            f"La clave de idempotencia debe tener entre 1 y {KEY_MAX_LENGTH} caracteres ASCII "
            f"visibles, sin espacios: {key!r}"
        )
    if isinstance(to, str):  # a bare string would be read as a list of characters
        raise TypeError("`to` debe ser una lista de direcciones, no una cadena.")
    check_template_name(template)
    subject = " ".join((subject or "").split())
    if not subject:
        raise ValueError("El asunto del correo no puede estar vacío.")
    if len(subject) > SUBJECT_MAX_LENGTH:
        subject = subject[: SUBJECT_MAX_LENGTH - 1] + "…"
    recipients = clean_recipients(to)
    if not recipients:
        return None
    existing = OutboxMessage.objects.filter(key=key).first()
    if existing is not None:
        return existing
    text, html = render_mail(template, context)
    message, created = OutboxMessage.objects.get_or_create(
        key=key,
        defaults={
            "channel": Channel.MAIL,
            "recipients": recipients,
            "subject": subject,
            "body_text": text,
            "body_html": html,
            "payload": {"template": template},
            "status": OutboxStatus.PENDING,
            "next_attempt_at": timezone.now(),
        },
    )
    if created:
        _schedule_kick(conn)
    return message


def _kick_worker() -> None:
    """Ask the worker to deliver now. Best effort: the periodic task is the guarantee."""
    try:
        from .tasks import deliver_outbox_soon

        deliver_outbox_soon()
    except Exception:
        logger.warning(
            "outbox: no se pudo avisar al worker; el envío periódico lo hará", exc_info=True
        )


def _schedule_kick(conn: Any) -> None:
    """One kick per transaction, however many messages it enqueues.

    A kick already registered in this savepoint or an enclosing one is reused: it can only be
    discarded by a rollback that would discard this message too.
    """
    if not conf.kick_worker():
        return
    try:
        current = set(conn.savepoint_ids)
        for sids, func, *_ in conn.run_on_commit:
            if func is _kick_worker and set(sids) <= current:
                return
    except (AttributeError, TypeError, ValueError):  # private API changed: just register
        pass
    transaction.on_commit(_kick_worker)


def check_outbox_admin(actor: Any) -> None:
    """Superusers and the office's administrators (OUTBOX_ADMIN_ROLES) manage the outbox.

    ``actor=None`` is the system itself (a command or a job), as in the other domains.
    """
    if actor is None:
        return
    if not (getattr(actor, "is_superuser", False) or has_role(actor, OUTBOX_ADMIN_ROLES)):
        raise Forbidden()


def do_retry_outbox_message(message: OutboxMessage, *, actor: Any) -> OutboxMessage:
    """Send a failed message again: back to pending, due now, with a fresh set of attempts.

    Only failed messages can be retried (``Conflict`` otherwise: a pending or sending one is
    already on its way, and a sent one would be a duplicate). The update is conditional on the
    status, so a worker changing the row at the same moment cannot be overwritten.
    """
    check_outbox_admin(actor)
    with transaction.atomic():
        current = OutboxMessage.objects.filter(pk=message.pk).first()
        if current is None or current.status != OutboxStatus.FAILED:
            raise Conflict("Solo se pueden reintentar mensajes en estado fallido.")
        updated = OutboxMessage.objects.filter(pk=current.pk, status=OutboxStatus.FAILED).update(
            status=OutboxStatus.PENDING,
            attempts=0,
            next_attempt_at=timezone.now(),
        )
        if updated != 1:
            raise Conflict("El mensaje cambió mientras se reintentaba; vuelva a intentarlo.")
        record_event(
            actor=actor,
            action="outbox_message.retry",
            obj=current,
            before={
                "status": current.status,
                "attempts": current.attempts,
                "last_error": current.last_error,
            },
            after={"status": OutboxStatus.PENDING, "attempts": 0},
        )
        _schedule_kick(transaction.get_connection())
    current.refresh_from_db()
    return current


# The notification API lives in notices.py (it needs no outbox at call time); re-exported here
# so that every domain imports its notification actions from one place.
from .notices import (  # noqa: E402
    NotifyResult,
    do_mark_all_read,
    do_notify,
    do_open_notification,
    do_set_mail_delivery,
)

__all__ = [
    "NotifyResult",
    "check_outbox_admin",
    "clean_recipients",
    "do_mark_all_read",
    "do_notify",
    "do_open_notification",
    "do_retry_outbox_message",
    "do_set_mail_delivery",
    "enqueue_mail",
]
