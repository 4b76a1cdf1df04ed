"""Help-desk API v1 views: parse input, call a selector or an action, render. Nothing else.

Every ticket is addressed by its number (``MA-2026-000123``); a ticket the caller may not see
is 404. The list uses the same ``TicketFilterSet`` as the console and keyset pages, with
the list convention of docs/api.md (a JSON array, ``Link: rel="next"``). Transitions are
``POST /tickets/{number}/<action>/`` and answer the ticket.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mapro.core.api import (
    ErrorSerializer,
    ListView,
    check_parameters,
    error_response,
    list_response,
    page_limit,
    validated_body,
)
from mapro.core.api.openapi import extend_schema
from mapro.core.exceptions import Forbidden, InvalidInput
from mapro.organization.models import Person, Unit
from mapro.organization.permissions import has_role

from .. import access, actions
from ..filtersets import TicketFilterSet
from ..models import Category, Ticket
from ..request_forms import requirements_of
from ..selectors import (
    get_attachment_for_user,
    get_ticket_for_user,
    page_of_ticket_rows,
    queue_queryset,
    visible_actions,
    visible_attachments,
)
from ..views.attachments import attachment_response
from . import serializers as s

_400 = error_response(400, "Datos no válidos (por campo).")
_403 = error_response(403, "Su rol no permite esta acción.")
_404 = error_response(404, "No existe o está fuera de su ámbito.")
_409 = OpenApiResponse(
    ErrorSerializer, description="La transición no está permitida en el estado actual."
)
ERRORS = {400: _400, 403: _403, 404: _404, 409: _409}
TAGS = ["mesa de ayuda"]
PARSERS = [JSONParser, MultiPartParser, FormParser]


def ticket_payload(request: Request, ticket: Ticket) -> dict[str, Any]:
    """The ticket as the caller may see it (log and files filtered by visibility)."""
    context = {
        "actions": list(visible_actions(request.user, ticket)),
        "attachments": list(visible_attachments(request.user, ticket).select_related("ticket")),
    }
    return s.TicketDetailSerializer(ticket, context=context).data  # type: ignore[no-any-return]


def _files(request: Request, names: list[str]) -> dict[str, Any]:
    return {name: request.FILES[name] for name in names if name in request.FILES}


class TicketListView(ListView):
    """The queue, paged by its own keyset selector (``page_of_ticket_rows``, newest first)."""

    parser_classes = PARSERS
    serializer_class = s.TicketListSerializer
    filterset_class = TicketFilterSet
    queryset = Ticket.objects.none()  # the model, for the schema

    def list_queryset(self) -> QuerySet[Ticket]:
        return queue_queryset(self.request.user)

    @extend_schema(
        operation_id="tickets_list",
        summary="Tickets visibles para el usuario (cola con filtros), los más recientes primero",
        responses={200: s.TicketListSerializer(many=True), 400: _400},
        tags=TAGS,
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        check_parameters(request, self.known_parameters())
        qs = self.filter_queryset(self.get_queryset())
        # Plain rows rendered by hand (documented by TicketListSerializer above): a page
        # costs about what its query costs, whatever the number of rows.
        page = page_of_ticket_rows(
            qs, cursor=request.query_params.get("cursor") or None, size=page_limit(request)
        )
        return list_response(request, s.ticket_list_rows(page.rows), page.next_cursor)

    @extend_schema(
        operation_id="tickets_create",
        summary="Registrar un ticket",
        description="JSON, o multipart con `data` como texto JSON, cada archivo requerido por la "
        "categoría con el nombre de su campo y otros archivos en `archivos`.",
        request={
            "application/json": s.TicketCreateSerializer,
            "multipart/form-data": s.TicketCreateSerializer,
        },
        responses={201: s.TicketDetailSerializer, 400: _400, 403: _403},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        body = validated_body(s.TicketCreateSerializer, request)
        category: Category = body["category"]
        requester = None
        if body.get("requester") is not None:
            requester = Person.objects.filter(pk=body["requester"]).select_related("unit").first()
            if requester is None:
                raise InvalidInput(errors={"requester": ["No existe esa persona."]})
        file_names = [
            name
            for name, prop in requirements_of(category).get("properties", {}).items()
            if isinstance(prop, dict) and prop.get("format") == "file"
        ]
        ticket = actions.do_create_ticket(
            actor=request.user,
            category=category,
            subject=body["subject"],
            description=body["description"],
            impact=body["impact"],
            urgency=body["urgency"],
            data=body.get("data") or {},
            files=_files(request, file_names),
            extra_files=request.FILES.getlist("archivos"),
            requester=requester,
            channel=body.get("channel"),
        )
        ticket = Ticket.objects.select_related(
            "category", "team", "requester", "requester_unit", "assignee"
        ).get(pk=ticket.pk)
        return Response(ticket_payload(request, ticket), status=status.HTTP_201_CREATED)


class TicketDetailView(APIView):
    @extend_schema(
        operation_id="tickets_retrieve",
        summary="Un ticket con su registro de acciones y adjuntos visibles",
        responses={200: s.TicketDetailSerializer, 404: _404},
        tags=TAGS,
    )
    def get(self, request: Request, number: str) -> Response:
        return Response(ticket_payload(request, get_ticket_for_user(request.user, number)))


def _unit(code: str | None) -> Unit | None:
    if not code:
        return None
    unit = Unit.objects.filter(code__iexact=code).first()
    if unit is None:
        raise InvalidInput(errors={"team": ["No existe una unidad con esa sigla."]})
    return unit


def _user(username: str | None) -> Any:
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise InvalidInput(errors={"assignee": ["No existe un usuario activo con ese nombre."]})
    return user


def _assign(ticket: Ticket, body: dict[str, Any], actor: Any, request: Request) -> Ticket:
    return actions.do_assign_ticket(
        ticket,
        actor=actor,
        team=_unit(body.get("team")),
        assignee=_user(body.get("assignee")),
        note=body.get("note", ""),
    )


def _add_information(ticket: Ticket, body: dict[str, Any], actor: Any, request: Request) -> Ticket:
    props = requirements_of(ticket.category).get("properties", {})
    names = [n for n, p in props.items() if isinstance(p, dict) and p.get("format") == "file"]
    data = body.get("data") or {}
    if not isinstance(data, dict):
        raise InvalidInput(errors={"data": ["Debe ser un objeto JSON."]})
    return actions.do_add_ticket_information(
        ticket,
        actor=actor,
        body=body["body"],
        data=data,
        files=_files(request, names),
        extra_files=request.FILES.getlist("archivos"),
    )


def _comment(ticket: Ticket, body: dict[str, Any], actor: Any, request: Request) -> Ticket:
    actions.do_comment_ticket(ticket, actor=actor, body=body["body"], internal=body["internal"])
    return ticket


def _start(t: Ticket, b: dict[str, Any], a: Any, r: Request) -> Ticket:
    return actions.do_start_ticket(t, actor=a)


def _hold(t: Ticket, b: dict[str, Any], a: Any, r: Request) -> Ticket:
    return actions.do_put_ticket_on_hold(t, actor=a, reason=b["reason"])


def _return(t: Ticket, b: dict[str, Any], a: Any, r: Request) -> Ticket:
    return actions.do_return_ticket(t, actor=a, observations=b["observations"])


def _resolve(t: Ticket, b: dict[str, Any], a: Any, r: Request) -> Ticket:
    return actions.do_resolve_ticket(t, actor=a, solution=b["solution"])


def _confirm(t: Ticket, b: dict[str, Any], a: Any, r: Request) -> Ticket:
    return actions.do_confirm_ticket_solution(t, actor=a, comment=b["comment"])


def _reject(t: Ticket, b: dict[str, Any], a: Any, r: Request) -> Ticket:
    return actions.do_reject_solution(t, actor=a, reason=b["reason"])


def _close(t: Ticket, b: dict[str, Any], a: Any, r: Request) -> Ticket:
    return actions.do_close_ticket(t, actor=a, comment=b["comment"])


def _reopen(t: Ticket, b: dict[str, Any], a: Any, r: Request) -> Ticket:
    return actions.do_reopen_ticket(t, actor=a, reason=b["reason"])


def _reclassify(t: Ticket, b: dict[str, Any], a: Any, r: Request) -> Ticket:
    return actions.do_reclassify_ticket(
        t,
        actor=a,
        impact=b.get("impact"),
        urgency=b.get("urgency"),
        category=b.get("category"),
        reason=b["reason"],
    )


def _survey(t: Ticket, b: dict[str, Any], a: Any, r: Request) -> Ticket:
    actions.do_answer_survey(t, actor=a, rating=b["rating"], comment=b["comment"])
    return t


# action path → (operation summary, request serializer, call(ticket, body, actor, request))
TRANSITIONS: dict[str, tuple[str, type, Callable[..., Ticket]]] = {
    "assign": ("Asignar a un equipo y/o persona", s.AssignSerializer, _assign),
    "start": ("Iniciar (o reanudar) la atención", s.EmptySerializer, _start),
    "hold": ("Poner en espera (con motivo)", s.ReasonSerializer, _hold),
    "return": ("Devolver al solicitante (no cumple requisitos)", s.ObservationsSerializer, _return),
    "add-information": (
        "Añadir información (solicitante)",
        s.AddInformationSerializer,
        _add_information,
    ),
    "comment": ("Comentar o anotar una nota interna", s.CommentSerializer, _comment),
    "resolve": ("Registrar la solución", s.SolutionSerializer, _resolve),
    "confirm": ("Confirmar la solución (solicitante)", s.OptionalCommentSerializer, _confirm),
    "reject": ("Rechazar la solución (solicitante)", s.ReasonSerializer, _reject),
    "close": ("Cerrar", s.OptionalCommentSerializer, _close),
    "reopen": (
        "Reabrir dentro del plazo (si su expediente concluyó: un ticket nuevo vinculado)",
        s.ReasonSerializer,
        _reopen,
    ),
    "survey": ("Calificar la atención (solicitante, una vez)", s.SurveySerializer, _survey),
    "reclassify": (
        "Reclasificar: impacto y urgencia (la prioridad sigue la matriz) y/o categoría",
        s.ReclassifySerializer,
        _reclassify,
    ),
}


class SurveyReportView(APIView):
    @extend_schema(
        operation_id="ticket_surveys_report",
        summary="Encuestas de satisfacción por equipo y mes (mesa de ayuda, Jefe(a))",
        parameters=[
            OpenApiParameter("desde", str, description="Desde el mes AAAA-MM."),
            OpenApiParameter("hasta", str, description="Hasta el mes AAAA-MM."),
        ],
        responses={200: s.SurveyReportRowSerializer(many=True), 400: _400, 403: _403},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        from ..actions.surveys import REPORT_ROLES, report_month

        if not has_role(request.user, REPORT_ROLES):
            raise Forbidden()
        check_parameters(request, {"desde", "hasta"})
        rows = actions.survey_report(
            request.user,
            since=report_month(request.query_params.get("desde"), "desde"),
            until=report_month(request.query_params.get("hasta"), "hasta"),
        )
        return Response(s.SurveyReportRowSerializer(rows, many=True).data)


def transition_view(name: str) -> Any:
    """An APIView for ``POST /tickets/{number}/<name>/`` with its own OpenAPI operation."""
    summary, body_class, call = TRANSITIONS[name]

    class TransitionView(APIView):
        parser_classes = PARSERS

        @extend_schema(
            operation_id=f"tickets_{name.replace('-', '_')}",
            summary=summary,
            request=body_class,
            responses={200: s.TicketDetailSerializer, 400: _400, 403: _403, 404: _404, 409: _409},
            tags=TAGS,
        )
        def post(self, request: Request, number: str) -> Response:
            ticket = get_ticket_for_user(request.user, number)
            body = validated_body(body_class, request)
            ticket = call(ticket, body, request.user, request)
            ticket = Ticket.objects.select_related(
                "category", "team", "requester", "requester_unit", "assignee"
            ).get(pk=ticket.pk)
            return Response(ticket_payload(request, ticket))

    TransitionView.__name__ = f"Ticket{name.title().replace('-', '')}View"
    TransitionView.__qualname__ = TransitionView.__name__
    return TransitionView.as_view()


class BulkAssignView(APIView):
    @extend_schema(
        operation_id="tickets_bulk_assign",
        summary="Asignar varios tickets a la vez (todos o ninguno)",
        request=s.BulkAssignSerializer,
        responses={
            200: s.TicketListSerializer(many=True),
            400: _400,
            403: _403,
            404: _404,
            409: _409,
        },
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        if not has_role(request.user, access.DESK_ROLES | access.COORDINATOR_ROLES):
            raise Forbidden("Solo la mesa de ayuda o un coordinador asignan tickets.")
        body = validated_body(s.BulkAssignSerializer, request)
        tickets = [get_ticket_for_user(request.user, n) for n in dict.fromkeys(body["numbers"])]
        done = actions.do_assign_tickets(
            tickets,
            actor=request.user,
            team=_unit(body.get("team")),
            assignee=_user(body.get("assignee")),
        )
        return Response(s.TicketListSerializer(done, many=True).data)


class TicketAttachmentsView(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="tickets_attachments_list",
        summary="Adjuntos visibles de un ticket",
        responses={200: s.AttachmentSerializer(many=True), 400: _400, 404: _404},
        tags=TAGS,
    )
    def get(self, request: Request, number: str) -> Response:
        check_parameters(request, ())
        ticket = get_ticket_for_user(request.user, number)
        rows = visible_attachments(request.user, ticket).select_related("ticket")
        return Response(s.AttachmentSerializer(rows, many=True).data)

    @extend_schema(
        operation_id="tickets_attachments_create",
        summary="Adjuntar archivos (tipo comprobado por contenido, tamaño limitado)",
        request={"multipart/form-data": s.AttachmentUploadSerializer},
        responses={
            201: s.AttachmentSerializer(many=True),
            400: _400,
            403: _403,
            404: _404,
            409: _409,
        },
        tags=TAGS,
    )
    def post(self, request: Request, number: str) -> Response:
        ticket = get_ticket_for_user(request.user, number)
        body = validated_body(s.AttachmentUploadSerializer, request)
        stored = actions.do_attach_file(
            ticket,
            actor=request.user,
            files=body["archivos"],
            body=body["body"],
            internal=body["internal"],
        )
        for attachment in stored:
            attachment.ticket = ticket
        return Response(
            s.AttachmentSerializer(stored, many=True).data, status=status.HTTP_201_CREATED
        )


class TicketAttachmentDownloadView(APIView):
    @extend_schema(
        operation_id="tickets_attachments_download",
        summary="Descargar un adjunto",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 404: _404},
        tags=TAGS,
    )
    def get(self, request: Request, number: str, pk: int) -> Any:
        return attachment_response(get_attachment_for_user(request.user, number, pk))


class CategoryListView(APIView):
    @extend_schema(
        operation_id="ticket_categories_list",
        summary="Categorías activas con sus requisitos (formulario JSON Schema)",
        responses={200: s.CategorySerializer(many=True), 400: _400},
        tags=TAGS,
    )
    def get(self, request: Request) -> Response:
        check_parameters(request, ())
        rows = Category.objects.filter(is_active=True).select_related("parent", "team")
        return Response(s.CategorySerializer(rows, many=True).data)
