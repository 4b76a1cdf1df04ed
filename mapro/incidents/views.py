"""HTML pages of the incident matrix (SGSI-FOR-006): list with filters and XLSX export, the
form to register an incident, its detail (with the history of changes and the forms of the
actions) and its timeline. Views parse, call ``actions``/``selectors``, render; refused
actions come back as Spanish messages (403, 409) or as errors beside the fields (400)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mapro.audit.selectors import history_of
from mapro.core.exceptions import Conflict, InvalidInput
from mapro.core.xlsx import xlsx_response
from mapro.helpdesk.selectors import visible_ticket_urls
from mapro.procedures.selectors import instance_urls

from . import access, actions
from .choices import (
    CATEGORIES_BY_KIND,
    Category,
    DetectionSource,
    Kind,
    Level,
    Origin,
    Phase,
    Status,
)
from .filtersets import IncidentFilterSet
from .models import Incident
from .selectors import (
    EXPORT_HEADERS,
    duration_text,
    export_rows,
    get_incident_for_user,
    incidents_visible_to,
    timeline,
)

PAGE_SIZE = 50
FILTER_KEYS = ("q", "kind", "severity", "status", "desde", "hasta", "unit")


def _gate(user: Any) -> None:
    if not access.can_open_register(user):
        raise PermissionDenied("La matriz de incidentes es para los equipos que los atienden.")


def _filters(request: HttpRequest, user: Any) -> IncidentFilterSet:
    params = {
        k: request.GET.getlist(k) if k == "severity" else request.GET.get(k, "")
        for k in FILTER_KEYS
    }
    return IncidentFilterSet(params, queryset=incidents_visible_to(user))


@require_GET
@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    """The matrix: filters (type, severity, status, dates, unit), pages of 50, export link."""
    _gate(request.user)
    filters = _filters(request, request.user)
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {
        "filters": filters,
        "page": page,
        "rows": [
            {
                "incident": i,
                "contain": duration_text(i.time_to_contain),
                "resolve": duration_text(i.time_to_resolve),
            }
            for i in page.object_list
        ],
        "query": query.urlencode(),
        "can_open": any(access.can_handle_kind(request.user, k) for k in Kind),
    }
    return render(request, "incidents/incident_list.html", context)


@require_GET
@login_required
def incident_export(request: HttpRequest) -> HttpResponse:
    """The filtered list as XLSX (one row per incident, its actions by phase in one cell)."""
    _gate(request.user)
    filters = _filters(request, request.user)
    return xlsx_response(
        "matriz-incidentes-sgsi-for-006",
        EXPORT_HEADERS,
        export_rows(filters.qs),
        sheet_title="SGSI-FOR-006",
    )


def _form_context(user: Any) -> dict[str, Any]:
    return {
        "kinds": [(k, label) for k, label in Kind.choices if access.can_handle_kind(user, k)],
        "origins": Origin.choices,
        "sources": DetectionSource.choices,
        "categories": Category.choices,
        "levels": Level.choices,
        "phases": Phase.choices,
    }


def _post(request: HttpRequest, name: str) -> str:
    return request.POST.get(name, "").replace("\r\n", "\n")


@require_http_methods(["GET", "POST"])
@login_required
def incident_new(request: HttpRequest) -> HttpResponse:
    """Register an incident by hand (the procedures register theirs from their steps)."""
    user = request.user
    if not any(access.can_handle_kind(user, k) for k in Kind):
        raise PermissionDenied("Su rol no permite registrar incidentes.")
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            incident = actions.do_open_incident(
                actor=user,
                kind=_post(request, "kind"),
                title=_post(request, "title"),
                description=_post(request, "description"),
                origin=_post(request, "origin"),
                detection_source=_post(request, "detection_source"),
                detected_at=_post(request, "detected_at") or None,
                reporting_unit=_post(request, "reporting_unit"),
                reported_by=_post(request, "reported_by"),
                category=_post(request, "category"),
                severity=_post(request, "severity"),
                priority=_post(request, "priority"),
                affected_assets=_post(request, "affected_assets"),
                affected_services=_post(request, "affected_services"),
            )
        except InvalidInput as exc:
            errors = exc.errors or {"general": [exc.message]}
        else:
            messages.success(request, f"Incidente {incident.code} registrado en la matriz.")
            return redirect("incidents:incident_detail", code=incident.code)
    context = {
        **_form_context(user),
        "errors": errors,
        "error_list": [m for msgs in errors.values() for m in msgs],
        "values": request.POST if request.method == "POST" else {},
    }
    return render(request, "incidents/incident_form.html", context, status=400 if errors else 200)


def _detail_page(
    request: HttpRequest,
    incident: Incident,
    *,
    status: int = 200,
    form: str = "",
    errors: dict[str, list[str]] | None = None,
    alert: str = "",
) -> HttpResponse:
    handler = access.can_handle_kind(request.user, incident.kind)
    is_open = incident.status == Status.ABIERTO
    context = {
        **_form_context(request.user),
        "incident": incident,
        # Links to the ticket and the expediente only when the viewer may open them (a
        # director sees their unit's incidents, not every ticket or instance): else the number.
        "ticket_url": visible_ticket_urls(request.user, [incident.ticket]).get(
            incident.ticket_id or 0
        ),
        "instance_url": instance_urls(request.user, [incident.instance_id]).get(
            incident.instance_id or 0
        ),
        "phases_timeline": timeline(incident),
        "contain": duration_text(incident.time_to_contain),
        "resolve": duration_text(incident.time_to_resolve),
        "history": history_of(incident),
        "can": {
            "action": handler,
            "classify": handler and is_open,
            "close": handler and is_open,
        },
        "kind_categories": [
            (value, label)
            for value, label in Category.choices
            if value in CATEGORIES_BY_KIND[Kind(incident.kind)]
        ],
        "form": form,
        "errs": {form: errors or {}} if form else {},
        "vals": {form: request.POST} if form else {},
        "error_list": [m for msgs in (errors or {}).values() for m in msgs],
        "alert": alert,
    }
    return render(request, "incidents/incident_detail.html", context, status=status)


@require_GET
@login_required
def incident_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One incident: its data, computed times, phases, history of changes and actions."""
    _gate(request.user)
    return _detail_page(request, get_incident_for_user(request.user, code))


