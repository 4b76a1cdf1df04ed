"""Maintenance records: every preventive or corrective intervention on an equipment."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from mapro.core.fields import instance_link, user_link

from ..choices import (
    EquipmentState,
    MaintenanceExecutor,
    MaintenanceKind,
    MaintenanceOutcome,
    WarrantyDecision,
)
from .equipment import Equipment


class Maintenance(models.Model):
    """One intervention (S04.03.04.03, actividades 4-13; S04.04.00.01, 13-14).

    The visit's help-desk ticket, the execution and its outcome (¿se dio solución?), and, when
    not solved, the warranty decision taken with DIGEPAT: with warranty the informe situacional
    (the área usuaria asks DIRAB for the replacement), without it the oficio de baja. Both are
    numbered documents of ``mapro.documents``. ``state_after`` is the inventory state the
    intervention left the equipment in. Never recorded for equipment dado de baja (the action
    refuses it, naming the field).
    """

    # No index of its own: inventory_mnt_eq_date leads with it.
    equipment = models.ForeignKey(
        Equipment,
        verbose_name="equipo",
        on_delete=models.PROTECT,
        related_name="maintenances",
        db_index=False,
    )
    kind = models.CharField("tipo de mantenimiento", max_length=12, choices=MaintenanceKind.choices)
    executor = models.CharField(
        "ejecutado por",
        max_length=12,
        choices=MaintenanceExecutor.choices,
        default=MaintenanceExecutor.OGTIE,
    )
    contractor = models.CharField("contratista", max_length=200, blank=True)
    scheduled_on = models.DateField("fecha programada", null=True, blank=True)
    performed_on = models.DateField("fecha de ejecución", null=True, blank=True)
    # The form's "N° de ticket" as typed (maybe not ours); the FK is `instance`
    # (docs/architecture.md, "References kept as values").
    ticket = models.CharField("N° de ticket", max_length=50, blank=True)
    technician = user_link("técnico")
    technician_name = models.CharField("técnico (nombre)", max_length=200, blank=True)
    findings = models.TextField("problema encontrado", blank=True)
    action_taken = models.TextField("acción realizada", blank=True)
    outcome = models.CharField(
        "¿se dio solución?",
        max_length=16,
        choices=MaintenanceOutcome.choices,
        default=MaintenanceOutcome.PENDIENTE,
    )
    warranty = models.CharField(
        "¿tiene garantía?", max_length=14, choices=WarrantyDecision.choices, blank=True
    )
    warranty_checked_with = models.CharField(
        "garantía revisada con (DIGEPAT)", max_length=200, blank=True
    )
    baja_reason = models.TextField("motivo de la baja", blank=True)
    oficio = models.ForeignKey(
        "documents.Document",
        verbose_name="oficio de baja de equipo",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    informe = models.ForeignKey(
        "documents.Document",
        verbose_name="informe situacional de equipo",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state_after = models.CharField(
        "estado resultante", max_length=20, choices=EquipmentState.choices, blank=True
    )
    instance = instance_link()
    created_by = user_link("registrado por")
    created_at = models.DateTimeField("registrado", auto_now_add=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)

    class Meta:
        verbose_name = "mantenimiento"
        verbose_name_plural = "mantenimientos"
        ordering = ["-performed_on", "-scheduled_on", "-id"]
        indexes = [
            models.Index(fields=["equipment", "performed_on"], name="inventory_mnt_eq_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(warranty="") | Q(outcome=MaintenanceOutcome.NO_SOLUCIONADO),
                name="inventory_mnt_warranty_only_when_unsolved",
                violation_error_message="La garantía se revisa solo si no se dio solución.",
            ),
            models.CheckConstraint(
                condition=Q(performed_on__isnull=False) | Q(outcome=MaintenanceOutcome.PENDIENTE),
                name="inventory_mnt_performed_when_answered",
                violation_error_message="Un mantenimiento con resultado tiene fecha de ejecución.",
            ),
            models.CheckConstraint(
                condition=~Q(executor=MaintenanceExecutor.CONTRATISTA) | ~Q(contractor=""),
                name="inventory_mnt_contractor_named",
                violation_error_message="Indique el contratista.",
            ),
        ]

    def __str__(self) -> str:
        day = self.performed_on or self.scheduled_on
        when = f" ({day:%d/%m/%Y})" if day else ""
        return f"{self.get_kind_display()} de {self.equipment.code}{when}"
