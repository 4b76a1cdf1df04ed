"""From notifications to mail: the fan-out job (immediate mail) and the daily digest.

``do_notify`` writes notifications in the request and nothing else, whatever the number of
recipients; these jobs turn them into outbox mails afterwards (docs/notifications.md):

- ``fan_out_notifications`` — every "pending" notification becomes one mail in the outbox (key
  ``notification:<id>``, so a repeat writes nothing) and is marked "queued". Kicked after the
  commit that wrote them, and every minute (the guarantee). Safe with several workers: the
  outbox key makes a second write a no-op, and on PostgreSQL rows are claimed with SKIP LOCKED.
- ``expand_batches`` — a notice to more than ``NOTIFICATIONS_SYNC_LIMIT`` people is stored as a
  ``NotificationBatch``; this writes its notifications (one statement each), then they follow
  the same path. Runs before the fan-out, at the same moments.
- ``send_digests`` — once a day, each user who chose the digest gets one mail listing their
  notifications waiting for it (key ``digest:<user>:<last id>``); they are marked "queued".
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

from django.db import connection, transaction

from .actions import enqueue_mail
from .choices import MailState
from .models import Notification
from .rendering import absolute_url

logger = logging.getLogger(__name__)

#: Notifications turned into mail per transaction; the job loops until none is left.
FAN_OUT_BATCH = 200


def _kick() -> None:
    try:
        from .tasks import fan_out_notifications_soon

        fan_out_notifications_soon()
    except Exception:
        logger.warning(
            "avisos: no se pudo avisar al worker; el envío periódico lo hará", exc_info=True
        )


def schedule_fan_out() -> None:
    """After the current transaction commits, ask the worker to mail the new notifications."""
    from . import conf

    if conf.kick_worker():
        transaction.on_commit(_kick)


def _address(notification: Notification) -> str:
    user: Any = notification.recipient
    person = getattr(user, "person", None)
    return (getattr(person, "email", "") if person is not None else "") or user.email or ""


def _name(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def _claim(state: str, limit: int | None) -> list[Notification]:
    qs = Notification.objects.filter(mail_state=state).order_by("id")
    if connection.vendor == "postgresql":
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    qs = qs.select_related("recipient", "recipient__person")
    return list(qs[:limit] if limit else qs)


def expand_batches() -> int:
    """Write the notifications of every batch not yet expanded; returns how many."""
    from django.utils import timezone

    from .models import NotificationBatch
    from .notices import insert_notifications

    written = 0
    while True:
        with transaction.atomic():
            qs = NotificationBatch.objects.filter(expanded_at__isnull=True).order_by("id")
            if connection.vendor == "postgresql":
                qs = qs.select_for_update(skip_locked=True, of=("self",))
            batch = qs.select_related("unit").first()
            if batch is None:
                return written
            message = batch.message()
            # A batch is expanded once: its rows get a key so a retry writes none twice.
            message["key"] = batch.key or f"batch:{batch.pk}"
            written += len(
                insert_notifications(
                    message, list(batch.roles), list(batch.user_ids), batch.unit, batch.day
                )
            )
            NotificationBatch.objects.filter(pk=batch.pk).update(expanded_at=timezone.now())


def fan_out_notifications(limit: int = FAN_OUT_BATCH) -> int:
    """Write the mail of every pending notification to the outbox (after expanding the
    batches); returns how many."""
    expand_batches()
    total = 0
    while True:
        with transaction.atomic():
            batch = _claim(MailState.PENDING, limit)
            for notification in batch:
                address = _address(notification)
                if address:
                    enqueue_mail(
                        to=[address],
                        subject=notification.subject,
                        template="aviso",
                        context={
                            "nombre": _name(notification.recipient),
                            "mensaje": notification.body or notification.subject,
                            "enlace": absolute_url(notification.url) if notification.url else "",
                        },
                        key=f"notification:{notification.pk}",
                    )
            Notification.objects.filter(pk__in=[n.pk for n in batch]).update(
                mail_state=MailState.QUEUED
            )
        total += len(batch)
        if len(batch) < limit:
            return total


def send_digests() -> int:
    """One mail per user listing their notifications waiting for the digest; returns mails."""
    with transaction.atomic():
        waiting = _claim(MailState.DIGEST, None)
        by_user: dict[int, list[Notification]] = defaultdict(list)
        for notification in waiting:
            by_user[notification.recipient_id].append(notification)
        mails = 0
        for items in by_user.values():
            user = items[0].recipient
            address = _address(items[0])
            if address:
                enqueue_mail(
                    to=[address],
                    subject=f"Resumen de avisos de mapro ({len(items)})",
                    template="resumen_avisos",
                    context={
                        "nombre": _name(user),
                        "avisos": [
                            {
                                "asunto": n.subject,
                                "fecha": n.created_at,
                                "enlace": absolute_url(n.url) if n.url else "",
                            }
                            for n in items
                        ],
                    },
                    key=f"digest:{user.pk}:{items[-1].pk}",
                )
                mails += 1
        Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(
            mail_state=MailState.QUEUED
        )
    return mails
