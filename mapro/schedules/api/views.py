"""Cronogramas API v1: parse, call a selector or an action, render.

OGTIE staff read the register; the Jefe(a) de la OGTIE and the team coordinators register,
change, approve and retire cronogramas. A cronograma the caller may not see is 404.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapro.core.exceptions import Forbidden, InvalidInput

from ..actions.cronogramas import (
    check_can_manage_schedules,
    do_approve_schedule,
    do_create_schedule,
    do_retire_schedule,
    do_update_schedule,
)
from ..selectors import (
    can_read_schedules,
    get_schedule_for_user,
    plan_summary,
    planned_vs_executed,
    schedules_visible_to,
    year_bounds,
)
from . import serializers as s

_400 = OpenApiResponse(s.ScheduleErrorSerializer, description="Datos no válidos (por campo).")
_403 = OpenApiResponse(s.ScheduleErrorSerializer, description="Su rol no permite esta acción.")
_404 = OpenApiResponse(s.ScheduleErrorSerializer, description="No existe o no lo puede ver.")
_409 = OpenApiResponse(s.ScheduleErrorSerializer, description="No permitido en su estado.")
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
    body = s.ScheduleWriteSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    return {_WRITE_FIELDS[key]: value for key, value in body.validated_data.items()}


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


class ScheduleListView(APIView):
    @extend_schema(
        operation_id="schedules_list",
        summary="Registro de cronogramas",
        responses={200: s.ScheduleSerializer(many=True), 403: _403},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        _read_gate(request)
        return Response(s.ScheduleSerializer(schedules_visible_to(request.user), many=True).data)

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
        body = s.ScheduleRetireSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        schedule = do_retire_schedule(schedule, body.validated_data["reason"], actor=request.user)
        return Response(_detail(schedule, timezone.localdate().year))
