"""Inventory of devices for the digital certificate (S04.03.04.01) and their holders."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from mapro.core.fields import instance_link, user_link

from ..choices import CertDeviceKind, DeviceStatus, LeavingReason
from .base import AssignmentBase


class CertDevice(models.Model):
    """A tarjeta criptográfica or a lector de tarjetas for RENIEC's digital certificate.

    ``status`` and ``holder_unit`` mirror the open assignment, as for phones.
    """

    kind = models.CharField("dispositivo", max_length=25, choices=CertDeviceKind.choices)
    # Unique by assets_certdevice_serial_uniq (Meta): a unique field would add a
    # varchar_pattern_ops twin, and no query reads it by prefix.
    serial = models.CharField("serie o código", max_length=100)
    patrimonial_code = models.CharField("código patrimonial", max_length=100, blank=True)
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
        verbose_name = "dispositivo para el certificado digital"
        verbose_name_plural = "dispositivos para el certificado digital"
        ordering = ["serial"]
        indexes = [models.Index(fields=["status", "kind"], name="assets_cert_status")]
        constraints = [
            models.UniqueConstraint(fields=["serial"], name="assets_certdevice_serial_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.serial}"


class CertAssignment(AssignmentBase):
    """A certificate device in its holder's hands.

    Assigning requires what the manual requires before the devices are handed over: the
    declaración jurada de identificación, the request registered in RENIEC's platform and
    RENIEC's approval (dates). The return, when the person leaves MINDEF, records the reason
    and, afterwards, the Jefe(a) de la OGTIE's conformity. Invariant: at most one open
    assignment per device (partial unique index).
    """

    device = models.ForeignKey(
        CertDevice, verbose_name="dispositivo", on_delete=models.PROTECT, related_name="assignments"
    )
    declaracion_jurada = models.CharField("declaración jurada", max_length=300)
    reniec_registered_on = models.DateField("registro en la plataforma de RENIEC")
    reniec_request = models.CharField("N° de solicitud RENIEC", max_length=100, blank=True)
    reniec_approved_on = models.DateField("aprobación de RENIEC")
    leaving_reason = models.CharField(
        "motivo de la desvinculación", max_length=20, choices=LeavingReason.choices, blank=True
    )
    return_instance = instance_link("expediente de la devolución")
    conformity_on = models.DateField("conformidad del Jefe(a) de la OGTIE", null=True, blank=True)
    conformity_by = user_link("conformidad dada por")
    conformity_by_name = models.CharField("conformidad (nombre)", max_length=200, blank=True)

    class Meta:
        verbose_name = "asignación de dispositivo para el certificado digital"
        verbose_name_plural = "asignaciones de dispositivos para el certificado digital"
        ordering = ["-assigned_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["device"],
                condition=Q(returned_on__isnull=True),
                name="assets_one_open_cert_assignment",
                violation_error_message="El dispositivo ya está asignado.",
            ),
            models.CheckConstraint(
                condition=Q(conformity_on__isnull=True) | Q(returned_on__isnull=False),
                name="assets_cert_conformity_after_return",
                violation_error_message="La conformidad se da sobre una devolución.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.device.serial} → {self.holder_name}"
