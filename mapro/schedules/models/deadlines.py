"""Deadline notices of procedure tasks (the due date itself is ``WorkItem.due_at``)."""

from django.db import models

from ..choices import NoticeKind


class DeadlineNotice(models.Model):
    """A notice sent because an open task passed a limit: the reminder or the escalation.

    Invariant: one row per ``(work_item, kind)`` (unique), inserted with ``INSERT … ON CONFLICT
    DO NOTHING`` in the transaction that writes the notice's mails: each notice goes out once,
    whatever the number of workers and restarts. ``recipients`` keeps who was told (usernames),
    empty when nobody held the role in scope — the task's page says so.
    """

    # No index of its own: sched_notice_uniq leads with it.
    work_item = models.ForeignKey(
        "procedures.WorkItem",
        verbose_name="tarea",
        on_delete=models.CASCADE,
        related_name="deadline_notices",
        db_index=False,
    )
    kind = models.CharField("tipo", max_length=12, choices=NoticeKind.choices)
    roles = models.JSONField("roles avisados", default=list)
    recipients = models.JSONField("destinatarios", default=list)
    sent_at = models.DateTimeField("enviado")
    escalate_at = models.DateTimeField(
        "escalar el",
        null=True,
        blank=True,
        help_text="En el recordatorio: cuándo escalar si la tarea sigue abierta (vacío: nunca, "
        "o ya escalada).",
    )

    class Meta:
        verbose_name = "aviso de plazo"
        verbose_name_plural = "avisos de plazo"
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["work_item", "kind"], name="sched_notice_uniq"),
        ]
        indexes = [
            models.Index(
                fields=["escalate_at"],
                condition=models.Q(escalate_at__isnull=False),
                name="sched_notice_escalate",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: tarea {self.work_item_id}"
