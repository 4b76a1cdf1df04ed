"""Accounts register API v1: list (filters of ``AccountFilterSet``; docs/api.md) and detail.

Readers as in the HTML register; an account outside a director's unit is 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiResponse
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapro.core.api import ErrorSerializer, ListView
from mapro.core.api.openapi import extend_schema
from mapro.core.exceptions import Forbidden

from ..filtersets import AccountFilterSet
from ..models import Account
from ..selectors import can_read_register, get_account_for_user, register_queryset
from . import serializers as s

TAGS = ["cuentas y accesos"]
_ERR = {
    400: OpenApiResponse(ErrorSerializer, description="Filtros no válidos (por campo)."),
    403: OpenApiResponse(ErrorSerializer, description="Su rol no permite ver el registro."),
    404: OpenApiResponse(ErrorSerializer, description="No existe o está fuera de su ámbito."),
}


def _check_reader(user: Any) -> None:
    if not can_read_register(user):
        raise Forbidden("Su rol no permite ver el registro de cuentas.")


class AccountListView(ListView):
    serializer_class = s.AccountSerializer
    filterset_class = AccountFilterSet
    queryset = Account.objects.none()  # the model, for the schema

    def list_queryset(self) -> QuerySet[Account]:
        _check_reader(self.request.user)
        qs = register_queryset(self.request.user).select_related("person__unit")
        return qs.order_by("-granted_on", "-id")

    @extend_schema(
        tags=TAGS,
        responses={200: s.AccountSerializer(many=True), **_ERR},
        summary="Registro de cuentas, accesos y privilegios",
        operation_id="accounts_list",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


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
