"""HTML pages of the HR integration (under ``/recursos-humanos/``): parse, call, render.

Alerts received, PST backups and AD deletions, reconciliations of the DGRRHH list (upload,
differences, attention) and the informe de eliminación de cuentas, each with its XLSX export.
A wrong role gets 403, an unknown object 404, anonymous users the login page.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mapro.audit.selectors import history_of
from mapro.core.exceptions import InvalidInput, InvalidTransition
from mapro.core.xlsx import xlsx_response
from mapro.organization.permissions import has_role

from . import actions, selectors
from .access import DIFFERENCE_ATTEND_ROLES, RECONCILIATION_UPLOAD_ROLES
from .filtersets import LeaverEventFilterSet
from .forms import (
    AttendForm,
    DifferenceFilterForm,
    ReconciliationUploadForm,
    report_period,
)
from .importing import ImportRejected
from .paging import page_of


def _without_page(request: HttpRequest) -> str:
    """The list's filters as a query string, for its export link (all pages)."""
    params = request.GET.copy()
    params.pop("pagina", None)
    return str(params.urlencode())


def _flat(exc: InvalidInput) -> list[str]:
    return [m for msgs in (exc.errors or {}).values() for m in msgs] or [exc.message]


# --- alertas de baja ---------------------------------------------------------------------

LEAVER_HEADERS = [
    "Id del evento",
    "Recibido",
    "DNI",
    "Personal",
    "Unidad",
    "Tipo",
    "Fecha de cese",
    "Registrado por",
    "Expediente",
    "Cuentas deshabilitadas",
]


def _leavers(request: HttpRequest) -> tuple[Any, LeaverEventFilterSet]:
    form = LeaverEventFilterSet(
        request.GET or None, queryset=selectors.leaver_events_for_user(request.user)
    )
    return form.qs, form


@require_GET
@login_required
def leaver_list(request: HttpRequest) -> HttpResponse:
    qs, form = _leavers(request)
    listing = page_of(qs, request.GET)
    return render(
        request,
        "hr/leaver_list.html",
        {
            "events": listing.page.object_list,
            "listing": listing,
            "form": form,
            "query": _without_page(request),
        },
    )


@require_GET
@login_required
def leaver_export(request: HttpRequest) -> HttpResponse:
    qs, _ = _leavers(request)
    rows = (
        [
            e.event_id,
            e.received_at,
            e.dni,
            e.person.full_name,
            e.person.unit.code,
            e.get_kind_display(),
            e.leaving_date,
            e.get_origin_display(),
            e.instance_id,
            "; ".join(e.accounts_disabled or []),
        ]
        for e in qs.iterator()
    )
    return xlsx_response("alertas-de-baja", LEAVER_HEADERS, rows, sheet_title="Alertas de baja")


@require_GET
@login_required
def leaver_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.get_leaver_event_for_user(request.user, pk)
    return render(request, "hr/leaver_detail.html", {"event": event, "history": history_of(event)})


# --- backups PST y eliminaciones del AD --------------------------------------------------

BACKUP_HEADERS = [
    "DNI",
    "Personal",
    "Buzón",
    "Ubicación del PST",
    "Fecha y hora del backup",
    "Tamaño (MB)",
    "Registrado por",
    "Expediente",
    "Cuenta eliminada del AD",
    "Fecha de eliminación física",
]


def _backups(request: HttpRequest) -> Any:
    qs = selectors.backups_for_user(request.user)
    dni = request.GET.get("dni", "").strip()
    return qs.filter(dni=dni) if dni else qs


def _backup_rows(qs: Any) -> list[list[Any]]:
    rows = []
    for backup in qs:
        deletions = list(backup.deletions.all()) or [None]
        for deletion in deletions:
            rows.append(
                [
                    backup.dni,
                    backup.person_name,
                    backup.mailbox,
                    backup.location,
                    backup.backed_up_at,
                    backup.size_mb,
                    backup.recorded_by_name,
                    backup.instance_id,
                    deletion.account_name if deletion else "",
                    deletion.deleted_on if deletion else None,
                ]
            )
    return rows


@require_GET
@login_required
def backup_list(request: HttpRequest) -> HttpResponse:
    listing = page_of(_backups(request), request.GET)
    return render(
        request,
        "hr/backup_list.html",
        {
            "backups": listing.page.object_list,
            "listing": listing,
            "dni": request.GET.get("dni", ""),
            "query": _without_page(request),
        },
    )


@require_GET
@login_required
def backup_export(request: HttpRequest) -> HttpResponse:
    rows = _backup_rows(_backups(request))
    return xlsx_response("backups-pst", BACKUP_HEADERS, rows, sheet_title="Backups PST")


