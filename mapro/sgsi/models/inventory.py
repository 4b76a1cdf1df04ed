"""The inventory of infrastructure and information assets (matrix SGSI-FOR-002) and its change
log (Formato N° 01 "Gestión de cambios de los activos de información")."""

from __future__ import annotations

from django.db import models

from mapro.core.fields import instance_link, link, user_link

from ..choices import AssetStatus, AssetType, ChangeType, Classification, Level


class InformationAsset(models.Model):
    """One row of SGSI-FOR-002: an asset, its owner unit, custodian and user, location,
    classification and its confidentiality / integrity / availability (1–3).

    ``serial`` identifies hardware (unique when given), so a procedure that delivers the same
    equipment again updates its row instead of adding another.
    """

    # Unique by sgsi_informationasset_code_uniq (Meta): a unique field would add a
    # varchar_pattern_ops twin, and no query reads it by prefix.
    code = models.CharField("código", max_length=20, editable=False)
    name = models.CharField("nombre del activo", max_length=200)
    asset_type = models.CharField("tipo", max_length=16, choices=AssetType.choices)
    description = models.TextField("descripción", blank=True)
    brand_model = models.CharField("marca y modelo", max_length=200, blank=True)
    serial = models.CharField("N° de serie", max_length=100, blank=True)
    patrimonial_code = models.CharField("código patrimonial", max_length=100, blank=True)
    owner_unit = models.ForeignKey(
        "organization.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="unidad propietaria",
    )
    custodian = models.CharField("custodio", max_length=200, blank=True)
    assigned_to = models.CharField("usuario asignado", max_length=200, blank=True)
    location = models.CharField("ubicación", max_length=200, blank=True)
    classification = models.CharField(
        "clasificación",
        max_length=14,
        choices=Classification.choices,
        default=Classification.USO_INTERNO,
    )
    confidentiality = models.PositiveSmallIntegerField(
        "confidencialidad", choices=Level.choices, default=Level.MEDIO
    )
    integrity = models.PositiveSmallIntegerField(
        "integridad", choices=Level.choices, default=Level.MEDIO
    )
    availability = models.PositiveSmallIntegerField(
        "disponibilidad", choices=Level.choices, default=Level.MEDIO
    )
    status = models.CharField(
        "estado", max_length=16, choices=AssetStatus.choices, default=AssetStatus.DISPONIBLE
    )
    created_at = models.DateTimeField("registrado", auto_now_add=True)
    updated_at = models.DateTimeField("actualizado", auto_now=True)

    class Meta:
        verbose_name = "activo de información"
        verbose_name_plural = "inventario de activos (SGSI-FOR-002)"
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], name="sgsi_informationasset_code_uniq"),
            models.UniqueConstraint(
                fields=["asset_type", "serial"],
                condition=~models.Q(serial=""),
                name="sgsi_asset_unique_serial",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def criticality(self) -> int:
        """The highest of C, I and A: how critical the asset is (1–3)."""
        return max(self.confidentiality, self.integrity, self.availability)


class AssetChange(models.Model):
    """One row of the Formato N° 01: a change to an asset (alta, asignación, modificación,
    devolución, baja), what changed (``before``/``after``), who did it and when, the procedure
    step that did it and the document that supports it (e.g. the Acta de asignación de bienes)."""

    asset = models.ForeignKey(
        InformationAsset, on_delete=models.PROTECT, related_name="changes", verbose_name="activo"
    )
    change_type = models.CharField("tipo de cambio", max_length=14, choices=ChangeType.choices)
    description = models.TextField("descripción del cambio")
    changed_on = models.DateField("fecha del cambio")
    before = models.JSONField("antes", default=dict, blank=True)
    after = models.JSONField("después", default=dict, blank=True)
    support_document = models.CharField("documento de sustento", max_length=200, blank=True)
    performed_by = user_link("registrado por")
    performed_by_name = models.CharField("nombre de quien lo registró", max_length=200)
    instance = instance_link()
    record = link("procedures.TaskRecord", "paso del expediente")
    created_at = models.DateTimeField("registrado", auto_now_add=True)

    class Meta:
        verbose_name = "cambio de activo (Formato N° 01)"
        verbose_name_plural = "gestión de cambios de los activos (Formato N° 01)"
        ordering = ["-changed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.asset.code}: {self.get_change_type_display()}"
