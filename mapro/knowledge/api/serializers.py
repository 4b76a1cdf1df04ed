"""Serializers of the base de conocimiento API v1."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from ..models import Article, TicketArticleLink


@extend_schema_serializer(
    description=(
        "Un artículo de la base de conocimiento: síntomas, solución, categoría, etiquetas y su "
        "origen."
    )
)
class ArticleSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category.code", allow_null=True)
    tags = serializers.ListField(source="tag_list", child=serializers.CharField())
    source_incident = serializers.CharField(source="source_incident.code", allow_null=True)
    source_ticket = serializers.CharField(source="source_ticket.number", allow_null=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "title",
            "symptoms",
            "solution",
            "category",
            "tags",
            "status",
            "source_incident",
            "source_ticket",
            "author_name",
            "reviewed_by_name",
            "published_at",
            "updated_at",
        ]


@extend_schema_serializer(
    description="Lo que se envía para redactar o cambiar un artículo de la base de conocimiento."
)
class ArticleBodySerializer(serializers.Serializer):
    title = serializers.CharField(allow_blank=True)
    symptoms = serializers.CharField(allow_blank=True)
    solution = serializers.CharField(allow_blank=True)
    category = serializers.CharField(required=False, allow_blank=True, default="")
    tags = serializers.ListField(child=serializers.CharField(), required=False, default=list)


@extend_schema_serializer(description="El número del ticket que se vincula al artículo.")
class ArticleLinkBodySerializer(serializers.Serializer):
    ticket = serializers.CharField(allow_blank=True)


@extend_schema_serializer(
    description=(
        "El vínculo entre un ticket y un artículo de la base de conocimiento: quién lo hizo y "
        "cuándo."
    )
)
class ArticleLinkSerializer(serializers.ModelSerializer):
    ticket = serializers.CharField(source="ticket.number")
    article = serializers.IntegerField(source="article_id")

    class Meta:
        model = TicketArticleLink
        fields = ["ticket", "article", "linked_by_name", "linked_at"]
