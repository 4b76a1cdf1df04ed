"""Serializers of the statistics API v1."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from ..models import CalendarEntry, Dataset, Designation, Submission


@extend_schema_serializer(
    description=(
        "Un formato de información estadística: qué reportan los órganos (Table Schema de "
        "Frictionless), sus verificaciones, su periodicidad y su plazo en días hábiles."
    )
)
class DatasetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Dataset
        fields = [
            "code",
            "title",
            "description",
            "periodicity",
            "due_business_days",
            "schema",
            "checks",
        ]


@extend_schema_serializer(
    description=(
        "Una entrada del cronograma de envío de información: formato, órgano, periodo y fecha "
        "límite."
    )
)
class EntrySerializer(serializers.ModelSerializer):
    dataset = serializers.CharField(source="dataset.code")
    organization = serializers.CharField(source="organization.code")
    calendar_status = serializers.CharField(source="calendar.status")

    class Meta:
        model = CalendarEntry
        fields = [
            "id",
            "dataset",
            "organization",
            "period",
            "period_end",
            "due_date",
            "calendar_status",
        ]


@extend_schema_serializer(
    description=(
        "Un archivo enviado por un órgano estadístico: versión, estado, filas, errores y "
        "evaluación."
    )
)
class SubmissionSerializer(serializers.ModelSerializer):
    dataset = serializers.CharField(source="entry.dataset.code")
    organization = serializers.CharField(source="entry.organization.code")
    period = serializers.CharField(source="entry.period")

    class Meta:
        model = Submission
        fields = [
            "id",
            "dataset",
            "organization",
            "period",
            "version",
            "status",
            "filename",
            "sha256",
            "row_count",
            "error_count",
            "errors",
            "submitted_by_name",
            "submitted_at",
            "evaluated_by_name",
            "evaluated_at",
            "observations",
        ]


@extend_schema_serializer(
    description="multipart/form-data: el archivo (CSV o XLSX) de un formato, órgano y periodo."
)
class SubmitSerializer(serializers.Serializer):
    dataset = serializers.CharField(max_length=60)
    organization = serializers.CharField(max_length=30)
    period = serializers.CharField(max_length=10)
    file = serializers.FileField()


@extend_schema_serializer(
    description="La evaluación de un envío: aceptarlo, u observarlo con las observaciones."
)
class EvaluateSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    observations = serializers.CharField(required=False, allow_blank=True, max_length=5000)


@extend_schema_serializer(
    description=(
        "La designación de un representante (titular o alterno) de un órgano estadístico, con su "
        "documento y vigencia."
    )
)
class DesignationSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.code")
    person = serializers.CharField(source="person.full_name")
    dni = serializers.CharField(source="person.dni")

    class Meta:
        model = Designation
        fields = [
            "id",
            "organization",
            "person",
            "dni",
            "kind",
            "document",
            "document_date",
            "valid_from",
            "valid_until",
        ]


@extend_schema_serializer(
    description="El año del cronograma de envío de información que se formula."
)
class FormulateSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)


@extend_schema_serializer(
    description=(
        "Registro o cambio de un formato de información estadística: código, título, "
        "periodicidad, plazo, Table Schema y verificaciones."
    )
)
class DatasetWriteSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=60)
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    periodicity = serializers.ChoiceField(
        choices=["mensual", "trimestral", "semestral", "anual"], default="anual"
    )
    due_business_days = serializers.IntegerField(min_value=1, max_value=120, default=10)
    schema = serializers.JSONField()
    checks = serializers.JSONField(required=False)
