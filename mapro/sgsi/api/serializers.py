"""Serializers of the SGSI registers' API v1."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from ..choices import AssetStatus, AssetType, ChangeType, Classification, DocumentKind, Team
from ..models import (
    AssetChange,
    InformationAsset,
    SgsiDocument,
    SgsiDocumentVersion,
    SgsiObservation,
)


@extend_schema_serializer(
    description="Una versión de un documento del SGSI: archivo, cambios, revisión y aprobación."
)
class SgsiVersionSerializer(serializers.ModelSerializer):
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = SgsiDocumentVersion
        fields = [
            "number",
            "status",
            "file_name",
            "sha256",
            "has_file",
            "changes",
            "submitted_by_name",
            "submitted_at",
            "approved_by_name",
            "approved_on",
            "approval_document",
            "instance",
        ]

    def get_has_file(self, version: SgsiDocumentVersion) -> bool:
        return bool(version.file)


@extend_schema_serializer(
    description="Una observación a un documento del SGSI (o a una de sus versiones)."
)
class SgsiObservationSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="version.number", allow_null=True, default=None)

    class Meta:
        model = SgsiObservation
        fields = ["id", "version", "text", "author_name", "source", "instance", "created_at"]


@extend_schema_serializer(
    description=(
        "Un documento del SGSI (política, procedimiento, plan, formato…): equipo dueño, estado, "
        "versión vigente y su aprobación, próxima revisión."
    )
)
class SgsiDocumentSerializer(serializers.ModelSerializer):
    current_version = serializers.IntegerField(
        source="current_version.number", allow_null=True, default=None
    )
    approved_by = serializers.CharField(
        source="current_version.approved_by_name", default=None, allow_null=True
    )
    approved_on = serializers.DateField(
        source="current_version.approved_on", default=None, allow_null=True
    )
    approval_document = serializers.CharField(
        source="current_version.approval_document", default=None, allow_null=True
    )

    class Meta:
        model = SgsiDocument
        fields = [
            "code",
            "title",
            "kind",
            "owner_team",
            "status",
            "current_version",
            "approved_by",
            "approved_on",
            "approval_document",
            "next_review",
            "custody_location",
            "created_at",
            "updated_at",
        ]


@extend_schema_serializer(
    description="Un documento del SGSI con todas sus versiones y observaciones."
)
class SgsiDocumentDetailSerializer(SgsiDocumentSerializer):
    versions = serializers.SerializerMethodField()
    observations = SgsiObservationSerializer(many=True)

    class Meta(SgsiDocumentSerializer.Meta):
        fields = [*SgsiDocumentSerializer.Meta.fields, "versions", "observations"]

    def get_versions(self, document: SgsiDocument) -> list[dict[str, Any]]:
        return SgsiVersionSerializer(document.versions.order_by("-number"), many=True).data  # type: ignore[return-value]


@extend_schema_serializer(
    description=(
        "Registro de un documento del SGSI: código, título, tipo, equipo dueño y próxima revisión."
    )
)
class SgsiDocumentCreateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    title = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(choices=DocumentKind.choices, required=False, allow_blank=True)
    owner_team = serializers.ChoiceField(choices=Team.choices)
    next_review = serializers.DateField(required=False, allow_null=True)


@extend_schema_serializer(
    description="multipart/form-data: el archivo de la nueva versión (obligatorio) y qué cambió."
)
class SgsiVersionCreateSerializer(serializers.Serializer):
    """multipart/form-data: the version's file (required) and what changed."""

    file = serializers.FileField(help_text="Archivo de la nueva versión (obligatorio).")
    changes = serializers.CharField(required=False, allow_blank=True)


@extend_schema_serializer(
    description="Aprobación de la versión en revisión: memorándum, fecha y próxima revisión."
)
class SgsiApproveSerializer(serializers.Serializer):
    approval_document = serializers.CharField(max_length=120, help_text="Memorándum interno.")
    approved_on = serializers.DateField()
    next_review = serializers.DateField(required=False, allow_null=True)


