"""``GET /api/v1/ticket-dashboard/``: the help-desk dashboard as JSON (``dashboard``), for the
same roles and scope as the page."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapro.core.api import check_parameters, error_response
from mapro.core.api.openapi import extend_schema

from ..dashboard import DAYS, build_dashboard


@extend_schema_serializer(
    description="Una línea de un desglose del tablero: código, etiqueta y cuántos tickets."
)
class CountSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field, not Field.label
    count = serializers.IntegerField()


@extend_schema_serializer(
    description=(
        "Los tickets abiertos en cada estado del SLA: a tiempo, en riesgo, vencidos y en pausa."
    )
)
class SlaSerializer(serializers.Serializer):
    a_tiempo = serializers.IntegerField()
    en_riesgo = serializers.IntegerField()
    vencido = serializers.IntegerField()
    en_pausa = serializers.IntegerField()


@extend_schema_serializer(description="Los tickets abiertos de un equipo en cada estado del SLA.")
class TeamSlaSerializer(SlaSerializer):
    team = serializers.CharField(help_text="Sigla del equipo.")
    team_name = serializers.CharField()
    total = serializers.IntegerField()


@extend_schema_serializer(
    description=(
        "Una categoría en el tablero: abiertos, registrados y cerrados en el periodo, y el total."
    )
)
class CategoryCountSerializer(CountSerializer):
    count = serializers.IntegerField(help_text="Abiertos.")
    created = serializers.IntegerField(help_text=f"Registrados en los últimos {DAYS} días.")
    closed = serializers.IntegerField(help_text=f"Cerrados en los últimos {DAYS} días.")
    total = serializers.IntegerField(help_text="Todos los tickets de la categoría.")


@extend_schema_serializer(
    description=(
        "Uno de los tickets abiertos más antiguos, con su antigüedad en días y si está vencido."
    )
)
class OldTicketSerializer(serializers.Serializer):
    number = serializers.CharField()
    subject = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    priority = serializers.CharField()
    team = serializers.CharField(source="team_code")
    category = serializers.CharField(source="category_name")
    created_at = serializers.DateTimeField()
    age_days = serializers.IntegerField()
    overdue = serializers.BooleanField()


@extend_schema_serializer(description="Un día de la tendencia: tickets registrados y cerrados.")
class DaySerializer(serializers.Serializer):
    day = serializers.DateField()
    created = serializers.IntegerField()
    closed = serializers.IntegerField()


@extend_schema_serializer(
    description=(
        "El tablero de la mesa de ayuda (o de un equipo) en este momento: abiertos por estado, "
        "equipo, prioridad, categoría y SLA, los más antiguos y la tendencia diaria."
    )
)
class DashboardSerializer(serializers.Serializer):
    now = serializers.DateTimeField()
    whole_desk = serializers.BooleanField(
        help_text="Verdadero: toda la mesa de ayuda; falso: el equipo del usuario."
    )
    open_total = serializers.IntegerField()
    by_status = CountSerializer(many=True, help_text="Tickets no cerrados por estado.")
    by_team = CountSerializer(many=True, help_text="Abiertos por equipo.")
    by_priority = CountSerializer(many=True, help_text="Abiertos por prioridad.")
    by_category = CategoryCountSerializer(many=True)
    sla = SlaSerializer()
    sla_by_team = TeamSlaSerializer(many=True)
    oldest = OldTicketSerializer(many=True)
    days = DaySerializer(
        many=True, help_text=f"Los últimos {DAYS} días, del más antiguo al de hoy."
    )
    risk_minutes = serializers.IntegerField()


def dashboard_payload(board: Any) -> dict[str, Any]:
    def line(x: Any) -> dict[str, Any]:
        return {"code": x.code, "label": x.label, "count": x.count}

    return {
        "now": board.now,
        "whole_desk": board.whole_desk,
        "open_total": board.open_total,
        "by_status": [line(x) for x in board.by_status],
        "by_team": [line(x) for x in board.by_team],
        "by_priority": [line(x) for x in board.by_priority],
        "by_category": [{**line(x), **x.extra} for x in board.by_category],
        "sla": board.sla,
        "sla_by_team": [
            {"team": x.code, "team_name": x.label, "total": x.count, **x.extra}
            for x in board.sla_by_team
        ],
        "oldest": board.oldest,
        "days": board.days,
        "risk_minutes": board.risk_minutes,
    }


class DashboardView(APIView):
    @extend_schema(
        operation_id="ticket_dashboard",
        summary="Tablero de la mesa de ayuda: abiertos por estado, equipo, prioridad y SLA; "
        f"los más antiguos; registrados y cerrados por día ({DAYS} días); por categoría",
        description="La mesa de ayuda y la Jefatura ven todos los tickets; los equipos de la "
        "OGTIE, los de su equipo y los equipos que dependen de él.",
        responses={
            200: DashboardSerializer,
            400: error_response(400, "Parámetro no reconocido."),
            403: error_response(403, "Su rol no atiende tickets."),
        },
        tags=["mesa de ayuda"],
    )
    def get(self, request: Request) -> Response:
        check_parameters(request, ())
        board = build_dashboard(request.user)
        return Response(DashboardSerializer(dashboard_payload(board)).data)
