"""The Matriz de registro de incidentes de seguridad de la información (SGSI-FOR-006).

One matrix for infrastructure incidents (S04.03.01.05) and security incidents (S04.04.00.03):
each row is an ``Incident`` with its classification and times, and ``IncidentAction`` rows are
the actions taken in each phase, with who and when (its timeline).
"""

from __future__ import annotations

import datetime

from django.db import models

from mapro.core.fields import link, user_link

from .choices import Category, DetectionSource, Kind, Level, Origin, Phase, Status


class IncidentSequence(models.Model):
    """The last incident number given in a year: ``INC-<year>-<last:04d>``.

    Incremented with ``UPDATE … SET last = last + 1`` in the transaction that registers the
    incident, so numbers are correlative per year, without gaps or duplicates.
    """

    year = models.PositiveIntegerField("año", primary_key=True)
    last = models.PositiveIntegerField("último número", default=0)

    class Meta:
        verbose_name = "correlativo de incidentes"
        verbose_name_plural = "correlativos de incidentes"

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Incident(models.Model):
    """A row of the matrix SGSI-FOR-006.

    Invariants kept by ``mapro.incidents.actions`` (the only writers): ``code`` is correlative
    per year; ``contained_at`` is the latest ``performed_at`` of the containment actions (None
    without any); a closed incident has ``resolution`` and ``resolved_at``, and a closed security
    incident also ``lessons_learned``; ``reporting_unit`` is set when ``origin`` is a unit's
    report (it may be unknown for an infrastructure report that names the unit only in text).
    """

    # Unique by incidents_incident_code_uniq (Meta): a unique field would add a
    # varchar_pattern_ops twin, and no query reads it by prefix.
    code = models.CharField("código", max_length=20, editable=False)
    kind = models.CharField("tipo", max_length=16, choices=Kind.choices)
    status = models.CharField(
        "estado", max_length=10, choices=Status.choices, default=Status.ABIERTO
    )
    title = models.CharField("título", max_length=200)
    description = models.TextField("descripción")
    origin = models.CharField("origen", max_length=10, choices=Origin.choices)
    detection_source = models.CharField(
        "fuente de detección", max_length=24, choices=DetectionSource.choices
    )
    detected_at = models.DateTimeField("detectado")
    # No index of its own: inc_unit leads with it.
    reporting_unit = models.ForeignKey(
        "organization.Unit",
        verbose_name="unidad que reporta",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    reported_by = models.CharField("reportado por", max_length=200, blank=True)
    category = models.CharField("categoría", max_length=24, choices=Category.choices, blank=True)
    severity = models.CharField("severidad", max_length=6, choices=Level.choices, blank=True)
    priority = models.CharField("prioridad", max_length=6, choices=Level.choices, blank=True)
    affected_assets = models.TextField("activos afectados", blank=True)
    affected_services = models.TextField("sistemas y/o servicios afectados", blank=True)
    external_support = models.TextField("soporte externo", blank=True)
    resolution = models.TextField("resolución", blank=True)
    lessons_learned = models.TextField("lecciones aprendidas", blank=True)
    contained_at = models.DateTimeField("contenido", null=True, blank=True)
    resolved_at = models.DateTimeField("resuelto", null=True, blank=True)
    closed_at = models.DateTimeField("cerrado", null=True, blank=True)
    ticket = models.ForeignKey(
        "helpdesk.Ticket",
        verbose_name="ticket de atención",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incidents",
    )
    instance = models.OneToOneField(
        "procedures.Instance",
        verbose_name="expediente",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incident",
    )
    created_by = user_link("registrado por")
    created_at = models.DateTimeField("registrado", auto_now_add=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)

    class Meta:
        verbose_name = "incidente"
        verbose_name_plural = "matriz de registro de incidentes (SGSI-FOR-006)"
        ordering = ["-detected_at", "-id"]
        indexes = [
            models.Index(fields=["-detected_at", "-id"], name="inc_detected"),
            models.Index(fields=["kind", "status", "-detected_at"], name="inc_kind_status"),
            models.Index(fields=["severity", "-detected_at"], name="inc_severity"),
            models.Index(fields=["reporting_unit", "-detected_at"], name="inc_unit"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="incidents_incident_code_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    @property
    def time_to_contain(self) -> datetime.timedelta | None:
        """From detection to containment (None until contained)."""
        if self.contained_at is None:
            return None
        return self.contained_at - self.detected_at

    @property
    def time_to_resolve(self) -> datetime.timedelta | None:
        """From detection to resolution (None until resolved)."""
        if self.resolved_at is None:
            return None
        return self.resolved_at - self.detected_at


class IncidentAction(models.Model):
    """One action taken in a phase of an incident, with who and when: a line of its timeline.

    Append-only. ``performed_at`` is when it was done (as declared, or when the procedure step
    was completed); ``performed_by_name`` is copied so the timeline survives the user.
    ``record`` is the procedure step it came from, if any (one action per step and incident).
    """

    # No index of its own: inc_action_incident leads with it.
    incident = models.ForeignKey(
        Incident,
        verbose_name="incidente",
        on_delete=models.CASCADE,
        related_name="actions",
        db_index=False,
    )
    phase = models.CharField("fase", max_length=16, choices=Phase.choices)
    description = models.TextField("acción realizada")
    performed_by = user_link("realizada por")
    performed_by_name = models.CharField("nombre de quien la realizó", max_length=200)
    performed_at = models.DateTimeField("fecha y hora")
    record = link("procedures.TaskRecord", "paso del procedimiento")
    recorded_at = models.DateTimeField("registrada", auto_now_add=True)

    class Meta:
        verbose_name = "acción del incidente"
        verbose_name_plural = "acciones del incidente"
        ordering = ["performed_at", "id"]
        indexes = [models.Index(fields=["incident", "performed_at"], name="inc_action_incident")]
        constraints = [
            models.UniqueConstraint(fields=["incident", "record"], name="inc_action_one_per_step"),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.get_phase_display()}"
