"""Data-center API v1 views: parse input, call a selector or an action, render. Nothing else.

The logbook (``/datacenter/entries/``): list with the same filters as the HTML page, open
entries with their count, one line, create an entry, record its exit. Visits
(``/datacenter/visits/``): list, create, detail (with what each person still lacks to enter
today), and the coordinator's records of people, contractor documents and DIPEC checks.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
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
from mapro.core.exceptions import InvalidInput
from mapro.organization.models import Unit
from mapro.organization.permissions import check_role

from .. import access, actions
from ..filtersets import LogbookFilterSet
from ..models import LogbookEntry, Visit
from ..selectors import (
    entries_visible_to,
    get_entry_for_user,
    get_visit_for_user,
    open_entries_for,
    visits_visible_to,
)
from . import serializers as s

_400 = error_response(400, "Datos no válidos (por campo).")
_403 = error_response(403, "Su rol no permite esta acción.")
_404 = error_response(404, "No existe o está fuera de su ámbito.")
_409 = error_response(409, "La salida ya está registrada.")
TAGS = ["centro de datos"]


def _entry_data(entry: Any) -> Any:
    return s.LogbookEntrySerializer(entry).data


def _visit_data(request: Request, pk: int) -> Any:
    visit = get_visit_for_user(request.user, pk)
    context = {"today": timezone.localdate()}
    return s.VisitDetailSerializer(visit, context=context).data


class EntryListView(ListView):
    serializer_class = s.LogbookEntrySerializer
    filterset_class = LogbookFilterSet
    queryset = LogbookEntry.objects.none()  # the model, for the schema

    def list_queryset(self) -> QuerySet[LogbookEntry]:
        return entries_visible_to(self.request.user)

    @extend_schema(
        operation_id="datacenter_entries_list",
        summary="Bitácora de ingresos al centro de datos (Formato N° 1), con filtros",
        responses={200: s.LogbookEntrySerializer(many=True), 400: _400, 403: _403},
        tags=TAGS,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="datacenter_entries_create",
        summary="Registrar el ingreso de una persona de una visita",
        description="Se niega (400) si la persona no figura en la visita, ya está dentro, la "
        "hora es futura, falta el acompañante, o si falta o está vencido algún requisito "
        "(`errors.requisitos` nombra cada uno).",
        request=s.EntryCreateSerializer,
        responses={201: s.LogbookEntrySerializer, 400: _400, 403: _403, 404: _404},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        check_role(request.user, access.ENTRY_ROLES)  # the role before the body
        body = validated_body(s.EntryCreateSerializer, request)
        visit = get_visit_for_user(request.user, body.pop("visit"))
        entry = actions.do_record_entry(visit, actor=request.user, **body)
        return Response(_entry_data(entry), status=status.HTTP_201_CREATED)


class OpenEntriesView(APIView):
    @extend_schema(
        operation_id="datacenter_entries_open",
        summary="Visitas abiertas: personas dentro del centro de datos (sin salida)",
        responses={200: s.LogbookEntrySerializer(many=True), 400: _400, 403: _403},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        check_parameters(request, ())
        rows = list(open_entries_for(request.user))
        return Response(s.LogbookEntrySerializer(rows, many=True).data)


class EntryDetailView(APIView):
    @extend_schema(
        operation_id="datacenter_entries_retrieve",
        summary="Una línea de la bitácora",
        responses={200: s.LogbookEntrySerializer, 403: _403, 404: _404},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.LogbookEntrySerializer(get_entry_for_user(request.user, pk)).data)


class EntryExitView(APIView):
    @extend_schema(
        operation_id="datacenter_entries_exit",
        summary="Registrar la salida (nunca anterior al ingreso)",
        request=s.ExitSerializer,
        responses={200: s.LogbookEntrySerializer, 400: _400, 403: _403, 404: _404, 409: _409},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        entry = get_entry_for_user(request.user, pk)
        body = validated_body(s.ExitSerializer, request)
        entry = actions.do_record_exit(entry, actor=request.user, **body)
        return Response(_entry_data(entry))


class VisitListView(ListView):
    serializer_class = s.VisitListSerializer
    queryset = Visit.objects.none()  # the model, for the schema

    def list_queryset(self) -> QuerySet[Visit]:
        return visits_visible_to(self.request.user)

    @extend_schema(
        operation_id="datacenter_visits_list",
        summary="Visitas y trabajos en el centro de datos, las más recientes primero",
        responses={200: s.VisitListSerializer(many=True), 400: _400, 403: _403},
        tags=TAGS,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="datacenter_visits_create",
        summary="Registrar una visita con las personas autorizadas a ingresar",
        request=s.VisitCreateSerializer,
        responses={201: s.VisitDetailSerializer, 400: _400, 403: _403},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        visits_visible_to(request.user)  # 403 before parsing for whoever may not read
        body = validated_body(s.VisitCreateSerializer, request)
        unit = None
        if code := body.pop("unit", ""):
            unit = Unit.objects.filter(code__iexact=code).first()
            if unit is None:
                raise InvalidInput(errors={"unit": ["No existe una unidad con esa sigla."]})
        visit = actions.do_create_visit(actor=request.user, unit=unit, **body)
        return Response(_visit_data(request, visit.pk), status=status.HTTP_201_CREATED)


class VisitDetailView(APIView):
    @extend_schema(
        operation_id="datacenter_visits_retrieve",
        summary="Una visita: personas, documentos, revisiones, ingresos y qué falta para entrar",
        responses={200: s.VisitDetailSerializer, 403: _403, 404: _404},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_visit_data(request, pk))


class VisitPeopleView(APIView):
    @extend_schema(
        operation_id="datacenter_visits_people_create",
        summary="Agregar una persona autorizada a la visita",
        request=s.PersonInSerializer,
        responses={201: s.VisitDetailSerializer, 400: _400, 403: _403, 404: _404},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        visit = get_visit_for_user(request.user, pk)
        body = validated_body(s.PersonInSerializer, request)
        actions.do_add_visit_person(visit, actor=request.user, **body)
        return Response(_visit_data(request, visit.pk), status=status.HTTP_201_CREATED)


class VisitDocumentsView(APIView):
    @extend_schema(
        operation_id="datacenter_visits_documents_create",
        summary="Registrar un documento del contratista con su vigencia",
        request=s.DocumentCreateSerializer,
        responses={201: s.VisitDetailSerializer, 400: _400, 403: _403, 404: _404},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        visit = get_visit_for_user(request.user, pk)
        body = validated_body(s.DocumentCreateSerializer, request)
        actions.do_record_contractor_document(visit, actor=request.user, **body)
        return Response(_visit_data(request, visit.pk), status=status.HTTP_201_CREATED)


class VisitChecksView(APIView):
    @extend_schema(
        operation_id="datacenter_visits_checks_create",
        summary="Registrar la revisión de documentos o la inducción SST de la DIPEC",
        request=s.CheckCreateSerializer,
        responses={201: s.VisitDetailSerializer, 400: _400, 403: _403, 404: _404},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        visit = get_visit_for_user(request.user, pk)
        body = validated_body(s.CheckCreateSerializer, request)
        actions.do_record_dipec_check(visit, actor=request.user, **body)
        return Response(_visit_data(request, visit.pk), status=status.HTTP_201_CREATED)
