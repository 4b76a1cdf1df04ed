"""Serializers of the assets API: output shapes, and the bodies of each action."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from ..choices import (
    ACTA_SIGNERS,
    BlockKind,
    CertDeviceKind,
    InformationKind,
    LeavingReason,
    MailCaseKind,
    PhoneKind,
    RestoreAction,
    RestoreOutcome,
)
from ..models import (
    BlockEntry,
    CertAssignment,
    CertDevice,
    PhoneAssignment,
    PhoneEquipment,
    RestoreRequest,
)


@extend_schema_serializer(
    description=(
        "Un evento del historial de cambios de un equipo, dispositivo, requerimiento o bloqueo: "
        "cuándo, quién, qué acción y los valores que dejó."
    )
)
class HistoryEventSerializer(serializers.Serializer):
    """One event of an entry's historial de cambios."""

    occurred_at = serializers.DateTimeField()
    actor_name = serializers.CharField()
    action = serializers.CharField()
    after = serializers.JSONField(allow_null=True)


# --- phones -----------------------------------------------------------------------------------


class SignatureSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    date = serializers.DateField()


@extend_schema_serializer(
    description=(
        "Una asignación de un equipo telefónico: titular, unidad, Acta de entrega, entrega, Acta "
        "de asignación de bienes con sus firmas y devolución."
    )
)
class PhoneAssignmentSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    signatures = serializers.SerializerMethodField()

    class Meta:
        model = PhoneAssignment
        fields = [
            "id",
            "holder",
            "holder_name",
            "unit",
            "assigned_on",
            "acta_entrega",
            "delivered_on",
            "received_by",
            "acta_asignacion",
            "signatures",
            "signatures_complete",
            "returned_on",
            "return_reason",
            "received_by_name",
            "instance",
            "ticket",
        ]

    def get_signatures(self, obj: PhoneAssignment) -> dict[str, dict[str, Any] | None]:
        out: dict[str, dict[str, Any] | None] = {}
        for key, _ in ACTA_SIGNERS:
            name = getattr(obj, f"firma_{key}_nombre")
            day = getattr(obj, f"firma_{key}_fecha")
            out[key] = {"name": name, "date": day.isoformat()} if name and day else None
        return out


@extend_schema_serializer(
    description=(
        "Un equipo telefónico (IP o móvil) del inventario, con su estado y la unidad de su "
        "titular actual."
    )
)
class PhoneSerializer(serializers.ModelSerializer):
    holder_unit = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)  # type: ignore[var-annotated]

    class Meta:
        model = PhoneEquipment
        fields = [
            "id",
            "kind",
            "brand_model",
            "serial",
            "patrimonial_code",
            "extension",
            "call_manager_registered",
            "line_number",
            "status",
            "holder_unit",
            "notes",
        ]


@extend_schema_serializer(
    description="Un equipo telefónico con todas sus asignaciones y su historial de cambios."
)
class PhoneDetailSerializer(PhoneSerializer):
    assignments = PhoneAssignmentSerializer(many=True, read_only=True)
    history = HistoryEventSerializer(many=True, read_only=True, source="history_events")

    class Meta(PhoneSerializer.Meta):
        fields = [*PhoneSerializer.Meta.fields, "assignments", "history"]


@extend_schema_serializer(description="Alta de un equipo telefónico en el inventario.")
class PhoneCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PhoneKind.choices)
    serial = serializers.CharField(max_length=100)
    brand_model = serializers.CharField(max_length=200, required=False, allow_blank=True)
    patrimonial_code = serializers.CharField(max_length=100, required=False, allow_blank=True)
    extension = serializers.CharField(max_length=20, required=False, allow_blank=True)
    call_manager_registered = serializers.BooleanField(required=False, default=False)
    line_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)


class HolderMixin(serializers.Serializer):
    """The person concerned: by id (``holder``) or by DNI (``holder_dni``)."""

    holder = serializers.IntegerField(required=False, allow_null=True, help_text="Id de persona.")
    holder_dni = serializers.CharField(
        max_length=8, required=False, allow_blank=True, help_text="DNI de la persona."
    )


@extend_schema_serializer(
    description=(
        "Asignación de un equipo telefónico a una persona: el titular por su id (`holder`) o por "
        "su DNI (`holder_dni`), o por su nombre y unidad."
    )
)
class PhoneAssignSerializer(HolderMixin):
    holder_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    unit = serializers.CharField(
        max_length=30, required=False, allow_blank=True, help_text="Sigla de la unidad."
    )
    assigned_on = serializers.DateField(required=False, allow_null=True)
    acta_entrega = serializers.CharField(max_length=300, required=False, allow_blank=True)
    ticket = serializers.CharField(max_length=50, required=False, allow_blank=True)


