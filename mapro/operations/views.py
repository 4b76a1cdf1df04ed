"""HTML pages of the run records: the register with filters, its XLSX export, one record with
its history, evidence and corrective action. Views parse, call a selector or action, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from mapro.audit.selectors import history_of
from mapro.core.exceptions import InvalidInput, InvalidTransition
from mapro.core.paging import paginate
from mapro.core.xlsx import xlsx_response

from . import access
from .actions import do_record_correction
from .evidence import open_stored
from .filtersets import RunFilterSet
from .models import RunRecord
from .selectors import get_run_for_user, runs_visible_to

PAGE_SIZE = 50
EXPORT_LIMIT = 20000
FILTER_KEYS = ("tipo", "resultado", "correccion", "equipo", "desde", "hasta")
EXPORT_HEADERS = [
    "N°",
    "Tipo",
    "Equipo",
    "Nombre del equipo",
    "Sistema",
    "Fecha y hora",
    "Resultado",
    "Tamaño (bytes)",
    "Elementos",
    "Destino",
    "Evidencia",
    "SHA-256 de la evidencia",
    "Corrección",
    "Acción correctiva",
    "Origen",
    "Registrado por",
    "Expediente",
]


def _gate(user: Any) -> None:
    if not access.can_read(user):
        raise PermissionDenied("El registro de ejecuciones lo consulta infraestructura.")


def export_row(run: RunRecord) -> list[Any]:
    return [
        run.pk,
        run.get_kind_display(),
        run.equipment.code,
        run.equipment.name,
        run.system or None,
        timezone.localtime(run.ran_at).replace(tzinfo=None),
        run.get_outcome_display(),
        run.size_bytes,
        run.items,
        run.destination or None,
        run.evidence_name or None,
        run.evidence_sha256 or None,
        run.get_correction_state_display(),
        run.corrective_action or None,
        run.get_source_display(),
        run.recorded_by_name,
        run.instance_id,
    ]


def _filters(request: HttpRequest) -> tuple[RunFilterSet, dict[str, str]]:
    params = {k: request.GET[k] for k in FILTER_KEYS if request.GET.get(k, "") != ""}
    filters = RunFilterSet(params, queryset=runs_visible_to(request.user))
    filters.is_valid()
    return filters, params


@require_GET
@login_required
def run_list(request: HttpRequest) -> HttpResponse:
    """The register, filtered, 50 a page."""
    _gate(request.user)
    filters, params = _filters(request)
    qs = filters.qs if not filters.errors else RunRecord.objects.none()
    page = paginate(request, qs, PAGE_SIZE)
    from urllib.parse import urlencode

    return render(
        request,
        "operations/run_list.html",
        {
            "filters": filters,
            "params": params,
            "rows": list(page.object_list),
            "count": page.paginator.count,
            "page": page,
            "query": urlencode(params),
        },
        status=400 if filters.errors else 200,
    )


@require_GET
@login_required
def run_export(request: HttpRequest) -> HttpResponse:
    """The filtered register as XLSX (the same rows as the list)."""
    _gate(request.user)
    filters, _ = _filters(request)
    if filters.errors:
        raise InvalidInput(errors=dict(filters.errors))
    rows = (export_row(r) for r in filters.qs[:EXPORT_LIMIT])
    return xlsx_response("registro-de-ejecuciones", EXPORT_HEADERS, rows, sheet_title="Ejecuciones")


def _detail_page(
    request: HttpRequest, run: RunRecord, *, errors: Any = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "operations/run_detail.html",
        {
            "run": run,
            "history": history_of(run),
            "can_correct": access.can_record(request.user)
            and run.outcome != "ok"
            and run.correction_state != "done",
            "errors": errors or {},
        },
        status=status,
    )


@require_GET
@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _gate(request.user)
    return _detail_page(request, get_run_for_user(request.user, pk))


@require_GET
@login_required
def run_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    _gate(request.user)
    run = get_run_for_user(request.user, pk)
    if not run.evidence_stored:
        raise Http404("La ejecución no tiene evidencia adjunta.")
    response = HttpResponse(open_stored(run.evidence_stored), content_type=run.evidence_type)
    response["Content-Disposition"] = f'attachment; filename="{run.evidence_name}"'
    return response


@require_POST
@login_required
def run_correct(request: HttpRequest, pk: int) -> HttpResponse:
    if not access.can_record(request.user):
        raise PermissionDenied("Las correcciones las registra infraestructura.")
    run = get_run_for_user(request.user, pk)
    try:
        do_record_correction(
            run, actor=request.user, corrective_action=request.POST.get("corrective_action", "")
        )
    except InvalidInput as exc:
        return _detail_page(request, run, errors=exc.errors, status=400)
    except InvalidTransition as exc:
        messages.error(request, exc.message)
        return redirect("operations:run_detail", pk=pk)
    messages.success(request, "Acción correctiva registrada.")
    return redirect("operations:run_detail", pk=pk)
