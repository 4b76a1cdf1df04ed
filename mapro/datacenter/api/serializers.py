"""Serializers of the data-center API v1: logbook lines, visits with their people, documents
and DIPEC checks, and the bodies of each write."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from ..actions import entry_problems, required_documents
from ..choices import CheckKind, CheckOutcome, DocumentKind, VisitKind
from ..models import ContractorDocument, DipecCheck, LogbookEntry, Visit, VisitPerson


@extend_schema_serializer(
    description=(
        "Una línea de la bitácora de ingreso al centro de datos (Formato N° 1): quién entró, con "
        "quién, para qué, cuándo entró y salió."
    )
)
class LogbookEntrySerializer(serializers.ModelSerializer):
    """One line of the bitácora (Formato N° 1)."""

    escort = serializers.CharField(source="escort_name")
    escort_username = serializers.SerializerMethodField()
    visit_kind = serializers.CharField(source="visit.kind")
    ticket_number = serializers.CharField(source="visit.ticket_number")
    instance = serializers.IntegerField(source="visit.instance_id", allow_null=True)
    is_open = serializers.BooleanField()

    class Meta:
        model = LogbookEntry
        fields = [
            "id",
            "visit",
            "visit_kind",
            "full_name",
            "dni",
            "company",
            "escort",
            "escort_username",
            "purpose",
            "entered_at",
            "exited_at",
            "is_open",
            "ticket_number",
            "instance",
        ]

    def get_escort_username(self, entry: LogbookEntry) -> str | None:
        return entry.escort.get_username() if entry.escort is not None else None


@extend_schema_serializer(description="Una persona autorizada en una visita al centro de datos.")
class VisitPersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = VisitPerson
        fields = ["id", "full_name", "dni", "company"]


@extend_schema_serializer(
    description=(
        "Un documento de un contratista presentado para la visita (p. ej. SCTR), con su vigencia."
    )
)
class ContractorDocumentSerializer(serializers.ModelSerializer):
    dni = serializers.CharField(source="person.dni", allow_null=True, default=None)

    class Meta:
        model = ContractorDocument
        fields = ["id", "kind", "dni", "reference", "valid_until", "activity", "recorded_at"]


@extend_schema_serializer(
    description=(
        "Una actuación de la DIPEC sobre la visita (revisión de la documentación o inducción en "
        "SST), con su resultado."
    )
)
class DipecCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = DipecCheck
        fields = ["id", "kind", "outcome", "on", "observations", "activity", "recorded_at"]


@extend_schema_serializer(
    description=(
        "Una visita al centro de datos: tipo, empresa, motivo, fecha prevista, autorización, "
        "unidad, expediente y N° de ticket."
    )
)
class VisitListSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code")

    class Meta:
        model = Visit
        fields = [
            "id",
            "kind",
            "company",
            "purpose",
            "planned_at",
            "high_risk",
            "authorized_on",
            "unit",
            "instance",
            "ticket_number",
            "created_at",
        ]


@extend_schema_serializer(
    description="Si una persona de la visita puede ingresar hoy y, si no, por qué."
)
class EntryStatusSerializer(serializers.Serializer):
    dni = serializers.CharField()
    full_name = serializers.CharField()
    may_enter_today = serializers.BooleanField()
    problems = serializers.ListField(child=serializers.CharField())


@extend_schema_serializer(
    description=(
        "Una visita al centro de datos con sus personas, documentos, verificaciones, ingresos y "
        "quién puede ingresar hoy."
    )
)
class VisitDetailSerializer(VisitListSerializer):
    people = VisitPersonSerializer(many=True)
    documents = ContractorDocumentSerializer(many=True)
    checks = DipecCheckSerializer(many=True)
    entries = LogbookEntrySerializer(many=True)
    required_documents = serializers.SerializerMethodField()
    entry_status = serializers.SerializerMethodField()

    class Meta(VisitListSerializer.Meta):
        fields = [
            *VisitListSerializer.Meta.fields,
            "required_documents",
            "people",
            "documents",
            "checks",
            "entries",
            "entry_status",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_required_documents(self, visit: Visit) -> list[str]:
        return [str(kind) for kind in required_documents(visit)]

    @extend_schema_field(EntryStatusSerializer(many=True))
    def get_entry_status(self, visit: Visit) -> list[dict[str, Any]]:
        today = self.context["today"]
        rows = []
        for person in visit.people.all():
            problems = entry_problems(visit, person, today)
            rows.append(
                {
                    "dni": person.dni,
                    "full_name": person.full_name,
                    "may_enter_today": not problems,
                    "problems": problems,
                }
            )
        return rows


# --- request bodies ------------------------------------------------------------------------


@extend_schema_serializer(
    description="Una persona que se autoriza en una visita: nombres y apellidos, DNI y empresa."
)
class PersonInSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=200)
    dni = serializers.CharField(max_length=8)
    company = serializers.CharField(max_length=200, required=False, allow_blank=True)


@extend_schema_serializer(
    description="Registro de una visita al centro de datos con las personas autorizadas."
)
class VisitCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=VisitKind.choices)
    company = serializers.CharField(max_length=200, required=False, allow_blank=True)
    purpose = serializers.CharField()
    planned_at = serializers.DateTimeField(required=False, allow_null=True)
    high_risk = serializers.BooleanField(required=False, default=False)
    authorized_on = serializers.DateField(required=False, allow_null=True)
    unit = serializers.CharField(max_length=30, required=False, allow_blank=True)
    ticket_number = serializers.CharField(max_length=50, required=False, allow_blank=True)
    people = PersonInSerializer(many=True, required=False)


@extend_schema_serializer(description="Registro de un documento de un contratista para la visita.")
class DocumentCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    valid_until = serializers.DateField(required=False, allow_null=True)
    reference = serializers.CharField(max_length=300, required=False, allow_blank=True)
    dni = serializers.CharField(max_length=8, required=False, allow_blank=True)


@extend_schema_serializer(
    description=(
        "Registro de una revisión de la documentación o de una inducción en SST de la DIPEC."
    )
)
class CheckCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CheckKind.choices)
    outcome = serializers.ChoiceField(choices=CheckOutcome.choices)
    on = serializers.DateField()
    observations = serializers.CharField(required=False, allow_blank=True)


@extend_schema_serializer(
    description=(
        "Registro del ingreso de una persona autorizada al centro de datos, con quien la acompaña."
    )
)
class EntryCreateSerializer(serializers.Serializer):
    visit = serializers.IntegerField()
    dni = serializers.CharField(max_length=8)
    entered_at = serializers.DateTimeField()
    escort = serializers.CharField(max_length=200)
    escort_username = serializers.CharField(max_length=150, required=False, allow_blank=True)
    purpose = serializers.CharField(max_length=300, required=False, allow_blank=True)
    company = serializers.CharField(max_length=200, required=False, allow_blank=True)


@extend_schema_serializer(description="La hora de salida del centro de datos.")
class ExitSerializer(serializers.Serializer):
    exited_at = serializers.DateTimeField()
