"""Serializers of the documents API v1: one official document, a page of them, errors."""

from __future__ import annotations

from rest_framework import serializers

from ..models import Document


class DocumentSerializer(serializers.ModelSerializer):
    """One official document with its step, instance and ticket."""

    procedure = serializers.CharField(source="instance.procedure_version.procedure.code")
    ticket_number = serializers.SerializerMethodField()
    body = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(), min_length=2, max_length=2)
    )

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "family",
            "status",
            "number",
            "year",
            "seq",
            "subject",
            "body",
            "unit_code",
            "procedure",
            "instance",
            "record",
            "activity_n",
            "activity_name",
            "draft",
            "ticket_number",
            "issued_by_name",
            "created_at",
        ]

    def get_ticket_number(self, document: Document) -> str | None:
        return document.ticket.number if document.ticket is not None else None
