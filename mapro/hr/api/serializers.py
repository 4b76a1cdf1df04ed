"""Serializers of the HR integration's API v1 (bodies and answers, for the OpenAPI schema)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from ..choices import LeaverKind, LeaverOrigin
from ..models import LeaverEvent, Reconciliation, ReconciliationDifference


class LeaverAlertSerializer(serializers.Serializer):
    """The body the HR system signs and sends (documentation only: the action parses the raw
    bytes, after checking their signature)."""

    event_id = serializers.CharField(
        max_length=100, help_text="Id único del evento en el sistema de RR. HH."
    )
    dni = serializers.RegexField(r"^\d{8}$", help_text="DNI de la persona (8 dígitos).")
    date = serializers.DateField(help_text="Fecha de cese o baja (AAAA-MM-DD).")
    kind = serializers.ChoiceField(
        LeaverKind.choices,
        help_text="cuentas, accesos o privilegios inician «Eliminación de cuentas, otros accesos "
        "o privilegios» (actividad 1); vpn, «Eliminación de accesos VPN» (actividad 5).",
    )
    origin = serializers.ChoiceField(
        LeaverOrigin.choices, required=False, help_text="Quién registró el cese: dipec o dipem."
    )


@extend_schema_serializer(
    description=(
        "La respuesta a un aviso de cese: 201 la primera vez; 200 con `duplicado` cuando el "
        "evento ya se había recibido."
    )
)
class LeaverReceiptSerializer(serializers.Serializer):
    """The answer to a delivery: 201 the first time, 200 with ``duplicado`` afterwards."""

    duplicado = serializers.BooleanField()
    event_id = serializers.CharField()
    expediente = serializers.IntegerField(allow_null=True, help_text="Id de la instancia.")
    inicio = serializers.CharField(allow_null=True)
    cuentas_deshabilitadas = serializers.ListField(child=serializers.CharField())


def receipt_payload(event: LeaverEvent, *, duplicate: bool) -> dict[str, Any]:
    instance = event.instance
    return {
        "duplicado": duplicate,
        "event_id": event.event_id,
        "expediente": instance.pk if instance is not None else None,
        "inicio": instance.start_key if instance is not None else None,
        "cuentas_deshabilitadas": list(event.accounts_disabled or []),
    }


@extend_schema_serializer(
    description=(
        "Un aviso de cese o baja recibido del sistema de personal (DIPEC o DIPEM): persona, "
        "tipo, fecha, expediente iniciado y cuentas deshabilitadas."
    )
)
class LeaverEventSerializer(serializers.ModelSerializer):
    persona = serializers.CharField(source="person.full_name")
    unidad = serializers.CharField(source="person.unit.code")

    class Meta:
        model = LeaverEvent
        fields = [
            "id",
            "event_id",
            "dni",
            "persona",
            "unidad",
            "kind",
            "leaving_date",
            "origin",
            "received_at",
            "instance",
            "accounts_disabled",
        ]


@extend_schema_serializer(
    description=(
        "Una diferencia entre el listado de altas y bajas de la DGRRHH y las cuentas, y cómo se "
        "atendió."
    )
)
class DifferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReconciliationDifference
        fields = [
            "id",
            "kind",
            "dni",
            "person_name",
            "line",
            "movement_date",
            "accounts",
            "status",
            "attended_by_name",
            "attended_at",
            "note",
        ]


@extend_schema_serializer(
    description=(
        "Una conciliación semestral del listado de altas y bajas de la DGRRHH con las cuentas: "
        "archivo, filas y diferencias."
    )
)
class ReconciliationSerializer(serializers.ModelSerializer):
    differences_total = serializers.IntegerField(read_only=True)
    differences_pending = serializers.IntegerField(read_only=True)

    class Meta:
        model = Reconciliation
        fields = [
            "id",
            "period",
            "file_name",
            "file_sha256",
            "rows_count",
            "instance",
            "uploaded_by_name",
            "uploaded_at",
            "differences_total",
            "differences_pending",
        ]


@extend_schema_serializer(description="Una conciliación semestral con cada una de sus diferencias.")
class ReconciliationDetailSerializer(ReconciliationSerializer):
    differences = DifferenceSerializer(many=True, read_only=True)

    class Meta(ReconciliationSerializer.Meta):
        fields = [*ReconciliationSerializer.Meta.fields, "differences"]


@extend_schema_serializer(
    description="multipart/form-data: el semestre y el listado de altas y bajas de la DGRRHH."
)
class ReconciliationUploadSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="Semestre: AAAA-I o AAAA-II.")
    file = serializers.FileField(help_text="Listado de altas y bajas de la DGRRHH (CSV o XLSX).")


@extend_schema_serializer(description="Qué se hizo con una diferencia de la conciliación.")
class AttendSerializer(serializers.Serializer):
    note = serializers.CharField(help_text="Qué se hizo con la diferencia.")


@extend_schema_serializer(
    description="Registro del backup PST del buzón de correo de un personal dado de baja."
)
class MailboxBackupBodySerializer(serializers.Serializer):
    dni = serializers.CharField(required=False, allow_blank=True)
    person_name = serializers.CharField(required=False, allow_blank=True)
    mailbox = serializers.CharField(required=False, allow_blank=True)
    location = serializers.CharField(required=False, allow_blank=True)
    backed_up_at = serializers.DateTimeField(required=False, allow_null=True)
    size_mb = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, allow_null=True
    )
    notes = serializers.CharField(required=False, allow_blank=True)


@extend_schema_serializer(
    description=(
        "Registro de la eliminación física de la cuenta del directorio activo (AD) de un "
        "personal dado de baja."
    )
)
class DirectoryDeletionBodySerializer(serializers.Serializer):
    dni = serializers.CharField(required=False, allow_blank=True)
    person_name = serializers.CharField(required=False, allow_blank=True)
    account_name = serializers.CharField(required=False, allow_blank=True)
    deleted_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)


@extend_schema_serializer(description="El id del registro creado.")
class RecordIdSerializer(serializers.Serializer):
    id = serializers.IntegerField()
