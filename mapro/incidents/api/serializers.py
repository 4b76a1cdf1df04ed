"""Serializers of the incident matrix API v1: list row, detail (with the timeline), and the
bodies of open / add action / classify / close."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from ..models import Incident, IncidentAction
from ..selectors import minutes, timeline


@extend_schema_serializer(
    description=(
        "Un incidente de la matriz de incidentes, con sus tiempos de contención y de resolución "
        "en minutos."
    )
)
class IncidentSerializer(serializers.ModelSerializer):
    """A row of the matrix, with the computed times in minutes."""

    reporting_unit = serializers.CharField(source="reporting_unit.code", allow_null=True)
    ticket = serializers.CharField(source="ticket.number", allow_null=True)
    time_to_contain_minutes = serializers.SerializerMethodField()
    time_to_resolve_minutes = serializers.SerializerMethodField()

    class Meta:
        model = Incident
        fields = [
            "code",
            "kind",
            "status",
            "title",
            "origin",
            "detection_source",
            "detected_at",
            "reporting_unit",
            "reported_by",
            "category",
            "severity",
            "priority",
            "contained_at",
            "resolved_at",
            "time_to_contain_minutes",
            "time_to_resolve_minutes",
            "ticket",
            "instance",
        ]

    def get_time_to_contain_minutes(self, incident: Incident) -> int | None:
        return minutes(incident.time_to_contain)

    def get_time_to_resolve_minutes(self, incident: Incident) -> int | None:
        return minutes(incident.time_to_resolve)


class IncidentActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = IncidentAction
        fields = ["id", "phase", "description", "performed_by_name", "performed_at"]


class IncidentPhaseSerializer(serializers.Serializer):
    phase = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    actions = IncidentActionSerializer(many=True)


@extend_schema_serializer(
    description=(
        "Un incidente completo: descripción, activos y servicios afectados, resolución, lecciones "
        "aprendidas y las acciones por fase."
    )
)
class IncidentDetailSerializer(IncidentSerializer):
    """The whole row: descriptions, resolution, lessons, and the timeline by phase."""

    timeline = serializers.SerializerMethodField()

    class Meta(IncidentSerializer.Meta):
        fields = [
            *IncidentSerializer.Meta.fields,
            "description",
            "affected_assets",
            "affected_services",
            "external_support",
            "resolution",
            "lessons_learned",
            "closed_at",
            "created_at",
            "timeline",
        ]

    def get_timeline(self, incident: Incident) -> list[dict[str, Any]]:
        return list(IncidentPhaseSerializer(timeline(incident), many=True).data)


@extend_schema_serializer(
    description="Registro de un incidente de infraestructura o de seguridad informática."
)
class IncidentCreateSerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)
    origin = serializers.CharField(allow_blank=True)
    detection_source = serializers.CharField(allow_blank=True)
    detected_at = serializers.CharField(allow_blank=True)
    reporting_unit = serializers.CharField(required=False, allow_blank=True, default="")
    reported_by = serializers.CharField(required=False, allow_blank=True, default="")
    category = serializers.CharField(required=False, allow_blank=True, default="")
    severity = serializers.CharField(required=False, allow_blank=True, default="")
    priority = serializers.CharField(required=False, allow_blank=True, default="")
    affected_assets = serializers.CharField(required=False, allow_blank=True, default="")
    affected_services = serializers.CharField(required=False, allow_blank=True, default="")
    ticket = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_serializer(
    description="Registro de una acción sobre el incidente en una fase de su atención."
)
class IncidentActionBodySerializer(serializers.Serializer):
    phase = serializers.CharField(allow_blank=True)
    description = serializers.CharField(allow_blank=True)
    performed_at = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_serializer(
    description=(
        "Clasificación de un incidente: categoría, severidad, prioridad, activos y servicios "
        "afectados."
    )
)
class IncidentClassifyBodySerializer(serializers.Serializer):
    category = serializers.CharField(allow_blank=True, required=False, default="")
    severity = serializers.CharField(allow_blank=True, required=False, default="")
    priority = serializers.CharField(allow_blank=True, required=False, default="")
    affected_assets = serializers.CharField(required=False, allow_null=True, default=None)
    affected_services = serializers.CharField(required=False, allow_null=True, default=None)


@extend_schema_serializer(
    description="Cierre de un incidente: resolución, lecciones aprendidas y hora de resolución."
)
class IncidentCloseBodySerializer(serializers.Serializer):
    resolution = serializers.CharField(allow_blank=True, required=False, default="")
    lessons_learned = serializers.CharField(allow_blank=True, required=False, default="")
    resolved_at = serializers.CharField(required=False, allow_blank=True, default="")
