"""Base de conocimiento API v1: parse, call a selector or an action, render.

Everyone signed in reads published articles; the OGTIE staff also drafts, writes, edits and
links; coordinators and the Jefe(a) publish. An article the caller may not see is 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapro.core.api import (
    ListView,
    check_parameters,
    error_response,
    validated_body,
)
from mapro.core.api.openapi import extend_schema
from mapro.core.exceptions import Forbidden, InvalidInput
from mapro.helpdesk.models import Category
from mapro.helpdesk.selectors import get_ticket_for_user

from .. import access, actions
from ..filtersets import ArticleFilterSet
from ..models import Article
from ..selectors import articles_visible_to, get_article_for_user, suggest_articles
from . import serializers as s

_400 = error_response(400, "Datos no válidos (por campo).")
_403 = error_response(403, "Su rol no permite esta acción.")
_404 = error_response(404, "No existe o no está publicado.")
_409 = error_response(409, "No permitido en el estado actual.")
TAGS = ["base de conocimiento"]


def _category(code: str) -> Category | None:
    if not code:
        return None
    category = Category.objects.filter(code=code).first()
    if category is None:
        raise InvalidInput(errors={"category": ["No existe esa categoría."]})
    return category


class ArticleListView(ListView):
    serializer_class = s.ArticleSerializer
    filterset_class = ArticleFilterSet
    queryset = Article.objects.none()  # the model, for the schema

    def list_queryset(self) -> QuerySet[Article]:
        return articles_visible_to(self.request.user).select_related("category")

    @extend_schema(
        operation_id="knowledge_articles_list",
        summary="Buscar artículos (texto completo) con filtros",
        responses={200: s.ArticleSerializer(many=True), 400: _400},
        tags=TAGS,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="knowledge_articles_create",
        summary="Escribir un artículo (queda en borrador)",
        request=s.ArticleBodySerializer,
        responses={201: s.ArticleSerializer, 400: _400, 403: _403},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        if not access.is_editor(request.user):  # the role before the body
            raise Forbidden("Su rol no permite escribir artículos de la base de conocimiento.")
        body = validated_body(s.ArticleBodySerializer, request)
        article = actions.do_create_article(
            actor=request.user,
            title=body["title"],
            symptoms=body["symptoms"],
            solution=body["solution"],
            category=_category(body["category"]),
            tags=body["tags"],
        )
        return Response(s.ArticleSerializer(article).data, status=status.HTTP_201_CREATED)


class ArticleDetailView(APIView):
    @extend_schema(
        operation_id="knowledge_articles_retrieve",
        summary="Un artículo",
        responses={200: s.ArticleSerializer, 404: _404},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.ArticleSerializer(get_article_for_user(request.user, pk)).data)

    @extend_schema(
        operation_id="knowledge_articles_update",
        summary="Editar un artículo (uno publicado vuelve a borrador)",
        request=s.ArticleBodySerializer,
        responses={200: s.ArticleSerializer, 400: _400, 403: _403, 404: _404},
        tags=TAGS,
    )
    def put(self, request: Request, pk: int) -> Response:
        article = get_article_for_user(request.user, pk)
        body = validated_body(s.ArticleBodySerializer, request)
        article = actions.do_update_article(
            article,
            actor=request.user,
            title=body["title"],
            symptoms=body["symptoms"],
            solution=body["solution"],
            category=_category(body["category"]),
            tags=body["tags"],
        )
        return Response(s.ArticleSerializer(article).data)


class ArticlePublishView(APIView):
    @extend_schema(
        operation_id="knowledge_articles_publish",
        summary="Revisar y publicar un borrador (coordinadores y Jefe(a), no su autor)",
        request=None,
        responses={200: s.ArticleSerializer, 403: _403, 404: _404, 409: _409},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        article = actions.do_publish_article(
            get_article_for_user(request.user, pk), actor=request.user
        )
        return Response(s.ArticleSerializer(article).data)


class ArticleLinkView(APIView):
    @extend_schema(
        operation_id="knowledge_articles_link_ticket",
        summary="Vincular el artículo a un ticket que el usuario atiende",
        request=s.ArticleLinkBodySerializer,
        responses={201: s.ArticleLinkSerializer, 400: _400, 403: _403, 404: _404, 409: _409},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        if not access.is_editor(request.user):
            raise Forbidden("Solo el personal que atiende tickets les vincula artículos.")
        article = get_article_for_user(request.user, pk)
        body = validated_body(s.ArticleLinkBodySerializer, request)
        if not body["ticket"].strip():
            raise InvalidInput(errors={"ticket": ["Indique el número del ticket."]})
        ticket = get_ticket_for_user(request.user, body["ticket"].strip())
        link = actions.do_link_article_to_ticket(ticket, article, actor=request.user)
        return Response(s.ArticleLinkSerializer(link).data, status=status.HTTP_201_CREATED)


class SuggestionsView(APIView):
    @extend_schema(
        operation_id="knowledge_suggestions",
        summary="Hasta 5 artículos publicados para una categoría y un asunto",
        parameters=[
            OpenApiParameter("categoria", str, description="Código de la categoría del ticket."),
            OpenApiParameter("q", str, description="Asunto del ticket."),
        ],
        responses={200: s.ArticleSerializer(many=True), 400: _400},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        check_parameters(request, ("categoria", "q"))
        code = request.query_params.get("categoria", "").strip()
        category = Category.objects.filter(code=code, is_active=True).first() if code else None
        if code and category is None:
            raise InvalidInput(errors={"categoria": ["No existe esa categoría (activa)."]})
        rows = suggest_articles(category, request.query_params.get("q", "")[:300])
        return Response(s.ArticleSerializer(rows, many=True).data)