# --- conciliaciones ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def reconciliation_list(request: HttpRequest) -> HttpResponse:
    """The reconciliations, newest first, and the upload of a new DGRRHH list."""
    reconciliations = selectors.reconciliations_for_user(request.user)
    may_upload = has_role(request.user, RECONCILIATION_UPLOAD_ROLES)
    form = ReconciliationUploadForm()
    row_errors: list[str] = []
    status = 200
    if request.method == "POST":
        form = ReconciliationUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                created = actions.do_upload_reconciliation(
                    upload,
                    actor=request.user,
                    period=form.cleaned_data["period"],
                    filename=upload.name or "",
                )
            except ImportRejected as exc:
                row_errors = [str(e) for e in exc.row_errors]
                status = 400
            except InvalidInput as exc:
                for name, msgs in (exc.errors or {}).items():
                    target = name if name in form.fields else None
                    for message in msgs:
                        form.add_error(target, message)
                status = 400
            else:
                messages.success(
                    request,
                    f"Listado cargado: {created.rows_count} filas contrastadas con el registro "
                    "de cuentas.",
                )
                return redirect("hr:reconciliation_detail", pk=created.pk)
        else:
            status = 400
    listing = page_of(reconciliations, request.GET)
    return render(
        request,
        "hr/reconciliation_list.html",
        {
            "reconciliations": listing.page.object_list,
            "listing": listing,
            "form": form,
            "may_upload": may_upload,
            "row_errors": row_errors,
        },
        status=status,
    )


def _differences(request: HttpRequest, reconciliation: Any) -> tuple[Any, DifferenceFilterForm]:
    form = DifferenceFilterForm(request.GET or None)
    kind = status = ""
    if form.is_valid():
        kind, status = form.cleaned_data["kind"], form.cleaned_data["status"]
    return selectors.differences_of(reconciliation, kind=kind, status=status), form


@require_GET
@login_required
def reconciliation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reconciliation = selectors.get_reconciliation_for_user(request.user, pk)
    differences, form = _differences(request, reconciliation)
    return render(
        request,
        "hr/reconciliation_detail.html",
        {
            "reconciliation": reconciliation,
            "differences": differences,
            "form": form,
            "attend_form": AttendForm(),
            "may_attend": has_role(request.user, DIFFERENCE_ATTEND_ROLES),
            "history": history_of(reconciliation),
            "query": request.GET.urlencode(),
        },
    )


DIFFERENCE_HEADERS = [
    "Diferencia",
    "DNI",
    "Personal",
    "Línea del listado",
    "Fecha según la DGRRHH",
    "Cuentas",
    "Estado",
    "Atendida por",
    "Atendida",
    "Nota",
]


@require_GET
@login_required
def reconciliation_export(request: HttpRequest, pk: int) -> HttpResponse:
    reconciliation = selectors.get_reconciliation_for_user(request.user, pk)
    differences, _ = _differences(request, reconciliation)
    rows = (
        [
            d.get_kind_display(),
            d.dni,
            d.person_name,
            d.line,
            d.movement_date,
            d.accounts,
            d.get_status_display(),
            d.attended_by_name,
            d.attended_at,
            d.note,
        ]
        for d in differences
    )
    return xlsx_response(
        f"conciliacion-{reconciliation.period}",
        DIFFERENCE_HEADERS,
        rows,
        sheet_title="Diferencias",
    )


@require_POST
@login_required
def difference_attend(request: HttpRequest, pk: int) -> HttpResponse:
    difference = selectors.get_difference_for_user(request.user, pk)
    try:
        note = request.POST.get("note", "")
        actions.do_attend_difference(difference, actor=request.user, note=note)
    except (InvalidInput, InvalidTransition) as exc:
        for message in _flat(exc) if isinstance(exc, InvalidInput) else [exc.message]:
            messages.error(request, f"{difference.person_name}: {message}")
    else:
        messages.success(request, f"Diferencia de {difference.person_name} atendida.")
    return redirect("hr:reconciliation_detail", pk=difference.reconciliation_id)


@require_POST
@login_required
def difference_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Start S04.03.01.02 for a finding of the directory comparison."""
    difference = selectors.get_difference_for_user(request.user, pk)
    try:
        instance = actions.do_start_removal_for_difference(difference, actor=request.user)
    except InvalidTransition as exc:
        messages.error(request, f"{difference.person_name}: {exc.message}")
        return redirect("hr:reconciliation_detail", pk=difference.reconciliation_id)
    messages.success(request, f"Expediente N° {instance.pk} iniciado (S04.03.01.02).")
    return redirect("procedures:instance_detail", instance.pk)


# --- informe de eliminación de cuentas ----------------------------------------------------


def _report(request: HttpRequest) -> tuple[Any, Any, list[Any], dict[str, list[str]]]:
    selectors.check_report_access(request.user)
    today = timezone.localdate()
    try:
        start, end = report_period(request.GET, today=today)
        errors: dict[str, list[str]] = {}
    except InvalidInput as exc:
        start, end = selectors.default_report_period(today)
        errors = exc.errors
    return start, end, selectors.removal_report(start, end), errors


@require_GET
@login_required
def removal_report(request: HttpRequest) -> HttpResponse:
    start, end, rows, errors = _report(request)
    return render(
        request,
        "hr/removal_report.html",
        {
            "start": start,
            "end": end,
            "rows": rows,
            "errors": errors,
            "people": len({r.dni for r in rows}),
        },
        status=400 if errors else 200,
    )


@require_GET
@login_required
def removal_report_export(request: HttpRequest) -> HttpResponse:
    start, end, rows, errors = _report(request)
    if errors:
        return HttpResponse("; ".join(m for v in errors.values() for m in v), status=400)
    return xlsx_response(
        f"informe-eliminacion-cuentas-{start.isoformat()}-{end.isoformat()}",
        selectors.REPORT_HEADERS,
        (selectors.report_cells(r) for r in rows),
        sheet_title="Cuentas eliminadas",
    )
