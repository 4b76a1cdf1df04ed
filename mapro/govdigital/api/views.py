"""API v1 of the digital-government registers: parse, call a selector or an action, render.

Every register is role-gated (``access``): a caller without a role of the register gets 403;
objects are addressed by their code. Lists take the same filters as the HTML lists.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapro.core.api import ListView, check_parameters, error_response, validated_body
from mapro.core.api.openapi import extend_schema
from mapro.core.exceptions import Forbidden, InvalidInput

from .. import access, selectors
from ..actions import committee, plans, risks
from ..filtersets import PlanFilterSet, ProjectFilterSet, RiskFilterSet, SessionFilterSet
from ..models import Plan, Project, Risk, Session
from . import serializers as s

_400 = error_response(400, "Datos no válidos (por campo).")
_403 = error_response(403, "Su rol no permite esta acción.")
_404 = error_response(404, "No existe.")
_409 = error_response(409, "No permitido en el estado actual.")
PGD_TAGS = ["gobierno digital"]
CGD_TAGS = ["comité de gobierno digital"]
RISK_TAGS = ["matriz de riesgos"]


def _gate(allowed: bool, message: str) -> None:
    if not allowed:
        raise Forbidden(message)


def _plans_gate(user: Any) -> None:
    _gate(access.can_view_plans(user), "El PGD es para el equipo de gobierno digital y el CGD.")


def _sessions_gate(user: Any) -> None:
    _gate(
        access.can_view_sessions(user), "Las sesiones del CGD son para el comité y su secretaría."
    )


def _risks_gate(user: Any) -> None:
    _gate(access.can_view_risks(user), "La matriz de riesgos es para los responsables del SGSI.")


def _plans(user: Any) -> QuerySet[Plan]:
    _plans_gate(user)
    return selectors.plans()


def _projects(user: Any) -> QuerySet[Project]:
    _plans_gate(user)
    return selectors.projects()


def _sessions(user: Any) -> QuerySet[Session]:
    _sessions_gate(user)
    return selectors.sessions()


def _risks(user: Any) -> QuerySet[Risk]:
    _risks_gate(user)
    return selectors.risks()


# --- PGD --------------------------------------------------------------------------------------


class PlanListView(
    ListView,
    serializer=s.PlanSerializer,
    rows=_plans,
    filterset=PlanFilterSet,
    operation_id="pgd_plans_list",
    summary="Planes de Gobierno Digital",
    tags=PGD_TAGS,
    errors={400: _400, 403: _403},
):
    @extend_schema(
        operation_id="pgd_plans_create",
        summary="Registrar un PGD (con su RM, si ya fue aprobado antes del sistema)",
        request=s.PlanCreateSerializer,
        responses={201: s.PlanDetailSerializer, 400: _400, 403: _403},
        tags=PGD_TAGS,
    )
    def post(self, request: Request) -> Response:
        _gate(access.can_edit_plans(request.user), "Su rol no permite registrar un PGD.")
        body = validated_body(s.PlanCreateSerializer, request)
        plan = plans.do_open_plan(
            actor=request.user,
            start_year=body["start_year"],
            end_year=body["end_year"],
            title=body["title"],
        )
        if body["rm_number"] or body["rm_date"]:
            plan = plans.do_approve_by_rm(
                plan, actor=request.user, rm_number=body["rm_number"], rm_date=body["rm_date"]
            )
        return Response(s.PlanDetailSerializer(plan).data, status=status.HTTP_201_CREATED)


class PlanDetailView(APIView):
    @extend_schema(
        operation_id="pgd_plans_retrieve",
        summary="Un PGD: objetivos, proyectos, periodos, acuerdos",
        responses={200: s.PlanDetailSerializer, 403: _403, 404: _404},
        tags=PGD_TAGS,
    )
    def get(self, request: Request, code: str) -> Response:
        _plans_gate(request.user)
        return Response(s.PlanDetailSerializer(selectors.get_plan(code)).data)


class PlanProjectsView(APIView):
    @extend_schema(
        operation_id="pgd_plans_add_project",
        summary="Añadir un proyecto al portafolio (con sus indicadores y metas)",
        request=s.ProjectCreateSerializer,
        responses={201: s.ProjectDetailSerializer, 400: _400, 403: _403, 404: _404},
        tags=PGD_TAGS,
    )
    def post(self, request: Request, code: str) -> Response:
        _plans_gate(request.user)
        plan = selectors.get_plan(code)
        _gate(access.can_edit_plans(request.user), "Su rol no permite modificar el portafolio.")
        body = validated_body(s.ProjectCreateSerializer, request)
        (project,) = plans.do_add_projects(plan, [body], actor=request.user)
        return Response(s.ProjectDetailSerializer(project).data, status=status.HTTP_201_CREATED)


class ProjectListView(
    ListView,
    serializer=s.ProjectSerializer,
    rows=_projects,
    filterset=ProjectFilterSet,
    operation_id="pgd_projects_list",
    summary="Portafolio de proyectos, con filtros",
    tags=PGD_TAGS,
    errors={400: _400, 403: _403},
):
    pass


class ProjectDetailView(APIView):
    @extend_schema(
        operation_id="pgd_projects_retrieve",
        summary="Un proyecto con su avance en cada periodo (y el cambio respecto del anterior)",
        responses={200: s.ProjectDetailSerializer, 403: _403, 404: _404},
        tags=PGD_TAGS,
    )
    def get(self, request: Request, code: str) -> Response:
        _plans_gate(request.user)
        return Response(s.ProjectDetailSerializer(selectors.get_project(code)).data)


class PeriodDetailView(APIView):
    @extend_schema(
        operation_id="pgd_periods_retrieve",
        summary="Un periodo de seguimiento comparado con el anterior, proyecto por proyecto",
        responses={200: s.PeriodDetailSerializer, 403: _403, 404: _404},
        tags=PGD_TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        _plans_gate(request.user)
        return Response(s.PeriodDetailSerializer(selectors.get_period(pk)).data)


class PeriodProgressView(APIView):
    @extend_schema(
        operation_id="pgd_periods_report_progress",
        summary="Registrar el avance y el estado de un proyecto en el periodo",
        request=s.ProgressBodySerializer,
        responses={200: s.PeriodDetailSerializer, 400: _400, 403: _403, 404: _404},
        tags=PGD_TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        _plans_gate(request.user)
        period = selectors.get_period(pk)
        _gate(access.can_edit_plans(request.user), "Su rol no permite registrar avances a mano.")
        body = validated_body(s.ProgressBodySerializer, request)
        plans.do_report_progress(period, [body], actor=request.user)
        return Response(s.PeriodDetailSerializer(period).data)


# --- CGD --------------------------------------------------------------------------------------


class SessionListView(
    ListView,
    serializer=s.SessionSerializer,
    rows=_sessions,
    filterset=SessionFilterSet,
    operation_id="cgd_sessions_list",
    summary="Sesiones del CGD",
    tags=CGD_TAGS,
    errors={400: _400, 403: _403},
):
    @extend_schema(
        operation_id="cgd_sessions_create",
        summary="Registrar una sesión con sus miembros presentes",
        request=s.SessionCreateSerializer,
        responses={201: s.SessionDetailSerializer, 400: _400, 403: _403},
        tags=CGD_TAGS,
    )
    def post(self, request: Request) -> Response:
        _sessions_gate(request.user)
        body = validated_body(s.SessionCreateSerializer, request)
        session = committee.do_record_session(actor=request.user, **body)
        return Response(s.SessionDetailSerializer(session).data, status=status.HTTP_201_CREATED)


class SessionDetailView(APIView):
    @extend_schema(
        operation_id="cgd_sessions_retrieve",
        summary="Una sesión: asistencia, agenda, acuerdos, acta",
        responses={200: s.SessionDetailSerializer, 403: _403, 404: _404},
        tags=CGD_TAGS,
    )
    def get(self, request: Request, code: str) -> Response:
        _sessions_gate(request.user)
        return Response(s.SessionDetailSerializer(selectors.get_session(code)).data)


class SessionAgreementsView(APIView):
    @extend_schema(
        operation_id="cgd_sessions_add_agreement",
        summary="Registrar un acuerdo con su votación (sin quórum: error en 'present')",
        request=s.AgreementCreateSerializer,
        responses={201: s.SessionDetailSerializer, 400: _400, 403: _403, 404: _404},
        tags=CGD_TAGS,
    )
    def post(self, request: Request, code: str) -> Response:
        _sessions_gate(request.user)
        session = selectors.get_session(code)
        body = validated_body(s.AgreementCreateSerializer, request)
        committee.do_record_agreement(session, actor=request.user, **body)
        return Response(s.SessionDetailSerializer(session).data, status=status.HTTP_201_CREATED)


# --- risks ------------------------------------------------------------------------------------


class RiskListView(
    ListView,
    serializer=s.RiskSerializer,
    rows=_risks,
    filterset=RiskFilterSet,
    operation_id="risks_list",
    summary="Matriz de riesgos (SGSI-FOR-003), con filtros",
    tags=RISK_TAGS,
    errors={400: _400, 403: _403},
):
    @extend_schema(
        operation_id="risks_create",
        summary="Registrar un riesgo (probabilidad e impacto en la escala 1–5 del SGSI)",
        request=s.RiskBodySerializer,
        responses={201: s.RiskSerializer, 400: _400, 403: _403},
        tags=RISK_TAGS,
    )
    def post(self, request: Request) -> Response:
        _risks_gate(request.user)
        body = validated_body(s.RiskBodySerializer, request)
        body.pop("status", None)
        risk = risks.do_record_risk(actor=request.user, data=body)
        return Response(s.RiskSerializer(risk).data, status=status.HTTP_201_CREATED)


class RiskDetailView(APIView):
    @extend_schema(
        operation_id="risks_retrieve",
        summary="Un riesgo de la matriz",
        responses={200: s.RiskSerializer, 403: _403, 404: _404},
        tags=RISK_TAGS,
    )
    def get(self, request: Request, code: str) -> Response:
        _risks_gate(request.user)
        return Response(s.RiskSerializer(selectors.get_risk(code)).data)


class RiskUpdateView(APIView):
    @extend_schema(
        operation_id="risks_update",
        summary="Actualizar el análisis, el tratamiento o el estado de un riesgo",
        request=s.RiskBodySerializer,
        responses={200: s.RiskSerializer, 400: _400, 403: _403, 404: _404, 409: _409},
        tags=RISK_TAGS,
    )
    def post(self, request: Request, code: str) -> Response:
        _risks_gate(request.user)
        risk = selectors.get_risk(code)
        body = validated_body(s.RiskBodySerializer, request)
        new_status = body.pop("status", "") or ""
        risk = risks.do_update_risk(risk, actor=request.user, data=body, status=new_status)
        return Response(s.RiskSerializer(risk).data)


class RiskHeatMapView(APIView):
    @extend_schema(
        operation_id="risks_heat_map",
        summary="Mapa de calor 5 × 5 (inherente; residual con ?residual=true), con filtros",
        responses={200: s.HeatMapSerializer, 400: _400, 403: _403},
        tags=RISK_TAGS,
    )
    def get(self, request: Request) -> Response:
        _risks_gate(request.user)
        check_parameters(request, {*RiskFilterSet.base_filters, "residual"})
        filters = RiskFilterSet(request.query_params, queryset=selectors.risks(), request=request)
        if not filters.is_valid():
            raise InvalidInput(errors=dict(filters.errors))
        residual = request.query_params.get("residual", "") in ("1", "true", "si")
        rows = selectors.heat_map(filters.qs, residual=residual)
        return Response(s.HeatMapSerializer({"residual": residual, "rows": rows}).data)