@extend_schema_serializer(
    description=(
        "Devolución de un equipo telefónico por su titular (por id, `holder`, o por DNI, "
        "`holder_dni`)."
    )
)
class PhoneReturnSerializer(HolderMixin):
    holder_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    returned_on = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)


@extend_schema_serializer(
    description=(
        "El Acta de asignación de bienes de la asignación abierta: número, entrega y las cuatro "
        "firmas."
    )
)
class PhoneActaSerializer(serializers.Serializer):
    acta_asignacion = serializers.CharField(max_length=300, required=False, allow_blank=True)
    delivered_on = serializers.DateField(required=False, allow_null=True)
    received_by = serializers.CharField(max_length=200, required=False, allow_blank=True)
    signatures = serializers.DictField(
        child=serializers.DictField(),
        required=False,
        help_text="usuario, director_uo, coord_infraestructura, director_digep → {name, date}.",
    )


# --- certificate devices ----------------------------------------------------------------------


@extend_schema_serializer(
    description=(
        "Una asignación de un dispositivo para el certificado digital: titular, declaración "
        "jurada, registro y aprobación en RENIEC, entrega, devolución y conformidad."
    )
)
class CertAssignmentSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = CertAssignment
        fields = [
            "id",
            "holder",
            "holder_name",
            "unit",
            "assigned_on",
            "acta_entrega",
            "declaracion_jurada",
            "reniec_registered_on",
            "reniec_request",
            "reniec_approved_on",
            "returned_on",
            "leaving_reason",
            "return_notes",
            "received_by_name",
            "conformity_on",
            "conformity_by_name",
            "instance",
            "return_instance",
            "ticket",
        ]


@extend_schema_serializer(
    description=(
        "Un dispositivo para el uso del certificado digital (tarjeta criptográfica o lector), con "
        "su estado y la unidad de su titular actual."
    )
)
class CertDeviceSerializer(serializers.ModelSerializer):
    holder_unit = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)  # type: ignore[var-annotated]

    class Meta:
        model = CertDevice
        fields = ["id", "kind", "serial", "patrimonial_code", "status", "holder_unit", "notes"]


@extend_schema_serializer(
    description=(
        "Un dispositivo para el certificado digital con todas sus asignaciones y su historial de "
        "cambios."
    )
)
class CertDeviceDetailSerializer(CertDeviceSerializer):
    assignments = CertAssignmentSerializer(many=True, read_only=True)
    history = HistoryEventSerializer(many=True, read_only=True, source="history_events")

    class Meta(CertDeviceSerializer.Meta):
        fields = [*CertDeviceSerializer.Meta.fields, "assignments", "history"]


@extend_schema_serializer(
    description="Alta de un dispositivo para el uso del certificado digital en el inventario."
)
class CertDeviceCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CertDeviceKind.choices)
    serial = serializers.CharField(max_length=100)
    patrimonial_code = serializers.CharField(max_length=100, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)


@extend_schema_serializer(
    description=(
        "Asignación de un dispositivo para el certificado digital a una persona registrada (por "
        "id, `holder`, o por DNI, `holder_dni`), con la declaración jurada y el registro en "
        "RENIEC."
    )
)
class CertAssignSerializer(HolderMixin):
    declaracion_jurada = serializers.CharField(max_length=300, required=False, allow_blank=True)
    reniec_registered_on = serializers.DateField(required=False, allow_null=True)
    reniec_approved_on = serializers.DateField(required=False, allow_null=True)
    reniec_request = serializers.CharField(max_length=100, required=False, allow_blank=True)
    acta_entrega = serializers.CharField(max_length=300, required=False, allow_blank=True)
    assigned_on = serializers.DateField(required=False, allow_null=True)
    ticket = serializers.CharField(max_length=50, required=False, allow_blank=True)


@extend_schema_serializer(
    description=(
        "Devolución de un dispositivo para el certificado digital, con el motivo de la "
        "desvinculación del titular (por id, `holder`, o por DNI, `holder_dni`)."
    )
)
class CertReturnSerializer(HolderMixin):
    leaving_reason = serializers.ChoiceField(
        choices=LeavingReason.choices, required=False, allow_blank=True
    )
    returned_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)


@extend_schema_serializer(
    description=(
        "Conformidad del Jefe(a) a la devolución de un dispositivo para el certificado digital."
    )
)
class ConformitySerializer(serializers.Serializer):
    conformity_on = serializers.DateField(required=False, allow_null=True)


