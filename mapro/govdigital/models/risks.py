"""The risk matrix SGSI-FOR-003 (Formato N° 01 of S04.03.01.05).

Each ``Risk`` names an asset, a threat and a vulnerability, with likelihood and impact on the
ISMS's 1–5 scale; its inherent level is their product (and band), its residual level the same
after the treatment's controls. Written by S04.01.00.01 activity 5 (risks of each stage of the
PGD's formulation, approved at activity 6), by S04.03.01.05 activity 12 (risks an incident
revealed), and by hand in the register.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from mapro.core.fields import link

from ..choices import (
    SCALE_MAX,
    SCALE_MIN,
    RiskLevel,
    RiskSource,
    RiskStatus,
    Treatment,
    level_of,
)


class Risk(models.Model):
    """A row of the matrix (``code`` ``RIE-2026-0001``, correlative per year)."""

    # Unique by govdigital_risk_code_uniq (Meta): a unique field would add a
    # varchar_pattern_ops twin, and no query reads it by prefix.
    code = models.CharField("código", max_length=20, editable=False)
    asset = models.CharField("activo de información", max_length=300)
    threat = models.CharField("amenaza", max_length=300)
    vulnerability = models.CharField("vulnerabilidad", max_length=300)
    context = models.CharField("proceso o etapa", max_length=300, blank=True)
    likelihood = models.PositiveSmallIntegerField("probabilidad")
    impact = models.PositiveSmallIntegerField("impacto")
    inherent = models.PositiveSmallIntegerField("nivel inherente", editable=False)
    treatment = models.CharField("tratamiento", max_length=12, choices=Treatment.choices)
    controls = models.TextField("controles / acciones de tratamiento", blank=True)
    residual_likelihood = models.PositiveSmallIntegerField(
        "probabilidad residual", null=True, blank=True
    )
    residual_impact = models.PositiveSmallIntegerField("impacto residual", null=True, blank=True)
    residual = models.PositiveSmallIntegerField(
        "nivel residual", null=True, blank=True, editable=False
    )
    owner = models.CharField("responsable", max_length=200)
    due_date = models.DateField("fecha límite", null=True, blank=True)
    status = models.CharField(
        "estado", max_length=16, choices=RiskStatus.choices, default=RiskStatus.IDENTIFICADO
    )
    source = models.CharField(
        "origen", max_length=16, choices=RiskSource.choices, default=RiskSource.REGISTRO
    )
    plan = models.ForeignKey(
        "govdigital.Plan",
        verbose_name="PGD en formulación",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="risks",
    )
    instance = models.ForeignKey(
        "procedures.Instance",
        verbose_name="expediente",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="risks",
    )
    record = link("procedures.TaskRecord", "paso del procedimiento")
    approved_by_name = models.CharField("aprobado por", max_length=200, blank=True)
    approved_at = models.DateTimeField("aprobado", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("registrado", auto_now_add=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)

    class Meta:
        verbose_name = "riesgo"
        verbose_name_plural = "matriz de riesgos (SGSI-FOR-003)"
        ordering = ["-inherent", "code"]
        indexes = [
            models.Index(fields=["status", "-inherent"], name="risk_status_level"),
            models.Index(fields=["likelihood", "impact"], name="risk_cell"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="govdigital_risk_code_uniq"),
            models.CheckConstraint(
                condition=Q(likelihood__gte=SCALE_MIN)
                & Q(likelihood__lte=SCALE_MAX)
                & Q(impact__gte=SCALE_MIN)
                & Q(impact__lte=SCALE_MAX),
                name="risk_on_scale",
            ),
            models.CheckConstraint(
                condition=(Q(residual_likelihood__isnull=True) & Q(residual_impact__isnull=True))
                | (
                    Q(residual_likelihood__gte=SCALE_MIN)
                    & Q(residual_likelihood__lte=SCALE_MAX)
                    & Q(residual_impact__gte=SCALE_MIN)
                    & Q(residual_impact__lte=SCALE_MAX)
                ),
                name="risk_residual_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.threat}"

    @property
    def inherent_level(self) -> str:
        return level_of(self.inherent)

    @property
    def residual_level(self) -> str:
        return level_of(self.residual)

    def get_inherent_level_display(self) -> str:
        return RiskLevel(self.inherent_level).label

    def get_residual_level_display(self) -> str:
        return RiskLevel(self.residual_level).label if self.residual_level else ""
