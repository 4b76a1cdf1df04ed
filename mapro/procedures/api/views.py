"""API v1 views: parse input, call a selector or an action, render. Nothing else."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..actions import do_complete_task, do_start_instance
from ..exceptions import ProcedureNotFound
from ..models import Procedure
from ..selectors import (
    get_instance_for_user,
    get_work_item_for_user,
    open_work_items_for,
    published_procedures,
)
from .serializers import (
    InstanceSerializer,
    InstanceStartSerializer,
    ProcedureDetailSerializer,
    ProcedureListSerializer,
    TaskCompleteSerializer,
    TaskDetailSerializer,
    WorkItemSerializer,
)

ErrorSerializer = inline_serializer(
    "Error",
    {
        "detail": serializers.CharField(),
        "errors": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()), required=False
        ),
    },
)
_400 = OpenApiResponse(ErrorSerializer, description="Datos no válidos (errores por campo).")
_403 = OpenApiResponse(ErrorSerializer, description="El usuario no tiene el rol requerido.")
_404 = OpenApiResponse(ErrorSerializer, description="No existe o está fuera de su ámbito.")
_409 = OpenApiResponse(ErrorSerializer, description="Ya completada o actualizada por otro.")


def _published(code: str) -> Procedure:
    procedure = published_procedures().filter(code=code).first()
    if procedure is None:
        raise ProcedureNotFound()
    return procedure


class ProcedureListView(APIView):
    @extend_schema(
        operation_id="procedures_list",
        summary="Procedimientos publicados",
        responses=ProcedureListSerializer(many=True),
        tags=["procedimientos"],
    )
    def get(self, request: Request) -> Response:
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
        request=InstanceStartSerializer,
        responses={201: InstanceSerializer, 400: _400, 403: _403, 404: _404},
        tags=["expedientes"],
    )
    def post(self, request: Request, code: str) -> Response:
        body = InstanceStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        instance = do_start_instance(
            code,
            start=body.validated_data.get("start") or None,
            data=body.validated_data.get("data") or {},
            actor=request.user,
        )
        return Response(InstanceSerializer(instance).data, status=status.HTTP_201_CREATED)


class InstanceDetailView(APIView):
    @extend_schema(
        operation_id="instances_retrieve",
        summary="Un expediente: estado, tareas abiertas e historial",
        responses={200: InstanceSerializer, 404: _404},
        tags=["expedientes"],
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(InstanceSerializer(get_instance_for_user(request.user, pk)).data)


class TaskListView(APIView):
    @extend_schema(
        operation_id="tasks_list",
        summary="Bandeja: tareas abiertas del usuario (por rol y ámbito)",
        responses=WorkItemSerializer(many=True),
        tags=["tareas"],
    )
    def get(self, request: Request) -> Response:
        items = open_work_items_for(request.user)
        return Response(WorkItemSerializer(items, many=True).data)


class TaskDetailView(APIView):
    @extend_schema(
        operation_id="tasks_retrieve",
        summary="Una tarea con su formulario (JSON Schema)",
        responses={200: TaskDetailSerializer, 404: _404},
        tags=["tareas"],
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(TaskDetailSerializer(get_work_item_for_user(request.user, pk)).data)


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
        instance = get_instance_for_user(request.user, item.instance_id)
        return Response(InstanceSerializer(instance).data)
