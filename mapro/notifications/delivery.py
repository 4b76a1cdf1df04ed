"""Delivering the outbox: claim due rows safely across workers, send, record the outcome.

At least once, never lost: a row leaves "pending" only by being claimed; a claim is a lease
(``next_attempt_at`` becomes its end); a worker that dies mid-send leaves the row "sending" with
an expired lease, and the next run claims it again. The receiving side can drop the rare repeat
by the ``X-Mapro-Idempotency-Key`` header (and the ``Message-ID`` derived from the key).

Claiming:

- PostgreSQL: ``SELECT … FOR UPDATE SKIP LOCKED`` then an UPDATE in the same transaction, so
  concurrent workers take disjoint rows without waiting on each other.
- Other databases (SQLite): a conditional ``UPDATE … WHERE id = ? AND status = ? AND attempts =
  ?`` per candidate row; a worker that loses the race updates 0 rows and moves on.

``attempts`` is incremented by the claim and fences the outcome: sent/failed are recorded only
``WHERE status = 'sending' AND attempts = <this claim>``.

Nothing here is audited: a delivery is not a decision by anyone, and the row itself records
attempts, errors and the time it went out.
"""

from __future__ import annotations

import hashlib
import logging
import random
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from . import conf
from .choices import Channel, OutboxStatus
from .models import OutboxMessage

logger = logging.getLogger(__name__)

IDEMPOTENCY_HEADER = "X-Mapro-Idempotency-Key"
ERROR_MAX_LENGTH = 2000
LEASE_EXHAUSTED_ERROR = (
    "El envío no terminó dentro del plazo (el proceso se detuvo) en el último intento permitido."
)
#: Do not start sending a message whose lease ends within this margin: another worker may be
#: about to claim it, and sending twice is worse than waiting for the next run.
LEASE_SAFETY_MARGIN = timedelta(seconds=5)


@dataclass
class DeliveryReport:
    """What one delivery run did (for the command's output and for tests)."""

    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0  # claimed but its lease ran out before its turn; the next run takes it


def backoff_delay(attempts: int) -> timedelta:
    """Wait before attempt ``attempts + 1``: base, 2·base, 4·base… capped, with jitter.

    With the defaults: about 1, 2, 4, 8, 16, 32 minutes, then 1 hour. Each wait is shortened by
    up to 25 % at random so that messages that failed together (server down) do not all come
    back in the same second.
    """
    exponent = max(0, attempts - 1)
    capped = min(conf.backoff_cap(), conf.backoff_base() * (2 ** min(exponent, 30)))
    jitter = random.uniform(0.75, 1.0)  # noqa: S311 (spreading retries, not security)
    return timedelta(seconds=max(1.0, capped * jitter))


def message_id_for(key: str) -> str:
    """A ``Message-ID`` that is the same for every delivery of ``key`` (mail clients and list
    servers drop a repeated Message-ID)."""
    from_email = str(getattr(settings, "DEFAULT_FROM_EMAIL", "") or "")
    domain = from_email.rsplit("@", 1)[-1].strip(" >") if "@" in from_email else ""
    domain = "".join(ch for ch in domain if ch.isalnum() or ch in ".-") or "mapro.local"
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    return f"<mapro.{digest}@{domain}>"


def _due_q(now: Any) -> Q:
    # A pending row whose time has come, or a sending row whose lease has expired.
    return Q(status__in=[OutboxStatus.PENDING, OutboxStatus.SENDING], next_attempt_at__lte=now)


def fail_exhausted_leases() -> int:
    """Mark failed the rows whose worker died on their last allowed attempt."""
    now = timezone.now()
    return OutboxMessage.objects.filter(
        status=OutboxStatus.SENDING, next_attempt_at__lte=now, attempts__gte=conf.max_attempts()
    ).update(
        status=OutboxStatus.FAILED,
        next_attempt_at=now,
        last_error=LEASE_EXHAUSTED_ERROR,
    )


def claim_due_messages(limit: int) -> list[OutboxMessage]:
    """Claim up to ``limit`` due rows for this worker: status "sending", attempts + 1, leased.

    Safe with any number of concurrent workers: a row is claimed by exactly one of them until
    its lease expires.
    """
    if limit <= 0:
        return []
    if db_connection.vendor == "postgresql":
        return claim_skip_locked(limit)
    return claim_conditionally(limit)


def claim_skip_locked(limit: int) -> list[OutboxMessage]:
    """PostgreSQL: lock due rows that nobody else holds, mark them claimed, in one transaction.

    Concurrent workers skip each other's locked rows instead of waiting; once this transaction
    commits, the rows are "sending" with a lease in the future, so no longer due.
    """
    now = timezone.now()
    lease_until = now + timedelta(seconds=conf.lease_seconds())
    with transaction.atomic():
        rows = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(_due_q(now))
            .order_by("next_attempt_at", "id")[:limit]
        )
        if rows:
            OutboxMessage.objects.filter(pk__in=[row.pk for row in rows]).update(
                status=OutboxStatus.SENDING,
                attempts=F("attempts") + 1,
                next_attempt_at=lease_until,
            )
    for row in rows:
        row.status = OutboxStatus.SENDING
        row.attempts += 1
        row.next_attempt_at = lease_until
    return rows


