"""The Plan de Gobierno Digital (PGD) and its portfolio of projects, followed period by period.

A ``Plan`` is formulated by S04.01.00.01 (its ``instance``) and approved by a Resolución
Ministerial; its ``Project`` rows are the portfolio (each with its ``Indicator`` targets); each
follow-up of S04.01.00.02 (or the diagnosis of the current portfolio at S04.01.00.01 activity 9)
is a ``FollowUpPeriod`` in which every reported project has one ``ProjectProgress`` row, so that
a project's progress can be read across periods and compared with the previous one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from mapro.core.fields import link

from ..choices import PeriodKind, PlanStatus, ProgressState, ProjectStatus, Team


class Plan(models.Model):
    """One PGD, for a period of at least three years (``code`` ``PGD-2026-2028``).

    Invariants kept by ``actions.plans``: at most one plan is ``vigente`` (a constraint); a
    vigente plan has its approving RM (``rm_number``, ``rm_date``); ``end_year > start_year``.
    """

    # Unique by govdigital_plan_code_uniq (Meta): a unique field would add a
    # varchar_pattern_ops twin, and no query reads it by prefix.
    code = models.CharField("código", max_length=20)
    title = models.CharField("título", max_length=300)
    start_year = models.PositiveSmallIntegerField("año de inicio")
    end_year = models.PositiveSmallIntegerField("año de fin")
    status = models.CharField(
        "estado", max_length=16, choices=PlanStatus.choices, default=PlanStatus.FORMULACION
    )
    strategic_focus = models.TextField("enfoque estratégico de la entidad", blank=True)
    schedule = models.JSONField("cronograma de trabajo de la formulación", default=list, blank=True)
    document_file = models.CharField(
        "documento final del PGD (archivo)", max_length=200, blank=True
    )
    rm_number = models.CharField(
        "Resolución Ministerial que lo aprueba", max_length=120, blank=True
    )
    rm_date = models.DateField("fecha de la RM", null=True, blank=True)
    rm_file = models.CharField("RM (archivo)", max_length=200, blank=True)
    published_url = models.URLField("publicación en el portal institucional", blank=True)
    pcm_oficio = models.CharField("oficio a la SGTD-PCM", max_length=120, blank=True)
    instance = models.OneToOneField(
        "procedures.Instance",
        verbose_name="expediente de formulación",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pgd",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("registrado", auto_now_add=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)

    class Meta:
        verbose_name = "Plan de Gobierno Digital"
        verbose_name_plural = "Planes de Gobierno Digital"
        ordering = ["-start_year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="govdigital_plan_code_uniq"),
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="vigente"), name="pgd_one_vigente"
            ),
            models.CheckConstraint(
                condition=Q(end_year__gt=models.F("start_year")), name="pgd_years_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def period_label(self) -> str:
        return f"{self.start_year}–{self.end_year}"


class Objective(models.Model):
    """An objective of digital government of the plan, aligned to the PEI (activity 12)."""

    # No index of its own: pgd_objective_code leads with it.
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="objectives", db_index=False
    )
    code = models.CharField("código", max_length=20)
    text = models.TextField("objetivo")
    pei_alignment = models.CharField("alineamiento al PEI", max_length=300, blank=True)

    class Meta:
        verbose_name = "objetivo del PGD"
        verbose_name_plural = "objetivos del PGD"
        ordering = ["plan", "code"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="pgd_objective_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:60]}"


class Project(models.Model):
    """A project of the plan's portfolio (its "ficha"): objective, team, budget, dates.

    ``code`` is ``<plan>-P<nn>``; ``carried_from`` is the project of the previous plan it
    continues (activity 11: "pasan al nuevo PGD").
    """

    # No index of its own: pgd_project_team leads with it.
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="projects", db_index=False
    )
    # Unique by govdigital_project_code_uniq (Meta): a unique field would add a
    # varchar_pattern_ops twin, and no query reads it by prefix.
    code = models.CharField("código", max_length=30)
    name = models.CharField("nombre", max_length=200)
    objective = models.ForeignKey(
        Objective,
        verbose_name="objetivo del PGD",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    description = models.TextField("objetivo del proyecto", blank=True)
    team = models.CharField("equipo responsable", max_length=20, choices=Team.choices)
    budget = models.DecimalField("presupuesto (S/)", max_digits=14, decimal_places=2, default=0)
    start_date = models.DateField("inicio", null=True, blank=True)
    end_date = models.DateField("fin", null=True, blank=True)
    priority = models.PositiveSmallIntegerField("prioridad", null=True, blank=True)
    status = models.CharField(
        "estado", max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.PROPUESTO
    )
    ficha_file = models.CharField("ficha del proyecto (archivo)", max_length=200, blank=True)
    carried_from = models.ForeignKey(
        "self",
        verbose_name="continúa el proyecto",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="carried_to",
    )
    created_at = models.DateTimeField("registrado", auto_now_add=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)

    class Meta:
        verbose_name = "proyecto del PGD"
        verbose_name_plural = "portafolio de proyectos del PGD"
        ordering = ["plan", "priority", "code"]
        indexes = [models.Index(fields=["plan", "team"], name="pgd_project_team")]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="govdigital_project_code_uniq"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(start_date__lte=models.F("end_date")),
                name="pgd_project_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Indicator(models.Model):
    """An indicator of a project with its target (and baseline)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField("indicador", max_length=300)
    unit = models.CharField("unidad de medida", max_length=60, blank=True)
    baseline = models.DecimalField(
        "línea base", max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField("meta", max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = "indicador"
        verbose_name_plural = "indicadores"
        ordering = ["project", "id"]

    def __str__(self) -> str:
        return f"{self.name}: {self.target}"


class FollowUpPeriod(models.Model):
    """One follow-up period of a plan ("Primer semestre 2026"), in which projects report."""

    # No index of its own: pgd_period_label leads with it.
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="periods", db_index=False)
    label = models.CharField("periodo", max_length=100)
    kind = models.CharField(
        "tipo", max_length=12, choices=PeriodKind.choices, default=PeriodKind.SEGUIMIENTO
    )
    requested_on = models.DateField("solicitado el")
    report_file = models.CharField("informe de seguimiento (archivo)", max_length=200, blank=True)
    achievements = models.TextField("logros", blank=True)
    difficulties = models.TextField("dificultades", blank=True)
    recommendations = models.TextField("recomendaciones", blank=True)
    consolidated_at = models.DateTimeField("consolidado", null=True, blank=True)
    instance = models.ForeignKey(
        "procedures.Instance",
        verbose_name="expediente",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pgd_periods",
    )
    created_at = models.DateTimeField("registrado", auto_now_add=True)

    class Meta:
        verbose_name = "periodo de seguimiento"
        verbose_name_plural = "periodos de seguimiento"
        ordering = ["plan", "requested_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "label"], name="pgd_period_label"),
        ]

    def __str__(self) -> str:
        return f"{self.plan.code} — {self.label}"


class ProjectProgress(models.Model):
    """A project's progress and state in one period, as its coordinator reported it."""

    # No index of its own: pgd_progress_once leads with it.
    period = models.ForeignKey(
        FollowUpPeriod, on_delete=models.CASCADE, related_name="progress", db_index=False
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="progress")
    percent = models.DecimalField("avance (%)", max_digits=5, decimal_places=2)
    state = models.CharField("estado", max_length=12, choices=ProgressState.choices)
    achievements = models.TextField("logros y comentarios", blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_by_name = models.CharField("reportado por", max_length=200, blank=True)
    record = link("procedures.TaskRecord", "paso del procedimiento")
    reported_at = models.DateTimeField("reportado", auto_now=True)

    class Meta:
        verbose_name = "avance de proyecto"
        verbose_name_plural = "avances de proyectos"
        ordering = ["period__requested_on", "period_id", "project__code"]
        constraints = [
            models.UniqueConstraint(fields=["period", "project"], name="pgd_progress_once"),
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100), name="pgd_progress_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} @ {self.period.label}: {self.percent}%"
