"""Documents API v1 views: the register's list (OGTIE staff, same filters as the HTML page)
and one document (staff, or whoever started its instance). Parse, call a selector, render."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapro.core.api import ErrorSerializer, ListView

from ..filtersets import DocumentFilterSet
from ..models import Document
from ..selectors import get_document_for_user, register_for
from . import serializers as s

TAGS = ["documentos oficiales"]
_400 = OpenApiResponse(ErrorSerializer, description="Filtros no válidos (por campo).")
_403 = OpenApiResponse(ErrorSerializer, description="Su rol no permite esta consulta.")
_404 = OpenApiResponse(ErrorSerializer, description="No existe o está fuera de su ámbito.")


class DocumentListView(ListView):
    serializer_class = s.DocumentSerializer
    filterset_class = DocumentFilterSet
    queryset = Document.objects.none()  # the model, for the schema

    def list_queryset(self) -> QuerySet[Document]:
        return register_for(self.request.user)

    @extend_schema(
        operation_id="documents_list",
        summary="Documentos oficiales emitidos por los procedimientos, con filtros",
        responses={200: s.DocumentSerializer(many=True), 400: _400, 403: _403},
        tags=TAGS,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class DocumentDetailView(APIView):
    @extend_schema(
        operation_id="documents_retrieve",
        summary="Un documento oficial",
        responses={200: s.DocumentSerializer, 404: _404},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.DocumentSerializer(get_document_for_user(request.user, pk)).data)
