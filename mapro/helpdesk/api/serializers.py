"""Serializers of the help-desk API v1: tickets (list row, detail), their log and attachments,
categories, and the bodies of each transition."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from ..choices import RUNNING_STATUSES, Channel, Impact, Priority, Status, Urgency
from ..models import Attachment, Category, Ticket, TicketAction


@extend_schema_serializer(description="Una categoría o un equipo, por su código y su nombre.")
class NamedRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


@extend_schema_serializer(description="Una persona del directorio, por su id y su nombre completo.")
class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")


@extend_schema_serializer(
    description="Un usuario de mapro, por su nombre de usuario y su nombre completo."
)
class UserRefSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.SerializerMethodField()

    def get_name(self, user: Any) -> str:
        return str(user.get_full_name() or user.get_username())


@extend_schema_serializer(
    description=(
        "Una fila de la cola de tickets: número, asunto, estado, prioridad, categoría, equipo, "
        "solicitante, responsable y plazos."
    )
)
class TicketListSerializer(serializers.ModelSerializer):
    """A queue row."""

    category = NamedRefSerializer()
    team = NamedRefSerializer()
    requester = PersonRefSerializer()
    requester_unit = serializers.CharField(source="requester_unit.code")
    assignee = UserRefSerializer(allow_null=True)
    status_label = serializers.CharField(source="get_status_display")
    priority_label = serializers.CharField(source="get_priority_display")
    overdue = serializers.SerializerMethodField()
    paused = serializers.BooleanField(source="is_paused")

    class Meta:
        model = Ticket
        fields = [
            "number",
            "subject",
            "status",
            "status_label",
            "priority",
            "priority_label",
            "channel",
            "category",
            "team",
            "requester",
            "requester_unit",
            "assignee",
            "created_at",
            "response_due_at",
            "resolution_due_at",
            "overdue",
            "paused",
        ]

    def get_overdue(self, ticket: Ticket) -> bool:
        return ticket.status in RUNNING_STATUSES and ticket.resolution_due_at < timezone.now()


_STATUS_LABELS: dict[str, str] = {value: str(label) for value, label in Status.choices}
_PRIORITY_LABELS: dict[str, str] = {value: str(label) for value, label in Priority.choices}


def _datetime(value: datetime.datetime | None, zone: datetime.tzinfo) -> str | None:
    """What ``serializers.DateTimeField`` writes: ISO 8601 in the current time zone, ``Z``
    for UTC."""
    if value is None:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def ticket_list_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Queue rows as ``TicketListSerializer`` writes them, built from the plain dicts of
    ``selectors.page_of_ticket_rows`` (``QUEUE_ROW_FIELDS``).

    The API list renders every page through this, not the serializer: DRF costs about 0.7 ms a
    row there (six nested fields, and ``inspect.signature`` on every row for each field whose
    source is a method), more than the page query; this costs a few microseconds a row.
    ``TicketListSerializer`` stays the documented shape (OpenAPI) and the detail's base, and
    ``tests/test_api_list_rows.py`` checks that both write the same JSON.
    """
    zone = timezone.get_current_timezone()
    now = timezone.now()
    out = []
    for row in rows:
        status, due = row["status"], row["resolution_due_at"]
        username = row["assignee__username"]
        assignee = None
        if username is not None:
            full = f"{row['assignee__first_name']} {row['assignee__last_name']}".strip()
            assignee = {"username": username, "name": full or username}
        out.append(
            {
                "number": row["number"],
                "subject": row["subject"],
                "status": status,
                "status_label": _STATUS_LABELS.get(status, status),
                "priority": row["priority"],
                "priority_label": _PRIORITY_LABELS.get(row["priority"], row["priority"]),
                "channel": row["channel"],
                "category": {"code": row["category__code"], "name": row["category__name"]},
                "team": {"code": row["team__code"], "name": row["team__name"]},
                "requester": {
                    "id": row["requester_id"],
                    "name": f"{row['requester__first_name']} {row['requester__last_name']}".strip(),
                },
                "requester_unit": row["requester_unit__code"],
                "assignee": assignee,
                "created_at": _datetime(row["created_at"], zone),
                "response_due_at": _datetime(row["response_due_at"], zone),
                "resolution_due_at": _datetime(due, zone),
                "overdue": status in RUNNING_STATUSES and due < now,
                "paused": row["paused_since"] is not None,
            }
        )
    return out


