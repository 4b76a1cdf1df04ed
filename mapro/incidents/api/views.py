"""Incident matrix API v1: parse, call a selector or an action, render.

An incident is addressed by its code (``INC-2026-0001``); one the caller may not see is 404;
a caller without a role of the register gets 403. Lists take the same filters as the HTML
list (``IncidentFilterSet``) and follow the list convention of docs/api.md.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapro.core.api import ListView, error_response, validated_body
from mapro.core.api.openapi import extend_schema
from mapro.core.exceptions import Forbidden, InvalidInput
from mapro.helpdesk.selectors import tickets_visible_to

from .. import access, actions
from ..choices import Kind
from ..filtersets import IncidentFilterSet
from ..models import Incident
from ..selectors import get_incident_for_user, incidents_visible_to
from . import serializers as s

_400 = error_response(400, "Datos no válidos (por campo).")
_403 = error_response(403, "Su rol no permite esta acción.")
_404 = error_response(404, "No existe o está fuera de su ámbito.")
_409 = error_response(409, "No permitido en el estado actual.")
TAGS = ["incidentes"]


def _gate(user: Any) -> None:
    if not access.can_open_register(user):
        raise Forbidden("La matriz de incidentes es para los equipos que los atienden.")


def _detail(incident: Incident) -> dict[str, Any]:
    fresh = Incident.objects.select_related("reporting_unit", "ticket").get(pk=incident.pk)
    return s.IncidentDetailSerializer(fresh).data  # type: ignore[no-any-return]


class IncidentListView(ListView):
    serializer_class = s.IncidentSerializer
    filterset_class = IncidentFilterSet
    queryset = Incident.objects.none()  # the model, for the schema

    def list_queryset(self) -> QuerySet[Incident]:
        _gate(self.request.user)
        return incidents_visible_to(self.request.user)

    @extend_schema(
        operation_id="incidents_list",
        summary="Matriz de incidentes (SGSI-FOR-006) visible para el usuario, con filtros",
        responses={200: s.IncidentSerializer(many=True), 400: _400, 403: _403},
        tags=TAGS,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="incidents_create",
        summary="Registrar un incidente en la matriz",
        request=s.IncidentCreateSerializer,
        responses={201: s.IncidentDetailSerializer, 400: _400, 403: _403},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        if not any(access.can_handle_kind(request.user, k) for k in Kind):
            raise Forbidden("Su rol no permite registrar incidentes.")
        body = validated_body(s.IncidentCreateSerializer, request)
        ticket = None
        if body.get("ticket"):
            # A body naming a ticket out of reach is bad input, not a 404.
            number = str(body["ticket"]).upper()
            ticket = tickets_visible_to(request.user).filter(number=number).first()
            if ticket is None:
                raise InvalidInput(
                    errors={"ticket": ["No existe ese ticket o está fuera de su ámbito."]}
                )
        incident = actions.do_open_incident(
            actor=request.user,
            kind=body["kind"],
            title=body["title"],
            description=body["description"],
            origin=body["origin"],
            detection_source=body["detection_source"],
            detected_at=body["detected_at"] or None,
            reporting_unit=body["reporting_unit"],
            reported_by=body["reported_by"],
            category=body["category"],
            severity=body["severity"],
            priority=body["priority"],
            affected_assets=body["affected_assets"],
            affected_services=body["affected_services"],
            ticket=ticket,
        )
        return Response(_detail(incident), status=status.HTTP_201_CREATED)


class IncidentDetailView(APIView):
    @extend_schema(
        operation_id="incidents_retrieve",
        summary="Un incidente con su línea de tiempo por fases",
        responses={200: s.IncidentDetailSerializer, 403: _403, 404: _404},
        tags=TAGS,
    )
    def get(self, request: Request, code: str) -> Response:
        _gate(request.user)
        return Response(_detail(get_incident_for_user(request.user, code)))


class IncidentActionView(APIView):
    @extend_schema(
        operation_id="incidents_add_action",
        summary="Registrar una acción de una fase (quién: el usuario; cuándo: la fecha o ahora)",
        request=s.IncidentActionBodySerializer,
        responses={200: s.IncidentDetailSerializer, 400: _400, 403: _403, 404: _404, 409: _409},
        tags=TAGS,
    )
    def post(self, request: Request, code: str) -> Response:
        _gate(request.user)
        incident = get_incident_for_user(request.user, code)
        body = validated_body(s.IncidentActionBodySerializer, request)
        actions.do_add_incident_action(
            incident,
            actor=request.user,
            phase=body["phase"],
            description=body["description"],
            performed_at=body["performed_at"] or None,
        )
        return Response(_detail(incident))


class IncidentClassifyView(APIView):
    @extend_schema(
        operation_id="incidents_classify",
        summary="Clasificar: categoría, severidad y prioridad (y activos y servicios afectados)",
        request=s.IncidentClassifyBodySerializer,
        responses={200: s.IncidentDetailSerializer, 400: _400, 403: _403, 404: _404, 409: _409},
        tags=TAGS,
    )
    def post(self, request: Request, code: str) -> Response:
        _gate(request.user)
        incident = get_incident_for_user(request.user, code)
        body = validated_body(s.IncidentClassifyBodySerializer, request)
        incident = actions.do_classify_incident(incident, actor=request.user, **body)
        return Response(_detail(incident))


class IncidentCloseView(APIView):
    @extend_schema(
        operation_id="incidents_close",
        summary="Cerrar con la resolución (y lecciones aprendidas, obligatorias en seguridad)",
        request=s.IncidentCloseBodySerializer,
        responses={200: s.IncidentDetailSerializer, 400: _400, 403: _403, 404: _404, 409: _409},
        tags=TAGS,
    )
    def post(self, request: Request, code: str) -> Response:
        _gate(request.user)
        incident = get_incident_for_user(request.user, code)
        body = validated_body(s.IncidentCloseBodySerializer, request)
        incident = actions.do_close_incident(
            incident,
            actor=request.user,
            resolution=body["resolution"],
            lessons_learned=body["lessons_learned"],
            resolved_at=body["resolved_at"] or None,
        )
        return Response(_detail(incident))
