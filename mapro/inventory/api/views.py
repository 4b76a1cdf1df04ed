"""Inventory API v1: parse input, call a selector or an action, render. Nothing else.

Lists take the same filters as the HTML lists (``filtersets``) and follow docs/api.md (a JSON
array, ``Link: rel="next"``). An entry the caller may not read is 404 (403 when their role
reads none of the inventory); writes check the role that manages the equipment's kind.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapro.core.api import ListView, error_responses, validated_body
from mapro.core.api.openapi import extend_schema
from mapro.core.exceptions import InvalidInput
from mapro.organization.permissions import check_role

from .. import access, actions, selectors
from ..filtersets import EquipmentFilterSet, MaintenanceFilterSet
from ..importing import do_import_equipment
from ..models import Equipment, Maintenance
from . import serializers as s

ERRORS = error_responses(400, 403, 404, 409)
TAG_EQUIPMENT = ["inventario de equipos"]
TAG_MAINTENANCE = ["mantenimientos de equipos"]


def _detail(equipment: Equipment) -> dict[str, Any]:
    equipment.maintenance_list = selectors.maintenances_of(equipment)  # type: ignore[attr-defined]
    equipment.account_list = selectors.accounts_of(equipment)  # type: ignore[attr-defined]
    equipment.activity_list = selectors.activities_of(equipment)  # type: ignore[attr-defined]
    equipment.history_events = selectors.history(equipment)  # type: ignore[attr-defined]
    return s.EquipmentDetailSerializer(equipment).data  # type: ignore[no-any-return]


def _clean(body: dict[str, Any]) -> dict[str, Any]:
    """Blank text for people and dates means "none"."""
    return {k: (None if v == "" and k in _NULLABLE else v) for k, v in body.items()}


_NULLABLE = {
    "ip_address",
    "unit",
    "holder",
    "responsible",
    "backup_responsible",
    "acquired_on",
    "warranty_end",
}


class EquipmentListView(ListView):
    serializer_class = s.EquipmentSerializer
    filterset_class = EquipmentFilterSet
    queryset = Equipment.objects.none()

    def list_queryset(self) -> QuerySet[Equipment]:
        return selectors.equipment_for_user(self.request.user)

    @extend_schema(
        operation_id="equipment_list",
        summary="Equipos del inventario visibles para el usuario",
        responses={200: s.EquipmentSerializer(many=True), **ERRORS},
        tags=TAG_EQUIPMENT,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="equipment_create",
        summary="Registrar un equipo en el inventario",
        request=s.EquipmentWriteSerializer,
        responses={201: s.EquipmentDetailSerializer, **ERRORS},
        tags=TAG_EQUIPMENT,
    )
    def post(self, request: Request) -> Response:
        check_role(request.user, access.INVENTORY_MANAGERS)  # the role before the body
        body = validated_body(s.EquipmentWriteSerializer, request)
        for field in ("code", "kind", "name"):
            if not body.get(field):
                raise InvalidInput(errors={field: ["Este campo es obligatorio."]})
        equipment = actions.do_register_equipment(actor=request.user, **_clean(body))
        return Response(_detail(equipment), status=status.HTTP_201_CREATED)


class EquipmentDetailView(APIView):
    @extend_schema(
        operation_id="equipment_retrieve",
        summary="Un equipo: datos, mantenimientos, accesos, actividades e historial",
        responses={200: s.EquipmentDetailSerializer, **ERRORS},
        tags=TAG_EQUIPMENT,
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_detail(selectors.get_equipment_for_user(request.user, pk)))

    @extend_schema(
        operation_id="equipment_update",
        summary="Modificar datos de un equipo (no su estado)",
        request=s.EquipmentWriteSerializer,
        responses={200: s.EquipmentDetailSerializer, **ERRORS},
        tags=TAG_EQUIPMENT,
    )
    def patch(self, request: Request, pk: int) -> Response:
        equipment = selectors.get_equipment_for_user(request.user, pk)
        access.check_manager(request.user, equipment.kind)
        body = validated_body(s.EquipmentWriteSerializer, request)
        equipment = actions.do_update_equipment(equipment, actor=request.user, **_clean(body))
        return Response(_detail(equipment))


class EquipmentStateView(APIView):
    @extend_schema(
        operation_id="equipment_state",
        summary="Cambiar el estado de un equipo (Formato N° 02)",
        request=s.StateSerializer,
        responses={200: s.EquipmentDetailSerializer, **ERRORS},
        tags=TAG_EQUIPMENT,
    )
    def post(self, request: Request, pk: int) -> Response:
        equipment = selectors.get_equipment_for_user(request.user, pk)
        access.check_manager(request.user, equipment.kind)
        body = validated_body(s.StateSerializer, request)
        equipment = actions.do_change_equipment_state(equipment, actor=request.user, **body)
        return Response(_detail(equipment))


class EquipmentImportView(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        operation_id="equipment_import",
        summary="Importar equipos desde XLSX o CSV (todo o nada; errores por fila y columna)",
        request={"multipart/form-data": s.ImportSerializer},
        responses={200: s.ImportResultSerializer, **ERRORS},
        tags=TAG_EQUIPMENT,
    )
    def post(self, request: Request) -> Response:
        check_role(request.user, access.INVENTORY_MANAGERS)
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput(errors={"file": ["Adjunte el archivo (.xlsx o .csv)."]})
        result = do_import_equipment(upload.name or "", upload.read(), actor=request.user)
        return Response(result)


class MaintenanceListView(ListView):
    serializer_class = s.MaintenanceSerializer
    filterset_class = MaintenanceFilterSet
    queryset = Maintenance.objects.none()

    def list_queryset(self) -> QuerySet[Maintenance]:
        return selectors.maintenances_for_user(self.request.user)

    @extend_schema(
        operation_id="maintenances_list",
        summary="Registro de mantenimientos visibles para el usuario",
        responses={200: s.MaintenanceSerializer(many=True), **ERRORS},
        tags=TAG_MAINTENANCE,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="maintenances_create",
        summary="Registrar un mantenimiento (hecho o coordinado) de un equipo",
        request=s.MaintenanceCreateSerializer,
        responses={201: s.MaintenanceSerializer, **ERRORS},
        tags=TAG_MAINTENANCE,
    )
    def post(self, request: Request) -> Response:
        check_role(request.user, access.INVENTORY_MANAGERS)
        body = validated_body(s.MaintenanceCreateSerializer, request)
        code = body.pop("equipment")
        equipment = selectors.equipment_for_user(request.user).filter(code__iexact=code).first()
        if equipment is None:
            raise InvalidInput(errors={"equipment": [f"No hay un equipo «{code}»."]})
        maintenance = actions.do_record_maintenance(equipment, actor=request.user, **body)
        return Response(s.MaintenanceSerializer(maintenance).data, status=status.HTTP_201_CREATED)


class MaintenanceDetailView(APIView):
    @extend_schema(
        operation_id="maintenances_retrieve",
        summary="Un mantenimiento",
        responses={200: s.MaintenanceSerializer, **ERRORS},
        tags=TAG_MAINTENANCE,
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(
            s.MaintenanceSerializer(selectors.get_maintenance_for_user(request.user, pk)).data
        )


class MaintenanceOutcomeView(APIView):
    @extend_schema(
        operation_id="maintenances_outcome",
        summary="¿Se dio solución? (mantenimiento coordinado)",
        request=s.MaintenanceOutcomeSerializer,
        responses={200: s.MaintenanceSerializer, **ERRORS},
        tags=TAG_MAINTENANCE,
    )
    def post(self, request: Request, pk: int) -> Response:
        maintenance = selectors.get_maintenance_for_user(request.user, pk)
        access.check_manager(request.user, maintenance.equipment.kind)
        body = validated_body(s.MaintenanceOutcomeSerializer, request)
        done = actions.do_record_maintenance_outcome(maintenance, actor=request.user, **body)
        return Response(s.MaintenanceSerializer(done).data)


class MaintenanceWarrantyView(APIView):
    @extend_schema(
        operation_id="maintenances_warranty",
        summary="¿Equipo tiene garantía? (mantenimiento sin solución)",
        request=s.WarrantySerializer,
        responses={200: s.MaintenanceSerializer, **ERRORS},
        tags=TAG_MAINTENANCE,
    )
    def post(self, request: Request, pk: int) -> Response:
        maintenance = selectors.get_maintenance_for_user(request.user, pk)
        access.check_manager(request.user, maintenance.equipment.kind)
        body = validated_body(s.WarrantySerializer, request)
        done = actions.do_record_warranty(maintenance, actor=request.user, **body)
        return Response(s.MaintenanceSerializer(done).data)
