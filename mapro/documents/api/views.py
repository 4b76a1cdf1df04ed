"""Documents API v1 views: the register's list (OGTIE staff, same filters as the HTML page)
and one document (staff, or whoever started its instance). Parse, call a selector, render."""

from __future__ import annotations

from django.core.paginator import Paginator
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapro.core.api import ErrorSerializer
from mapro.core.exceptions import InvalidInput

from ..selectors import filter_documents, get_document_for_user, register_for
from . import serializers as s

PAGE_SIZE = 50
TAGS = ["documentos oficiales"]
_400 = OpenApiResponse(ErrorSerializer, description="Filtros no válidos (por campo).")
_403 = OpenApiResponse(ErrorSerializer, description="Su rol no permite esta consulta.")
_404 = OpenApiResponse(ErrorSerializer, description="No existe o está fuera de su ámbito.")
FILTER_PARAMETERS = [
    OpenApiParameter("tipo", str, description='Tipo exacto de documento ("Oficio").'),
    OpenApiParameter("anio", int, description="Año de emisión (cuatro cifras)."),
    OpenApiParameter("procedimiento", str, description="Código del procedimiento."),
    OpenApiParameter("q", str, description="Texto en número, asunto, tipo o emisor."),
    OpenApiParameter("page", int, description="Página (50 documentos por página)."),
]


class DocumentListView(APIView):
    @extend_schema(
        operation_id="documents_list",
        summary="Documentos oficiales emitidos por los procedimientos, con filtros",
        parameters=FILTER_PARAMETERS,
        responses={200: s.DocumentPageSerializer, 400: _400, 403: _403},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        qs, errors = filter_documents(register_for(request.user), request.query_params)
        if errors:
            raise InvalidInput(errors=errors)
        page = Paginator(qs, PAGE_SIZE).get_page(request.query_params.get("page"))
        return Response(
            {
                "count": page.paginator.count,
                "page": page.number,
                "results": s.DocumentSerializer(page.object_list, many=True).data,
            }
        )


class DocumentDetailView(APIView):
    @extend_schema(
        operation_id="documents_retrieve",
        summary="Un documento oficial",
        responses={200: s.DocumentSerializer, 404: _404},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.DocumentSerializer(get_document_for_user(request.user, pk)).data)
