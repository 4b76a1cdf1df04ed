"""One message from a mailbox → a ticket, a reply in its ticket, or a phishing report.

``process(mailbox, raw, size=…)`` runs in one transaction and writes the ``InboundMail`` row
with what it created, so a message is processed once (the row's fingerprint is unique per
mailbox; ``imap.fetch_mailbox`` moves the message on the server only after the commit, and a
message found again after a crash returns its existing row). The raw message is always kept in
the default storage (``raw_name``), also when it is refused, for a person to look at.

Help desk: the sender is matched to a Person (their address, or their user's); a reply (its
``In-Reply-To``/``References`` name a message of the ticket or the acknowledgement we sent, or
its subject carries the ticket's number) becomes a comment of the ticket; anything else a new
ticket in the mail category (``HELPDESK_MAIL_CATEGORY``) with its attachments, acknowledged by
mail. Unknown senders are answered with the portal's address. Refused, kept for a person:
oversized (``HELPDESK_MAIL_MAX_BYTES``), malformed, or carrying a program.

Phishing: the reporter is matched the same way; S04.04.00.02 starts as the reporter, activity 1
completed with the reported message attached as ``.eml``; its analysis (``analysis.analyse``)
is proposed in activity 5's form, and activity 5's confirmed values in activities 6 and 9's
block list (``prefill``).
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from email.utils import parsedate_to_datetime
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q

from mapro.core.exceptions import MaproError
from mapro.notifications.actions import enqueue_mail
from mapro.notifications.delivery import message_id_for
from mapro.notifications.models import OutboxMessage
from mapro.organization.models import Person
from mapro.procedures.actions import do_complete_task, do_start_instance
from mapro.procedures.models import WorkItemState

from .. import attachments as ticket_files
from ..choices import Channel
from ..models import Category, InboundMail, InboundStatus, MailboxKind, Ticket
from . import analysis

logger = logging.getLogger(__name__)

PHISHING_PROCEDURE = "S04.04.00.02"
TICKET_NUMBER = re.compile(r"\bMA-\d{4}-\d{6}\b")
DEFAULT_MAX_BYTES = 25 * 1024 * 1024


def max_bytes() -> int:
    return int(getattr(settings, "HELPDESK_MAIL_MAX_BYTES", DEFAULT_MAX_BYTES))


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB" if n >= 1024 * 1024 else f"{n // 1024} KB"


def _keep_raw(raw: bytes, mailbox: str) -> str:
    name = f"correo-entrante/{mailbox}/{uuid.uuid4().hex}.eml"
    return str(default_storage.save(name, ContentFile(raw)))


def _fingerprint(message_id: str, raw: bytes | None, size: int, uid: str) -> str:
    if message_id:
        return message_id[:300]
    if raw is not None:
        return "sha256:" + hashlib.sha256(raw).hexdigest()
    return f"uid:{uid}:{size}"


def _person_for(address: str) -> Person | None:
    return (
        Person.objects.select_related("user", "unit")
        .filter(Q(email__iexact=address) | Q(user__email__iexact=address))
        .order_by("-user_id", "id")
        .first()
        if address
        else None
    )


def process(
    mailbox: str, raw: bytes | None, *, size: int | None = None, uid: str = ""
) -> InboundMail:
    """Process one message (``raw`` None: too large, not downloaded). Returns its log row."""
    size = len(raw) if raw is not None and size is None else int(size or 0)
    message_id = ""
    parsed: analysis.ParsedMail | None = None
    error = ""
    if raw is None or size > max_bytes():
        error = (
            f"El mensaje ({_size(size)}) supera el tamaño máximo de {_size(max_bytes())}; "
            "no se descargó y quedó en el buzón (carpeta Revisar) para revisión."
        )
    else:
        try:
            parsed = analysis.parse(raw)
            message_id = parsed.message_id
        except analysis.MalformedMessage as exc:
            error = str(exc)
    fingerprint = _fingerprint(message_id, raw if size <= max_bytes() else None, size, uid)
    existing = InboundMail.objects.filter(mailbox=mailbox, fingerprint=fingerprint).first()
    if existing is not None:
        return existing
    row = InboundMail(
        mailbox=mailbox,
        fingerprint=fingerprint,
        message_id=message_id,
        size=size,
        sha256=hashlib.sha256(raw).hexdigest() if raw is not None and size <= max_bytes() else "",
    )
    if parsed is not None:
        row.sender, row.subject = parsed.sender[:320], parsed.subject
        row.in_reply_to = parsed.in_reply_to
        row.references = " ".join(parsed.references)[:5000]
    try:
        with transaction.atomic():
            if raw is not None and size <= max_bytes():
                row.raw_name = _keep_raw(raw, mailbox)
            if parsed is None:
                return _refuse(row, error)
            if mailbox == MailboxKind.PHISHING:
                return _phishing(row, parsed)
            return _helpdesk(row, parsed)
    except IntegrityError:  # another reader processed it at the same time
        found = InboundMail.objects.filter(mailbox=mailbox, fingerprint=fingerprint).first()
        if found is None:
            raise
        return found


def _refuse(row: InboundMail, error: str) -> InboundMail:
    row.status, row.error = InboundStatus.REJECTED, error
    row.save()
    logger.warning("buzón %s: mensaje rechazado (%s): %s", row.mailbox, row.fingerprint, error)
    return row


def _answer_unknown(row: InboundMail, address: str) -> InboundMail:
    row.status = InboundStatus.UNKNOWN_SENDER
    row.save()
    enqueue_mail(
        to=[address],
        subject=f"Re: {row.subject}"[:255] if row.subject else "Su mensaje a la mesa de ayuda",
        template="helpdesk/correo_desconocido",
        context={"asunto": row.subject, "portal": f"{settings.MAPRO_SITE_URL}/"},
        key=f"mailin:{row.pk}:desconocido",
    )
    return row


# --- help desk --------------------------------------------------------------------------------


def _thread(parsed: analysis.ParsedMail) -> Ticket | None:
    ids = [i for i in [parsed.in_reply_to, *parsed.references] if i]
    if ids:
        earlier = (
            InboundMail.objects.filter(Q(message_id__in=ids) | Q(ack_message_id__in=ids))
            .exclude(ticket=None)
            .select_related("ticket")
            .order_by("-id")
            .first()
        )
        if earlier is not None:
            return earlier.ticket
    number = TICKET_NUMBER.search(parsed.subject or "")
    return Ticket.objects.filter(number=number.group(0)).first() if number else None


def _uploads(row: InboundMail, parsed: analysis.ParsedMail) -> list[SimpleUploadedFile]:
    """The attachments the help desk accepts; the others are named in the row's notes (the raw
    message keeps them)."""
    accepted, skipped = [], []
    for item in parsed.attachments:
        upload = SimpleUploadedFile(item.name, item.content, item.content_type)
        try:
            ticket_files.check_upload(upload)
        except MaproError as exc:
            skipped.append(" ".join(" ".join(map(str, v)) for v in exc.errors.values()))
            continue
        upload.seek(0)
        accepted.append(upload)
    if skipped:
        row.notes = "Adjuntos no añadidos al ticket (quedan en el mensaje original): " + " ".join(
            skipped
        )
    return accepted


def _helpdesk(row: InboundMail, parsed: analysis.ParsedMail) -> InboundMail:
    from ..actions import do_comment_ticket, do_create_ticket

    programs = [a.name for a in parsed.attachments if a.is_executable]
    if programs:
        return _refuse(
            row,
            "El mensaje trae un adjunto ejecutable ("
            + ", ".join(f"«{n}»" for n in programs)
            + "); no se registró. Quedó para revisión.",
        )
    person = _person_for(parsed.sender)
    if person is None:
        return _answer_unknown(row, parsed.sender)
    text = parsed.text or "(mensaje sin texto)"
    ticket = _thread(parsed)
    if ticket is not None:
        user = person.user
        if user is None:
            return _refuse(row, f"{person.full_name} no tiene usuario; no puede responder.")
        do_comment_ticket(ticket, actor=user, body=text, extra_files=_uploads(row, parsed))
        row.status, row.ticket = InboundStatus.REPLY, ticket
        row.save()
        return row
    code = str(getattr(settings, "HELPDESK_MAIL_CATEGORY", "por-clasificar"))
    category = Category.objects.filter(code=code, is_active=True).first()
    if category is None:
        return _refuse(row, f"No existe la categoría activa «{code}» para los correos.")
    ticket = do_create_ticket(
        actor=None,
        category=category,
        subject=(parsed.subject or "Solicitud por correo")[:200],
        description=text,
        requester=person,
        channel=Channel.CORREO,
        extra_files=_uploads(row, parsed),
    )
    row.status, row.ticket = InboundStatus.TICKET, ticket
    # The ticket's "registrado" mail (helpdesk.actions) answers the sender; a reply to it names
    # its Message-ID (derived from its outbox key), which threads the reply into this ticket.
    registered = (
        OutboxMessage.objects.filter(key__startswith=f"helpdesk:ticket:{ticket.pk}:registrado:")
        .values_list("key", flat=True)
        .first()
    )
    row.ack_message_id = message_id_for(registered) if registered else ""
    row.save()
    return row


# --- phishing ----------------------------------------------------------------------------------


def _received_at(message: Any) -> str | None:
    try:
        value = parsedate_to_datetime(str(message.get("Date", "")))
    except (TypeError, ValueError, IndexError):
        return None
    return value.isoformat() if value and value.tzinfo else None


def _phishing(row: InboundMail, parsed: analysis.ParsedMail) -> InboundMail:
    person = _person_for(parsed.sender)
    if person is None or person.user is None:
        return _answer_unknown(row, parsed.sender)
    original, original_bytes = analysis.reported_message(parsed.message)
    found = analysis.analyse(original)
    row.analysis = found
    user = person.user
    instance = do_start_instance(PHISHING_PROCEDURE, start="reporte", actor=user, unit=person.unit)
    stored = default_storage.save(
        f"procedimientos/{instance.pk}/{uuid.uuid4().hex}/correo-reportado.eml",
        ContentFile(original_bytes),
    )
    data: dict[str, Any] = {
        "cuenta_reporte": str(getattr(settings, "HELPDESK_PHISHING_ACCOUNT", "alerta")),
        "remitente": (found["remitente"] or found["return_path"] or "(desconocido)")[:320],
        "asunto_correo": str(found["asunto"] or "")[:300],
        "correo_reenviado": str(stored),
        "observaciones": f"Reportado por correo al buzón de phishing.\n\n{parsed.text}"[:4000],
    }
    received = _received_at(original)
    if received:
        data["fecha_recepcion"] = received
    item = instance.work_items.filter(state=WorkItemState.OPEN, n=1).first()
    if item is not None:
        do_complete_task(item.pk, data, actor=user)
    row.status, row.instance = InboundStatus.PHISHING, instance
    row.save()
    return row
