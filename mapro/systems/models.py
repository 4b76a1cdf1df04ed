"""Catálogo de sistemas de información, releases, matriz de gestión de cambios (Formato N° 1
of S04.02.00.03) and quality evidence read from SonarQube and OWASP ZAP reports.

See docs/registers/systems.md. Every change goes through ``actions`` (audited); the procedure
steps of S04.02.00.01/02/03 write these rows through ``procedure_effects``.
"""

from __future__ import annotations

from django.db import models

from mapro.core.fields import instance_link, user_link

from .choices import (
    ChangeKind,
    ChangeStatus,
    Criticality,
    EnvironmentKind,
    QualityTool,
    SystemState,
    Verdict,
)

DEFAULT_TEAM = "Equipo de innovación tecnológica"


class InformationSystem(models.Model):
    """One information system MINDEF built or runs, from its requirement to its retirement.

    ``code`` is the short name people use (``SIGEDOC``), unique. ``servers`` holds the names of
    the servers that host it, as given; ``hosts`` links those found in the equipment inventory
    (by código de inventario or hostname), so a server's page can list what it hosts. A system
    ``dado de baja`` keeps where its data and its source code went (``data_location``,
    ``backup_location``), written by S04.02.00.03.
    """

    # Unique by systems_informationsystem_code_uniq (Meta): a unique field would add a
    # varchar_pattern_ops twin, and no query reads it by prefix.
    code = models.CharField("código", max_length=40)
    name = models.CharField("nombre", max_length=200)
    purpose = models.TextField("propósito", blank=True)
    owner_unit = models.ForeignKey(
        "organization.Unit",
        verbose_name="unidad propietaria",
        on_delete=models.PROTECT,
        related_name="+",
    )
    team = models.CharField("equipo responsable", max_length=200, default=DEFAULT_TEAM)
    state = models.CharField(
        "estado", max_length=20, choices=SystemState.choices, default=SystemState.EN_DESARROLLO
    )
    criticality = models.CharField(
        "criticidad", max_length=10, choices=Criticality.choices, default=Criticality.MEDIA
    )
    repository = models.CharField("repositorio (Git)", max_length=300, blank=True)
    technologies = models.CharField("tecnologías", max_length=300, blank=True)
    servers = models.JSONField("servidores que lo alojan", default=list, blank=True)
    hosts = models.ManyToManyField(
        "inventory.Equipment",
        verbose_name="servidores (inventario de equipos)",
        blank=True,
        related_name="information_systems",
    )
    decommissioned_on = models.DateField("fecha de baja", null=True, blank=True)
    data_location = models.CharField(
        "destino de los datos (backup de BD)", max_length=300, blank=True
    )
    backup_location = models.CharField(
        "destino del código fuente (backup)", max_length=300, blank=True
    )
    origin_instance = instance_link("expediente de desarrollo (S04.02.00.01)")
    git_access_instance = instance_link("solicitud de acceso a Git (S04.03.01.01)")
    created_at = models.DateTimeField("registrado", auto_now_add=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)

    class Meta:
        verbose_name = "sistema de información"
        verbose_name_plural = "catálogo de sistemas de información"
        ordering = ["code"]
        indexes = [models.Index(fields=["state", "code"], name="systems_state_code")]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="systems_informationsystem_code_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def is_retired(self) -> bool:
        return self.state == SystemState.DADO_DE_BAJA


