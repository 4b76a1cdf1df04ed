"""The base of every API list: filter with the model's FilterSet, then one keyset page.

A list view names its ``filterset_class`` (the one its HTML list uses), its
``serializer_class`` and the rows the caller may see (``list_queryset``), and its ``get`` carries
the OpenAPI text; or it names all of them as class keywords (``ListView.__init_subclass__``), so
an endpoint is a few lines and its body holds only what it adds (a ``post``).
The FilterSet's filters become the operation's OpenAPI parameters (drf-spectacular's
django-filter extension), ``limit``/``cursor`` come from ``KeysetPagination``. A bad filter
value, page value or an unknown parameter is a 400 naming it, never a 500 nor a list that
ignores the mistake.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from ..exceptions import InvalidInput
from .openapi import extend_schema
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

    # Not in the docstring: drf-spectacular shows it as the description of every list
    # operation that has none of its own. A subclass either sets the attributes and writes
    # its documented ``get``, or says it all in its class keywords:
    #
    #     class RiskListView(
    #         ListView,
    #         serializer=s.RiskSerializer,  # a ModelSerializer: its model is the schema's
    #         rows=risks_for,  # rows(user): the rows the caller may see (a selector)
    #         filterset=RiskFilterSet,  # the HTML list's; optional
    #         operation_id="risks_list",
    #         summary="Matriz de riesgos",
    #         tags=["matriz de riesgos"],
    #         errors=ERRORS,  # the error answers besides 200 (400 and 403 at least)
    #     ):
    #         ...  # a post, if the register takes one here

    filter_backends = [FilterBackend]
    pagination_class = KeysetPagination
    filterset_class: type[Any] | None = None
    # Extra query parameters a subclass reads itself (besides the filters and the page).
    extra_parameters: tuple[str, ...] = ()

    def __init_subclass__(
        cls,
        *,
        serializer: type[Any] | None = None,
        rows: Callable[[Any], QuerySet[Any]] | None = None,
        filterset: type[Any] | None = None,
        operation_id: str = "",
        summary: str = "",
        tags: Sequence[str] = (),
        errors: Mapping[int, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init_subclass__(**kwargs)
        if serializer is None:  # a list that sets its attributes and writes its own get
            return
        assert rows is not None and operation_id and errors, (
            f"{cls.__name__}: rows, operation_id, errors"
        )
        select = rows
        cls.serializer_class = serializer
        cls.filterset_class = filterset
        cls.queryset = serializer.Meta.model._default_manager.none()  # the model, for the schema

        def list_queryset(self: ListView) -> QuerySet[Any]:
            return select(self.request.user)

        @extend_schema(
            operation_id=operation_id,
            summary=summary,
            responses={200: serializer(many=True), **errors},
            tags=list(tags),
        )
        def get(self: ListView, request: Request, *args: Any, **kwargs: Any) -> Response:
            return ListView.get(self, request, *args, **kwargs)

        cls.list_queryset = list_queryset  # type: ignore[method-assign]
        cls.get = get  # type: ignore[method-assign]

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
