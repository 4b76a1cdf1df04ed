"""Log of restore requests and their outcome (S04.03.02.02)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from mapro.core.fields import instance_link, user_link

from ..choices import InformationKind, RestoreAction, RestoreOutcome


class RestoreRequest(models.Model):
    """One requirement of copia de restauración de información and what came of it.

    A request names the system (or database, or location of personal information) and the
    date or period of the data: without them there is nothing to restore, so both are
    required (and a database constraint keeps them non-empty). ``closed_on`` is the day the
    outcome was recorded (restored, or the request returned): the semiannual informe de copia
    de restauración lists the requests closed in its semester.
    """

    information_kind = models.CharField(
        "información a restaurar",
        max_length=12,
        choices=InformationKind.choices,
        default=InformationKind.SISTEMA,
    )
    system = models.CharField("sistema, base de datos o ubicación", max_length=200)
    period = models.CharField("fecha o periodo de la información", max_length=100)
    description = models.TextField("descripción", blank=True)
    requester = models.ForeignKey(
        "organization.Person",
        verbose_name="solicitante",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    requester_name = models.CharField("solicitante (nombre)", max_length=200)
    unit = models.ForeignKey(
        "organization.Unit", verbose_name="unidad", on_delete=models.PROTECT, related_name="+"
    )
    # The form's "N° de ticket" as typed (maybe not ours); the FK is `instance`
    # (docs/architecture.md, "References kept as values").
    ticket = models.CharField("N° de ticket", max_length=50, blank=True)
    instance = instance_link()
    requested_on = models.DateField("fecha de solicitud")
    outcome = models.CharField(
        "resultado",
        max_length=12,
        choices=RestoreOutcome.choices,
        default=RestoreOutcome.PENDIENTE,
    )
    action = models.CharField(
        "acción ejecutada", max_length=14, choices=RestoreAction.choices, blank=True
    )
    backup_used = models.CharField("copia de respaldo utilizada", max_length=200, blank=True)
    result = models.TextField("detalle del resultado", blank=True)
    closed_on = models.DateField("fecha de atención", null=True, blank=True)
    restored_by = user_link("atendido por")
    restored_by_name = models.CharField("atendido por (nombre)", max_length=200, blank=True)
    created_at = models.DateTimeField("registrado", auto_now_add=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)

    class Meta:
        verbose_name = "requerimiento de copia de restauración"
        verbose_name_plural = "requerimientos de copia de restauración"
        ordering = ["-requested_on", "-id"]
        indexes = [models.Index(fields=["closed_on"], name="assets_restore_closed")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(system="") & ~Q(period=""),
                name="assets_restore_names_system_and_period",
                violation_error_message="Indique el sistema y el periodo de la información.",
            ),
            models.UniqueConstraint(
                fields=["instance"],
                condition=Q(instance__isnull=False),
                name="assets_one_restore_per_instance",
            ),
        ]

    def __str__(self) -> str:
        return f"Restauración {self.pk}: {self.system} ({self.period})"