class SystemEnvironment(models.Model):
    """Where a system runs: one URL per environment (desarrollo, pruebas, producción)."""

    # No index of its own: systems_one_env_per_kind leads with it.
    system = models.ForeignKey(
        InformationSystem, on_delete=models.CASCADE, related_name="environments", db_index=False
    )
    kind = models.CharField("ambiente", max_length=12, choices=EnvironmentKind.choices)
    url = models.CharField("URL", max_length=300)
    notes = models.CharField("observaciones", max_length=300, blank=True)

    class Meta:
        verbose_name = "ambiente"
        verbose_name_plural = "ambientes"
        ordering = ["system", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["system", "kind"], name="systems_one_env_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.url}"


class ChangeRecord(models.Model):
    """One row of the Matriz de gestión de cambios de sistemas y aplicaciones (Formato N° 1).

    A row per change to a system: a new system (S04.02.00.01), a corrective or evolutive
    maintenance (S04.02.00.02) or a retirement (S04.02.00.03), opened by the procedure's step
    and closed when the change reaches production (or is retired / turned down). ``number`` is
    the matrix's correlative. ``system_name`` is copied (a retirement may name a system that
    was never in the catalogue).
    """

    number = models.PositiveIntegerField("N°", unique=True)
    registered_on = models.DateField("fecha de registro")
    system = models.ForeignKey(
        InformationSystem,
        verbose_name="sistema",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="changes",
    )
    system_name = models.CharField("sistema o aplicación", max_length=200)
    system_version = models.CharField("versión", max_length=50, blank=True)
    kind = models.CharField("tipo de cambio", max_length=12, choices=ChangeKind.choices)
    description = models.TextField("descripción del cambio")
    requesting_unit = models.ForeignKey(
        "organization.Unit",
        verbose_name="unidad solicitante",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The manual's code, not a ForeignKey; the instance is `instance` (docs/architecture.md,
    # "References kept as values").
    procedure_code = models.CharField("procedimiento", max_length=20, blank=True)
    instance = instance_link()
    responsible_name = models.CharField("responsable", max_length=200, blank=True)
    status = models.CharField(
        "estado", max_length=14, choices=ChangeStatus.choices, default=ChangeStatus.EN_CURSO
    )
    closed_on = models.DateField("fecha de implementación o cierre", null=True, blank=True)
    backup_location = models.CharField("backup / ubicación", max_length=300, blank=True)
    observations = models.TextField("observaciones", blank=True)
    created_by = user_link("registrado por")
    created_at = models.DateTimeField("registrado", auto_now_add=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)

    class Meta:
        verbose_name = "cambio de sistema"
        verbose_name_plural = "matriz de gestión de cambios de sistemas y aplicaciones"
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["instance", "system_name"],
                condition=models.Q(instance__isnull=False),
                name="systems_one_change_per_instance_system",
            )
        ]

    def __str__(self) -> str:
        return f"N° {self.number} — {self.system_name} ({self.get_kind_display()})"


class QualityGate(models.Model):
    """The quality gate a team configured for one tool: the most findings of each severity a
    report may have and still *cumplir* (a severity left out is not limited)."""

    team = models.CharField("equipo", max_length=200, default=DEFAULT_TEAM)
    tool = models.CharField("herramienta", max_length=10, choices=QualityTool.choices)
    thresholds = models.JSONField("máximo permitido por severidad", default=dict)
    updated_by = user_link("configurado por")
    updated_at = models.DateTimeField("actualizado", auto_now=True)

    class Meta:
        verbose_name = "umbral de calidad"
        verbose_name_plural = "umbrales de calidad"
        ordering = ["team", "tool"]
        constraints = [
            models.UniqueConstraint(fields=["team", "tool"], name="systems_one_gate_per_team_tool")
        ]

    def __str__(self) -> str:
        return f"{self.team}: {self.get_tool_display()}"


