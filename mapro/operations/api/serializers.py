"""Serializers of the run records API (``/api/v1/operations/``)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from ..choices import Outcome, RunKind
from ..models import RunRecord, RunToken


@extend_schema_serializer(
    description=(
        "Una ejecución registrada (copia de respaldo, respaldo de configuración o revisión de "
        "log): equipo, hora, resultado, evidencia y corrección."
    )
)
class RunRecordSerializer(serializers.ModelSerializer):
    equipment = serializers.CharField(source="equipment.code")
    equipment_name = serializers.CharField(source="equipment.name")
    token = serializers.CharField(source="token.name", allow_null=True, default=None)
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = RunRecord
        fields = [
            "id",
            "kind",
            "equipment",
            "equipment_name",
            "system",
            "ran_at",
            "outcome",
            "size_bytes",
            "items",
            "destination",
            "files",
            "message",
            "external_id",
            "evidence",
            "correction_state",
            "corrective_action",
            "corrected_at",
            "corrected_by_name",
            "source",
            "token",
            "recorded_by_name",
            "instance",
            "plan_occurrence",
            "created_at",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {
                "name": {"type": "string"},
                "sha256": {"type": "string"},
                "size": {"type": "integer"},
                "content_type": {"type": "string"},
                "url": {"type": "string"},
            },
        }
    )
    def get_evidence(self, obj: RunRecord) -> dict[str, object] | None:
        if not obj.evidence_stored:
            return None
        return {
            "name": obj.evidence_name,
            "sha256": obj.evidence_sha256,
            "size": obj.evidence_size,
            "content_type": obj.evidence_type,
            "url": f"/api/v1/operations/runs/{obj.pk}/evidence/",
        }


@extend_schema_serializer(
    description="Un archivo de evidencia: su nombre y su contenido en base64."
)
class EvidenceSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    content_base64 = serializers.CharField()


@extend_schema_serializer(
    description=(
        "Lo que una persona o un script envía para registrar una ejecución (la acción valida los "
        "valores)."
    )
)
class RunRecordWriteSerializer(serializers.Serializer):
    """What a person or a script posts (the action validates the values)."""

    kind = serializers.ChoiceField(choices=RunKind.choices, required=False)
    equipment = serializers.CharField(required=False, allow_blank=True)
    system = serializers.CharField(required=False, allow_blank=True)
    ran_at = serializers.CharField(required=False, help_text="ISO 8601; hora de Lima sin zona.")
    outcome = serializers.ChoiceField(choices=Outcome.choices, required=False)
    size_bytes = serializers.IntegerField(required=False, allow_null=True)
    items = serializers.IntegerField(required=False, allow_null=True)
    destination = serializers.CharField(required=False, allow_blank=True)
    files = serializers.CharField(required=False, allow_blank=True)
    message = serializers.CharField(required=False, allow_blank=True)
    external_id = serializers.CharField(required=False, allow_blank=True)
    corrective_action = serializers.CharField(required=False, allow_blank=True)
    evidence = EvidenceSerializer(required=False)


@extend_schema_serializer(description="La acción correctiva de una ejecución fallida.")
class CorrectionSerializer(serializers.Serializer):
    corrective_action = serializers.CharField(allow_blank=True)


@extend_schema_serializer(
    description=(
        "Un token con que un servidor o script registra ejecuciones: qué tipos y qué equipos "
        "puede registrar, su último uso y su revocación."
    )
)
class RunTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = RunToken
        fields = [
            "id",
            "name",
            "prefix",
            "kinds",
            "equipment_codes",
            "created_at",
            "last_used_at",
            "revoked_at",
            "revoked_by_name",
        ]


@extend_schema_serializer(
    description=(
        "Un token de ejecuciones recién emitido, con el token en claro (se muestra solo esta vez)."
    )
)
class RunTokenIssuedSerializer(RunTokenSerializer):
    token = serializers.CharField(help_text="El token: se muestra solo esta vez.")

    class Meta(RunTokenSerializer.Meta):
        fields = [*RunTokenSerializer.Meta.fields, "token"]


@extend_schema_serializer(
    description="Emisión de un token de ejecuciones: nombre, tipos de ejecución y equipos."
)
class RunTokenWriteSerializer(serializers.Serializer):
    name = serializers.CharField(allow_blank=True)
    kinds = serializers.ListField(child=serializers.CharField())
    equipment_codes = serializers.ListField(child=serializers.CharField(), required=False)
