"""Serializers of the inventory API: output shapes and the bodies of each action."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from ..choices import (
    Criticality,
    EquipmentKind,
    EquipmentState,
    MaintenanceExecutor,
    MaintenanceKind,
    MaintenanceOutcome,
    WarrantyDecision,
)
from ..models import Equipment, Maintenance, PlatformAccount, PlatformActivity


class EquipmentHistoryEventSerializer(serializers.Serializer):
    occurred_at = serializers.DateTimeField()
    actor_name = serializers.CharField()
    action = serializers.CharField()
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)


@extend_schema_serializer(
    description=(
        "Una persona ligada a un equipo (usuario, responsable o responsable alterno): id, DNI y "
        "nombre completo."
    )
)
class EquipmentPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    dni = serializers.CharField()
    full_name = serializers.CharField()


@extend_schema_serializer(
    description=(
        "Un equipo del inventario de infraestructura: código, tipo, marca y modelo, criticidad, "
        "unidad, ubicación, responsables, garantía y estado."
    )
)
class EquipmentSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)  # type: ignore[var-annotated]
    holder = EquipmentPersonSerializer(read_only=True, allow_null=True)
    responsible = EquipmentPersonSerializer(read_only=True, allow_null=True)
    backup_responsible = EquipmentPersonSerializer(read_only=True, allow_null=True)
    under_warranty = serializers.SerializerMethodField()

    class Meta:
        model = Equipment
        fields = [
            "id",
            "code",
            "kind",
            "name",
            "brand",
            "model_name",
            "serial",
            "patrimonial_code",
            "ip_address",
            "criticality",
            "unit",
            "location",
            "holder",
            "responsible",
            "backup_responsible",
            "acquired_on",
            "warranty_end",
            "warranty_provider",
            "under_warranty",
            "state",
            "retired_on",
            "notes",
            "created_at",
            "updated_at",
        ]

    def get_under_warranty(self, obj: Equipment) -> bool:
        from django.utils import timezone

        return obj.under_warranty(timezone.localdate())


@extend_schema_serializer(
    description=(
        "Un mantenimiento de un equipo: tipo, quién lo ejecuta, fechas, ticket, hallazgos, "
        "acción, resultado, garantía y los documentos que generó."
    )
)
class MaintenanceSerializer(serializers.ModelSerializer):
    equipment = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    oficio = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)  # type: ignore[var-annotated]
    informe = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)  # type: ignore[var-annotated]

    class Meta:
        model = Maintenance
        fields = [
            "id",
            "equipment",
            "kind",
            "executor",
            "contractor",
            "scheduled_on",
            "performed_on",
            "ticket",
            "technician_name",
            "findings",
            "action_taken",
            "outcome",
            "warranty",
            "warranty_checked_with",
            "baja_reason",
            "oficio",
            "informe",
            "state_after",
            "instance",
            "created_at",
        ]


class PlatformAccountSerializer(serializers.ModelSerializer):
    profile = serializers.SlugRelatedField(slug_field="name", read_only=True)  # type: ignore[var-annotated]
    person = EquipmentPersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = PlatformAccount
        fields = [
            "username",
            "profile",
            "person",
            "full_admin",
            "vaulted",
            "granted_on",
            "revoked_on",
        ]


class PlatformActivitySerializer(serializers.ModelSerializer):
    report = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)  # type: ignore[var-annotated]
    referral = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)  # type: ignore[var-annotated]

    class Meta:
        model = PlatformActivity
        fields = [
            "id",
            "kind",
            "performed_on",
            "summary",
            "reports_required",
            "report",
            "referral",
            "instance",
        ]


@extend_schema_serializer(
    description=(
        "Un equipo del inventario con sus mantenimientos, cuentas de la plataforma, actividades e "
        "historial de cambios."
    )
)
class EquipmentDetailSerializer(EquipmentSerializer):
    maintenances = serializers.SerializerMethodField()
    accounts = serializers.SerializerMethodField()
    activities = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    class Meta(EquipmentSerializer.Meta):
        fields = [
            *EquipmentSerializer.Meta.fields,
            "maintenances",
            "accounts",
            "activities",
            "history",
        ]

    def get_maintenances(self, obj: Equipment) -> list[dict[str, Any]]:
        return MaintenanceSerializer(getattr(obj, "maintenance_list", []), many=True).data  # type: ignore[return-value]

    def get_accounts(self, obj: Equipment) -> list[dict[str, Any]]:
        return PlatformAccountSerializer(getattr(obj, "account_list", []), many=True).data  # type: ignore[return-value]

    def get_activities(self, obj: Equipment) -> list[dict[str, Any]]:
        return PlatformActivitySerializer(getattr(obj, "activity_list", []), many=True).data  # type: ignore[return-value]

    def get_history(self, obj: Equipment) -> list[dict[str, Any]]:
        return EquipmentHistoryEventSerializer(getattr(obj, "history_events", []), many=True).data  # type: ignore[return-value]


@extend_schema_serializer(
    description=(
        "Alta de un equipo (`code`, `kind` y `name` obligatorios) o cambio de cualquiera de sus "
        "campos; las personas por DNI (o id), la unidad por su sigla, las fechas AAAA-MM-DD."
    )
)
class EquipmentWriteSerializer(serializers.Serializer):
    """Body of create (``code``, ``kind``, ``name`` required) and update (any subset).
    People by DNI (or id), the unit by its sigla; dates AAAA-MM-DD."""

    code = serializers.CharField(max_length=40, required=False)
    kind = serializers.ChoiceField(choices=EquipmentKind.choices, required=False)
    name = serializers.CharField(max_length=200, required=False)
    brand = serializers.CharField(max_length=100, required=False, allow_blank=True)
    model_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    serial = serializers.CharField(max_length=100, required=False, allow_blank=True)
    patrimonial_code = serializers.CharField(max_length=100, required=False, allow_blank=True)
    ip_address = serializers.CharField(max_length=45, required=False, allow_blank=True)
    criticality = serializers.ChoiceField(
        choices=Criticality.choices, required=False, allow_blank=True
    )
    unit = serializers.CharField(max_length=30, required=False, allow_blank=True)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    holder = serializers.CharField(max_length=20, required=False, allow_blank=True)
    responsible = serializers.CharField(max_length=20, required=False, allow_blank=True)
    backup_responsible = serializers.CharField(max_length=20, required=False, allow_blank=True)
    acquired_on = serializers.CharField(max_length=10, required=False, allow_blank=True)
    warranty_end = serializers.CharField(max_length=10, required=False, allow_blank=True)
    warranty_provider = serializers.CharField(max_length=200, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=4000, required=False, allow_blank=True)


@extend_schema_serializer(description="Cambio del estado de un equipo, con el motivo.")
class StateSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=EquipmentState.choices)
    reason = serializers.CharField(max_length=500)


@extend_schema_serializer(
    description="multipart/form-data: el archivo XLSX o CSV de equipos a importar (todo o nada)."
)
class ImportSerializer(serializers.Serializer):
    file = serializers.FileField()


@extend_schema_serializer(description="Cuántos equipos creó y cuántos actualizó la importación.")
class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()


@extend_schema_serializer(
    description=(
        "Registro a mano (fuera de un paso de procedimiento) de un mantenimiento realizado o "
        "coordinado."
    )
)
class MaintenanceCreateSerializer(serializers.Serializer):
    """A maintenance recorded by hand (outside a procedure step): done or coordinated."""

    equipment = serializers.CharField(max_length=40, help_text="Código de inventario.")
    kind = serializers.ChoiceField(choices=MaintenanceKind.choices)
    outcome = serializers.ChoiceField(
        choices=MaintenanceOutcome.choices, default=MaintenanceOutcome.PENDIENTE
    )
    performed_on = serializers.DateField(required=False, allow_null=True)
    scheduled_on = serializers.DateField(required=False, allow_null=True)
    findings = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    action_taken = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    ticket = serializers.CharField(max_length=50, required=False, allow_blank=True)
    executor = serializers.ChoiceField(
        choices=MaintenanceExecutor.choices, default=MaintenanceExecutor.OGTIE
    )
    contractor = serializers.CharField(max_length=200, required=False, allow_blank=True)


@extend_schema_serializer(
    description=(
        "El resultado de un mantenimiento pendiente: solucionado o no, con la fecha, los "
        "hallazgos y la acción."
    )
)
class MaintenanceOutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[MaintenanceOutcome.SOLUCIONADO, MaintenanceOutcome.NO_SOLUCIONADO]
    )
    performed_on = serializers.DateField()
    findings = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    action_taken = serializers.CharField(max_length=4000, required=False, allow_blank=True)
    ticket = serializers.CharField(max_length=50, required=False, allow_blank=True)


@extend_schema_serializer(
    description="La decisión sobre la garantía del equipo en mantenimiento y con quién se verificó."
)
class WarrantySerializer(serializers.Serializer):
    warranty = serializers.ChoiceField(choices=WarrantyDecision.choices)
    checked_with = serializers.CharField(max_length=200, required=False, allow_blank=True)