@require_GET
@login_required
def incident_timeline(request: HttpRequest, code: str) -> HttpResponse:
    """The incident's timeline: each phase, in order, with who did what and when."""
    _gate(request.user)
    incident = get_incident_for_user(request.user, code)
    context = {
        "incident": incident,
        "phases_timeline": timeline(incident),
        "contain": duration_text(incident.time_to_contain),
        "resolve": duration_text(incident.time_to_resolve),
    }
    return render(request, "incidents/incident_timeline.html", context)


def _run(
    request: HttpRequest, code: str, form: str, call: Callable[[Incident], Any], done: str
) -> HttpResponse:
    _gate(request.user)
    incident = get_incident_for_user(request.user, code)
    try:
        call(incident)
    except InvalidInput as exc:
        errors = exc.errors or {"general": [exc.message]}
        return _detail_page(request, incident, status=400, form=form, errors=errors)
    except Conflict as exc:
        return _detail_page(request, incident, status=409, alert=exc.message)
    messages.success(request, done)
    return redirect("incidents:incident_detail", code=incident.code)


@require_POST
@login_required
def incident_add_action(request: HttpRequest, code: str) -> HttpResponse:
    """Record an action of a phase (who: the user; when: as declared, else now)."""
    return _run(
        request,
        code,
        "action",
        lambda i: actions.do_add_incident_action(
            i,
            actor=request.user,
            phase=_post(request, "phase"),
            description=_post(request, "description"),
            performed_at=_post(request, "performed_at") or None,
        ),
        "Acción registrada en la línea de tiempo.",
    )


@require_POST
@login_required
def incident_classify(request: HttpRequest, code: str) -> HttpResponse:
    """Set category, severity and priority (and affected assets and services)."""
    return _run(
        request,
        code,
        "classify",
        lambda i: actions.do_classify_incident(
            i,
            actor=request.user,
            category=_post(request, "category"),
            severity=_post(request, "severity"),
            priority=_post(request, "priority"),
            affected_assets=_post(request, "affected_assets"),
            affected_services=_post(request, "affected_services"),
        ),
        "Clasificación registrada.",
    )


@require_POST
@login_required
def incident_close(request: HttpRequest, code: str) -> HttpResponse:
    """Close with the resolution (and lessons learned, required for security incidents)."""
    return _run(
        request,
        code,
        "close",
        lambda i: actions.do_close_incident(
            i,
            actor=request.user,
            resolution=_post(request, "resolution"),
            lessons_learned=_post(request, "lessons_learned"),
            resolved_at=_post(request, "resolved_at") or None,
        ),
        "Incidente cerrado.",
    )
