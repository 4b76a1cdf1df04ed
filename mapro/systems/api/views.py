"""Systems API v1: parse input, call a selector or an action, render. Nothing else.

Lists take the same filters as the HTML lists and follow docs/api.md (a JSON array,
``Link: rel="next"``). Out of scope is 404, a role that reads none of the register 403.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapro.audit.selectors import history_of
from mapro.core.api import ErrorSerializer, ListView, validated_body
from mapro.core.api.openapi import extend_schema
from mapro.core.exceptions import InvalidInput
from mapro.organization.models import Unit
from mapro.organization.permissions import check_role, has_role

from .. import access, actions, selectors
from ..filtersets import ChangeFilterSet, ReleaseFilterSet, ReportFilterSet, SystemFilterSet
from ..models import ChangeRecord, InformationSystem
from . import serializers as s

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Datos no válidos (por campo)."),
    403: OpenApiResponse(ErrorSerializer, description="Su rol no permite esta acción."),
    404: OpenApiResponse(ErrorSerializer, description="No existe o está fuera de su ámbito."),
    409: OpenApiResponse(ErrorSerializer, description="Conflicto con el estado actual."),
}
TAG_SYSTEMS = ["catálogo de sistemas de información"]
TAG_QUALITY = ["evidencias de calidad"]


def _unit(code: str, field: str = "owner_unit") -> Unit:
    unit = Unit.objects.filter(code__iexact=(code or "").strip(), is_active=True).first()
    if unit is None:
        raise InvalidInput(errors={field: [f"No existe la unidad «{code}»."]})
    return unit


def _system(user: Any, code: str, field: str = "system") -> InformationSystem:
    system = selectors.systems_for_user(user).filter(code__iexact=(code or "").strip()).first()
    if system is None:
        raise InvalidInput(errors={field: [f"El sistema «{code}» no está en el catálogo."]})
    return system


def with_history(serializer_class: type, obj: Any) -> dict[str, Any]:
    obj.history_events = history_of(obj)
    return serializer_class(obj).data  # type: ignore[no-any-return]


def system_detail(system: InformationSystem, user: Any) -> dict[str, Any]:
    ogtie = has_role(user, access.READERS)
    system.visible_changes = list(system.changes.order_by("-number")) if ogtie else []  # type: ignore[attr-defined]
    system.visible_reviews = list(system.reviews.all()) if ogtie else []  # type: ignore[attr-defined]
    system.history_events = history_of(system)  # type: ignore[attr-defined]
    system.timeline_entries = selectors.timeline(system)  # type: ignore[attr-defined]
    return s.SystemDetailSerializer(system).data  # type: ignore[no-any-return]


class SystemListView(
    ListView,
    serializer=s.SystemSerializer,
    rows=selectors.systems_for_user,
    filterset=SystemFilterSet,
    operation_id="systems_list",
    summary="Catálogo de sistemas de información visibles para el usuario",
    tags=TAG_SYSTEMS,
    errors=ERRORS,
):
    @extend_schema(
        operation_id="systems_create",
        summary="Registrar un sistema en el catálogo",
        request=s.SystemCreateSerializer,
        responses={201: s.SystemDetailSerializer, **ERRORS},
        tags=TAG_SYSTEMS,
    )
    def post(self, request: Request) -> Response:
        check_role(request.user, access.CATALOG_MANAGERS)
        body = validated_body(s.SystemCreateSerializer, request)
        body["owner_unit"] = _unit(body["owner_unit"])
        system = actions.do_register_system(actor=request.user, **body)
        return Response(system_detail(system, request.user), status=status.HTTP_201_CREATED)


class SystemDetailView(APIView):
    @extend_schema(
        operation_id="systems_retrieve",
        summary="Un sistema: ambientes, versiones, cambios, revisiones, línea de tiempo, historial",
        responses={200: s.SystemDetailSerializer, **ERRORS},
        tags=TAG_SYSTEMS,
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(
            system_detail(selectors.get_system_for_user(request.user, pk), request.user)
        )

    @extend_schema(
        operation_id="systems_partial_update",
        summary="Modificar los datos de un sistema del catálogo",
        request=s.SystemUpdateSerializer,
        responses={200: s.SystemDetailSerializer, **ERRORS},
        tags=TAG_SYSTEMS,
    )
    def patch(self, request: Request, pk: int) -> Response:
        system = selectors.get_system_for_user(request.user, pk)
        check_role(request.user, access.CATALOG_MANAGERS)
        body = validated_body(s.SystemUpdateSerializer, request)
        environments = body.pop("environments", None)
        if "owner_unit" in body:
            body["owner_unit"] = _unit(body["owner_unit"])
        system = actions.do_update_system(
            system, changes=body, environments=environments, actor=request.user
        )
        return Response(system_detail(system, request.user))


class ReleaseListView(
    ListView,
    serializer=s.ReleaseSerializer,
    rows=selectors.releases_for_user,
    filterset=ReleaseFilterSet,
    operation_id="releases_list",
    summary="Versiones (releases) de los sistemas visibles",
    tags=TAG_SYSTEMS,
    errors=ERRORS,
):
    @extend_schema(
        operation_id="releases_create",
        summary="Registrar una versión de un sistema (versión única por sistema)",
        request=s.ReleaseCreateSerializer,
        responses={201: s.ReleaseSerializer, **ERRORS},
        tags=TAG_SYSTEMS,
    )
    def post(self, request: Request) -> Response:
        check_role(request.user, access.RELEASE_MANAGERS)
        body = validated_body(s.ReleaseCreateSerializer, request)
        system = _system(request.user, body.pop("system"))
        numbers = body.pop("closes", [])
        closes = list(ChangeRecord.objects.filter(number__in=numbers))
        missing = sorted(set(numbers) - {c.number for c in closes})
        if missing:
            raise InvalidInput(errors={"closes": [f"No existe el cambio N° {missing[0]}."]})
        release = actions.do_register_release(system, closes=closes, actor=request.user, **body)
        return Response(s.ReleaseSerializer(release).data, status=status.HTTP_201_CREATED)


class ReleaseDetailView(APIView):
    @extend_schema(
        operation_id="releases_retrieve",
        summary="Una versión de un sistema",
        responses={200: s.ReleaseDetailSerializer, **ERRORS},
        tags=TAG_SYSTEMS,
    )
    def get(self, request: Request, pk: int) -> Response:
        release = selectors.get_release_for_user(request.user, pk)
        return Response(with_history(s.ReleaseDetailSerializer, release))


class ReleaseDeployView(APIView):
    @extend_schema(
        operation_id="releases_deploy",
        summary="Registrar el pase a producción de una versión",
        request=s.DeploySerializer,
        responses={200: s.ReleaseSerializer, **ERRORS},
        tags=TAG_SYSTEMS,
    )
    def post(self, request: Request, pk: int) -> Response:
        release = selectors.get_release_for_user(request.user, pk)
        check_role(request.user, access.RELEASE_MANAGERS)
        body = validated_body(s.DeploySerializer, request)
        release = actions.do_deploy_release(
            release, released_on=body.get("released_on"), actor=request.user
        )
        return Response(s.ReleaseSerializer(release).data)


class ChangeListView(
    ListView,
    serializer=s.ChangeSerializer,
    rows=selectors.changes_for_user,
    filterset=ChangeFilterSet,
    operation_id="change_records_list",
    summary="Matriz de gestión de cambios de sistemas y aplicaciones (Formato N° 1)",
    tags=TAG_SYSTEMS,
    errors=ERRORS,
):
    pass


class ChangeDetailView(APIView):
    @extend_schema(
        operation_id="change_records_retrieve",
        summary="Una fila de la matriz de gestión de cambios",
        responses={200: s.ChangeSerializer, **ERRORS},
        tags=TAG_SYSTEMS,
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.ChangeSerializer(selectors.get_change_for_user(request.user, pk)).data)


class ReportListView(
    ListView,
    serializer=s.ReportSerializer,
    rows=selectors.reports_for_user,
    filterset=ReportFilterSet,
    operation_id="quality_reports_list",
    summary="Reportes de SonarQube y OWASP ZAP subidos",
    tags=TAG_QUALITY,
    errors=ERRORS,
):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        operation_id="quality_reports_upload",
        summary="Subir un reporte (SonarQube api/issues/search o OWASP ZAP JSON): se lee, se "
        "cuentan los hallazgos por severidad y se propone «cumple» o «no cumple»",
        request={"multipart/form-data": s.ReportUploadSerializer},
        responses={201: s.ReportDetailSerializer, **ERRORS},
        tags=TAG_QUALITY,
    )
    def post(self, request: Request) -> Response:
        check_role(request.user, access.REPORT_UPLOADERS)
        body = validated_body(s.ReportUploadSerializer, request)
        system = _system(request.user, body["system"])
        upload = body["file"]
        report = actions.do_upload_quality_report(
            system, tool=body["tool"], filename=upload.name, raw=upload.read(), actor=request.user
        )
        return Response(
            with_history(s.ReportDetailSerializer, report), status=status.HTTP_201_CREATED
        )


class ReportDetailView(APIView):
    @extend_schema(
        operation_id="quality_reports_retrieve",
        summary="Un reporte de calidad con sus hallazgos",
        responses={200: s.ReportDetailSerializer, **ERRORS},
        tags=TAG_QUALITY,
    )
    def get(self, request: Request, pk: int) -> Response:
        report = selectors.get_report_for_user(request.user, pk)
        return Response(with_history(s.ReportDetailSerializer, report))


class GateListView(
    ListView,
    serializer=s.GateSerializer,
    rows=selectors.gates_for_user,
    operation_id="quality_gates_list",
    summary="Umbrales de calidad configurados por los equipos",
    tags=TAG_QUALITY,
    errors=ERRORS,
):
    @extend_schema(
        operation_id="quality_gates_set",
        summary="Configurar el umbral de un equipo para una herramienta",
        request=s.GateSetSerializer,
        responses={200: s.GateSerializer, **ERRORS},
        tags=TAG_QUALITY,
    )
    def post(self, request: Request) -> Response:
        check_role(request.user, access.GATE_MANAGERS)
        body = validated_body(s.GateSetSerializer, request)
        gate = actions.do_set_quality_gate(
            team=body.get("team", ""),
            tool=body["tool"],
            thresholds=body["thresholds"],
            actor=request.user,
        )
        return Response(s.GateSerializer(gate).data)
