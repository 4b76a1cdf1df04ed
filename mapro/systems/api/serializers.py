"""Serializers of the systems API: output shapes and request bodies."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from ..choices import Criticality, QualityTool, SystemState
from ..models import (
    ChangeRecord,
    InformationSystem,
    QualityGate,
    QualityReport,
    QualityReview,
    Release,
    SystemEnvironment,
)


@extend_schema_serializer(
    component_name="SystemHistoryEvent",
    description=(
        "Un evento del historial de cambios de un sistema, una versión o un informe de calidad: "
        "cuándo, quién, qué acción y los valores que dejó."
    ),
)
class HistoryEventSerializer(serializers.Serializer):
    occurred_at = serializers.DateTimeField()
    actor_name = serializers.CharField()
    action = serializers.CharField()
    after = serializers.JSONField(allow_null=True)


@extend_schema_serializer(
    description="Un ambiente de un sistema (desarrollo, pruebas o producción) y su URL."
)
class EnvironmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = SystemEnvironment
        fields = ["kind", "url"]


@extend_schema_serializer(
    description=(
        "Un sistema de información del inventario: unidad dueña, equipo, estado, criticidad, "
        "ambientes, repositorio, tecnologías y servidores."
    )
)
class SystemSerializer(serializers.ModelSerializer):
    owner_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    environments = EnvironmentSerializer(many=True, read_only=True)
    hosts = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = InformationSystem
        fields = [
            "id",
            "code",
            "name",
            "purpose",
            "owner_unit",
            "team",
            "state",
            "criticality",
            "environments",
            "repository",
            "technologies",
            "servers",
            "hosts",
            "decommissioned_on",
            "data_location",
            "backup_location",
            "origin_instance",
            "git_access_instance",
        ]


@extend_schema_serializer(
    description=(
        "Una versión de un sistema: fecha, cambios, cambios que atiende, evidencia de calidad, "
        "aceptación y despliegue."
    )
)
class ReleaseSerializer(serializers.ModelSerializer):
    system = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    closes = serializers.SerializerMethodField()

    class Meta:
        model = Release
        fields = [
            "id",
            "system",
            "version",
            "released_on",
            "changes",
            "closes",
            "commit_ref",
            "quality_evidence",
            "accepted_by_name",
            "accepted_on",
            "deployed_by_name",
            "instance",
        ]

    def get_closes(self, obj: Release) -> list[int]:
        return [c.number for c in obj.closes.all()]


@extend_schema_serializer(
    description="Una versión de un sistema con su fecha de despliegue y su historial de cambios."
)
class ReleaseDetailSerializer(ReleaseSerializer):
    history = HistoryEventSerializer(many=True, read_only=True, source="history_events")

    class Meta(ReleaseSerializer.Meta):
        fields = [*ReleaseSerializer.Meta.fields, "deployed_at", "history"]


@extend_schema_serializer(
    description=(
        "Un registro de control de cambios de un sistema: número, tipo, descripción, unidad "
        "solicitante, responsable y estado."
    )
)
class ChangeSerializer(serializers.ModelSerializer):
    system = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)  # type: ignore[var-annotated]
    requesting_unit = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = ChangeRecord
        fields = [
            "id",
            "number",
            "registered_on",
            "system",
            "system_name",
            "system_version",
            "kind",
            "description",
            "requesting_unit",
            "procedure_code",
            "instance",
            "responsible_name",
            "status",
            "closed_on",
            "backup_location",
            "observations",
        ]


@extend_schema_serializer(
    description=(
        "Un informe de calidad (SonarQube u OWASP ZAP) de un sistema: hallazgos por severidad y "
        "la puerta de calidad que propone."
    )
)
class ReportSerializer(serializers.ModelSerializer):
    system = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = QualityReport
        fields = [
            "id",
            "system",
            "tool",
            "filename",
            "sha256",
            "source",
            "tool_version",
            "counts",
            "total",
            "gate",
            "proposed",
            "uploaded_by_name",
            "uploaded_at",
        ]


@extend_schema_serializer(
    description="Un informe de calidad con sus hallazgos y su historial de cambios."
)
class ReportDetailSerializer(ReportSerializer):
    history = HistoryEventSerializer(many=True, read_only=True, source="history_events")

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "findings", "history"]


@extend_schema_serializer(
    description=(
        "Una revisión de calidad de un expediente: los informes que usó, el veredicto propuesto y "
        "el decidido, con el acta."
    )
)
class ReviewSerializer(serializers.ModelSerializer):
    class Meta:
        model = QualityReview
        fields = [
            "id",
            "instance",
            "activity_n",
            "sonar_report",
            "zap_report",
            "proposed",
            "decided",
            "override_reason",
            "decided_by_name",
            "acta_number",
            "created_at",
        ]


@extend_schema_serializer(
    description=(
        "Un hito de la línea de tiempo de un sistema: cuándo, qué, en qué procedimiento y "
        "expediente."
    )
)
class TimelineSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    title = serializers.CharField()
    detail = serializers.CharField()
    procedure = serializers.CharField()
    instance_id = serializers.IntegerField(allow_null=True)
    kind = serializers.CharField()


@extend_schema_serializer(
    description=(
        "Un sistema de información con sus versiones, cambios, revisiones de calidad, línea de "
        "tiempo e historial."
    )
)
class SystemDetailSerializer(SystemSerializer):
    releases = ReleaseSerializer(many=True, read_only=True)
    # The matrix rows and reviews are OGTIE's: empty for the system's owner (director-uo).
    changes = ChangeSerializer(many=True, read_only=True, source="visible_changes")
    reviews = ReviewSerializer(many=True, read_only=True, source="visible_reviews")
    timeline = TimelineSerializer(many=True, read_only=True, source="timeline_entries")
    history = HistoryEventSerializer(many=True, read_only=True, source="history_events")

    class Meta(SystemSerializer.Meta):
        fields = [
            *SystemSerializer.Meta.fields,
            "releases",
            "changes",
            "reviews",
            "timeline",
            "history",
        ]


@extend_schema_serializer(
    description="Una puerta de calidad: los umbrales de una herramienta para un equipo."
)
class GateSerializer(serializers.ModelSerializer):
    class Meta:
        model = QualityGate
        fields = ["id", "team", "tool", "thresholds", "updated_at"]


# --- bodies -----------------------------------------------------------------------------------


class EnvironmentsField(serializers.DictField):
    child = serializers.CharField(max_length=300, allow_blank=True)


@extend_schema_serializer(description="Alta de un sistema de información en el inventario.")
class SystemCreateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    owner_unit = serializers.CharField(max_length=40)
    purpose = serializers.CharField(required=False, allow_blank=True)
    team = serializers.CharField(max_length=200, required=False, allow_blank=True)
    state = serializers.ChoiceField(choices=SystemState.choices, required=False)
    criticality = serializers.ChoiceField(choices=Criticality.choices, required=False)
    repository = serializers.CharField(max_length=300, required=False, allow_blank=True)
    technologies = serializers.CharField(max_length=300, required=False, allow_blank=True)
    servers = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    environments = EnvironmentsField(required=False)


@extend_schema_serializer(
    description="Cambio de los datos de un sistema de información (los campos enviados)."
)
class SystemUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False)
    owner_unit = serializers.CharField(max_length=40, required=False)
    purpose = serializers.CharField(required=False, allow_blank=True)
    team = serializers.CharField(max_length=200, required=False, allow_blank=True)
    state = serializers.ChoiceField(choices=SystemState.choices, required=False)
    criticality = serializers.ChoiceField(choices=Criticality.choices, required=False)
    repository = serializers.CharField(max_length=300, required=False, allow_blank=True)
    technologies = serializers.CharField(max_length=300, required=False, allow_blank=True)
    servers = serializers.ListField(child=serializers.CharField(max_length=100), required=False)
    environments = EnvironmentsField(required=False)


@extend_schema_serializer(
    description=(
        "Registro de una versión de un sistema, con los cambios que atiende y su aceptación."
    )
)
class ReleaseCreateSerializer(serializers.Serializer):
    system = serializers.CharField(max_length=40)
    version = serializers.CharField(max_length=50, required=False, allow_blank=True)
    changes = serializers.CharField(required=False, allow_blank=True)
    commit_ref = serializers.CharField(max_length=100, required=False, allow_blank=True)
    closes = serializers.ListField(child=serializers.IntegerField(), required=False)
    quality_evidence = serializers.CharField(max_length=300, required=False, allow_blank=True)
    accepted_by_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    accepted_on = serializers.DateField(required=False, allow_null=True)


@extend_schema_serializer(description="La fecha de despliegue de la versión en producción.")
class DeploySerializer(serializers.Serializer):
    released_on = serializers.DateField(required=False, allow_null=True)


@extend_schema_serializer(
    description=(
        "multipart/form-data: el informe de una herramienta de calidad (SonarQube u OWASP ZAP) de "
        "un sistema."
    )
)
class ReportUploadSerializer(serializers.Serializer):
    system = serializers.CharField(max_length=40)
    tool = serializers.ChoiceField(choices=QualityTool.choices)
    file = serializers.FileField()


@extend_schema_serializer(
    description=(
        "Los umbrales de la puerta de calidad de una herramienta, para un equipo o para todos."
    )
)
class GateSetSerializer(serializers.Serializer):
    team = serializers.CharField(max_length=200, required=False, allow_blank=True)
    tool = serializers.ChoiceField(choices=QualityTool.choices)
    thresholds = serializers.DictField(child=serializers.JSONField())
