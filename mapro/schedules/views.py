"""HTML pages of the cronogramas: register, detail (planned against executed), form, approval,
and the iCalendar feeds. Views parse input, call a selector or an action, and render."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mapro.core.exceptions import InvalidInput, InvalidTransition
from mapro.notifications.rendering import absolute_url
from mapro.organization.models import Role, Unit
from mapro.procedures.selectors import link_instances, published_procedures

from . import feeds
from .actions.cronogramas import (
    can_manage_schedules,
    do_approve_schedule,
    do_create_schedule,
    do_retire_schedule,
    do_update_schedule,
)
from .choices import ScheduleStatus
from .filtersets import ScheduleFilterSet
from .models import CalendarFeedToken, Schedule
from .plan_selectors import calendar_occurrences
from .selectors import (
    can_read_schedules,
    feed_schedules_for,
    get_schedule_for_user,
    plan_summary,
    planned_vs_executed,
    schedules_visible_to,
    year_bounds,
)

FIELDS = ("name", "description", "procedure", "start_key", "unit", "role", "rrule", "dtstart")


def _read_gate(user: Any) -> None:
    if not can_read_schedules(user):
        raise PermissionDenied("Los cronogramas los consulta el personal de la OGTIE.")


def _manage_gate(user: Any) -> None:
    if not can_manage_schedules(user):
        raise PermissionDenied(
            "Los cronogramas los registran y aprueban el Jefe(a) de la OGTIE y los coordinadores."
        )


@require_GET
@login_required
def schedule_list(request: HttpRequest) -> HttpResponse:
    """The register: every cronograma with its status and next occurrence."""
    _read_gate(request.user)
    filters = ScheduleFilterSet(request.GET, queryset=schedules_visible_to(request.user))
    return render(
        request,
        "schedules/schedule_list.html",
        {
            "filters": filters,
            "statuses": ScheduleStatus.choices,
            "schedules": list(filters.qs),
            "can_manage": can_manage_schedules(request.user),
        },
        status=400 if filters.errors else 200,
    )


@require_GET
@login_required
def schedule_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A cronograma: its definition, approval, and planned against executed for a year."""
    _read_gate(request.user)
    schedule = get_schedule_for_user(request.user, pk)
    try:
        year = int(request.GET.get("anio") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), 2100)
    rows = planned_vs_executed(schedule, *year_bounds(year))
    # Every reader but a superuser without a role sees every expediente (an OGTIE role): the
    # others get the number alone (no statement for the former, one for the latter).
    link_instances(request.user, [row.occurrence for row in rows if row.occurrence is not None])
    manage = can_manage_schedules(request.user)
    return render(
        request,
        "schedules/schedule_detail.html",
        {
            "schedule": schedule,
            "rows": rows,
            "summary": plan_summary(rows),
            "year": year,
            "can": {
                "edit": manage and schedule.status != ScheduleStatus.RETIRED,
                "approve": manage and schedule.status == ScheduleStatus.DRAFT,
                "retire": manage and schedule.status != ScheduleStatus.RETIRED,
            },
        },
    )


def _form_values(request: HttpRequest) -> dict[str, str]:
    values = {name: request.POST.get(name, "").replace("\r\n", "\n") for name in FIELDS}
    values["dates"] = request.POST.get("dates", "").replace("\r\n", "\n")
    return values


def _dates(text: str) -> list[str]:
    return [line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()]


