"""HTML pages of the annual cronogramas: the register (filters, XLSX), one cronograma (its lines,
planned against executed with overdue dates flagged, signing, new version, history, XLSX of its
dates) and the month/year calendar (FullCalendar, fed by ``/api/v1/plans/calendar/``, the same
dates as the iCalendar feed). Views parse, call a selector or an action, and render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from mapro.audit.selectors import history_of
from mapro.core.exceptions import InvalidInput, InvalidTransition
from mapro.core.xlsx import xlsx_response
from mapro.procedures.selectors import instance_urls

from .actions.plans import can_sign_plan, can_write_plans, do_approve_plan, do_new_plan_version
from .choices import PlanStatus
from .filtersets import PlanFilterSet
from .plan_selectors import get_plan_for_user, plan_rows, plan_totals, plans_visible_to
from .selectors import can_read_schedules

LIST_HEADERS = [
    "N°",
    "Procedimiento",
    "Año",
    "Versión",
    "Título",
    "Estado",
    "Firma (rol)",
    "Firmado por",
    "Firmado",
    "Programadas",
    "Ejecutadas",
    "Vencidas",
]
DATE_HEADERS = [
    "Línea",
    "Actividad",
    "Equipo o sistema",
    "Código de inventario",
    "Rol responsable",
    "Fecha programada",
    "Estado",
    "Ejecutado el",
    "Ejecutado por",
    "Evidencia",
]


def _gate(user: Any) -> None:
    if not can_read_schedules(user):
        raise PermissionDenied("Los cronogramas los consulta el personal de la OGTIE.")


def _filtered(request: HttpRequest) -> PlanFilterSet:
    params = {k: v for k, v in request.GET.items() if k in PlanFilterSet.base_filters and v}
    filters = PlanFilterSet(params, queryset=plans_visible_to(request.user))
    filters.is_valid()
    return filters


@require_GET
@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    """The register: every version of every annual cronograma, with its totals."""
    _gate(request.user)
    filters = _filtered(request)
    plans = list(filters.qs) if not filters.errors else []
    rows = [(plan, plan_totals(plan_rows(plan))) for plan in plans[:200]]
    return render(
        request,
        "schedules/plan_list.html",
        {
            "filters": filters,
            "rows": rows,
            "statuses": PlanStatus.choices,
            "query": request.GET.urlencode(),
        },
        status=400 if filters.errors else 200,
    )


@require_GET
@login_required
def plan_export(request: HttpRequest) -> HttpResponse:
    _gate(request.user)
    filters = _filtered(request)
    if filters.errors:
        raise InvalidInput(errors=dict(filters.errors))
    rows = []
    for plan in filters.qs[:2000]:
        totals = plan_totals(plan_rows(plan))
        rows.append(
            [
                plan.pk,
                plan.procedure.code,
                plan.year,
                plan.version,
                plan.title,
                plan.get_status_display(),
                plan.approver_role,
                plan.approved_by_name or None,
                timezone.localtime(plan.approved_at).replace(tzinfo=None)
                if plan.approved_at
                else None,
                totals["planned"],
                totals["executed"],
                totals["overdue"],
            ]
        )
    return xlsx_response("cronogramas-anuales", LIST_HEADERS, rows, sheet_title="Cronogramas")


@require_GET
@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One cronograma: lines, dates (planned against executed, overdue flagged), history."""
    _gate(request.user)
    plan = get_plan_for_user(request.user, pk)
    rows = plan_rows(plan)
    return render(
        request,
        "schedules/plan_detail.html",
        {
            "plan": plan,
            # The number alone for a reader who may not open the signing expediente.
            "instance_url": instance_urls(request.user, [plan.instance_id]).get(
                plan.instance_id or 0
            ),
            "items": list(plan.items.select_related("responsible").order_by("key")),
            "rows": rows,
            "totals": plan_totals(rows),
            "history": history_of(plan),
            "can_sign": plan.status == PlanStatus.DRAFT and can_sign_plan(request.user, plan),
            "can_version": plan.status == PlanStatus.APPROVED
            and can_write_plans(request.user)
            and not hasattr(plan, "next_version"),
        },
    )


@require_GET
@login_required
def plan_dates_export(request: HttpRequest, pk: int) -> HttpResponse:
    """The dates of one cronograma as XLSX (planned against executed)."""
    _gate(request.user)
    plan = get_plan_for_user(request.user, pk)
    rows = [
        [
            r.occurrence.item.key,
            r.occurrence.item.activity,
            r.occurrence.item.target,
            r.occurrence.item.equipment_code or None,
            r.occurrence.item.responsible_role,
            r.occurrence.due_on,
            r.label,
            r.occurrence.executed_on,
            r.occurrence.executed_by_name or None,
            r.occurrence.evidence or None,
        ]
        for r in plan_rows(plan)
    ]
    name = f"cronograma-{plan.procedure.code}-{plan.year}-v{plan.version}"
    return xlsx_response(name, DATE_HEADERS, rows, sheet_title="Formato N° 01")


@require_POST
@login_required
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    _gate(request.user)
    plan = get_plan_for_user(request.user, pk)
    try:
        plan = do_approve_plan(plan, actor=request.user)
    except (InvalidInput, InvalidTransition) as exc:
        problems = [m for ms in exc.errors.values() for m in ms] or [exc.message]
        messages.error(request, " ".join(problems))
        return redirect("schedules:plan_detail", pk=pk)
    messages.success(request, f"Cronograma firmado: {plan.occurrences.count()} fechas programadas.")
    return redirect("schedules:plan_detail", pk=pk)


@require_POST
@login_required
def plan_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    _gate(request.user)
    if not can_write_plans(request.user):
        raise PermissionDenied("Los cronogramas los elabora el personal de la OGTIE.")
    plan = get_plan_for_user(request.user, pk)
    try:
        draft = do_new_plan_version(plan, actor=request.user)
    except InvalidTransition as exc:
        messages.error(request, exc.message)
        return redirect("schedules:plan_detail", pk=pk)
    messages.success(
        request,
        f"Versión {draft.version} en borrador: corríjala y que la firme de nuevo "
        f"quien tiene el rol «{draft.approver_role}».",
    )
    return redirect("schedules:plan_detail", pk=draft.pk)


@require_GET
@login_required
def plan_calendar(request: HttpRequest) -> HttpResponse:
    """The month and year calendar of the team's planned dates (FullCalendar)."""
    _gate(request.user)
    view = "multiMonthYear" if request.GET.get("vista") == "anio" else "dayGridMonth"
    return render(
        request,
        "schedules/plan_calendar.html",
        {
            "initial_view": view,
            "events_url": reverse("schedules-api:plan-calendar"),
            "initial_date": timezone.localdate().isoformat(),
        },
    )
