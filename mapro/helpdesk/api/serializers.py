"""Serializers of the help-desk API v1: tickets (list row, detail), their log and attachments,
categories, and the bodies of each transition."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..choices import RUNNING_STATUSES, Channel, Impact, Urgency
from ..models import Attachment, Category, Ticket, TicketAction


class HelpdeskErrorSerializer(serializers.Serializer):
    """The body of every error answer: a message and, for bad input, errors by field."""

    detail = serializers.CharField()
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()), required=False
    )


class NamedRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class PersonRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="full_name")


class UserRefSerializer(serializers.Serializer):
    username = serializers.CharField()
    name = serializers.SerializerMethodField()

    def get_name(self, user: Any) -> str:
        return str(user.get_full_name() or user.get_username())


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


class TicketPageSerializer(serializers.Serializer):
    results = TicketListSerializer(many=True)
    next_cursor = serializers.CharField(allow_null=True)


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


class TicketDetailSerializer(TicketListSerializer):
    """A ticket with everything the caller may see of it."""

    actions = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    instance = serializers.IntegerField(source="instance_id", allow_null=True)

    class Meta(TicketListSerializer.Meta):
        fields = [
            *TicketListSerializer.Meta.fields,
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


class CategorySerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[assignment,var-annotated]
    team = NamedRefSerializer()
    requirements = serializers.JSONField()

    class Meta:
        model = Category
        fields = ["code", "name", "parent", "team", "procedure_code", "requirements", "description"]


# --- request bodies -----------------------------------------------------------------------------


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


class AssignSerializer(serializers.Serializer):
    team = serializers.CharField(required=False, help_text="Sigla de la unidad (equipo).")
    assignee = serializers.CharField(required=False, help_text="Nombre de usuario.")
    note = serializers.CharField(required=False, allow_blank=True, default="")


class BulkAssignSerializer(AssignSerializer):
    numbers = serializers.ListField(child=serializers.CharField(), min_length=1, max_length=200)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ObservationsSerializer(serializers.Serializer):
    observations = serializers.CharField()


class SolutionSerializer(serializers.Serializer):
    solution = serializers.CharField()


class CommentSerializer(serializers.Serializer):
    body = serializers.CharField()
    internal = serializers.BooleanField(required=False, default=False)


class OptionalCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class AddInformationSerializer(serializers.Serializer):
    body = serializers.CharField()
    data = serializers.JSONField(required=False, default=dict)  # type: ignore[assignment]


class EmptySerializer(serializers.Serializer):
    pass


class AttachmentUploadSerializer(serializers.Serializer):
    archivos = serializers.ListField(child=serializers.FileField(), min_length=1)
    body = serializers.CharField(required=False, allow_blank=True, default="")
    internal = serializers.BooleanField(required=False, default=False)


@extend_schema_field(OpenApiTypes.BINARY)
class BinaryField(serializers.Field):
    pass
