"""Accounts register API v1: list (filters of ``AccountFilterSet``, pages) and detail.

Readers as in the HTML register; an account outside a director's unit is 404.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapro.core.api import ErrorSerializer
from mapro.core.exceptions import Forbidden, InvalidInput

from ..filtersets import AccountFilterSet
from ..selectors import can_read_register, get_account_for_user, register_queryset
from . import serializers as s

PAGE_SIZE = 50
TAGS = ["cuentas y accesos"]
_ERR = {
    400: OpenApiResponse(ErrorSerializer, description="Filtros no válidos (por campo)."),
    403: OpenApiResponse(ErrorSerializer, description="Su rol no permite ver el registro."),
    404: OpenApiResponse(ErrorSerializer, description="No existe o está fuera de su ámbito."),
}
FILTERS = [
    OpenApiParameter("q", str, description="Cuenta, nombres, apellidos o DNI."),
    OpenApiParameter("dni", str, description="DNI (8 dígitos)."),
    OpenApiParameter("unit", str, description="Sigla de la unidad (incluye dependientes)."),
    OpenApiParameter("kind", str, description="red, correo, vpn, sistema o privilegio."),
    OpenApiParameter("status", str, description="activa, eliminada o por_eliminar."),
    OpenApiParameter("desde", str, description="Creada desde (AAAA-MM-DD)."),
    OpenApiParameter("hasta", str, description="Creada hasta (AAAA-MM-DD)."),
    OpenApiParameter("eliminada_desde", str, description="Eliminada desde (AAAA-MM-DD)."),
    OpenApiParameter("eliminada_hasta", str, description="Eliminada hasta (AAAA-MM-DD)."),
    OpenApiParameter("page", int, description="Página (50 cuentas por página)."),
]


def _check_reader(user: Any) -> None:
    if not can_read_register(user):
        raise Forbidden("Su rol no permite ver el registro de cuentas.")


class AccountListView(APIView):
    @extend_schema(
        tags=TAGS,
        parameters=FILTERS,
        responses={200: s.AccountPageSerializer, **_ERR},
        summary="Registro de cuentas, accesos y privilegios",
        operation_id="accounts_list",
    )
    def get(self, request: Request) -> Response:
        _check_reader(request.user)
        params = request.query_params.copy()
        page_number = params.pop("page", ["1"])[-1]
        filterset = AccountFilterSet(params, queryset=register_queryset(request.user))
        if not filterset.is_valid():
            raise InvalidInput(errors={k: list(v) for k, v in filterset.errors.items()})
        qs = filterset.qs.select_related("person__unit").order_by("-granted_on", "-id")
        page = Paginator(qs, PAGE_SIZE).get_page(page_number)
        return Response(
            {
                "count": page.paginator.count,
                "page": page.number,
                "pages": page.paginator.num_pages,
                "results": s.AccountSerializer(list(page.object_list), many=True).data,
            }
        )


class AccountDetailView(APIView):
    @extend_schema(
        tags=TAGS,
        responses={200: s.AccountSerializer, **_ERR},
        summary="Una cuenta del registro",
        operation_id="accounts_retrieve",
    )
    def get(self, request: Request, pk: int) -> Response:
        _check_reader(request.user)
        return Response(s.AccountSerializer(get_account_for_user(request.user, pk)).data)
