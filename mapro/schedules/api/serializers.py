"""Serializers of the cronogramas API (``/api/v1/schedules/``)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from ..choices import PlanState
from ..models import Schedule


@extend_schema_serializer(
    description=(
        "Un cronograma como lo muestra el registro: procedimiento, unidad, rol, fechas o regla de "
        "repetición, estado y próxima ocurrencia."
    )
)
class ScheduleSerializer(serializers.ModelSerializer):
    """A cronograma as the register shows it."""

    procedure = serializers.CharField(source="procedure.code")
    start = serializers.CharField(source="start_key")
    unit = serializers.CharField(source="unit.code")
    dates = serializers.ListField(child=serializers.CharField())
    approved_by = serializers.SerializerMethodField()

    class Meta:
        model = Schedule
        fields = [
            "id",
            "name",
            "description",
            "procedure",
            "start",
            "unit",
            "role",
            "rrule",
            "dtstart",
            "dates",
            "status",
            "approved_by",
            "approved_at",
            "next_occurrence_at",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_approved_by(self, obj: Schedule) -> str | None:
        return obj.approved_by_name or None


@extend_schema_serializer(
    description=(
        "Una ocurrencia prevista del cronograma y qué fue de ella: ejecutada (con su expediente), "
        "fallida, programada, por iniciar o no ejecutada."
    )
)
class PlanRowSerializer(serializers.Serializer):
    """One planned occurrence and what became of it."""

    planned_at = serializers.DateTimeField()
    state = serializers.ChoiceField(
        choices=PlanState.choices,
        help_text="executed: se inició el expediente; failed: no se pudo iniciar (ver error); "
        "scheduled: futura; due: vencida, la inicia el trabajador en su próximo ciclo; missed: "
        "no ejecutada (antes de la aprobación, en borrador o dado de baja).",
    )
    instance = serializers.SerializerMethodField()
    instance_status = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.INT)
    def get_instance(self, row: Any) -> int | None:
        return row.instance.pk if row.instance is not None else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_instance_status(self, row: Any) -> str | None:
        return row.instance.status if row.instance is not None else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_error(self, row: Any) -> str:
        return row.occurrence.error if row.occurrence is not None else ""


@extend_schema_serializer(
    description="Un cronograma con sus ocurrencias previstas y ejecutadas de un año."
)
class ScheduleDetailSerializer(ScheduleSerializer):
    """A cronograma with its planned and executed occurrences of one year."""

    year = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    occurrences = serializers.SerializerMethodField()

    class Meta(ScheduleSerializer.Meta):
        fields = [*ScheduleSerializer.Meta.fields, "year", "summary", "occurrences"]

    @extend_schema_field(OpenApiTypes.INT)
    def get_year(self, obj: Schedule) -> int:
        return int(self.context["year"])

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "planned": {"type": "integer"},
                "executed": {"type": "integer"},
                "failed": {"type": "integer"},
                "missed": {"type": "integer"},
            },
        }
    )
    def get_summary(self, obj: Schedule) -> dict[str, int]:
        return dict(self.context["summary"])

    @extend_schema_field(PlanRowSerializer(many=True))
    def get_occurrences(self, obj: Schedule) -> list[dict[str, Any]]:
        return list(PlanRowSerializer(self.context["rows"], many=True).data)


@extend_schema_serializer(
    description=(
        "Lo que se envía para registrar o cambiar un cronograma (la acción valida los valores)."
    )
)
class ScheduleWriteSerializer(serializers.Serializer):
    """What a client sends to register or change a cronograma (the action validates)."""

    name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    procedure = serializers.CharField(required=False, allow_blank=True)
    start = serializers.CharField(required=False, allow_blank=True)
    unit = serializers.CharField(required=False, allow_blank=True)
    role = serializers.CharField(required=False, allow_blank=True)
    rrule = serializers.CharField(required=False, allow_blank=True, max_length=500)
    dtstart = serializers.CharField(
        required=False, help_text="Fecha y hora ISO 8601 (hora de Lima si no lleva zona)."
    )
    dates = serializers.ListField(child=serializers.CharField(), required=False)


@extend_schema_serializer(description="El motivo de dar de baja el cronograma.")
class ScheduleRetireSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)