@extend_schema_serializer(
    description=(
        "Una entrada del historial del ticket: registro, comentario, nota interna, asignación, "
        "cambio de estado, adjunto…"
    )
)
class TicketActionSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author_name")
    internal = serializers.SerializerMethodField()

    class Meta:
        model = TicketAction
        fields = [
            "id",
            "kind",
            "author",
            "created_at",
            "body",
            "from_status",
            "to_status",
            "internal",
        ]

    def get_internal(self, action: TicketAction) -> bool:
        return not action.visible_to_requester


@extend_schema_serializer(description="Un archivo adjunto del ticket, con su URL de descarga.")
class AttachmentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = [
            "id",
            "field",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "created_at",
            "action",
            "download_url",
        ]

    def get_download_url(self, attachment: Attachment) -> str:
        from django.urls import reverse

        return reverse(
            "helpdesk-api:ticket-attachment-download",
            kwargs={"number": attachment.ticket.number, "pk": attachment.pk},
        )


@extend_schema_serializer(
    description=(
        "Un ticket con todo lo que quien llama puede ver de él: descripción, datos del "
        "formulario, solución, plazos, historial y adjuntos."
    )
)
class TicketDetailSerializer(TicketListSerializer):
    """A ticket with everything the caller may see of it."""

    actions = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    instance = serializers.IntegerField(source="instance_id", allow_null=True)
    reopens = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="number",
        read_only=True,
        allow_null=True,
        help_text="El ticket cerrado que este reabre (su expediente había concluido).",
    )

    class Meta(TicketListSerializer.Meta):
        fields = [
            *TicketListSerializer.Meta.fields,
            "reopens",
            "description",
            "impact",
            "urgency",
            "data",
            "hold_reason",
            "solution",
            "first_response_at",
            "resolved_at",
            "closed_at",
            "paused_minutes",
            "instance",
            "actions",
            "attachments",
        ]

    @extend_schema_field(TicketActionSerializer(many=True))
    def get_actions(self, ticket: Ticket) -> list[dict[str, Any]]:
        return TicketActionSerializer(self.context["actions"], many=True).data  # type: ignore[return-value]

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, ticket: Ticket) -> list[dict[str, Any]]:
        return AttachmentSerializer(self.context["attachments"], many=True).data  # type: ignore[return-value]


@extend_schema_serializer(
    description=(
        "Una categoría del catálogo de servicios: su equipo, su procedimiento y los requisitos de "
        "su formulario (JSON Schema)."
    )
)
class CategorySerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(  # type: ignore[assignment,var-annotated]
        slug_field="code", read_only=True, allow_null=True
    )
    team = NamedRefSerializer()
    requirements = serializers.JSONField()

    class Meta:
        model = Category
        fields = ["code", "name", "parent", "team", "procedure_code", "requirements", "description"]


# --- request bodies -----------------------------------------------------------------------------