def claim_conditionally(limit: int) -> list[OutboxMessage]:
    """Any database: read candidates, then claim each with an UPDATE conditional on what was read.

    ``status`` and ``attempts`` as read are the row's version: of two workers that read the same
    row, the second UPDATE matches 0 rows and that worker moves on. No lock is held while reading,
    which is what SQLite (one writer at a time, no ``FOR UPDATE``) needs.
    """
    now = timezone.now()
    lease_until = now + timedelta(seconds=conf.lease_seconds())
    candidates = list(
        OutboxMessage.objects.filter(_due_q(now))
        .order_by("next_attempt_at", "id")
        .values_list("pk", "status", "attempts")[:limit]
    )
    claimed: dict[int, int] = {}
    for pk, status, attempts in candidates:
        won = OutboxMessage.objects.filter(
            pk=pk, status=status, attempts=attempts, next_attempt_at__lte=now
        ).update(status=OutboxStatus.SENDING, attempts=attempts + 1, next_attempt_at=lease_until)
        if won:
            claimed[pk] = attempts + 1
    claimed_rows = OutboxMessage.objects.filter(pk__in=list(claimed)).order_by(
        "next_attempt_at", "id"
    )
    return [
        row
        for row in claimed_rows
        if row.attempts == claimed[row.pk] and row.status == OutboxStatus.SENDING
    ]


def build_email(message: OutboxMessage, connection: Any = None) -> EmailMultiAlternatives:
    """The mail for ``message``, with its idempotency key and key-derived Message-ID."""
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(message.recipients),
        headers={IDEMPOTENCY_HEADER: message.key, "Message-ID": message_id_for(message.key)},
        connection=connection,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    return email


def _is_permanent(exc: BaseException) -> bool:
    """A refusal that no retry will change: every recipient or the content refused with 5xx.

    Authentication and sender refusals are configuration problems: they stay retryable, so the
    messages go out once the configuration is fixed.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(exc, smtplib.SMTPDataError):
        return exc.smtp_code >= 500
    return False


def describe_error(exc: BaseException) -> str:
    """The error as stored in ``last_error``: its kind and message, never the SMTP password."""
    text = f"{type(exc).__name__}: {exc}"
    password = getattr(settings, "EMAIL_HOST_PASSWORD", "") or ""
    if password:
        text = text.replace(password, "********")
    return text[:ERROR_MAX_LENGTH]


def _fenced(message: OutboxMessage) -> Any:
    return OutboxMessage.objects.filter(
        pk=message.pk, status=OutboxStatus.SENDING, attempts=message.attempts
    )


def _record_sent(message: OutboxMessage) -> bool:
    now = timezone.now()
    updated = _fenced(message).update(
        status=OutboxStatus.SENT, sent_at=now, next_attempt_at=now, last_error=""
    )
    if not updated:
        logger.warning(
            "outbox: %s enviado tras perder su plazo; otro proceso lo retomó", message.key
        )
    return bool(updated)


def _record_failure(message: OutboxMessage, exc: BaseException, report: DeliveryReport) -> None:
    now = timezone.now()
    error = describe_error(exc)
    if _is_permanent(exc) or message.attempts >= conf.max_attempts():
        status, next_at = OutboxStatus.FAILED, now
        report.failed += 1
    else:
        status, next_at = OutboxStatus.PENDING, now + backoff_delay(message.attempts)
        report.retried += 1
    _fenced(message).update(status=status, next_attempt_at=next_at, last_error=error)
    logger.warning(
        "outbox: fallo al enviar %s (intento %s): %s → %s",
        message.key,
        message.attempts,
        error,
        status,
    )


def _send(message: OutboxMessage, connection: Any) -> None:
    if message.channel != Channel.MAIL:
        raise ValueError(f"Canal sin entrega implementada: {message.channel}")
    sent = connection.send_messages([build_email(message, connection)])
    if not sent:
        raise smtplib.SMTPException("El servidor de correo no aceptó el mensaje.")


def deliver_due_messages(limit: int = 100) -> DeliveryReport:
    """Send up to ``limit`` due messages over the configured mail backend (``EMAIL_URL``).

    Claims in small batches (``NOTIFICATIONS_CLAIM_BATCH``) so that a batch is sent well within
    its lease, over one SMTP connection. A message the server refuses is recorded on its own row
    and the run goes on. When the server cannot be reached at all, the rest of the batch is
    recorded as failed with the same error (each to be retried after its back-off) and the run
    stops: no point in waiting for a connection timeout once per message.
    """
    report = DeliveryReport()
    fail_exhausted_leases()
    mail_connection: Any = None
    try:
        while report.claimed < limit:
            batch = claim_due_messages(min(conf.claim_batch(), limit - report.claimed))
            if not batch:
                break
            report.claimed += len(batch)
            if mail_connection is None:
                mail_connection = get_connection(fail_silently=False, timeout=conf.smtp_timeout())
            if not _deliver_batch(batch, mail_connection, report):
                break
    finally:
        if mail_connection is not None:
            _close_quietly(mail_connection)
    return report


def _deliver_batch(
    batch: list[OutboxMessage], mail_connection: Any, report: DeliveryReport
) -> bool:
    """Send a claimed batch; False when the mail server is unreachable (stop the run)."""
    for index, message in enumerate(batch):
        if timezone.now() >= message.next_attempt_at - LEASE_SAFETY_MARGIN:
            report.skipped += 1
            continue
        try:
            # Opened here, not inside send_messages, so the connection is kept for the batch.
            mail_connection.open()
        except Exception as exc:
            _close_quietly(mail_connection)
            for unsent in batch[index:]:
                _record_failure(unsent, exc, report)
            return False
        try:
            _send(message, mail_connection)
        except Exception as exc:
            # The session may be in any state after an error: start the next one afresh.
            _close_quietly(mail_connection)
            _record_failure(message, exc, report)
        else:
            if _record_sent(message):
                report.sent += 1
    return True


def _close_quietly(mail_connection: Any) -> None:
    try:
        mail_connection.close()
    except Exception:  # the connection is already broken; nothing more to do
        logger.debug("outbox: error al cerrar la conexión de correo", exc_info=True)
