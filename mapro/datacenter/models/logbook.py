"""The bitácora de registro de ingresos al centro de datos (Formato N° 1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from mapro.core.fields import user_link


class LogbookEntry(models.Model):
    """One line of the bitácora: a person's entry into the data center and, later, their exit.

    The row copies who entered (name, DNI, company) so it reads alone, as the paper format
    does; the visit gives the purpose's context and the ticket. Invariants (actions and
    database constraints): an exit never precedes its entry; one person (DNI) has at most one
    open entry (entered, not exited) at a time; only people listed in the visit enter.
    """

    visit = models.ForeignKey(
        "datacenter.Visit", verbose_name="visita", on_delete=models.PROTECT, related_name="entries"
    )
    person = models.ForeignKey(
        "datacenter.VisitPerson",
        verbose_name="persona",
        on_delete=models.PROTECT,
        related_name="entries",
    )
    full_name = models.CharField("nombre completo", max_length=200)
    dni = models.CharField("DNI", max_length=8)
    company = models.CharField("empresa o entidad", max_length=200, blank=True)
    escort_name = models.CharField("acompañante", max_length=200)
    escort = user_link("acompañante (usuario)")
    purpose = models.CharField("motivo", max_length=300)
    entered_at = models.DateTimeField("ingreso")
    exited_at = models.DateTimeField("salida", null=True, blank=True)
    activity = models.PositiveIntegerField("actividad del ingreso", null=True, blank=True)
    entry_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="ingreso registrado por",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    exit_recorded_by = user_link("salida registrada por")
    created_at = models.DateTimeField("registrado", auto_now_add=True)

    class Meta:
        verbose_name = "ingreso al centro de datos"
        verbose_name_plural = "bitácora de ingresos al centro de datos"
        ordering = ["-entered_at", "-id"]
        indexes = [
            models.Index(fields=["-entered_at", "-id"], name="dc_entry_entered"),
            models.Index(fields=["dni", "-entered_at"], name="dc_entry_dni"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(exited_at__isnull=True) | Q(exited_at__gte=F("entered_at")),
                name="dc_entry_exit_after_entry",
                violation_error_message="La salida no puede ser anterior al ingreso.",
            ),
            models.UniqueConstraint(
                fields=["dni"],
                condition=Q(exited_at__isnull=True),
                name="dc_entry_one_open_per_dni",
                violation_error_message="La persona ya tiene un ingreso sin salida.",
            ),
        ]

    def __str__(self) -> str:
        return f"Ingreso N° {self.pk}: {self.full_name} (DNI {self.dni})"

    @property
    def is_open(self) -> bool:
        return self.exited_at is None
