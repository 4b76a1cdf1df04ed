"""Registers of the sector's statistics (docs/registers/statistics.md).

The statistical organs are the Sector Defensa entities (``organization.ExternalOrganization``);
each has designated representatives (``Designation``). What they report is described once per
dataset as a Frictionless Table Schema (``Dataset.schema``); the approved cronograma of
submissions (``SubmissionCalendar``) says per dataset, organ and period when it is due
(``CalendarEntry``); each upload is a ``Submission`` (rejected ones kept with their errors);
accepted versions are consolidated row by row (``ConsolidatedRow``); tables and charts are
defined once (``StatTable``) and frozen into a ``Publication`` (anuario, boletín) with its
open-data files (``PublishedTable``). Every change goes through ``actions``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from mapro.core.fields import instance_link, link

from .choices import (
    CalendarStatus,
    ChartKind,
    DesignationKind,
    Periodicity,
    PublicationKind,
    PublicationStatus,
    SubmissionStatus,
)

User = settings.AUTH_USER_MODEL


class Designation(models.Model):
    """Person P is the titular (or alterno) representative of organ O between two dates.

    Comes from the list the Secretaría General received (S04.05.00.01, activities 5 to 8), with
    the designation document (oficio) and its date. Dates inclusive; an open end means until a
    new designation. A designation is ended, never deleted.
    """

    organization = models.ForeignKey(
        "organization.ExternalOrganization",
        verbose_name="órgano estadístico (entidad)",
        on_delete=models.PROTECT,
        related_name="statistical_designations",
    )
    person = models.ForeignKey(
        "organization.Person",
        verbose_name="representante",
        on_delete=models.PROTECT,
        related_name="statistical_designations",
    )
    kind = models.CharField(
        "tipo", max_length=10, choices=DesignationKind.choices, default=DesignationKind.TITULAR
    )
    document = models.CharField("documento de designación", max_length=200)
    document_date = models.DateField("fecha del documento", null=True, blank=True)
    valid_from = models.DateField("vigente desde")
    valid_until = models.DateField("vigente hasta", null=True, blank=True)
    role_assignment = link("organization.RoleAssignment", "asignación del rol")
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("registrado", auto_now_add=True)

    class Meta:
        verbose_name = "designación de representante estadístico"
        verbose_name_plural = "designaciones de representantes estadísticos"
        ordering = ["organization__code", "kind", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_from__lte=F("valid_until")),
                name="stat_designation_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization.code} — {self.person} ({self.get_kind_display()})"


class Dataset(models.Model):
    """A dataset the organs report, described once as a Frictionless Table Schema.

    ``schema`` is the Table Schema descriptor (fields with ``name``, ``title``, ``type``,
    ``constraints`` — required, enum, minimum, maximum — a custom ``unit`` of measure, and the
    ``primaryKey``); it is the "formato establecido" whose XLSX/CSV template the
    representatives download. ``checks`` are the team's cross-checks (``validation.CHECKS``).
    """

    # Unique by statistics_dataset_code_uniq (Meta): a unique field would add a
    # varchar_pattern_ops twin, and no query reads it by prefix.
    code = models.SlugField("código", max_length=60, db_index=False)
    title = models.CharField("título", max_length=200)
    description = models.TextField("descripción", blank=True)
    periodicity = models.CharField(
        "periodicidad", max_length=12, choices=Periodicity.choices, default=Periodicity.ANUAL
    )
    due_business_days = models.PositiveSmallIntegerField(
        "plazo (días hábiles tras el periodo)", default=10
    )
    schema = models.JSONField("estructura (Table Schema)")
    checks = models.JSONField("controles de consistencia", default=list, blank=True)
    is_active = models.BooleanField("vigente", default=True)
    updated_at = models.DateTimeField("modificado", auto_now=True)

    class Meta:
        verbose_name = "conjunto de datos"
        verbose_name_plural = "conjuntos de datos"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="statistics_dataset_code_uniq")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def field_names(self) -> list[str]:
        return [f["name"] for f in self.schema.get("fields", [])]


class SubmissionCalendar(models.Model):
    """The "Cronograma de envío de información al MINDEF" of one year.

    Formulated by the coordinator of the statistics team (S04.05.00.01 activity 9) and approved
    by the Secretaría General (activity 12); only an approved calendar's entries accept
    submissions. ``instance`` is the S04.05.00.01 case that formulated it, if any.
    """

    year = models.PositiveSmallIntegerField("año", unique=True)
    status = models.CharField(
        "estado", max_length=10, choices=CalendarStatus.choices, default=CalendarStatus.BORRADOR
    )
    instance = instance_link()
    approved_by_name = models.CharField("aprobado por", max_length=200, blank=True)
    approved_at = models.DateTimeField("aprobado", null=True, blank=True)
    created_at = models.DateTimeField("creado", auto_now_add=True)

    class Meta:
        verbose_name = "cronograma de envío de información"
        verbose_name_plural = "cronogramas de envío de información"
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"Cronograma de envío de información {self.year}"


class CalendarEntry(models.Model):
    """What organ O must send of dataset D for period P, and by when."""

    calendar = models.ForeignKey(
        SubmissionCalendar, on_delete=models.CASCADE, related_name="entries"
    )
    # No index of its own: stat_entry_uniq leads with it.
    dataset = models.ForeignKey(
        Dataset, on_delete=models.PROTECT, related_name="entries", db_index=False
    )
    organization = models.ForeignKey(
        "organization.ExternalOrganization",
        verbose_name="órgano estadístico",
        on_delete=models.PROTECT,
        related_name="statistical_entries",
    )
    period = models.CharField("periodo", max_length=10, help_text="2026, 2026-S1, 2026-T2, 2026-03")
    period_end = models.DateField("fin del periodo")
    due_date = models.DateField("fecha límite de envío")

    class Meta:
        verbose_name = "envío programado"
        verbose_name_plural = "envíos programados"
        ordering = ["due_date", "dataset__code", "organization__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "organization", "period"], name="stat_entry_uniq"
            )
        ]
        indexes = [models.Index(fields=["due_date"])]

    def __str__(self) -> str:
        return f"{self.dataset.code} {self.organization.code} {self.period}"


class Submission(models.Model):
    """One file an organ's representative sent for a calendar entry, as checked.

    ``version`` counts the valid files of the entry (a rejected file has none and changes
    nothing). The entry's data is its latest ``aceptado`` submission's rows; a new valid file
    waits for the especialista's evaluation while the accepted one stays consolidated.
    ``errors`` lists every error found (row, column, message in Spanish).
    """

    entry = models.ForeignKey(CalendarEntry, on_delete=models.PROTECT, related_name="submissions")
    version = models.PositiveIntegerField("versión", null=True, blank=True)
    status = models.CharField("estado", max_length=12, choices=SubmissionStatus.choices)
    filename = models.CharField("archivo", max_length=200)
    content = models.BinaryField("contenido")
    sha256 = models.CharField("huella SHA-256", max_length=64)
    row_count = models.PositiveIntegerField("filas", default=0)
    errors = models.JSONField("errores", default=list, blank=True)
    error_count = models.PositiveIntegerField("número de errores", default=0)
    submitted_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name="remitido por"
    )
    submitted_by_name = models.CharField("remitido por (nombre)", max_length=200)
    submitted_at = models.DateTimeField("remitido", auto_now_add=True)
    evaluated_by_name = models.CharField("evaluado por", max_length=200, blank=True)
    evaluated_at = models.DateTimeField("evaluado", null=True, blank=True)
    observations = models.TextField("observaciones de la evaluación", blank=True)

    class Meta:
        verbose_name = "envío de información estadística"
        verbose_name_plural = "envíos de información estadística"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "version"],
                condition=Q(version__isnull=False),
                name="stat_submission_version_uniq",
            )
        ]

    def __str__(self) -> str:
        suffix = f" v{self.version}" if self.version else ""
        return f"{self.entry}{suffix} ({self.get_status_display()})"


class ConsolidatedRow(models.Model):
    """One row of an accepted submission, in the consolidated table of its dataset.

    Replaced as a whole per (dataset, organ, period) when a newer version is accepted; the
    values are typed as the schema says (``validation.cast_row``).
    """

    # No index of its own: the (dataset, period, organization) index in Meta leads with it.
    dataset = models.ForeignKey(
        Dataset, on_delete=models.PROTECT, related_name="rows", db_index=False
    )
    organization = models.ForeignKey(
        "organization.ExternalOrganization", on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField("periodo", max_length=10)
    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="rows")
    values = models.JSONField("valores")

    class Meta:
        verbose_name = "fila consolidada"
        verbose_name_plural = "filas consolidadas"
        indexes = [models.Index(fields=["dataset", "period", "organization"])]

    def __str__(self) -> str:
        return f"{self.dataset_id}/{self.organization_id}/{self.period}"


class StatTable(models.Model):
    """A statistical table and its chart, defined once: rendered on the web (SVG), in print
    (PNG), in the publication's PDF and XLSX, and as open data (CSV).

    Sum of ``measure`` by ``row_field`` (a schema field, or ``organo``/``periodo``), split by
    ``column_field`` when given.
    """

    # Unique by statistics_stattable_code_uniq (Meta): a unique field would add a
    # varchar_pattern_ops twin, and no query reads it by prefix.
    code = models.SlugField("código", max_length=60, db_index=False)
    title = models.CharField("título", max_length=200)
    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="tables")
    row_field = models.CharField("filas", max_length=60)
    column_field = models.CharField("columnas", max_length=60, blank=True)
    measure = models.CharField("medida", max_length=60)
    chart = models.CharField("gráfico", max_length=10, choices=ChartKind.choices)
    note = models.CharField("nota / fuente", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField("orden", default=0)
    key_series = models.BooleanField("serie clave del tablero", default=False)

    class Meta:
        verbose_name = "cuadro estadístico"
        verbose_name_plural = "cuadros estadísticos"
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="statistics_stattable_code_uniq")
        ]

    def __str__(self) -> str:
        return self.title


class Publication(models.Model):
    """A statistical document (anuario, boletín, compendio) of one period, with its covers.

    Formulated in S04.05.00.01 (activity 20), its covers approved (24), consolidated into PDF
    and XLSX (27) and approved and disseminated (31); publishing freezes its tables as open
    data (``PublishedTable``).
    """

    kind = models.CharField("tipo", max_length=10, choices=PublicationKind.choices)
    title = models.CharField("título", max_length=200)
    period = models.CharField("periodo", max_length=10)
    status = models.CharField(
        "estado",
        max_length=12,
        choices=PublicationStatus.choices,
        default=PublicationStatus.EN_ELABORACION,
    )
    cover_title = models.CharField("título de la carátula", max_length=200, blank=True)
    cover_subtitle = models.CharField("subtítulo de la carátula", max_length=200, blank=True)
    covers_approved_at = models.DateTimeField("carátulas aprobadas", null=True, blank=True)
    presentation = models.TextField("presentación / notas", blank=True)
    instance = instance_link()
    pdf = models.BinaryField("PDF", null=True, blank=True)
    xlsx = models.BinaryField("XLSX", null=True, blank=True)
    assembled_at = models.DateTimeField("consolidado", null=True, blank=True)
    published_at = models.DateTimeField("difundido", null=True, blank=True)
    created_at = models.DateTimeField("creado", auto_now_add=True)

    class Meta:
        verbose_name = "documento estadístico"
        verbose_name_plural = "documentos estadísticos"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def slug(self) -> str:
        return f"{self.kind}-{self.period}-{self.pk}"


class PublishedTable(models.Model):
    """A table of a published document, frozen as open data: CSV and its Table Schema."""

    # No index of its own: stat_pubtable_uniq leads with it.
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="tables", db_index=False
    )
    # No index (a slug field has two by default): read only with its publication, by
    # stat_pubtable_uniq.
    code = models.SlugField("código", max_length=60, db_index=False)
    title = models.CharField("título", max_length=200)
    csv = models.TextField("CSV")
    schema = models.JSONField("Table Schema")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "cuadro publicado"
        verbose_name_plural = "cuadros publicados"
        ordering = ["publication", "order"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "code"], name="stat_pubtable_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.publication} — {self.title}"

    def resource(self) -> dict[str, Any]:
        return {"name": self.code, "title": self.title, "schema": self.schema}
