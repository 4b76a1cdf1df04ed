"""HTML pages of the sector's statistics, under ``/estadistica/`` (access: ``access.py``).

- ``tablero/``: the dashboard of key series (any signed-in user);
- ``mis-envios/``: the representative's page — what is due, the upload, every file's errors
  and the especialista's observations;
- ``gestion/``: the team's page — organs and representatives, datasets, cronograma, files to
  evaluate, documents; ``envios/<id>/``: one file with its errors and the evaluation form;
- ``formatos/<code>/``: a dataset's format, and its template as XLSX or CSV;
- ``documentos/<id>/``: a statistical document with its PDF and XLSX;
- ``datos-abiertos/``: public open data (CSV + Frictionless Data Package).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mapro.core.exceptions import Forbidden, InvalidInput, NotFound
from mapro.organization.permissions import has_role

from . import actions, formats, publishing
from .access import (
    CALENDAR_READERS,
    EVALUATOR_ROLES,
    REPRESENTATIVE_ROLE,
    TEAM_ROLES,
    designated_organizations,
)
from .choices import PublicationStatus, SubmissionStatus
from .models import Dataset, Publication, PublishedTable, StatTable, SubmissionCalendar
from .outputs import chart_png, chart_spec, chart_svg, format_number, table_data
from .selectors import (
    current_designations,
    due_entries_for_representative,
    get_submission_for_user,
    published_publications,
    submissions_for,
)


def _need(request: HttpRequest, roles: Any) -> None:
    if not has_role(request.user, roles):
        raise Forbidden()


def _latest_period() -> str:
    latest = published_publications().order_by("-published_at").first()
    if latest is not None:
        return latest.period
    cal = SubmissionCalendar.objects.order_by("-year").first()
    return str(cal.year) if cal else ""


def _rendered_tables(period: str, only_key: bool) -> list[dict[str, Any]]:
    out = []
    tables = StatTable.objects.select_related("dataset")
    for table in tables.filter(key_series=True) if only_key else tables:
        data = table_data(table, period)
        out.append(
            {
                "table": table,
                "data": data,
                "rows": [
                    (label, [format_number(v) for v in values]) for label, values in data.rows
                ],
                "svg": chart_svg(chart_spec(table, data)) if data.rows else "",
            }
        )
    return out


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    period = (request.GET.get("periodo") or _latest_period()).strip()[:10]
    if period and not period[:4].isdigit():
        raise InvalidInput(errors={"periodo": ["Indique un periodo como 2026 o 2026-S1."]})
    return render(
        request,
        "statistics/dashboard.html",
        {
            "period": period,
            "tables": _rendered_tables(period, only_key=True) if period else [],
            "publications": published_publications()[:10],
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def representative_home(request: HttpRequest) -> HttpResponse:
    _need(request, [REPRESENTATIVE_ROLE])
    result = None
    if request.method == "POST":
        upload = request.FILES.get("archivo")
        if upload is None:
            raise InvalidInput(errors={"archivo": ["Adjunte el archivo (XLSX o CSV)."]})
        result = actions.do_submit(
            dataset=request.POST.get("conjunto", ""),
            organization=request.POST.get("organo", ""),
            period=request.POST.get("periodo", ""),
            content=upload.read(),
            filename=upload.name or "envio",
            actor=request.user,
        )
    return render(
        request,
        "statistics/representative.html",
        {
            "organs": designated_organizations(request.user),
            "entries": due_entries_for_representative(request.user),
            "submissions": submissions_for(request.user)[:50],
            "result": result,
        },
        status=400 if result is not None and result.status == SubmissionStatus.RECHAZADO else 200,
    )


@require_GET
@login_required
def team_home(request: HttpRequest) -> HttpResponse:
    _need(request, TEAM_ROLES)
    return render(
        request,
        "statistics/team.html",
        {
            "designations": current_designations(),
            "datasets": Dataset.objects.all(),
            "calendars": SubmissionCalendar.objects.all(),
            "pending": submissions_for(request.user).filter(status=SubmissionStatus.RECIBIDO),
            "recent": submissions_for(request.user)[:30],
            "publications": Publication.objects.defer("pdf", "xlsx")[:20],
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = get_submission_for_user(request.user, pk)
    if request.method == "POST":
        actions.do_evaluate_submission(
            submission,
            accept=request.POST.get("decision") == "aceptar",
            observations=request.POST.get("observaciones", ""),
            actor=request.user,
        )
        return redirect("statistics:submission_detail", pk=pk)
    return render(
        request,
        "statistics/submission_detail.html",
        {
            "submission": submission,
            "may_evaluate": has_role(request.user, EVALUATOR_ROLES)
            and submission.status == SubmissionStatus.RECIBIDO,
        },
    )


@require_GET
@login_required
def dataset_detail(request: HttpRequest, code: str) -> HttpResponse:
    _need(request, CALENDAR_READERS)
    dataset = get_object_or_404(Dataset, code=code)
    return render(
        request,
        "statistics/dataset_detail.html",
        {
            "dataset": dataset,
            "fields": [formats.describe_field(f) for f in dataset.schema.get("fields", [])],
            "checks": [formats.describe_check(c, dataset) for c in dataset.checks],
            "key": dataset.schema.get("primaryKey") or [],
        },
    )


@require_GET
@login_required
def dataset_template(request: HttpRequest, code: str, ext: str) -> HttpResponse:
    _need(request, CALENDAR_READERS)
    dataset = get_object_or_404(Dataset, code=code)
    if ext not in ("xlsx", "csv"):
        raise NotFound("Formato de plantilla desconocido (xlsx o csv).")
    if ext == "xlsx":
        response = HttpResponse(
            formats.template_xlsx(dataset),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(formats.template_csv(dataset), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="formato-{dataset.code}.{ext}"'
    return response


def _publication_for(request: HttpRequest, pk: int) -> Publication:
    pub = get_object_or_404(Publication.objects.defer("pdf", "xlsx"), pk=pk)
    if pub.status != PublicationStatus.PUBLICADO and not has_role(request.user, TEAM_ROLES):
        raise Forbidden("El documento aún no ha sido difundido.")
    return pub


@require_GET
@login_required
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pub = _publication_for(request, pk)
    return render(
        request,
        "statistics/publication_detail.html",
        {
            "publication": pub,
            "tables": _rendered_tables(pub.period, only_key=False),
        },
    )


@require_GET
@login_required
def publication_file(request: HttpRequest, pk: int, ext: str) -> HttpResponse:
    if ext not in ("pdf", "xlsx"):
        raise NotFound("Formato desconocido (pdf o xlsx).")
    pub = _publication_for(request, pk)
    content = Publication.objects.values_list(ext, flat=True).get(pk=pub.pk)
    if not content:
        raise InvalidInput("El documento aún no se ha consolidado (actividad 27).")
    kinds = {
        "pdf": "application/pdf",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    response = HttpResponse(bytes(content), content_type=kinds[ext])
    response["Content-Disposition"] = f'attachment; filename="{pub.slug}.{ext}"'
    return response


@require_GET
@login_required
def table_png(request: HttpRequest, code: str) -> HttpResponse:
    """A table's chart as the PNG used for print (the same specification as the web's SVG)."""
    table = get_object_or_404(StatTable.objects.select_related("dataset"), code=code)
    period = (request.GET.get("periodo") or _latest_period()).strip()[:10]
    if not period[:4].isdigit():
        raise InvalidInput(errors={"periodo": ["Indique un periodo como 2026 o 2026-S1."]})
    return HttpResponse(
        chart_png(chart_spec(table, table_data(table, period))), content_type="image/png"
    )


# --- open data (public) ---------------------------------------------------------------------


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "statistics/open_data.html",
        {
            "publications": published_publications().prefetch_related("tables"),
        },
    )


def _published(pk: int) -> Publication:
    return get_object_or_404(published_publications(), pk=pk)


@require_GET
def open_data_package(request: HttpRequest, pk: int) -> JsonResponse:
    pub = _published(pk)
    base = request.build_absolute_uri(reverse("statistics:open_data_package", args=[pk]))
    base = base.rsplit("/", 1)[0] + "/"
    return JsonResponse(
        publishing.datapackage(pub, base_url=base),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )


@require_GET
def open_data_csv(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    table = get_object_or_404(PublishedTable, publication=_published(pk), code=code)
    response = HttpResponse(table.csv.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{table.code}.csv"'
    return response


__all__ = ["require_POST"]
