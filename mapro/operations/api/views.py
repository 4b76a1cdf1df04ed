"""Run records API v1: parse, call a selector or an action, render.

People with the infrastructure roles read and write; a backup server or script posts its runs
with its own token (``Authorization: Bearer <token>``, docs/registers/operations.md) and may
do nothing else.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapro.core.api import ListView, error_responses, validated_body
from mapro.core.api.openapi import extend_schema
from mapro.core.exceptions import Forbidden, NotFound

from .. import access
from ..actions import do_issue_token, do_record_correction, do_record_run, do_revoke_token
from ..authentication import RunTokenAuthentication
from ..evidence import from_base64, open_stored
from ..filtersets import RunFilterSet
from ..models import RunRecord, RunToken
from ..selectors import get_run_for_user, get_token_for_user, runs_visible_to, tokens_visible_to
from . import serializers as s

_ERR = error_responses(400, 403, 404, 409)
TAGS = ["registro de ejecuciones"]


def _token_of(request: Request) -> RunToken | None:
    return request.auth if isinstance(request.auth, RunToken) else None


def _person_gate(request: Request, check: Any, message: str) -> None:
    if _token_of(request) is not None or not check(request.user):
        raise Forbidden(message)


class RunListView(ListView):
    """``GET``: the register (people). ``POST``: one run, by a person or a script's token."""

    authentication_classes = [RunTokenAuthentication, *APIView.authentication_classes]
    serializer_class = s.RunRecordSerializer
    filterset_class = RunFilterSet
    queryset = RunRecord.objects.none()

    def list_queryset(self) -> QuerySet[RunRecord]:
        _person_gate(self.request, access.can_read, "El registro lo consulta infraestructura.")
        return runs_visible_to(self.request.user)

    @extend_schema(
        operation_id="operations_runs_list",
        summary="Registro de ejecuciones (respaldos, respaldos de configuración, logs)",
        responses={200: s.RunRecordSerializer(many=True), 400: _ERR[400], 403: _ERR[403]},
        tags=TAGS,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="operations_runs_create",
        summary="Registrar una ejecución (persona, o servidor/script con su token Bearer)",
        description=(
            "Un respaldo fallido o parcial abre la ruta de corrección de S04.03.02.01 "
            "(campo `instance`). Un reenvío con el mismo `external_id` y token devuelve el "
            "registro ya creado (200)."
        ),
        request=s.RunRecordWriteSerializer,
        responses={201: s.RunRecordSerializer, 200: s.RunRecordSerializer, **_ERR},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        token = _token_of(request)
        if token is None and not access.can_record(request.user):
            raise Forbidden("Las ejecuciones las registra el personal de infraestructura.")
        body = validated_body(s.RunRecordWriteSerializer, request)
        evidence = from_base64(body.pop("evidence")) if "evidence" in body else None
        before = RunRecord.objects.order_by("-id").values_list("id", flat=True).first() or 0
        run = do_record_run(
            actor=None if token is not None else request.user,
            token=token,
            evidence=evidence,
            **body,
        )
        created = run.pk > before
        return Response(
            s.RunRecordSerializer(run).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class RunDetailView(APIView):
    @extend_schema(
        operation_id="operations_runs_retrieve",
        summary="Un registro de ejecución",
        responses={200: s.RunRecordSerializer, 403: _ERR[403], 404: _ERR[404]},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        _person_gate(request, access.can_read, "El registro lo consulta infraestructura.")
        return Response(s.RunRecordSerializer(get_run_for_user(request.user, pk)).data)


class RunEvidenceView(APIView):
    @extend_schema(
        operation_id="operations_runs_evidence",
        summary="Descargar la evidencia de una ejecución",
        responses={(200, "application/octet-stream"): bytes, 403: _ERR[403], 404: _ERR[404]},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        _person_gate(request, access.can_read, "El registro lo consulta infraestructura.")
        run = get_run_for_user(request.user, pk)
        if not run.evidence_stored:
            raise NotFound("La ejecución no tiene evidencia adjunta.")
        response = HttpResponse(open_stored(run.evidence_stored), content_type=run.evidence_type)
        response["Content-Disposition"] = f'attachment; filename="{run.evidence_name}"'
        response["X-Content-SHA256"] = run.evidence_sha256
        return response


class RunCorrectionView(APIView):
    @extend_schema(
        operation_id="operations_runs_correct",
        summary="Registrar la acción correctiva de una ejecución fallida o parcial",
        request=s.CorrectionSerializer,
        responses={200: s.RunRecordSerializer, **_ERR},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        _person_gate(request, access.can_record, "Las correcciones las registra infraestructura.")
        run = get_run_for_user(request.user, pk)
        body = validated_body(s.CorrectionSerializer, request)
        run = do_record_correction(
            run, actor=request.user, corrective_action=body["corrective_action"]
        )
        return Response(s.RunRecordSerializer(run).data)


class TokenListView(ListView):
    serializer_class = s.RunTokenSerializer
    queryset = RunToken.objects.none()

    def list_queryset(self) -> QuerySet[RunToken]:
        _person_gate(self.request, access.can_manage_tokens, "Solo el coordinador o el Jefe(a).")
        return tokens_visible_to(self.request.user)

    @extend_schema(
        operation_id="operations_tokens_list",
        summary="Tokens de servidores y scripts (sin el secreto)",
        responses={200: s.RunTokenSerializer(many=True), 400: _ERR[400], 403: _ERR[403]},
        tags=TAGS,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="operations_tokens_create",
        summary="Emitir un token (el secreto se muestra solo en esta respuesta)",
        request=s.RunTokenWriteSerializer,
        responses={201: s.RunTokenIssuedSerializer, 400: _ERR[400], 403: _ERR[403]},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        _person_gate(request, access.can_manage_tokens, "Solo el coordinador o el Jefe(a).")
        body = validated_body(s.RunTokenWriteSerializer, request)
        token, raw = do_issue_token(actor=request.user, **body)
        data = dict(s.RunTokenSerializer(token).data)
        data["token"] = raw
        return Response(data, status=status.HTTP_201_CREATED)


class TokenRevokeView(APIView):
    @extend_schema(
        operation_id="operations_tokens_revoke",
        summary="Revocar un token",
        request=None,
        responses={200: s.RunTokenSerializer, **_ERR},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        _person_gate(request, access.can_manage_tokens, "Solo el coordinador o el Jefe(a).")
        token = do_revoke_token(get_token_for_user(request.user, pk), actor=request.user)
        return Response(s.RunTokenSerializer(token).data)
