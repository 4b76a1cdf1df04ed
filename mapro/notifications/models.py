"""The outbox: background effects written in the transaction of the change that causes them.

See ``docs/decisions/outbox.md``. A row is committed (or rolled back) together with the state
change, and the worker delivers it at least once, carrying its idempotency key so the receiving
side can drop a repeat.

**Never put a secret in a row** (initial passwords, VPN credentials, tokens): rows are kept,
shown in the admin and copied to backups. Mail a one-time link that reveals the secret to the
logged-in recipient instead (design.md, "Background effects go through an outbox").
"""

from django.db import models
from django.utils import timezone

from .choices import Channel, OutboxStatus


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
    key = models.CharField(
        "clave de idempotencia",
        max_length=200,
        unique=True,
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

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.key}"