def _form_page(
    request: HttpRequest,
    *,
    schedule: Schedule | None,
    values: dict[str, str] | None = None,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    if values is None:
        values = {}
        if schedule is not None:
            local = timezone.localtime(schedule.dtstart)
            values = {
                "name": schedule.name,
                "description": schedule.description,
                "procedure": schedule.procedure.code,
                "start_key": schedule.start_key,
                "unit": schedule.unit.code,
                "role": schedule.role,
                "rrule": schedule.rrule,
                "dtstart": local.strftime("%Y-%m-%dT%H:%M"),
                "dates": "\n".join(d[:16] for d in schedule.dates),
            }
    errors = errors or {}
    procedures = list(published_procedures())
    starts = [
        {"procedure": p.code, "key": s.get("key"), "label": s.get("label")}
        for p in procedures
        if p.current_version is not None
        for s in (p.current_version.ficha.get("starts") or [])
    ]
    return render(
        request,
        "schedules/schedule_form.html",
        {
            "schedule": schedule,
            "values": values,
            "errors": errors,
            "error_list": [m for problems in errors.values() for m in problems],
            "procedures": procedures,
            "starts": starts,
            "units": Unit.objects.filter(is_active=True).order_by("code"),
            "roles": Role.objects.order_by("code"),
        },
        status=status,
    )


def _action_kwargs(values: dict[str, str]) -> dict[str, Any]:
    return {
        "name": values["name"],
        "procedure_code": values["procedure"],
        "start_key": values["start_key"],
        "unit": values["unit"],
        "role": values["role"],
        "rrule": values["rrule"],
        "dtstart": values["dtstart"],
        "dates": _dates(values["dates"]),
        "description": values["description"],
    }


@require_http_methods(["GET", "POST"])
@login_required
def schedule_new(request: HttpRequest) -> HttpResponse:
    """Register a cronograma (a draft until approved)."""
    _manage_gate(request.user)
    if request.method == "GET":
        return _form_page(request, schedule=None)
    values = _form_values(request)
    try:
        schedule = do_create_schedule(actor=request.user, **_action_kwargs(values))
    except InvalidInput as exc:
        return _form_page(request, schedule=None, values=values, errors=exc.errors, status=400)
    messages.success(request, "Cronograma registrado como borrador: falta su aprobación.")
    return redirect("schedules:schedule_detail", pk=schedule.pk)


@require_http_methods(["GET", "POST"])
@login_required
def schedule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a cronograma; changing what or when it starts needs a new approval."""
    _manage_gate(request.user)
    schedule = get_schedule_for_user(request.user, pk)
    if request.method == "GET":
        return _form_page(request, schedule=schedule)
    values = _form_values(request)
    kwargs = _action_kwargs(values)
    try:
        schedule = do_update_schedule(schedule, actor=request.user, **kwargs)
    except InvalidInput as exc:
        return _form_page(request, schedule=schedule, values=values, errors=exc.errors, status=400)
    except InvalidTransition as exc:
        messages.error(request, exc.message)
        return redirect("schedules:schedule_detail", pk=pk)
    if schedule.status == ScheduleStatus.DRAFT:
        messages.success(request, "Cronograma actualizado; queda en borrador hasta su aprobación.")
    else:
        messages.success(request, "Cronograma actualizado.")
    return redirect("schedules:schedule_detail", pk=schedule.pk)


@require_POST
@login_required
def schedule_approve(request: HttpRequest, pk: int) -> HttpResponse:
    _manage_gate(request.user)
    schedule = get_schedule_for_user(request.user, pk)
    try:
        schedule = do_approve_schedule(schedule, actor=request.user)
    except (InvalidInput, InvalidTransition) as exc:
        problems = [m for ms in exc.errors.values() for m in ms] or [exc.message]
        messages.error(request, " ".join(problems))
        return redirect("schedules:schedule_detail", pk=pk)
    when = timezone.localtime(schedule.next_occurrence_at)
    messages.success(request, f"Cronograma aprobado. Próxima ejecución: {when:%d/%m/%Y %H:%M}.")
    return redirect("schedules:schedule_detail", pk=pk)


@require_POST
@login_required
def schedule_retire(request: HttpRequest, pk: int) -> HttpResponse:
    _manage_gate(request.user)
    schedule = get_schedule_for_user(request.user, pk)
    try:
        do_retire_schedule(schedule, request.POST.get("reason", ""), actor=request.user)
    except (InvalidInput, InvalidTransition) as exc:
        problems = [m for ms in exc.errors.values() for m in ms] or [exc.message]
        messages.error(request, " ".join(problems))
        return redirect("schedules:schedule_detail", pk=pk)
    messages.success(request, "Cronograma dado de baja: no iniciará más expedientes.")
    return redirect("schedules:schedule_detail", pk=pk)


# --- iCalendar ---------------------------------------------------------------------------------


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_GET
@login_required
def schedule_ical(request: HttpRequest, pk: int) -> HttpResponse:
    """One cronograma as an ``.ics`` file (session authentication)."""
    _read_gate(request.user)
    schedule = get_schedule_for_user(request.user, pk)
    body = feeds.ical_for([schedule], name=schedule.name, site=request.get_host())
    return _ics(body, f"cronograma-{schedule.pk}.ics")


@require_http_methods(["GET", "POST"])
@login_required
def feed_settings(request: HttpRequest) -> HttpResponse:
    """The user's calendar subscription: create (or replace) the secret address, or revoke it.
    The address is shown once, right after it is created."""
    _read_gate(request.user)
    address = ""
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            feeds.do_revoke_feed_token(actor=request.user)
            messages.success(request, "Se revocó la dirección de suscripción.")
            return redirect("schedules:feed_settings")
        token = feeds.do_create_feed_token(actor=request.user)
        address = absolute_url(reverse("schedules:feed", args=[token]))
        if not address.startswith("http"):
            address = request.build_absolute_uri(reverse("schedules:feed", args=[token]))
    return render(
        request,
        "schedules/feed_settings.html",
        {
            "address": address,
            "subscription": CalendarFeedToken.objects.filter(
                user_id=int(request.user.pk or 0)
            ).first(),
            "schedules": list(feed_schedules_for(request.user)),
        },
    )


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed of a user's team schedules, for calendar clients (secret address)."""
    user = feeds.user_for_feed_token(token)
    if user is None or not can_read_schedules(user):
        raise Http404("Dirección de calendario desconocida o revocada.")
    year = timezone.localdate().year
    dates = calendar_occurrences(user, datetime.date(year - 1, 1, 1), datetime.date(year + 2, 1, 1))
    body = feeds.ical_for(
        feed_schedules_for(user),
        name="Cronogramas de la OGTIE",
        site=request.get_host(),
        occurrences=dates,
    )
    return _ics(body, "cronogramas.ics")
