"""Annual cronogramas API v1 (``/api/v1/plans/``): parse, call a selector or an action, render.

OGTIE staff read and write drafts; the holder of a plan's ``approver_role`` signs it; a signed
version changes only through a new version (409 otherwise). ``/api/v1/plans/calendar/`` gives
the dates the calendar page shows (the same function as the iCalendar feed).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapro.core.api import ListView, check_parameters, error_responses, validated_body
from mapro.core.api.openapi import extend_schema
from mapro.core.exceptions import Forbidden, InvalidInput, NotFound

from ..actions.plans import (
    check_can_write_plans,
    do_add_plan_item,
    do_approve_plan,
    do_create_plan,
    do_new_plan_version,
    do_record_plan_execution,
    do_update_plan,
)
from ..filtersets import PlanFilterSet
from ..models import Plan, PlanItem, PlanOccurrence
from ..plan_selectors import (
    calendar_event,
    calendar_occurrences,
    get_plan_for_user,
    plan_rows,
    plan_totals,
    plans_visible_to,
)
from ..selectors import can_read_schedules

_ERR = error_responses(400, 403, 404, 409)
TAGS = ["cronogramas anuales"]


def _read_gate(request: Request) -> None:
    if not can_read_schedules(request.user):
        raise Forbidden("Los cronogramas los consulta el personal de la OGTIE.")


@extend_schema_serializer(
    description=(
        "Una línea del plan anual: actividad, objetivo, equipo, inicio, regla de repetición "
        "(RRULE) y responsable."
    )
)
class AnnualPlanItemSerializer(serializers.ModelSerializer):
    responsible = serializers.SerializerMethodField()

    class Meta:
        model = PlanItem
        fields = [
            "key",
            "activity",
            "target",
            "equipment_code",
            "starts_on",
            "rrule",
            "responsible_role",
            "responsible",
            "details",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_responsible(self, obj: PlanItem) -> str | None:
        return obj.responsible.get_username() if obj.responsible else None


@extend_schema_serializer(
    description=(
        "Un plan anual (p. ej. el plan de mantenimiento) de un procedimiento: año, versión, "
        "estado y aprobación."
    )
)
class AnnualPlanSerializer(serializers.ModelSerializer):
    procedure = serializers.CharField(source="procedure.code")

    class Meta:
        model = Plan
        fields = [
            "id",
            "procedure",
            "year",
            "version",
            "title",
            "description",
            "status",
            "approver_role",
            "previous",
            "instance",
            "approved_by_name",
            "approved_at",
        ]


@extend_schema_serializer(
    description=(
        "Una fecha programada del plan anual: actividad, equipo, vencimiento, estado, ejecución y "
        "evidencia."
    )
)
class AnnualPlanDateSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="occurrence.pk")
    item = serializers.IntegerField(source="occurrence.item.key")
    activity = serializers.CharField(source="occurrence.item.activity")
    target = serializers.CharField(source="occurrence.item.target")
    equipment_code = serializers.CharField(source="occurrence.item.equipment_code")
    due_on = serializers.DateField(source="occurrence.due_on")
    state = serializers.ChoiceField(
        choices=["pending", "overdue", "done", "cancelled"],
        help_text="overdue: programado y vencido sin ejecución registrada.",
    )
    executed_on = serializers.DateField(source="occurrence.executed_on", allow_null=True)
    evidence = serializers.CharField(source="occurrence.evidence")


@extend_schema_serializer(
    description="Un plan anual con sus líneas, sus totales por estado y sus fechas programadas."
)
class AnnualPlanDetailSerializer(AnnualPlanSerializer):
    items = AnnualPlanItemSerializer(many=True, read_only=True)
    totals = serializers.SerializerMethodField()
    occurrences = serializers.SerializerMethodField()

    class Meta(AnnualPlanSerializer.Meta):
        fields = [*AnnualPlanSerializer.Meta.fields, "items", "totals", "occurrences"]

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "integer"}})
    def get_totals(self, obj: Plan) -> dict[str, int]:
        return plan_totals(self.context["rows"])

    @extend_schema_field(AnnualPlanDateSerializer(many=True))
    def get_occurrences(self, obj: Plan) -> list[dict[str, Any]]:
        return list(AnnualPlanDateSerializer(self.context["rows"], many=True).data)


@extend_schema_serializer(
    description="Una línea del plan anual tal como se envía al registrarlo o cambiarlo."
)
class AnnualPlanItemWriteSerializer(serializers.Serializer):
    key = serializers.IntegerField(required=False, min_value=1)
    activity = serializers.CharField(required=False, allow_blank=True)
    target = serializers.CharField(required=False, allow_blank=True)
    equipment_code = serializers.CharField(required=False, allow_blank=True)
    starts_on = serializers.CharField(required=False, allow_blank=True, help_text="aaaa-mm-dd")
    rrule = serializers.CharField(required=False, allow_blank=True)
    responsible_role = serializers.CharField(required=False, allow_blank=True)
    responsible = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    details = serializers.JSONField(required=False)


@extend_schema_serializer(
    description="Registro o cambio de un plan anual en borrador, con sus líneas."
)
class AnnualPlanWriteSerializer(serializers.Serializer):
    procedure = serializers.CharField(required=False, allow_blank=True)
    year = serializers.IntegerField(required=False)
    title = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)
    approver_role = serializers.CharField(required=False, allow_blank=True)
    items = serializers.ListField(child=serializers.DictField(), required=False)


@extend_schema_serializer(
    description="La ejecución de una fecha del plan anual: cuándo se hizo y su evidencia."
)
class AnnualPlanExecuteSerializer(serializers.Serializer):
    executed_on = serializers.DateField()
    evidence = serializers.CharField(required=False, allow_blank=True, max_length=200)


def detail(plan: Plan) -> dict[str, Any]:
    plan = Plan.objects.select_related("procedure").get(pk=plan.pk)
    return dict(AnnualPlanDetailSerializer(plan, context={"rows": plan_rows(plan)}).data)


class PlanListView(ListView):
    serializer_class = AnnualPlanSerializer
    filterset_class = PlanFilterSet
    queryset = Plan.objects.none()

    def list_queryset(self) -> QuerySet[Plan]:
        _read_gate(self.request)
        return plans_visible_to(self.request.user)

    @extend_schema(
        operation_id="plans_list",
        summary="Registro de cronogramas anuales",
        responses={200: AnnualPlanSerializer(many=True), 400: _ERR[400], 403: _ERR[403]},
        tags=TAGS,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="plans_create",
        summary="Elaborar un cronograma anual (borrador, con sus líneas)",
        request=AnnualPlanWriteSerializer,
        responses={201: AnnualPlanDetailSerializer, 400: _ERR[400], 403: _ERR[403]},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        check_can_write_plans(request.user)
        body = validated_body(AnnualPlanWriteSerializer, request)
        plan = do_create_plan(
            actor=request.user,
            procedure_code=body.get("procedure", ""),
            year=body.get("year", 0),
            title=body.get("title", ""),
            approver_role=body.get("approver_role") or "coord-infraestructura",
            description=body.get("description", ""),
            items=body.get("items", []),
        )
        return Response(detail(plan), status=status.HTTP_201_CREATED)


class PlanDetailView(APIView):
    @extend_schema(
        operation_id="plans_retrieve",
        summary="Un cronograma anual: líneas, programado frente a ejecutado, vencidos",
        responses={200: AnnualPlanDetailSerializer, 403: _ERR[403], 404: _ERR[404]},
        tags=TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        _read_gate(request)
        return Response(detail(get_plan_for_user(request.user, pk)))

    @extend_schema(
        operation_id="plans_partial_update",
        summary="Corregir un borrador (título, descripción, líneas); firmado: 409",
        request=AnnualPlanWriteSerializer,
        responses={200: AnnualPlanDetailSerializer, **_ERR},
        tags=TAGS,
    )
    def patch(self, request: Request, pk: int) -> Response:
        check_can_write_plans(request.user)
        plan = get_plan_for_user(request.user, pk)
        body = validated_body(AnnualPlanWriteSerializer, request)
        fixed = sorted({"procedure", "year", "approver_role"} & set(body))
        if fixed:
            raise InvalidInput(
                errors={f: ["No se cambia en un cronograma; elabore otro."] for f in fixed}
            )
        plan = do_update_plan(plan, actor=request.user, **body)
        return Response(detail(plan))


class PlanItemsView(APIView):
    @extend_schema(
        operation_id="plans_items_create",
        summary="Agregar una línea a un borrador",
        request=AnnualPlanItemWriteSerializer,
        responses={201: AnnualPlanDetailSerializer, **_ERR},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        check_can_write_plans(request.user)
        plan = get_plan_for_user(request.user, pk)
        body = validated_body(AnnualPlanItemWriteSerializer, request)
        body.pop("key", None)
        do_add_plan_item(plan, actor=request.user, **body)
        return Response(detail(plan), status=status.HTTP_201_CREATED)


class PlanApproveView(APIView):
    @extend_schema(
        operation_id="plans_approve",
        summary="Firmar un cronograma (el rol que firma; crea sus fechas programadas)",
        request=None,
        responses={200: AnnualPlanDetailSerializer, **_ERR},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        _read_gate(request)
        plan = do_approve_plan(get_plan_for_user(request.user, pk), actor=request.user)
        return Response(detail(plan))


class PlanNewVersionView(APIView):
    @extend_schema(
        operation_id="plans_new_version",
        summary="Nueva versión (borrador) de un cronograma firmado",
        request=None,
        responses={201: AnnualPlanDetailSerializer, **_ERR},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        check_can_write_plans(request.user)
        draft = do_new_plan_version(get_plan_for_user(request.user, pk), actor=request.user)
        return Response(detail(draft), status=status.HTTP_201_CREATED)


class OccurrenceExecuteView(APIView):
    @extend_schema(
        operation_id="plans_occurrence_execute",
        summary="Registrar la ejecución de una fecha programada",
        request=AnnualPlanExecuteSerializer,
        responses={200: AnnualPlanDetailSerializer, **_ERR},
        tags=TAGS,
    )
    def post(self, request: Request, pk: int) -> Response:
        check_can_write_plans(request.user)
        _read_gate(request)
        occ = PlanOccurrence.objects.filter(pk=pk).select_related("plan").first()
        if occ is None:
            raise NotFound("No existe esa fecha programada.")
        body = validated_body(AnnualPlanExecuteSerializer, request)
        do_record_plan_execution(
            occ,
            actor=request.user,
            executed_on=body["executed_on"],
            evidence=body.get("evidence", ""),
        )
        return Response(detail(occ.plan))


def _day_param(request: Request, name: str) -> datetime.date:
    raw = request.query_params.get(name, "")
    try:
        return datetime.date.fromisoformat(raw[:10])
    except ValueError:
        raise InvalidInput(errors={name: ["Indique una fecha aaaa-mm-dd."]}) from None


def calendar_range(request: Request) -> tuple[datetime.date, datetime.date]:
    check_parameters(request, {"start", "end", "timeZone"})
    if "start" not in request.query_params and "end" not in request.query_params:
        first = timezone.localdate().replace(day=1)
        return first, (first + datetime.timedelta(days=32)).replace(day=1)
    days, errors = {}, {}
    for name in ("start", "end"):
        try:
            days[name] = _day_param(request, name)
        except InvalidInput as exc:
            errors.update(exc.errors)
    if errors:
        raise InvalidInput(errors=errors)
    start, end = days["start"], days["end"]
    if end <= start or (end - start).days > 400:
        raise InvalidInput(errors={"end": ["El rango va de start a end, hasta 400 días."]})
    return start, end


@extend_schema_serializer(
    description=(
        "Los datos propios de una fecha del calendario: procedimiento, estado y rol responsable."
    )
)
class CalendarEventPropsSerializer(serializers.Serializer):
    procedure = serializers.CharField(help_text="Código del procedimiento del cronograma.")
    state = serializers.CharField(help_text="pending, done, overdue o cancelled.")
    state_label = serializers.CharField()
    role = serializers.CharField(allow_null=True, allow_blank=True)


@extend_schema_serializer(description="Una fecha programada como evento de FullCalendar.")
class CalendarEventSerializer(serializers.Serializer):
    """One planned date as a FullCalendar event object."""

    id = serializers.CharField()
    title = serializers.CharField()
    start = serializers.DateField()
    allDay = serializers.BooleanField()
    url = serializers.CharField()
    classNames = serializers.ListField(child=serializers.CharField())
    extendedProps = CalendarEventPropsSerializer()


class PlanCalendarView(APIView):
    @extend_schema(
        operation_id="plans_calendar",
        summary="Fechas programadas de los cronogramas vigentes de su equipo, para un calendario",
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, description="Por defecto, este mes."),
            OpenApiParameter("end", OpenApiTypes.DATE, description="Excluida."),
            OpenApiParameter("timeZone", str, description="La envía FullCalendar; se ignora."),
        ],
        responses={200: CalendarEventSerializer(many=True), 400: _ERR[400], 403: _ERR[403]},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        _read_gate(request)
        start, end = calendar_range(request)
        today = timezone.localdate()
        return Response(
            [calendar_event(o, today) for o in calendar_occurrences(request.user, start, end)]
        )
