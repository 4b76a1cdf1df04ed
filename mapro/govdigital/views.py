"""HTML pages of the digital-government registers, under ``/gobierno-digital/``: the PGDs and
their portfolio (a project's progress across periods on its page, a period compared with the
previous one), the CGD's sessions, and the risk matrix SGSI-FOR-003 with its heat map. Lists
share their filters with the API and export them to XLSX. Views parse, call selectors, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from mapro.audit.selectors import history_of
from mapro.core.exceptions import InvalidInput
from mapro.core.xlsx import xlsx_response
from mapro.procedures.selectors import instance_urls

from . import access, selectors
from .actions import risks as risk_actions
from .choices import SCALE_MAX, SCALE_MIN, Treatment
from .filtersets import PlanFilterSet, ProjectFilterSet, RiskFilterSet, SessionFilterSet

PAGE_SIZE = 50


def _gate(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _plans(user: Any) -> None:
    _gate(access.can_view_plans(user), "El PGD es para el equipo de gobierno digital y el CGD.")


def _sessions(user: Any) -> None:
    _gate(
        access.can_view_sessions(user), "Las sesiones del CGD son para el comité y su secretaría."
    )


def _risks(user: Any) -> None:
    _gate(access.can_view_risks(user), "La matriz de riesgos es para los responsables del SGSI.")


def _listing(request: HttpRequest, filters: Any) -> dict[str, Any]:
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return {"filters": filters, "page": page, "query": query.urlencode()}


def _params(request: HttpRequest, filterset: Any) -> dict[str, str]:
    return {k: request.GET.get(k, "") for k in filterset.base_filters}


@require_GET
@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    """The PGDs, the vigente one first by period."""
    _plans(request.user)
    filters = PlanFilterSet(_params(request, PlanFilterSet), queryset=selectors.plans())
    return render(request, "govdigital/plan_list.html", _listing(request, filters))


@require_GET
@login_required
def plan_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A PGD: its RM, objectives, schedule, portfolio, follow-up periods, CGD agreements."""
    _plans(request.user)
    plan = selectors.get_plan(code)
    context = {
        "plan": plan,
        # The CGD reads the PGD, not necessarily its formulation's expediente: the number
        # alone when the viewer may not open it.
        "instance_url": instance_urls(request.user, [plan.instance_id]).get(plan.instance_id or 0),
        "projects": plan.projects.select_related("objective").order_by("priority", "code"),
        "periods": plan.periods.order_by("requested_on", "id"),
        "agreements": plan.agreements.select_related("session"),
        "risks": plan.risks.all(),
        "history": history_of(plan),
    }
    return render(request, "govdigital/plan_detail.html", context)


@require_GET
@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    _plans(request.user)
    filters = ProjectFilterSet(_params(request, ProjectFilterSet), queryset=selectors.projects())
    return render(request, "govdigital/project_list.html", _listing(request, filters))


@require_GET
@login_required
def project_export(request: HttpRequest) -> HttpResponse:
    _plans(request.user)
    filters = ProjectFilterSet(_params(request, ProjectFilterSet), queryset=selectors.projects())
    return xlsx_response(
        "portafolio-pgd",
        selectors.PROJECT_HEADERS,
        selectors.project_rows(filters.qs),
        sheet_title="Portafolio PGD",
    )


@require_GET
@login_required
def project_detail(request: HttpRequest, code: str) -> HttpResponse:
    """A project's ficha and its progress in every follow-up period, with the change from the
    previous period."""
    _plans(request.user)
    project = selectors.get_project(code)
    context = {
        "project": project,
        "indicators": project.indicators.all(),
        "progress": selectors.project_history(project),
        "history": history_of(project),
    }
    return render(request, "govdigital/project_detail.html", context)


@require_GET
@login_required
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A follow-up period: each project's progress compared with the previous period."""
    _plans(request.user)
    period = selectors.get_period(pk)
    context = {
        "period": period,
        "previous": selectors.previous_period(period),
        "rows": selectors.period_comparison(period),
    }
    return render(request, "govdigital/period_detail.html", context)


@require_GET
@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    _sessions(request.user)
    filters = SessionFilterSet(_params(request, SessionFilterSet), queryset=selectors.sessions())
    return render(request, "govdigital/session_list.html", _listing(request, filters))


