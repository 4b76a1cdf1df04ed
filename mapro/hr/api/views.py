"""HR integration API v1: parse input, call a selector or an action, render. Nothing else.

The leaver webhook is public (no session, no token, no CSRF): the HMAC signature over the raw
body is its authentication, checked by the action before anything is parsed. The other
endpoints are for OGTIE roles, with the usual token or session.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapro.core.api import (
    ErrorSerializer,
    ListView,
    check_parameters,
    error_response,
    validated_body,
)
from mapro.core.api.openapi import extend_schema
from mapro.core.exceptions import InvalidInput
from mapro.organization.permissions import check_role

from .. import actions, selectors
from ..access import RECONCILIATION_UPLOAD_ROLES
from ..filtersets import LeaverEventFilterSet, ReconciliationFilterSet
from ..models import LeaverEvent, Reconciliation
from ..signing import SIGNATURE_HEADER, TIMESTAMP_HEADER
from . import serializers as s

_400 = error_response(400, "Datos no válidos (por campo).")
_403 = error_response(403, "Su rol no permite esta acción.")
_404 = error_response(404, "No existe.")
_409 = error_response(409, "Ya se hizo (o entra en conflicto).")
TAGS = ["recursos humanos"]


def _field(request: Request, name: str) -> Any:
    """One field of a JSON object or form body ("" when absent or the body is not an object)."""
    data: Any = request.data
    return data.get(name, "") if hasattr(data, "get") else ""


WEBHOOK_DESCRIPTION = f"""
Alerta de baja o cese del sistema de Recursos Humanos (S04.03.01.02, actividades 1 y 5).

**Autenticación**: sin sesión ni token. Cada llamada lleva

- `{TIMESTAMP_HEADER}`: la hora Unix en segundos en que se firmó;
- `{SIGNATURE_HEADER}`: `sha256=` y el HMAC-SHA256, en hexadecimal, con el secreto compartido
  (`HR_WEBHOOK_SECRET`), de `<timestamp>.<cuerpo>` (los bytes exactos del cuerpo enviado).

Se rechaza (401, con el motivo) una firma ausente o que no corresponde, o una marca de tiempo a
más de `HR_WEBHOOK_TOLERANCE_SECONDS` (300) segundos de la hora del servidor; un cuerpo que no es
JSON o un campo no válido (400); un DNI que no es de una persona registrada (422); un id de
evento ya recibido con otro cuerpo (409). Cada rechazo queda en la auditoría
(`leaver_event.refuse`) con su motivo, sin la firma ni el secreto, y no cambia nada más.

