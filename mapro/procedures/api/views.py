"""API v1 views: parse input, call a selector or an action, render. Nothing else."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapro.core.api import (
    check_parameters,
    error_response,
    list_response,
    page_limit,
)
from mapro.core.api.openapi import extend_schema
from mapro.core.api.pagination import PAGE_PARAMETERS
from mapro.core.exceptions import InvalidInput

from ..actions import do_cancel_instance, do_complete_task, do_start_instance
from ..exceptions import ProcedureNotFound
from ..models import Procedure
from ..rewind import do_move_instance, do_return_task
from ..routing import unit_by_code
from ..selectors import (
    INBOX_DUE_WINDOWS,
    INBOX_MAX_PAGE_SIZE,
    INBOX_ORDERINGS,
    INBOX_PAGE_SIZE,
    get_instance_for_user,
    get_work_item_for_user,
    inbox_filter,
    inbox_page,
    inbox_rows,
    instance_answer,
    published_procedures,
)
from .serializers import (
    CancelSerializer,
    GoBackSerializer,
    InboxTaskSerializer,
    InstanceSerializer,
    InstanceStartSerializer,
    ProcedureDetailSerializer,
    ProcedureListSerializer,
    TaskCompleteSerializer,
    TaskDetailSerializer,
)

_400 = error_response(400, "Datos no válidos (errores por campo).")
_403 = error_response(403, "El usuario no tiene el rol requerido.")
_404 = error_response(404, "No existe o está fuera de su ámbito.")
_409 = error_response(409, "Ya completada o actualizada por otro.")


def _published(code: str) -> Procedure:
    procedure = published_procedures().filter(code=code).first()
    if procedure is None:
        raise ProcedureNotFound()
    return procedure


class ProcedureListView(APIView):
    @extend_schema(
        operation_id="procedures_list",
        summary="Procedimientos publicados",
        responses={200: ProcedureListSerializer(many=True), 400: _400},
        tags=["procedimientos"],
    )
    def get(self, request: Request) -> Response:
        check_parameters(request, ())
        return Response(ProcedureListSerializer(published_procedures(), many=True).data)


class ProcedureDetailView(APIView):
    @extend_schema(
        operation_id="procedures_retrieve",
        summary="Ficha de un procedimiento (versión vigente)",
        responses={200: ProcedureDetailSerializer, 404: _404},
        tags=["procedimientos"],
    )
    def get(self, request: Request, code: str) -> Response:
        return Response(ProcedureDetailSerializer(_published(code)).data)


class ProcedureBpmnView(APIView):
    @extend_schema(
        operation_id="procedures_bpmn",
        summary="BPMN 2.0 XML de la versión vigente",
        responses={(200, "application/xml"): OpenApiTypes.STR, 404: _404},
        tags=["procedimientos"],
    )
    def get(self, request: Request, code: str) -> HttpResponse:
        procedure = (
            Procedure.objects.filter(code=code, current_version__isnull=False)
            .select_related("current_version")
            .first()
        )
        if procedure is None or procedure.current_version is None:
            raise ProcedureNotFound()
        response = HttpResponse(
            procedure.current_version.bpmn_xml, content_type="application/xml; charset=utf-8"
        )
        response["Content-Disposition"] = f'inline; filename="{procedure.code}.bpmn"'
        return response


class ProcedureInstancesView(APIView):
    @extend_schema(
        operation_id="procedures_instances_create",
        summary="Iniciar un expediente",
        description=(
            "Inicia un expediente de la versión vigente. `unit` es la unidad de organización "
            "solicitante (por defecto, la del usuario): las actividades de la «U.O.» van a "
            "ella. El personal de la OGTIE puede indicar cualquier unidad; los demás, solo la "
            "suya (403 si no, y no se crea nada). Una sigla desconocida responde 400 con el "
            "error en `unit`. Si el motor no puede abrir las primeras tareas (por ejemplo, "
            "no hay unidad para la primera actividad), responde 409 con la causa en `detail` "
            "y no se guarda nada."
        ),
        request=InstanceStartSerializer,
        responses={
            201: InstanceSerializer,
            400: _400,
            403: _403,
            404: _404,
            409: error_response(409, "No se pudo iniciar: no se guardó nada (causa en detail)."),
        },
        tags=["expedientes"],
    )
    def post(self, request: Request, code: str) -> Response:
        body = InstanceStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        code_of_unit = body.validated_data.get("unit")
        instance = do_start_instance(
            code,
            start=body.validated_data.get("start") or None,
            data=body.validated_data.get("data") or {},
            unit=unit_by_code(code_of_unit) if code_of_unit else None,
            actor=request.user,
        )
        return Response(
            InstanceSerializer(instance, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class InstanceDetailView(APIView):
    @extend_schema(
        operation_id="instances_retrieve",
        summary="Un expediente: estado, tareas abiertas e historial",
        responses={200: InstanceSerializer, 404: _404},
        tags=["expedientes"],
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(
            InstanceSerializer(instance_answer(request.user, pk), context={"request": request}).data
        )


_TRUE = {"true", "1", "si", "sí"}
_FALSE = {"false", "0", "no", ""}


def _overdue_flag(request: Request) -> bool:
    """``?overdue=true`` (or false); 400 for anything else."""
    raw = (request.query_params.get("overdue") or "").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise InvalidInput(errors={"overdue": ["Use true o false."]})


class TaskListView(APIView):
    """The caller's open tasks (oldest first by default), one keyset page at a time, each with
    what its case is (ticket or title, requester and unit) and its due date; filters by
    procedure and due window, three orders.

    The body stays a JSON list (design.md's contract); the next page, when there is one, is
    in the ``Link: <…>; rel="next"`` header (RFC 8288) and its cursor in ``X-Next-Cursor``.
    """

    @extend_schema(
        operation_id="tasks_list",
        summary="Bandeja: tareas abiertas del usuario (por rol y ámbito), por páginas",
        description=(
            "Las tareas abiertas que el usuario puede realizar, de `limit` en `limit` (las más "
            "antiguas primero, salvo otro `ordering`), cada una con su caso (ticket o título, "
            "solicitante y unidad) y su plazo. El cuerpo es una lista JSON; si hay más, la "
            'cabecera `Link` (`rel="next"`) da la URL de la página siguiente y `X-Next-Cursor` '
            "su cursor. Un filtro, un `limit` o un `cursor` no válidos, o un parámetro "
            "desconocido, responden 400 nombrando el parámetro."
        ),
        parameters=[
            OpenApiParameter(
                "limit",
                int,
                description=f"Tareas por página (1–{INBOX_MAX_PAGE_SIZE}, "
                f"{INBOX_PAGE_SIZE} por defecto).",
            ),
            OpenApiParameter(
                "cursor", str, description="Cursor de la página siguiente (X-Next-Cursor)."
            ),
            OpenApiParameter(
                "overdue",
                bool,
                description="true: solo las tareas vencidas (lo mismo que due=overdue).",
            ),
            OpenApiParameter(
                "procedure",
                str,
                description="Solo las tareas de este procedimiento (su código, p. ej. "
                "S04.03.01.01).",
            ),
            OpenApiParameter(
                "due",
                str,
                enum=list(INBOX_DUE_WINDOWS),
                description="overdue: vencidas; today: vencen desde ahora hasta el fin de hoy; "
                "week: vencen desde ahora hasta el fin del domingo (hora de Lima).",
            ),
            OpenApiParameter(
                "ordering",
                str,
                enum=list(INBOX_ORDERINGS),
                description="created_at: más antiguas primero (por defecto); -created_at: más "
                "recientes primero; due_at: próximas a vencer primero (sin plazo al final). "
                "El cursor vale solo para el mismo orden.",
            ),
            OpenApiParameter(
                "Link",
                str,
                location=OpenApiParameter.HEADER,
                response=[200],
                description='Enlace a la página siguiente (RFC 8288, rel="next"), si la hay.',
            ),
            OpenApiParameter(
                "X-Next-Cursor",
                str,
                location=OpenApiParameter.HEADER,
                response=[200],
                description="Cursor de la página siguiente, si la hay.",
            ),
        ],
        responses={200: InboxTaskSerializer(many=True), 400: _400},
        tags=["tareas"],
    )
    def get(self, request: Request) -> Response:
        check_parameters(request, (*PAGE_PARAMETERS, "overdue", "procedure", "due", "ordering"))
        limit = page_limit(request, INBOX_PAGE_SIZE, INBOX_MAX_PAGE_SIZE)
        params = request.query_params
        overdue = _overdue_flag(request)
        if overdue and params.get("due") not in (None, "", "overdue"):
            raise InvalidInput(errors={"due": ["No se combina con overdue=true."]})
        only = inbox_filter(
            procedure=params.get("procedure"),
            due=params.get("due"),
            ordering=params.get("ordering"),
        )
        now = timezone.now()
        page = inbox_page(
            request.user,
            cursor=params.get("cursor"),
            limit=limit,
            overdue=overdue,
            now=now,
            only=only,
        )
        rows = {row.item.pk: row for row in inbox_rows(page.items, now)}
        body = InboxTaskSerializer(page.items, many=True, context={"rows": rows}).data
        return list_response(request, body, page.next_cursor)


class TaskDetailView(APIView):
    @extend_schema(
        operation_id="tasks_retrieve",
        summary="Una tarea con su formulario (JSON Schema)",
        responses={200: TaskDetailSerializer, 404: _404},
        tags=["tareas"],
    )
    def get(self, request: Request, pk: int) -> Response:
        item = get_work_item_for_user(request.user, pk)
        return Response(TaskDetailSerializer(item, context={"request": request}).data)


class TaskCompleteView(APIView):
    @extend_schema(
        operation_id="tasks_complete",
        summary="Completar una tarea con los datos de su formulario",
        request=TaskCompleteSerializer,
        responses={200: InstanceSerializer, 400: _400, 403: _403, 404: _404, 409: _409},
        tags=["tareas"],
    )
    def post(self, request: Request, pk: int) -> Response:
        payload: Any = request.data
        if not isinstance(payload, dict):
            raise serializers.ValidationError({"data": ['Envíe un objeto JSON {"data": {…}}.']})
        body = TaskCompleteSerializer(data=payload)
        body.is_valid(raise_exception=True)
        item = do_complete_task(pk, body.validated_data.get("data") or {}, actor=request.user)
        # Whoever completed one of its tasks sees the instance (selectors.instances_visible_to).
        return _instance_response(request, item.instance_id, seen=True)


def _instance_response(request: Request, pk: int, *, seen: bool = False) -> Response:
    instance = instance_answer(request.user, pk, seen=seen)
    return Response(InstanceSerializer(instance, context={"request": request}).data)


class TaskReturnView(APIView):
    @extend_schema(
        operation_id="tasks_return",
        summary="Devolver una tarea a una actividad anterior que capturó sus datos",
        description="El responsable de la tarea abierta la devuelve, con un motivo, a una "
        "actividad ya realizada de su camino (``return_targets`` de la tarea): esa actividad "
        "se abre de nuevo con lo que registró y queda en el historial.",
        request=GoBackSerializer,
        responses={200: InstanceSerializer, 400: _400, 403: _403, 404: _404, 409: _409},
        tags=["tareas"],
    )
    def post(self, request: Request, pk: int) -> Response:
        body = GoBackSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        instance = do_return_task(
            pk, body.validated_data["to_activity"], body.validated_data["reason"],
            actor=request.user,
        )  # fmt: skip
        return _instance_response(request, instance.pk)


class InstanceMoveView(APIView):
    @extend_schema(
        operation_id="instances_move",
        summary="Mover un expediente en curso o fallido a una actividad ya realizada",
        description="Jefe(a) de la OGTIE: un expediente que no puede seguir vuelve, con un "
        "motivo, a una actividad que ya realizó; uno fallido vuelve a estar en curso.",
        request=GoBackSerializer,
        responses={200: InstanceSerializer, 400: _400, 403: _403, 404: _404, 409: _409},
        tags=["expedientes"],
    )
    def post(self, request: Request, pk: int) -> Response:
        instance = get_instance_for_user(request.user, pk)
        body = GoBackSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        do_move_instance(
            instance.pk, body.validated_data["to_activity"], body.validated_data["reason"],
            actor=request.user,
        )  # fmt: skip
        return _instance_response(request, instance.pk)


class InstanceCancelView(APIView):
    @extend_schema(
        operation_id="instances_cancel",
        summary="Anular un expediente en curso, con un motivo (Jefe(a) de la OGTIE)",
        request=CancelSerializer,
        responses={200: InstanceSerializer, 400: _400, 403: _403, 404: _404, 409: _409},
        tags=["expedientes"],
    )
    def post(self, request: Request, pk: int) -> Response:
        instance = get_instance_for_user(request.user, pk)
        body = CancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        do_cancel_instance(instance, body.validated_data["reason"], actor=request.user)
        return _instance_response(request, instance.pk)
