"""The outbox: background effects written in the transaction of the change that causes them.

See ``docs/decisions/outbox.md``. A row is committed (or rolled back) together with the state
change, and the worker delivers it at least once, carrying its idempotency key so the receiving
side can drop a repeat.

**Never put a secret in a row** (initial passwords, VPN credentials, tokens): rows are kept,
shown in the admin and copied to backups. Mail a one-time link that reveals the secret to the
logged-in recipient instead (design.md, "Background effects go through an outbox").
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from mapro.core.fields import instance_link, link, user_link

from .choices import Channel, MailDelivery, MailState, OutboxStatus


class OutboxMessage(models.Model):
    """One effect to deliver (today: one mail), at least once, never lost, never doubled.

    Invariants:

    - ``key`` is unique: enqueueing the same effect twice yields one row.
    - ``status`` moves pending → sending → sent, or back to pending (retry with back-off), or
      to failed after ``NOTIFICATIONS_MAX_ATTEMPTS`` claims. An administrator may move failed
      back to pending (audited).
    - ``next_attempt_at`` is when the row is next due. For a pending row, the earliest time of the
      next attempt; for a sending row, the end of the worker's lease: past it the worker is
      presumed dead and the row is claimed again. One index (status, next_attempt_at) finds both.
    - ``attempts`` counts claims and is the fencing token: a worker only records the outcome of
      the claim it made (``WHERE attempts = <its claim>``), so a worker that lost its lease cannot
      overwrite the result of the one that took over.
    """

    channel = models.CharField("canal", max_length=20, choices=Channel.choices)
    # Unique by outbox_key_uniq (Meta), one varchar_pattern_ops index that serves both the
    # exact lookup and the prefix one (helpdesk.mailin), where a unique field would keep two.
    key = models.CharField(
        "clave de idempotencia",
        max_length=200,
        help_text="Identifica el efecto; encolar dos veces la misma clave produce un solo envío.",
    )
    recipients = models.JSONField("destinatarios", default=list)
    subject = models.CharField("asunto", max_length=255, blank=True)
    body_text = models.TextField("texto", blank=True)
    body_html = models.TextField("HTML", blank=True)
    payload = models.JSONField(
        "datos del canal",
        default=dict,
        blank=True,
        help_text="Datos propios del canal (por ejemplo, la plantilla usada). Nunca secretos.",
    )
    status = models.CharField(
        "estado", max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField("intentos", default=0)
    next_attempt_at = models.DateTimeField("próximo intento", default=timezone.now)
    last_error = models.TextField("último error", blank=True)
    created_at = models.DateTimeField("creado", default=timezone.now)
    sent_at = models.DateTimeField("enviado", null=True, blank=True)

    class Meta:
        verbose_name = "mensaje saliente"
        verbose_name_plural = "mensajes salientes"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_due_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], name="outbox_key_uniq", opclasses=["varchar_pattern_ops"]
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.key}"


class NoticeMessage(models.Model):
    """What a notice says and where it comes from: shared by the notice one user receives
    (``Notification``) and the notice to a large audience the worker writes out
    (``NotificationBatch``), which copies its ``message()`` to every recipient's row.

    **Never a secret in ``subject`` or ``body``**: they are shown, mailed and kept.
    """

    subject = models.CharField("asunto", max_length=255)
    body = models.TextField("texto", blank=True)
    url = models.CharField("enlace", max_length=500, blank=True)
    instance = instance_link()
    actor = user_link("originado por")
    key = models.CharField("clave", max_length=200, blank=True)
    created_at = models.DateTimeField("fecha", default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.subject

    def message(self) -> dict[str, Any]:
        """The columns a recipient's ``Notification`` row takes from this notice
        (``notices.insert_notifications``)."""
        return {
            "subject": self.subject,
            "body": self.body,
            "url": self.url,
            "instance_id": self.instance_id,
            "actor_id": self.actor_id,
            "key": self.key,
            "created_at": self.created_at,
        }


class Notification(NoticeMessage):
    """One notice to one user: shown in their notification list, and mailed.

    Written by ``actions.do_notify`` (one row per recipient, in the transaction of the change
    that causes it). The mail does not go in that transaction: ``mail_state`` is "pending" for
    those who want each notice at once (the fan-out job writes one outbox mail per row, key
    ``notification:<id>``, and marks it "queued"), "digest" for those who want a daily summary
    (the digest job), "no_address" when the user has no address. ``read_at`` is set when the user
    opens it. ``key``, when given, makes the notice idempotent per recipient.
    """

    # No index of its own: notif_recipient_unread leads with it.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="destinatario",
        on_delete=models.CASCADE,
        related_name="notifications",
        db_index=False,
    )
    read_at = models.DateTimeField("leída", null=True, blank=True)
    mail_state = models.CharField(
        "correo", max_length=12, choices=MailState.choices, default=MailState.PENDING
    )

    class Meta:
        verbose_name = "notificación"
        verbose_name_plural = "notificaciones"
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_unread"),
            models.Index(fields=["mail_state", "id"], name="notif_mail_state"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~models.Q(key=""),
                name="notif_unique_key_per_recipient",
            )
        ]

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A user's choice: each notice mailed at once (the default) or a daily digest."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="usuario",
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    mail_delivery = models.CharField(
        "correo de avisos",
        max_length=10,
        choices=MailDelivery.choices,
        default=MailDelivery.IMMEDIATE,
    )
    updated_at = models.DateTimeField("actualizada", auto_now=True)

    class Meta:
        verbose_name = "preferencia de notificaciones"
        verbose_name_plural = "preferencias de notificaciones"

    def __str__(self) -> str:
        return f"{self.user} — {self.get_mail_delivery_display()}"


class NotificationBatch(NoticeMessage):
    """A notice to a large audience, written to its recipients by the worker.

    ``do_notify`` tells up to ``NOTIFICATIONS_SYNC_LIMIT`` people in the request; above that it
    stores this row instead (one INSERT, in the same transaction) and ``fanout.expand_batches``
    writes the ``Notification`` rows afterwards, with the holders of ``roles`` on ``day`` (the
    day of the change, not of the expansion) plus ``user_ids``. ``expanded_at`` is set once.
    """

    roles = models.JSONField("roles", default=list)
    user_ids = models.JSONField("usuarios", default=list)
    unit = link("organization.Unit", "ámbito")
    day = models.DateField("día de los titulares")
    expanded_at = models.DateTimeField("repartido", null=True, blank=True)

    class Meta:
        verbose_name = "aviso masivo"
        verbose_name_plural = "avisos masivos"
        ordering = ["id"]
        indexes = [models.Index(fields=["expanded_at", "id"], name="notif_batch_pending")]
