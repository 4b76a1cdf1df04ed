"""Cronogramas API v1: parse, call a selector or an action, render.

OGTIE staff read the register; the Jefe(a) de la OGTIE and the team coordinators register,
change, approve and retire cronogramas. A cronograma the caller may not see is 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapro.core.api import ListView, check_parameters, error_responses, validated_body
from mapro.core.api.openapi import extend_schema
from mapro.core.exceptions import Forbidden, InvalidInput

from ..actions.cronogramas import (
    check_can_manage_schedules,
    do_approve_schedule,
    do_create_schedule,
    do_retire_schedule,
    do_update_schedule,
)
from ..filtersets import ScheduleFilterSet
from ..models import Schedule
from ..selectors import (
    can_read_schedules,
    get_schedule_for_user,
    plan_summary,
    planned_vs_executed,
    schedules_visible_to,
    year_bounds,
)
from . import serializers as s

_ERR = error_responses(400, 403, 404, 409)
_400, _403, _404, _409 = _ERR[400], _ERR[403], _ERR[404], _ERR[409]
TAGS = ["cronogramas"]
#: API field → action keyword.
_WRITE_FIELDS = {
    "name": "name",
    "description": "description",
    "procedure": "procedure_code",
    "start": "start_key",
    "unit": "unit",
    "role": "role",
    "rrule": "rrule",
    "dtstart": "dtstart",
    "dates": "dates",
}


def _read_gate(request: Request) -> None:
    if not can_read_schedules(request.user):
        raise Forbidden("Los cronogramas los consulta el personal de la OGTIE.")


def _write_body(request: Request) -> dict[str, Any]:
    body = validated_body(s.ScheduleWriteSerializer, request)
    return {_WRITE_FIELDS[key]: value for key, value in body.items()}


def _year(request: Request) -> int:
    raw = request.query_params.get("year")
    if raw in (None, ""):
        return timezone.localdate().year
    try:
        year = int(raw)
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        raise InvalidInput(errors={"year": ["Indique un año entre 2000 y 2100."]})
    return year


def _detail(schedule: Any, year: int) -> dict[str, Any]:
    rows = planned_vs_executed(schedule, *year_bounds(year))
    context = {"year": year, "rows": rows, "summary": plan_summary(rows)}
    return dict(s.ScheduleDetailSerializer(schedule, context=context).data)


class ScheduleListView(ListView):
    """The register, filtered and paged as every list (docs/api.md)."""

    serializer_class = s.ScheduleSerializer
    filterset_class = ScheduleFilterSet
    queryset = Schedule.objects.none()  # the model, for the schema

    def list_queryset(self) -> QuerySet[Schedule]:
        _read_gate(self.request)
        return schedules_visible_to(self.request.user)

    @extend_schema(
        operation_id="schedules_list",
        summary="Registro de cronogramas",
        responses={200: s.ScheduleSerializer(many=True), 400: _400, 403: _403},
        tags=TAGS,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="schedules_create",
        summary="Registrar un cronograma (queda en borrador hasta su aprobación)",
        request=s.ScheduleWriteSerializer,
        responses={201: s.ScheduleDetailSerializer, 400: _400, 403: _403},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        check_can_manage_schedules(request.user)
        fields = _write_body(request)
        fields.setdefault("start_key", None)
        for required in ("name", "procedure_code", "unit", "role"):
            fields.setdefault(required, "")
        schedule = do_create_schedule(actor=request.user, **fields)
        return Response(
            _detail(schedule, timezone.localdate().year), status=status.HTTP_201_CREATED
        )


class ScheduleDetailView(APIView):
    @extend_schema(
        operation_id="schedules_retrieve",
        summary="Un cronograma: programado frente a ejecutado en un año",
        parameters=[OpenApiParameter("year", int, description="Año (por defecto, el actual).")],
        responses={200: s.ScheduleDetailSerializer, 400: _400, 403: _403, 404: _404},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        _read_gate(request)
        check_parameters(request, {"year"})
        schedule = get_schedule_for_user(request.user, pk)
        return Response(_detail(schedule, _year(request)))

    @extend_schema(
        operation_id="schedules_partial_update",
        summary="Modificar un cronograma (si cambia qué o cuándo inicia, vuelve a borrador)",
        request=s.ScheduleWriteSerializer,
        responses={200: s.ScheduleDetailSerializer, 400: _400, 403: _403, 404: _404, 409: _409},
        tags=TAGS,
    )
    def patch(self, request: Request, pk: int) -> Response:
        check_can_manage_schedules(request.user)
        schedule = get_schedule_for_user(request.user, pk)
        schedule = do_update_schedule(schedule, actor=request.user, **_write_body(request))
        return Response(_detail(schedule, timezone.localdate().year))


class ScheduleApproveView(APIView):
    @extend_schema(
        operation_id="schedules_approve",
        summary="Aprobar un cronograma en borrador",
        request=None,
        responses={200: s.ScheduleDetailSerializer, 400: _400, 403: _403, 404: _404, 409: _409},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        check_can_manage_schedules(request.user)
        schedule = do_approve_schedule(get_schedule_for_user(request.user, pk), actor=request.user)
        return Response(_detail(schedule, timezone.localdate().year))


class ScheduleRetireView(APIView):
    @extend_schema(
        operation_id="schedules_retire",
        summary="Dar de baja un cronograma (con motivo)",
        request=s.ScheduleRetireSerializer,
        responses={200: s.ScheduleDetailSerializer, 400: _400, 403: _403, 404: _404, 409: _409},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        check_can_manage_schedules(request.user)
        schedule = get_schedule_for_user(request.user, pk)
        body = validated_body(s.ScheduleRetireSerializer, request)
        schedule = do_retire_schedule(schedule, body["reason"], actor=request.user)
        return Response(_detail(schedule, timezone.localdate().year))