# --- restore requests -------------------------------------------------------------------------


@extend_schema_serializer(
    description=(
        "Un requerimiento de copia de restauración: qué información, de qué periodo, quién la "
        "pidió y su resultado."
    )
)
class RestoreRequestSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = RestoreRequest
        fields = [
            "id",
            "information_kind",
            "system",
            "period",
            "description",
            "requester",
            "requester_name",
            "unit",
            "ticket",
            "instance",
            "requested_on",
            "outcome",
            "action",
            "backup_used",
            "result",
            "closed_on",
            "restored_by_name",
        ]


@extend_schema_serializer(
    description="Un requerimiento de copia de restauración con su historial de cambios."
)
class RestoreRequestDetailSerializer(RestoreRequestSerializer):
    history = HistoryEventSerializer(many=True, read_only=True, source="history_events")

    class Meta(RestoreRequestSerializer.Meta):
        fields = [*RestoreRequestSerializer.Meta.fields, "history"]


@extend_schema_serializer(
    description=(
        "Registro de un requerimiento de copia de restauración: el solicitante como persona "
        "registrada (`requester` o `requester_dni`) o por su nombre (`requester_name`) y unidad."
    )
)
class RestoreRequestCreateSerializer(serializers.Serializer):
    """The requester as a registered person (``requester`` id or ``requester_dni``), or by
    ``requester_name`` and ``unit``."""

    requester = serializers.IntegerField(
        required=False, allow_null=True, help_text="Id de persona."
    )
    requester_dni = serializers.CharField(max_length=8, required=False, allow_blank=True)

    information_kind = serializers.ChoiceField(
        choices=InformationKind.choices, required=False, default=InformationKind.SISTEMA
    )
    system = serializers.CharField(max_length=200, required=False, allow_blank=True)
    period = serializers.CharField(max_length=100, required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    requester_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    unit = serializers.CharField(max_length=30, required=False, allow_blank=True)
    ticket = serializers.CharField(max_length=50, required=False, allow_blank=True)
    requested_on = serializers.DateField(required=False, allow_null=True)


@extend_schema_serializer(
    description=(
        "Resultado de un requerimiento de copia de restauración: restaurada, rechazada o fallida, "
        "con la acción y la copia utilizada."
    )
)
class RestoreOutcomeSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[c for c in RestoreOutcome.choices if c[0] != RestoreOutcome.PENDIENTE]
    )
    result = serializers.CharField(required=False, allow_blank=True)
    action = serializers.ChoiceField(
        choices=RestoreAction.choices, required=False, allow_blank=True
    )
    backup_used = serializers.CharField(max_length=200, required=False, allow_blank=True)
    closed_on = serializers.DateField(required=False, allow_null=True)


# --- block list -------------------------------------------------------------------------------


@extend_schema_serializer(
    description=(
        "Una entrada de la lista de bloqueos de spam y phishing: qué se bloquea (cuenta, dominio, "
        "enlace o IP), el caso y su vigencia."
    )
)
class BlockEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = BlockEntry
        fields = [
            "id",
            "kind",
            "value",
            "case_kind",
            "instance",
            "ticket",
            "notes",
            "active",
            "created_by_name",
            "created_at",
            "deactivated_at",
            "deactivated_by_name",
            "deactivation_reason",
        ]


@extend_schema_serializer(
    description="Una entrada de la lista de bloqueos con su historial de cambios."
)
class BlockEntryDetailSerializer(BlockEntrySerializer):
    history = HistoryEventSerializer(many=True, read_only=True, source="history_events")

    class Meta(BlockEntrySerializer.Meta):
        fields = [*BlockEntrySerializer.Meta.fields, "history"]


@extend_schema_serializer(
    description="Registro de un bloqueo de spam o phishing: tipo, valor y el caso que lo origina."
)
class BlockCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=BlockKind.choices)
    value = serializers.CharField(max_length=2000)
    case_kind = serializers.ChoiceField(
        choices=MailCaseKind.choices, required=False, allow_blank=True
    )
    instance = serializers.IntegerField(required=False, allow_null=True)
    ticket = serializers.CharField(max_length=50, required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True)


@extend_schema_serializer(
    description="El motivo de levantar un bloqueo o de dejar de usar un equipo."
)
class DeactivateSerializer(serializers.Serializer):
    """A reason: to lift a block, or to take a device out of use."""

    reason = serializers.CharField(required=False, allow_blank=True)
