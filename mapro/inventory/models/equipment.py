"""The inventory of equipment (a CMDB of what the scheduled procedures touch)."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q

from ..choices import RETIRED_STATES, Criticality, EquipmentKind, EquipmentState


class Equipment(models.Model):
    """One inventoried item: a server, a switch or router, the telephone exchange, a computer,
    a printer or a security platform.

    ``code`` (código de inventario) is the key every import and every other register uses;
    serial and patrimonial code are unique when given. Servers carry their criticality; computers
    and printers their holder, unit and location; security platforms their primary and secondary
    responsible (S04.04.00.01, actividad 1). ``state`` is changed only by the actions
    (``mapro.inventory.actions``), each change audited on this row, so ``history_of`` shows every
    change and every maintenance of the equipment. Other registers point here (run records,
    the catalogue of systems hosted on a server).
    """

    # Unique by inventory_equipment_code_uniq (Meta): a unique field would add a
    # varchar_pattern_ops twin, and no query reads it by prefix.
    code = models.CharField("código de inventario", max_length=40)
    kind = models.CharField("tipo", max_length=30, choices=EquipmentKind.choices)
    name = models.CharField("nombre / hostname", max_length=200)
    brand = models.CharField("marca", max_length=100, blank=True)
    model_name = models.CharField("modelo", max_length=100, blank=True)
    serial = models.CharField("N° de serie", max_length=100, blank=True)
    patrimonial_code = models.CharField("código patrimonial", max_length=100, blank=True)
    ip_address = models.GenericIPAddressField("dirección IP", null=True, blank=True)
    state = models.CharField(
        "estado", max_length=20, choices=EquipmentState.choices, default=EquipmentState.OPERATIVO
    )
    criticality = models.CharField(
        "criticidad", max_length=10, choices=Criticality.choices, blank=True
    )
    unit = models.ForeignKey(
        "organization.Unit",
        verbose_name="unidad de organización",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    location = models.CharField("ubicación", max_length=200, blank=True)
    holder = models.ForeignKey(
        "organization.Person",
        verbose_name="usuario responsable (titular)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responsible = models.ForeignKey(
        "organization.Person",
        verbose_name="responsable primario",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    backup_responsible = models.ForeignKey(
        "organization.Person",
        verbose_name="responsable secundario",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    acquired_on = models.DateField("fecha de adquisición", null=True, blank=True)
    warranty_end = models.DateField("fin de la garantía", null=True, blank=True)
    warranty_provider = models.CharField("proveedor de la garantía", max_length=200, blank=True)
    retired_on = models.DateField("fecha de baja", null=True, blank=True)
    notes = models.TextField("observaciones", blank=True)
    created_at = models.DateTimeField("registrado", auto_now_add=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)

    class Meta:
        verbose_name = "equipo"
        verbose_name_plural = "equipos"
        ordering = ["code"]
        indexes = [
            models.Index(fields=["kind", "state"], name="inventory_eq_kind_state"),
            models.Index(fields=["warranty_end"], name="inventory_eq_warranty"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="inventory_equipment_code_uniq"),
            models.UniqueConstraint(
                fields=["serial"],
                condition=~Q(serial=""),
                name="inventory_eq_unique_serial",
                violation_error_message="Ya hay un equipo con ese número de serie.",
            ),
            models.UniqueConstraint(
                fields=["patrimonial_code"],
                condition=~Q(patrimonial_code=""),
                name="inventory_eq_unique_patrimonial",
                violation_error_message="Ya hay un equipo con ese código patrimonial.",
            ),
            models.CheckConstraint(
                condition=Q(retired_on__isnull=True) | Q(state=EquipmentState.BAJA),
                name="inventory_eq_retired_date_only_when_baja",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_retired(self) -> bool:
        """Dado de baja (or on its way): no maintenance is recorded any more."""
        return self.state in RETIRED_STATES

    def under_warranty(self, day: datetime.date) -> bool:
        """The warranty has not ended on ``day`` (inclusive)."""
        return self.warranty_end is not None and day <= self.warranty_end