class QualityReport(models.Model):
    """A SonarQube issues export (``api/issues/search``) or an OWASP ZAP JSON report, as
    uploaded, with what was read from it: counts by severity and the findings.

    ``proposed`` is what the team's gate (snapshot in ``gate``) says of these counts.
    """

    system = models.ForeignKey(
        InformationSystem, verbose_name="sistema", on_delete=models.PROTECT, related_name="reports"
    )
    tool = models.CharField("herramienta", max_length=10, choices=QualityTool.choices)
    filename = models.CharField("archivo", max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    content = models.TextField("reporte original")
    source = models.CharField("proyecto o sitio analizado", max_length=300, blank=True)
    tool_version = models.CharField("versión de la herramienta", max_length=50, blank=True)
    counts = models.JSONField("hallazgos por severidad", default=dict)
    total = models.PositiveIntegerField("total de hallazgos", default=0)
    findings = models.JSONField("hallazgos", default=list)
    gate = models.JSONField("umbral aplicado", default=dict)
    proposed = models.CharField("propuesta del umbral", max_length=2, choices=Verdict.choices)
    uploaded_by = user_link("subido por")
    uploaded_by_name = models.CharField("subido por (nombre)", max_length=200, blank=True)
    uploaded_at = models.DateTimeField("subido", auto_now_add=True)

    class Meta:
        verbose_name = "reporte de calidad"
        verbose_name_plural = "evidencias de calidad (reportes)"
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"Reporte {self.pk} ({self.get_tool_display()}) — {self.system.code}"


class QualityReview(models.Model):
    """The step's «¿cumple?» over the reports of a code review: what the gate proposed, what
    the person decided (an override needs a reason) and the acta issued from the figures."""

    system = models.ForeignKey(
        InformationSystem, verbose_name="sistema", on_delete=models.PROTECT, related_name="reviews"
    )
    instance = instance_link()
    activity_n = models.PositiveIntegerField("actividad", null=True, blank=True)
    sonar_report = models.ForeignKey(
        QualityReport, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    zap_report = models.ForeignKey(
        QualityReport, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    proposed = models.CharField("propuesta del umbral", max_length=2, choices=Verdict.choices)
    decided = models.CharField("decisión", max_length=2, choices=Verdict.choices)
    override_reason = models.TextField("motivo de la decisión distinta", blank=True)
    decided_by = user_link("decidido por")
    decided_by_name = models.CharField("decidido por (nombre)", max_length=200, blank=True)
    acta_number = models.CharField("N° del acta de revisión de código", max_length=80, blank=True)
    created_at = models.DateTimeField("fecha", auto_now_add=True)

    class Meta:
        verbose_name = "revisión de código"
        verbose_name_plural = "revisiones de código"
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Revisión de código {self.pk} — {self.get_decided_display()}"

    @property
    def overridden(self) -> bool:
        return self.proposed != self.decided


class Release(models.Model):
    """A version of a system put in production: what it changed (the matrix rows it closes),
    what it was built from, its quality evidence, who accepted and who deployed it."""

    # No index of its own: systems_version_unique_per_system leads with it.
    system = models.ForeignKey(
        InformationSystem,
        verbose_name="sistema",
        on_delete=models.PROTECT,
        related_name="releases",
        db_index=False,
    )
    version = models.CharField("versión", max_length=50)
    released_on = models.DateField("fecha de pase a producción", null=True, blank=True)
    changes = models.TextField("qué cambió", blank=True)
    closes = models.ManyToManyField(
        ChangeRecord, verbose_name="cambios que cierra", blank=True, related_name="releases"
    )
    commit_ref = models.CharField("commit o tag", max_length=100, blank=True)
    reviews = models.ManyToManyField(
        QualityReview, verbose_name="evidencia de calidad", blank=True, related_name="releases"
    )
    quality_evidence = models.CharField("acta de QA / evidencia", max_length=300, blank=True)
    accepted_by_name = models.CharField("conformidad de", max_length=200, blank=True)
    accepted_on = models.DateField("fecha de conformidad", null=True, blank=True)
    deployed_by = user_link("desplegado por")
    deployed_by_name = models.CharField("desplegado por (nombre)", max_length=200, blank=True)
    deployed_at = models.DateTimeField("pase registrado", null=True, blank=True)
    instance = instance_link()
    created_by = user_link("registrado por")
    created_at = models.DateTimeField("registrado", auto_now_add=True)

    class Meta:
        verbose_name = "versión (release)"
        verbose_name_plural = "versiones (releases)"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "version"],
                name="systems_version_unique_per_system",
                violation_error_message="Esa versión ya existe para el sistema.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.system.code} {self.version}"

    @property
    def deployed(self) -> bool:
        return self.released_on is not None