**Idempotencia**: el `event_id` se procesa una sola vez. La primera entrega responde 201: inicia
el procedimiento por la forma de inicio del `kind` y deshabilita las cuentas de la persona en el
registro de cuentas. Toda entrega posterior del mismo evento (reintentos o entregas
simultáneas) responde **200 con `"duplicado": true`** y los datos de la primera, sin otro efecto.
"""


class LeaverWebhookView(APIView):
    """``POST /api/v1/hooks/hr/leaver/``: the signed HR leaver alert."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    parser_classes: list[Any] = []  # the action reads the raw body, after the signature

    @extend_schema(
        operation_id="hr_leaver_webhook",
        summary="Alerta de baja o cese del sistema de RR. HH. (webhook firmado)",
        description=WEBHOOK_DESCRIPTION,
        auth=[],
        parameters=[
            OpenApiParameter(
                TIMESTAMP_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description="Hora Unix (segundos) de la firma.",
            ),
            OpenApiParameter(
                SIGNATURE_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description="sha256=<HMAC-SHA256 hexadecimal de «timestamp.cuerpo»>.",
            ),
        ],
        request=s.LeaverAlertSerializer,
        responses={
            201: OpenApiResponse(s.LeaverReceiptSerializer, description="Evento procesado."),
            200: OpenApiResponse(
                s.LeaverReceiptSerializer, description="Evento ya recibido (duplicado: true)."
            ),
            400: _400,
            401: OpenApiResponse(
                ErrorSerializer,
                description="Firma ausente o errónea, o hora vencida.",
            ),
            409: OpenApiResponse(
                ErrorSerializer, description="El id del evento ya llegó con otro cuerpo."
            ),
            422: OpenApiResponse(ErrorSerializer, description="DNI de nadie registrado."),
            503: OpenApiResponse(
                ErrorSerializer, description="Webhook sin secreto o procedimiento sin publicar."
            ),
        },
        examples=[
            OpenApiExample(
                "Baja de cuentas",
                value={
                    "event_id": "RRHH-CESE-2026-0931",
                    "dni": "40125896",
                    "date": "2026-08-31",
                    "kind": "cuentas",
                    "origin": "dipec",
                },
                request_only=True,
            )
        ],
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        receipt = actions.do_receive_leaver_alert(
            request._request.body,  # the exact bytes that were signed
            timestamp=request.headers.get(TIMESTAMP_HEADER),
            signature=request.headers.get(SIGNATURE_HEADER),
        )
        return Response(
            s.receipt_payload(receipt.event, duplicate=receipt.duplicate),
            status=status.HTTP_200_OK if receipt.duplicate else status.HTTP_201_CREATED,
        )


class LeaverEventListView(ListView):
    serializer_class = s.LeaverEventSerializer
    filterset_class = LeaverEventFilterSet
    queryset = LeaverEvent.objects.none()  # the model, for the schema

    def list_queryset(self) -> QuerySet[LeaverEvent]:
        return selectors.leaver_events_for_user(self.request.user)

    @extend_schema(
        operation_id="hr_leaver_events_list",
        summary="Alertas de baja recibidas, de la más reciente a la más antigua (filtro por DNI)",
        responses={200: s.LeaverEventSerializer(many=True), 400: _400, 403: _403},
        tags=TAGS,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class MailboxBackupCreateView(APIView):
    @extend_schema(
        operation_id="hr_mailbox_backups_create",
        summary="Registrar el backup PST del buzón de un personal dado de baja",
        request=s.MailboxBackupBodySerializer,
        responses={201: s.RecordIdSerializer, 400: _400, 403: _403},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        body = validated_body(s.MailboxBackupBodySerializer, request)
        backup = actions.do_record_mailbox_backup(actor=request.user, **_fill_backup(body))
        return Response({"id": backup.pk}, status=status.HTTP_201_CREATED)


def _fill_backup(body: dict[str, Any]) -> dict[str, Any]:
    return {
        "dni": body.get("dni", ""),
        "person_name": body.get("person_name", ""),
        "mailbox": body.get("mailbox", ""),
        "location": body.get("location", ""),
        "backed_up_at": body.get("backed_up_at"),
        "size_mb": body.get("size_mb"),
        "notes": body.get("notes", ""),
    }


class DirectoryDeletionCreateView(APIView):
    @extend_schema(
        operation_id="hr_directory_deletions_create",
        summary="Registrar la eliminación física de una cuenta del AD (exige el backup PST)",
        request=s.DirectoryDeletionBodySerializer,
        responses={201: s.RecordIdSerializer, 400: _400, 403: _403},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        body = validated_body(s.DirectoryDeletionBodySerializer, request)
        deletion = actions.do_record_directory_deletion(
            actor=request.user,
            dni=body.get("dni", ""),
            person_name=body.get("person_name", ""),
            account_name=body.get("account_name", ""),
            deleted_on=body.get("deleted_on"),
            notes=body.get("notes", ""),
        )
        return Response({"id": deletion.pk}, status=status.HTTP_201_CREATED)


class ReconciliationListView(ListView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    serializer_class = s.ReconciliationSerializer
    filterset_class = ReconciliationFilterSet
    queryset = Reconciliation.objects.none()  # the model, for the schema

    def list_queryset(self) -> QuerySet[Reconciliation]:
        return selectors.reconciliations_for_user(self.request.user)

    @extend_schema(
        operation_id="hr_reconciliations_list",
        summary="Conciliaciones de altas y bajas, de la más reciente a la más antigua",
        responses={200: s.ReconciliationSerializer(many=True), 400: _400, 403: _403},
        tags=TAGS,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="hr_reconciliations_create",
        summary="Cargar el listado de altas y bajas de la DGRRHH y contrastarlo",
        description="Todo o nada: si alguna fila tiene errores, 400 con `errors.archivo` "
        "nombrando cada línea y columna, y no se guarda nada.",
        request={"multipart/form-data": s.ReconciliationUploadSerializer},
        responses={201: s.ReconciliationDetailSerializer, 400: _400, 403: _403},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        check_role(request.user, RECONCILIATION_UPLOAD_ROLES)  # the role before the body
        upload = request.FILES.get("file")
        period = str(_field(request, "period"))
        if upload is None:
            errors = {"file": ["Adjunte el listado (CSV o XLSX)."]}
            if not period.strip():
                errors["period"] = ["Indique el semestre como AAAA-I o AAAA-II."]
            raise InvalidInput(errors=errors)
        reconciliation = actions.do_upload_reconciliation(
            upload,
            actor=request.user,
            period=period,
            filename=upload.name or "",
        )
        found = selectors.get_reconciliation_for_user(request.user, reconciliation.pk)
        return Response(
            s.ReconciliationDetailSerializer(found).data, status=status.HTTP_201_CREATED
        )


class ReconciliationDetailView(APIView):
    @extend_schema(
        operation_id="hr_reconciliations_retrieve",
        summary="Una conciliación con sus diferencias",
        responses={200: s.ReconciliationDetailSerializer, 403: _403, 404: _404},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        found = selectors.get_reconciliation_for_user(request.user, pk)
        return Response(s.ReconciliationDetailSerializer(found).data)


class DifferenceAttendView(APIView):
    @extend_schema(
        operation_id="hr_reconciliation_differences_attend",
        summary="Marcar una diferencia como atendida, con una nota",
        request=s.AttendSerializer,
        responses={200: s.DifferenceSerializer, 400: _400, 403: _403, 404: _404, 409: _409},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        difference = selectors.get_difference_for_user(request.user, pk)
        note = str(_field(request, "note"))
        attended = actions.do_attend_difference(difference, actor=request.user, note=note)
        return Response(s.DifferenceSerializer(attended).data)


class RemovalReportView(APIView):
    @extend_schema(
        operation_id="hr_removal_report",
        summary="Informe de eliminación de cuentas: lo eliminado en el periodo",
        parameters=[
            OpenApiParameter("desde", OpenApiTypes.DATE, description="Inicio (incluido)."),
            OpenApiParameter("hasta", OpenApiTypes.DATE, description="Fin (incluido)."),
        ],
        responses={200: OpenApiTypes.OBJECT, 400: _400, 403: _403},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        from ..forms import report_period

        selectors.check_report_access(request.user)
        check_parameters(request, ("desde", "hasta"))
        start, end = report_period(request.query_params, today=timezone.localdate())
        rows = selectors.removal_report(start, end)
        return Response(
            {
                "desde": start,
                "hasta": end,
                "cuentas": [dataclasses.asdict(row) for row in rows],
            }
        )
