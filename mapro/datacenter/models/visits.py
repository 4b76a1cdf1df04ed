"""Visits to the data center, who comes, and the papers that let them in (S04.03.01.03)."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models

from mapro.core.fields import link, user_link

from ..choices import CheckKind, CheckOutcome, DocumentKind, VisitKind

dni_validator = RegexValidator(r"^\d{8}$", "El DNI debe tener exactamente 8 dígitos.")


class Visit(models.Model):
    """One visit or job in the data center: one per procedure instance (or registered directly
    by the infrastructure coordinator).

    ``kind`` is the way the procedure started; ``unit`` the unit the visit concerns (the
    instance's: SG for high-level visits, OGTIE for its own equipment, the serviced unit
    otherwise), which scopes what a unit director may read. ``high_risk`` makes the
    prevencionista's CV a required document. ``synced_record_id`` is the last step of the
    instance already copied into the visit (``procedure_effects``). Changes go through
    ``mapro.datacenter.actions``.
    """

    kind = models.CharField("tipo de visita", max_length=30, choices=VisitKind.choices)
    company = models.CharField("empresa o entidad", max_length=200, blank=True)
    purpose = models.TextField("motivo o trabajos a realizar")
    planned_at = models.DateTimeField("fecha y hora prevista", null=True, blank=True)
    high_risk = models.BooleanField("actividad de alto riesgo", default=False)
    authorized_on = models.DateField("autorizada el", null=True, blank=True)
    # No index of its own: dc_visit_unit leads with it.
    unit = models.ForeignKey(
        "organization.Unit",
        verbose_name="unidad",
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    instance = models.OneToOneField(
        "procedures.Instance",
        verbose_name="expediente",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="datacenter_visit",
    )
    ticket = link("helpdesk.Ticket", "ticket")
    # The form's "N° de ticket" as typed (maybe not ours); the FK is `instance`
    # (docs/architecture.md, "References kept as values").
    ticket_number = models.CharField("N° de ticket", max_length=50, blank=True)
    # A high-water mark over procedures.TaskRecord ids, not a reference (docs/architecture.md,
    # "References kept as values").
    synced_record_id = models.PositiveBigIntegerField(default=0, editable=False)
    created_by = user_link("registrada por")
    created_at = models.DateTimeField("registrada", auto_now_add=True)
    updated_at = models.DateTimeField("actualizada", auto_now=True)

    class Meta:
        verbose_name = "visita al centro de datos"
        verbose_name_plural = "visitas al centro de datos"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit", "-created_at"], name="dc_visit_unit")]

    def __str__(self) -> str:
        return f"Visita N° {self.pk}"


class VisitPerson(models.Model):
    """A person authorised to enter with a visit (visitor, contractor's worker), by DNI.

    Invariant: one row per DNI in a visit. Only listed people may be entered in the logbook.
    """

    # No index of its own: dc_person_one_dni_per_visit leads with it.
    visit = models.ForeignKey(
        Visit, on_delete=models.CASCADE, related_name="people", db_index=False
    )
    full_name = models.CharField("nombre completo", max_length=200)
    dni = models.CharField("DNI", max_length=8, validators=[dni_validator])
    company = models.CharField("empresa o entidad", max_length=200, blank=True)

    class Meta:
        verbose_name = "persona de la visita"
        verbose_name_plural = "personas de la visita"
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["visit", "dni"], name="dc_person_one_dni_per_visit")
        ]

    def __str__(self) -> str:
        return f"{self.full_name} (DNI {self.dni})"


class ContractorDocument(models.Model):
    """A contractor document (SCTR, contract or service order, …) with its validity.

    ``person`` empty means the document covers everyone of the visit (a company SCTR policy);
    set, only that worker. A later document of the same kind (a renewed SCTR) does not replace
    an earlier one: the entry check looks for one in force on the entry date.
    """

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="documents")
    person = models.ForeignKey(
        VisitPerson,
        verbose_name="persona",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField("documento", max_length=30, choices=DocumentKind.choices)
    reference = models.CharField("archivo o referencia", max_length=300, blank=True)
    valid_until = models.DateField("vigente hasta", null=True, blank=True)
    activity = models.PositiveIntegerField("actividad", null=True, blank=True)
    recorded_by = user_link("registrado por")
    recorded_at = models.DateTimeField("registrado", auto_now_add=True)

    class Meta:
        verbose_name = "documento del contratista"
        verbose_name_plural = "documentos del contratista"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class DipecCheck(models.Model):
    """What the DIPEC did for a visit: the review of the documents (activity 10, repeated
    while it has observations) or the SST induction with its visto bueno (13).

    Rows are never changed: a new review is a new row, and the latest of each kind counts.
    """

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField("tipo", max_length=20, choices=CheckKind.choices)
    outcome = models.CharField("resultado", max_length=20, choices=CheckOutcome.choices)
    on = models.DateField("fecha")
    observations = models.TextField("observaciones", blank=True)
    activity = models.PositiveIntegerField("actividad", null=True, blank=True)
    recorded_by = user_link("registrado por")
    recorded_at = models.DateTimeField("registrado", auto_now_add=True)

    class Meta:
        verbose_name = "revisión o inducción de la DIPEC"
        verbose_name_plural = "revisiones e inducciones de la DIPEC"
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_outcome_display()}"