@extend_schema_serializer(
    description="Una observación a un documento del SGSI o a una versión suya."
)
class SgsiObserveSerializer(serializers.Serializer):
    text = serializers.CharField()
    version = serializers.IntegerField(required=False, allow_null=True)


@extend_schema_serializer(
    description=(
        "Un cambio registrado en un activo de información: tipo, descripción, fecha, valores "
        "antes y después y documento de sustento."
    )
)
class AssetChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssetChange
        fields = [
            "id",
            "change_type",
            "description",
            "changed_on",
            "before",
            "after",
            "support_document",
            "performed_by_name",
            "instance",
            "created_at",
        ]


@extend_schema_serializer(
    description=(
        "Un activo de información del inventario del SGSI: tipo, dueño, custodio, ubicación, "
        "clasificación y valoración (confidencialidad, integridad, disponibilidad)."
    )
)
class InformationAssetSerializer(serializers.ModelSerializer):
    owner_unit = serializers.CharField(source="owner_unit.code", default=None, allow_null=True)
    criticality = serializers.IntegerField(read_only=True)

    class Meta:
        model = InformationAsset
        fields = [
            "code",
            "name",
            "asset_type",
            "description",
            "brand_model",
            "serial",
            "patrimonial_code",
            "owner_unit",
            "custodian",
            "assigned_to",
            "location",
            "classification",
            "confidentiality",
            "integrity",
            "availability",
            "criticality",
            "status",
            "created_at",
            "updated_at",
        ]


@extend_schema_serializer(description="Un activo de información con todos sus cambios registrados.")
class InformationAssetDetailSerializer(InformationAssetSerializer):
    changes = serializers.SerializerMethodField()

    class Meta(InformationAssetSerializer.Meta):
        fields = [*InformationAssetSerializer.Meta.fields, "changes"]

    def get_changes(self, asset: InformationAsset) -> list[dict[str, Any]]:
        rows = asset.changes.order_by("-changed_on", "-id")
        return AssetChangeSerializer(rows, many=True).data  # type: ignore[return-value]


class _AssetFields(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    asset_type = serializers.ChoiceField(choices=AssetType.choices, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    brand_model = serializers.CharField(max_length=200, required=False, allow_blank=True)
    serial = serializers.CharField(max_length=100, required=False, allow_blank=True)
    patrimonial_code = serializers.CharField(max_length=100, required=False, allow_blank=True)
    owner_unit = serializers.CharField(required=False, allow_blank=True, help_text="Sigla.")
    custodian = serializers.CharField(max_length=200, required=False, allow_blank=True)
    assigned_to = serializers.CharField(max_length=200, required=False, allow_blank=True)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    classification = serializers.ChoiceField(choices=Classification.choices, required=False)
    confidentiality = serializers.IntegerField(min_value=1, max_value=3, required=False)
    integrity = serializers.IntegerField(min_value=1, max_value=3, required=False)
    availability = serializers.IntegerField(min_value=1, max_value=3, required=False)
    status = serializers.ChoiceField(choices=AssetStatus.choices, required=False)


@extend_schema_serializer(description="Alta de un activo de información en el inventario del SGSI.")
class InformationAssetCreateSerializer(_AssetFields):
    name = serializers.CharField(max_length=200)
    asset_type = serializers.ChoiceField(choices=AssetType.choices)
    changed_on = serializers.DateField(required=False)
    support_document = serializers.CharField(max_length=200, required=False, allow_blank=True)


@extend_schema_serializer(
    description=(
        "Registro de un cambio en un activo de información: el tipo, su descripción y los campos "
        "que cambian."
    )
)
class AssetChangeCreateSerializer(_AssetFields):
    change_type = serializers.ChoiceField(
        choices=[c for c in ChangeType.choices if c[0] != ChangeType.ALTA]
    )
    change_description = serializers.CharField(help_text="Descripción del cambio.")
    changed_on = serializers.DateField(required=False)
    support_document = serializers.CharField(max_length=200, required=False, allow_blank=True)
