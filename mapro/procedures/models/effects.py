"""What the domains did with the effects of a completed activity (``mapro.procedures.effects``)."""

from django.db import models


class EffectOutcomeStatus(models.TextChoices):
    APPLIED = "applied", "Aplicado"
    SKIPPED = "skipped", "Omitido"


class EffectOutcome(models.Model):
    """One effect of one completed activity, as handled by its domain's handler.

    Written by ``effects.dispatch_effects`` in the transaction that completes the activity, so
    the outcome exists exactly when the step does. ``(record, position)`` is unique: dispatching
    the same completion again finds the row and calls nothing, which makes every handler
    idempotent per (instance, activity completion). ``position`` is the index of the effect in
    the activity's ``effects`` list; ``detail`` is what the handler reports (e.g. the number of
    the ticket it created) or why it did nothing. Effects of kinds without a handler get no row:
    the ``TaskRecord.effects`` copy is their only record, as before.
    """

    # No index of their own: proc_effect_inst_kind and proc_effect_one_per_position lead with them.
    instance = models.ForeignKey(
        "procedures.Instance",
        verbose_name="expediente",
        on_delete=models.CASCADE,
        related_name="effect_outcomes",
        db_index=False,
    )
    record = models.ForeignKey(
        "procedures.TaskRecord",
        verbose_name="paso",
        on_delete=models.CASCADE,
        related_name="effect_outcomes",
        db_index=False,
    )
    position = models.PositiveSmallIntegerField("posición del efecto")
    kind = models.CharField("tipo", max_length=20)
    value = models.JSONField("valor", default=str)
    status = models.CharField("resultado", max_length=10, choices=EffectOutcomeStatus.choices)
    detail = models.JSONField("detalle", default=dict)
    created_at = models.DateTimeField("fecha", auto_now_add=True)

    class Meta:
        verbose_name = "efecto aplicado"
        verbose_name_plural = "efectos aplicados"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["record", "position"], name="proc_effect_one_per_position"
            ),
        ]
        indexes = [models.Index(fields=["instance", "kind"], name="proc_effect_inst_kind")]

    def __str__(self) -> str:
        return f"{self.record_id}#{self.position} {self.kind}: {self.status}"