@require_GET
@login_required
def session_export(request: HttpRequest) -> HttpResponse:
    _sessions(request.user)
    filters = SessionFilterSet(_params(request, SessionFilterSet), queryset=selectors.sessions())
    return xlsx_response(
        "sesiones-cgd",
        selectors.SESSION_HEADERS,
        selectors.session_rows(filters.qs),
        sheet_title="Sesiones CGD",
    )


@require_GET
@login_required
def session_detail(request: HttpRequest, code: str) -> HttpResponse:
    _sessions(request.user)
    session = selectors.get_session(code)
    context = {
        "session": session,
        "attendance": session.attendance.all(),
        "agreements": session.agreements.select_related("plan"),
        "history": history_of(session),
    }
    return render(request, "govdigital/session_detail.html", context)


@require_GET
@login_required
def risk_list(request: HttpRequest) -> HttpResponse:
    """The matrix with its filters and the 5 × 5 heat map of the filtered risks."""
    _risks(request.user)
    filters = RiskFilterSet(_params(request, RiskFilterSet), queryset=selectors.risks())
    residual = request.GET.get("mapa") == "residual"
    context = {
        **_listing(request, filters),
        "heat_map": selectors.heat_map(filters.qs, residual=residual),
        "impacts": selectors.IMPACTS,
        "residual": residual,
        "can_add": access.can_edit_risks(request.user),
    }
    return render(request, "govdigital/risk_list.html", context)


@require_GET
@login_required
def risk_export(request: HttpRequest) -> HttpResponse:
    _risks(request.user)
    filters = RiskFilterSet(_params(request, RiskFilterSet), queryset=selectors.risks())
    return xlsx_response(
        "matriz-riesgos-sgsi-for-003",
        selectors.RISK_HEADERS,
        selectors.risk_rows(filters.qs),
        sheet_title="SGSI-FOR-003",
    )


@require_GET
@login_required
def risk_detail(request: HttpRequest, code: str) -> HttpResponse:
    _risks(request.user)
    risk = selectors.get_risk(code)
    return render(
        request, "govdigital/risk_detail.html", {"risk": risk, "history": history_of(risk)}
    )


RISK_FIELDS = (
    ("asset", "Activo de información *", "text"),
    ("threat", "Amenaza *", "text"),
    ("vulnerability", "Vulnerabilidad *", "text"),
    ("context", "Proceso o etapa", "text"),
    ("likelihood", "Probabilidad (1 muy baja – 5 muy alta) *", "scale"),
    ("impact", "Impacto (1 insignificante – 5 catastrófico) *", "scale"),
    ("treatment", "Tratamiento *", "treatment"),
    ("controls", "Controles / acciones de tratamiento", "textarea"),
    ("residual_likelihood", "Probabilidad residual", "scale"),
    ("residual_impact", "Impacto residual", "scale"),
    ("owner", "Responsable *", "text"),
    ("due_date", "Fecha límite", "date"),
)


@require_http_methods(["GET", "POST"])
@login_required
def risk_new(request: HttpRequest) -> HttpResponse:
    """Register a risk by hand (the procedures register theirs from their steps)."""
    _gate(access.can_edit_risks(request.user), "Su rol no permite registrar riesgos en la matriz.")
    errors: dict[str, list[str]] = {}
    values = {name: request.POST.get(name, "").strip() for name, _, _ in RISK_FIELDS}
    if request.method == "POST":
        try:
            risk = risk_actions.do_record_risk(actor=request.user, data=values)
        except InvalidInput as exc:
            errors = exc.errors or {"general": [exc.message]}
        else:
            messages.success(request, f"Riesgo {risk.code} registrado en la matriz.")
            return redirect("govdigital:risk_detail", code=risk.code)
    fields = [
        {
            "name": name,
            "label": label,
            "kind": kind,
            "value": values[name],
            "errors": errors.get(name, []),
        }
        for name, label, kind in RISK_FIELDS
    ]
    context = {
        "fields": fields,
        "scale": [(n, f"{n}") for n in range(SCALE_MIN, SCALE_MAX + 1)],
        "treatments": Treatment.choices,
        "error_list": [m for msgs in errors.values() for m in msgs],
    }
    return render(request, "govdigital/risk_form.html", context, status=400 if errors else 200)
