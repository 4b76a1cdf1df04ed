"""The twice-a-year reconciliation of the DGRRHH list of altas y bajas with the accounts register
(S04.03.01.02, activities 11 to 17)."""

from __future__ import annotations

from django.db import models

from mapro.core.fields import instance_link, link, user_link

from ..choices import DifferenceKind, DifferenceStatus, Movement, ReconciliationSource


class Reconciliation(models.Model):
    """One contrast of an uploaded DGRRHH list with the accounts register (activity 14).

    The file is kept as its name and SHA-256 (evidence of what was contrasted), its rows as
    ``ReconciliationRow`` and what the contrast found as ``ReconciliationDifference``; both
    are written in the upload's transaction, all or nothing, and never change afterwards
    (only a difference's attention does).
    """

    source = models.CharField(
        "origen",
        max_length=12,
        choices=ReconciliationSource.choices,
        default=ReconciliationSource.LISTADO,
    )
    period = models.CharField("periodo", max_length=20)
    file_name = models.CharField("archivo", max_length=200)
    file_sha256 = models.CharField("SHA-256 del archivo", max_length=64)
    rows_count = models.PositiveIntegerField("filas")
    instance = instance_link()
    uploaded_by = user_link("cargado por")
    uploaded_by_name = models.CharField("nombre de quien cargó", max_length=200)
    uploaded_at = models.DateTimeField("cargado", auto_now_add=True)

    class Meta:
        verbose_name = "conciliación de altas y bajas"
        verbose_name_plural = "conciliaciones de altas y bajas"
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"Conciliación {self.period} (n.° {self.pk})"


class ReconciliationRow(models.Model):
    """One row of the DGRRHH list as it was uploaded (``line``: the file's line number)."""

    # No index of its own: hr_recon_row_dni_once leads with it.
    reconciliation = models.ForeignKey(
        Reconciliation,
        on_delete=models.CASCADE,
        related_name="rows",
        verbose_name="conciliación",
        db_index=False,
    )
    line = models.PositiveIntegerField("línea")
    dni = models.CharField("DNI", max_length=8)
    first_name = models.CharField("nombres", max_length=120)
    last_name = models.CharField("apellidos", max_length=120)
    unit_code = models.CharField("unidad", max_length=30, blank=True)
    movement = models.CharField("alta o baja", max_length=10, choices=Movement.choices)
    date = models.DateField("fecha")

    class Meta:
        verbose_name = "fila del listado de altas y bajas"
        verbose_name_plural = "filas del listado de altas y bajas"
        ordering = ["reconciliation", "line"]
        constraints = [
            models.UniqueConstraint(fields=["reconciliation", "dni"], name="hr_recon_row_dni_once")
        ]

    def __str__(self) -> str:
        return f"{self.dni} {self.get_movement_display()}"


class ReconciliationDifference(models.Model):
    """One difference the contrast found, listed for action until attended with a note.

    ``accounts`` names the accounts concerned (as the register had them at the upload).
    Invariant: an ``atendida`` difference has who attended it, when, and a note.
    """

    reconciliation = models.ForeignKey(
        Reconciliation,
        on_delete=models.CASCADE,
        related_name="differences",
        verbose_name="conciliación",
    )
    kind = models.CharField("diferencia", max_length=30, choices=DifferenceKind.choices)
    dni = models.CharField("DNI", max_length=20, blank=True)
    person = link("organization.Person", "persona")
    person_name = models.CharField("nombre", max_length=250)
    line = models.PositiveIntegerField("línea del listado", null=True, blank=True)
    movement_date = models.DateField("fecha según la DGRRHH", null=True, blank=True)
    accounts = models.CharField("cuentas", max_length=500, blank=True)
    status = models.CharField(
        "estado",
        max_length=20,
        choices=DifferenceStatus.choices,
        default=DifferenceStatus.PENDIENTE,
    )
    attended_by = user_link("atendida por")
    attended_by_name = models.CharField("nombre de quien atendió", max_length=200, blank=True)
    attended_at = models.DateTimeField("atendida", null=True, blank=True)
    note = models.TextField("nota de atención", blank=True)
    instance = instance_link("expediente iniciado")

    class Meta:
        verbose_name = "diferencia de la conciliación"
        verbose_name_plural = "diferencias de la conciliación"
        ordering = ["reconciliation", "kind", "person_name", "id"]
        indexes = [models.Index(fields=["status", "kind"], name="hr_diff_status_kind")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status=DifferenceStatus.PENDIENTE)
                | (models.Q(attended_at__isnull=False) & ~models.Q(note="")),
                name="hr_diff_attended_has_note",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.person_name}"
