"""Inventory of telephone equipment (S04.03.03.02) and its assignments."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from ..choices import DeviceStatus, PhoneKind
from .base import AssignmentBase


class PhoneEquipment(models.Model):
    """An IP or mobile telephone of MINDEF handed out by OGTIE.

    ``status`` and ``holder_unit`` mirror the open assignment (kept by the actions in the same
    transaction): ``asignado`` with the holder's unit while one is open, ``disponible`` (no
    unit) otherwise. IP phones carry an extension (anexo) and their Call Manager registration;
    mobiles a line number.
    """

    kind = models.CharField("tipo", max_length=10, choices=PhoneKind.choices)
    brand_model = models.CharField("marca y modelo", max_length=200, blank=True)
    # Unique by assets_phoneequipment_serial_uniq (Meta): a unique field would add a
    # varchar_pattern_ops twin, and no query reads it by prefix.
    serial = models.CharField("N° de serie", max_length=100)
    patrimonial_code = models.CharField("código patrimonial", max_length=100, blank=True)
    extension = models.CharField("anexo", max_length=20, blank=True)
    call_manager_registered = models.BooleanField("registrado en Call Manager", default=False)
    line_number = models.CharField("N° de línea", max_length=20, blank=True)
    status = models.CharField(
        "estado", max_length=12, choices=DeviceStatus.choices, default=DeviceStatus.DISPONIBLE
    )
    holder_unit = models.ForeignKey(
        "organization.Unit",
        verbose_name="unidad del titular",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    notes = models.TextField("observaciones", blank=True)
    created_at = models.DateTimeField("registrado", auto_now_add=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)

    class Meta:
        verbose_name = "equipo telefónico"
        verbose_name_plural = "equipos telefónicos"
        ordering = ["serial"]
        indexes = [models.Index(fields=["status", "kind"], name="assets_phone_status")]
        constraints = [
            models.UniqueConstraint(fields=["serial"], name="assets_phoneequipment_serial_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.serial}"


class PhoneAssignment(AssignmentBase):
    """A phone in a person's hands: the Acta de entrega de equipos telefónicos – OGTIE, the
    Acta de asignación de bienes with its four signatures (user, the user's director, the
    infrastructure coordinator and DIGEP's director, each with name and date), and the return.

    Invariant: at most one open assignment per phone (partial unique index).
    """

    equipment = models.ForeignKey(
        PhoneEquipment,
        verbose_name="equipo",
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    delivered_on = models.DateField("fecha de entrega", null=True, blank=True)
    received_by = models.CharField("recibido por (usuario)", max_length=200, blank=True)
    acta_asignacion = models.CharField("acta de asignación de bienes", max_length=300, blank=True)
    firma_usuario_nombre = models.CharField("firma del usuario", max_length=200, blank=True)
    firma_usuario_fecha = models.DateField("fecha de firma del usuario", null=True, blank=True)
    firma_director_uo_nombre = models.CharField(
        "firma del Director(a) o Jefe(a) del área usuaria", max_length=200, blank=True
    )
    firma_director_uo_fecha = models.DateField(
        "fecha de firma del Director(a) o Jefe(a)", null=True, blank=True
    )
    firma_coord_infraestructura_nombre = models.CharField(
        "firma del Responsable de la coordinación de infraestructura", max_length=200, blank=True
    )
    firma_coord_infraestructura_fecha = models.DateField(
        "fecha de firma del Responsable de la coordinación", null=True, blank=True
    )
    firma_director_digep_nombre = models.CharField(
        "firma del Director(a) de la DIGEP", max_length=200, blank=True
    )
    firma_director_digep_fecha = models.DateField(
        "fecha de firma del Director(a) de la DIGEP", null=True, blank=True
    )

    class Meta:
        verbose_name = "asignación de equipo telefónico"
        verbose_name_plural = "asignaciones de equipos telefónicos"
        ordering = ["-assigned_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["equipment"],
                condition=Q(returned_on__isnull=True),
                name="assets_one_open_phone_assignment",
                violation_error_message="El equipo ya está asignado.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.equipment.serial} → {self.holder_name}"

    @property
    def signatures_complete(self) -> bool:
        """All four signatures of the Acta de asignación de bienes are recorded."""
        from ..choices import ACTA_SIGNERS

        return all(
            getattr(self, f"firma_{key}_nombre") and getattr(self, f"firma_{key}_fecha")
            for key, _ in ACTA_SIGNERS
        )
