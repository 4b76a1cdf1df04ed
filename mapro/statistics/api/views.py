"""Statistics API v1: datasets and their schema, the cronograma, submissions (upload,
evaluation), designations. Views parse, call an action or a selector, render."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapro.core.api import ListView, check_parameters, error_responses, validated_body
from mapro.core.api.openapi import extend_schema
from mapro.core.exceptions import Forbidden
from mapro.organization.permissions import has_role

from .. import actions
from ..access import (
    APPROVER_ROLES,
    CALENDAR_READERS,
    EVALUATOR_ROLES,
    MANAGER_ROLES,
    TEAM_ROLES,
)
from ..filtersets import SubmissionFilterSet
from ..models import Dataset, Submission, SubmissionCalendar
from ..selectors import current_designations, entries_for, get_submission_for_user, submissions_for
from . import serializers as s

TAGS = ["estadística"]


def _need(user: Any, roles: tuple[str, ...]) -> None:
    if not has_role(user, roles):
        raise Forbidden()


class DatasetListView(APIView):
    @extend_schema(
        operation_id="statistics_datasets_list",
        tags=TAGS,
        summary="Conjuntos de datos y su formato (Table Schema)",
        responses={200: s.DatasetSerializer(many=True), **error_responses(400, 403)},
    )
    def get(self, request: Request) -> Response:
        _need(request.user, CALENDAR_READERS)
        check_parameters(request, set())
        qs = Dataset.objects.filter(is_active=True).order_by("code")
        return Response(s.DatasetSerializer(qs, many=True).data)

    @extend_schema(
        operation_id="statistics_datasets_save",
        tags=TAGS,
        summary="Crear o modificar un formato (Table Schema y controles de consistencia)",
        request=s.DatasetWriteSerializer,
        responses={201: s.DatasetSerializer, **error_responses(400, 403)},
    )
    def post(self, request: Request) -> Response:
        _need(request.user, MANAGER_ROLES)
        body = validated_body(s.DatasetWriteSerializer, request)
        dataset = actions.do_save_dataset(actor=request.user, **body)
        return Response(s.DatasetSerializer(dataset).data, status=201)


class EntryListView(ListView):
    serializer_class = s.EntrySerializer
    queryset = SubmissionCalendar.objects.none()

    def list_queryset(self) -> QuerySet[Any]:
        _need(self.request.user, CALENDAR_READERS)
        return entries_for(self.request.user).order_by("id")

    @extend_schema(
        operation_id="statistics_calendar_list",
        tags=TAGS,
        summary="Envíos programados del cronograma (los de su órgano, si es representante)",
        responses={200: s.EntrySerializer(many=True), **error_responses(400, 403)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class CalendarFormulateView(APIView):
    @extend_schema(
        operation_id="statistics_calendar_formulate",
        tags=TAGS,
        summary="Formular el cronograma de envío de un año",
        request=s.FormulateSerializer,
        responses={201: s.EntrySerializer(many=True), **error_responses(400, 403, 409)},
    )
    def post(self, request: Request) -> Response:
        _need(request.user, MANAGER_ROLES)
        body = validated_body(s.FormulateSerializer, request)
        calendar = actions.do_formulate_calendar(body["year"], actor=request.user)
        return Response(s.EntrySerializer(calendar.entries.all(), many=True).data, status=201)


class CalendarApproveView(APIView):
    @extend_schema(
        operation_id="statistics_calendar_approve",
        tags=TAGS,
        request=None,
        summary="Aprobar el cronograma de envío (Secretaría General)",
        responses={200: None, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request, year: int) -> Response:
        _need(request.user, APPROVER_ROLES)
        calendar = get_object_or_404(SubmissionCalendar, year=year)
        calendar = actions.do_approve_calendar(calendar, actor=request.user)
        return Response({"year": calendar.year, "status": calendar.status})


class SubmissionListView(ListView):
    serializer_class = s.SubmissionSerializer
    filterset_class = SubmissionFilterSet
    queryset = Submission.objects.none()
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def list_queryset(self) -> QuerySet[Submission]:
        _need(self.request.user, CALENDAR_READERS)
        return submissions_for(self.request.user)

    @extend_schema(
        operation_id="statistics_submissions_list",
        tags=TAGS,
        summary="Envíos de información estadística",
        responses={200: s.SubmissionSerializer(many=True), **error_responses(400, 403)},
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="statistics_submissions_create",
        tags=TAGS,
        summary="Remitir el archivo (XLSX o CSV) de un órgano para un periodo",
        description="403 si el periodo no está en el cronograma aprobado o si usted no "
        "es representante designado del órgano. Un archivo con errores responde 400 "
        "con cada error por fila y columna; queda registrado como rechazado y no "
        "cambia los datos consolidados.",
        request={"multipart/form-data": s.SubmitSerializer},
        responses={201: s.SubmissionSerializer, **error_responses(400, 403)},
    )
    def post(self, request: Request) -> Response:
        body = validated_body(s.SubmitSerializer, request)
        upload = body["file"]
        submission = actions.do_submit(
            dataset=body["dataset"],
            organization=body["organization"],
            period=body["period"],
            content=upload.read(),
            filename=upload.name,
            actor=request.user,
        )
        data = s.SubmissionSerializer(submission).data
        if submission.status == "rechazado":
            lines = [_line(e) for e in submission.errors]
            return Response(
                {
                    "detail": f"El archivo tiene {submission.error_count} error(es); no se "
                    "consolidó nada.",
                    "errors": {"file": lines},
                    "submission": data,
                },
                status=400,
            )
        return Response(data, status=201)


def _line(error: dict[str, Any]) -> str:
    where = []
    if error.get("row"):
        where.append(f"Fila {error['row']}")
    if error.get("column"):
        where.append(f"columna «{error['column']}»")
    return f"{', '.join(where)}: {error['message']}" if where else str(error["message"])


class SubmissionDetailView(APIView):
    @extend_schema(
        operation_id="statistics_submissions_retrieve",
        tags=TAGS,
        summary="Un envío, con sus errores u observaciones",
        responses={200: s.SubmissionSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.SubmissionSerializer(get_submission_for_user(request.user, pk)).data)


class SubmissionEvaluateView(APIView):
    @extend_schema(
        operation_id="statistics_submissions_evaluate",
        tags=TAGS,
        summary="Aceptar (consolidar) u observar un envío recibido",
        request=s.EvaluateSerializer,
        responses={200: s.SubmissionSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        _need(request.user, EVALUATOR_ROLES)
        submission = get_submission_for_user(request.user, pk)
        body = validated_body(s.EvaluateSerializer, request)
        submission = actions.do_evaluate_submission(
            submission,
            accept=body["accept"],
            observations=body.get("observations", ""),
            actor=request.user,
        )
        return Response(s.SubmissionSerializer(submission).data)


class DesignationListView(APIView):
    @extend_schema(
        operation_id="statistics_designations_list",
        tags=TAGS,
        summary="Representantes estadísticos designados vigentes",
        responses={200: s.DesignationSerializer(many=True), **error_responses(400, 403)},
    )
    def get(self, request: Request) -> Response:
        _need(request.user, TEAM_ROLES)
        check_parameters(request, set())
        return Response(s.DesignationSerializer(current_designations(), many=True).data)