@extend_schema_serializer(
    description=(
        "Registro de un ticket: JSON, o multipart con `data` como texto JSON, cada archivo "
        "requerido bajo el nombre de su campo y los demás bajo `archivos`."
    )
)
class TicketCreateSerializer(serializers.Serializer):
    """JSON, or multipart with ``data`` as a JSON text, each required file under its field's
    name and further files under ``archivos``."""

    category = serializers.SlugRelatedField(
        slug_field="code", queryset=Category.objects.filter(is_active=True)
    )
    subject = serializers.CharField(max_length=200)
    description = serializers.CharField()
    impact = serializers.ChoiceField(choices=Impact.choices, default=Impact.MEDIO)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.MEDIA)
    data = serializers.JSONField(required=False, default=dict)  # type: ignore[assignment]
    requester = serializers.IntegerField(
        required=False, help_text="Id de la persona (solo la mesa de ayuda registra por otros)."
    )
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)

    def validate_data(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise serializers.ValidationError("Debe ser un objeto JSON.")
        return value


@extend_schema_serializer(
    description="Asignación de un ticket a un equipo y/o a una persona, con una nota opcional."
)
class AssignSerializer(serializers.Serializer):
    team = serializers.CharField(required=False, help_text="Sigla de la unidad (equipo).")
    assignee = serializers.CharField(required=False, help_text="Nombre de usuario.")
    note = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_serializer(
    description="Reclasificación de un ticket: impacto, urgencia o categoría, con el motivo."
)
class ReclassifySerializer(serializers.Serializer):
    impact = serializers.ChoiceField(choices=Impact.choices, required=False)
    urgency = serializers.ChoiceField(choices=Urgency.choices, required=False)
    category = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Category.objects.all(),
        required=False,
        help_text="Código de la categoría.",
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_serializer(
    description="Asignación de varios tickets a la vez a un equipo y/o a una persona."
)
class BulkAssignSerializer(AssignSerializer):
    numbers = serializers.ListField(child=serializers.CharField(), min_length=1, max_length=200)


@extend_schema_serializer(
    description="La respuesta a la encuesta de satisfacción: calificación de 1 a 5 y comentario."
)
class SurveySerializer(serializers.Serializer):
    rating = serializers.IntegerField(
        min_value=1, max_value=5, help_text="1 muy insatisfecho … 5 muy satisfecho."
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


@extend_schema_serializer(
    description=(
        "Una fila del informe de satisfacción: un mes y un equipo, con respuestas, promedio y "
        "porcentaje de satisfechos."
    )
)
class SurveyReportRowSerializer(serializers.Serializer):
    month = serializers.DateField(help_text="Primer día del mes.")
    team_code = serializers.CharField()
    team_name = serializers.CharField()
    answers = serializers.IntegerField()
    average = serializers.FloatField()
    satisfied_pct = serializers.FloatField(help_text="Porcentaje con calificación 4 o 5.")


@extend_schema_serializer(
    description="El motivo de la acción (poner en espera, rechazar la solución, reabrir…)."
)
class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


@extend_schema_serializer(
    description="Las observaciones con que se devuelve el ticket al solicitante."
)
class ObservationsSerializer(serializers.Serializer):
    observations = serializers.CharField()


@extend_schema_serializer(description="La solución que se da al ticket.")
class SolutionSerializer(serializers.Serializer):
    solution = serializers.CharField()


@extend_schema_serializer(
    description="Un comentario al ticket; `internal`: nota interna que el solicitante no ve."
)
class CommentSerializer(serializers.Serializer):
    body = serializers.CharField()
    internal = serializers.BooleanField(required=False, default=False)


@extend_schema_serializer(description="Un comentario opcional (conformidad, cierre).")
class OptionalCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_serializer(
    description="La información que el solicitante añade a su ticket: texto y datos del formulario."
)
class AddInformationSerializer(serializers.Serializer):
    body = serializers.CharField()
    data = serializers.JSONField(required=False, default=dict)  # type: ignore[assignment]


class EmptySerializer(serializers.Serializer):
    pass


@extend_schema_serializer(
    description=(
        "multipart/form-data: los archivos que se adjuntan al ticket, con un comentario opcional."
    )
)
class AttachmentUploadSerializer(serializers.Serializer):
    archivos = serializers.ListField(child=serializers.FileField(), min_length=1)
    body = serializers.CharField(required=False, allow_blank=True, default="")
    internal = serializers.BooleanField(required=False, default=False)


@extend_schema_field(OpenApiTypes.BINARY)
class BinaryField(serializers.Field):
    pass
