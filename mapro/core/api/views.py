"""The base of every API list: filter with the model's FilterSet, then one keyset page.

A list view names its ``filterset_class`` (the one its HTML list uses), its
``serializer_class`` and the rows the caller may see (``list_queryset``). The FilterSet's
filters become the operation's OpenAPI parameters (drf-spectacular's django-filter extension),
``limit``/``cursor`` come from ``KeysetPagination``. A bad filter value, page value or an
unknown parameter is a 400 naming it, never a 500 nor a list that ignores the mistake.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from ..exceptions import InvalidInput
from .pagination import PAGE_PARAMETERS, KeysetPagination

# Parameters every DRF view understands (content negotiation).
GENERIC_PARAMETERS = ("format",)
UNKNOWN_PARAMETER = "Parámetro desconocido."


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend; the FilterSet gets the request (and so the caller)."""

    def get_filterset_kwargs(self, request: Request, queryset: Any, view: Any) -> dict[str, Any]:
        return {"data": request.query_params, "queryset": queryset, "request": request}

    def filter_queryset(self, request: Request, queryset: Any, view: Any) -> Any:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise InvalidInput(errors=dict(filterset.errors))
        return filterset.qs


def check_parameters(request: Request, known: set[str] | list[str] | tuple[str, ...]) -> None:
    """400 naming every query parameter the endpoint does not know (a typo never widens a
    list silently)."""
    allowed = {*known, *GENERIC_PARAMETERS}
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        raise InvalidInput(errors={name: [UNKNOWN_PARAMETER] for name in unknown})


class ListView(GenericAPIView):  # type: ignore[type-arg]
    """``GET``: the caller's rows (``list_queryset``), filtered, one keyset page."""

    filter_backends = [FilterBackend]
    pagination_class = KeysetPagination
    # Extra query parameters a subclass reads itself (besides the filters and the page).
    extra_parameters: tuple[str, ...] = ()

    def list_queryset(self) -> QuerySet[Any]:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no caller
            model: Any = getattr(type(self).queryset, "model", None)
            assert model is not None, f"{type(self).__name__}: set queryset = Model.objects.none()"
            return model._default_manager.none()  # type: ignore[no-any-return]
        return self.list_queryset()

    def known_parameters(self) -> set[str]:
        filterset = getattr(self, "filterset_class", None)
        names = set(filterset.base_filters) if filterset is not None else set()
        return {*names, *PAGE_PARAMETERS, *self.extra_parameters}

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        check_parameters(request, self.known_parameters())
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)
