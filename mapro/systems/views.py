"""HTML pages of the catalogue of information systems (under ``/sistemas/``): the lists with
their filters and XLSX export, each entry's page with its history, the system's timeline from
requirement to production, and the upload of a quality report.

Views parse, call a selector or an action and render; access is in ``selectors``/``access``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from mapro.audit.selectors import history_of
from mapro.core.exceptions import Conflict, InvalidInput
from mapro.core.xlsx import xlsx_response
from mapro.organization.permissions import check_role, has_role

from . import access, actions, selectors
from .choices import QualityTool
from .filtersets import ChangeFilterSet, ReleaseFilterSet, ReportFilterSet, SystemFilterSet

PAGE_SIZE = 50


def page_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @require_GET
    @login_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, *args, **kwargs)

    return wrapped


@dataclass(frozen=True)
class Register:
    title: str
    slug: str
    filename: str
    queryset: Callable[[Any], QuerySet[Any]]
    filterset: type
    headers: Sequence[str]
    rows: Callable[[Any], Iterator[list[Any]]]
    columns: Sequence[int]
    description: str


REGISTERS = {
    "system": Register(
        "Catálogo de sistemas de información",
        "system",
        "catalogo-de-sistemas",
        selectors.systems_for_user,
        SystemFilterSet,
        selectors.CATALOG_HEADERS,
        selectors.catalog_rows,
        (0, 1, 2, 4, 5, 7),
        "Sistemas de información del MINDEF: unidad propietaria, equipo, estado, ambientes, "
        "repositorio, tecnologías y servidores (S04.02.00.01, S04.02.00.02, S04.02.00.03).",
    ),
    "release": Register(
        "Versiones de los sistemas",
        "release",
        "versiones-de-sistemas",
        selectors.releases_for_user,
        ReleaseFilterSet,
        selectors.RELEASE_HEADERS,
        selectors.release_rows,
        (0, 1, 2, 4, 5, 7, 8),
        "Cada versión puesta en producción: qué cambió, de qué commit, con qué evidencia de "
        "calidad, quién dio la conformidad y quién la desplegó.",
    ),
    "change": Register(
        "Matriz de gestión de cambios de sistemas y aplicaciones",
        "change",
        "matriz-de-gestion-de-cambios",
        selectors.changes_for_user,
        ChangeFilterSet,
        selectors.MATRIX_HEADERS,
        selectors.matrix_rows,
        (0, 1, 2, 3, 4, 6, 7, 10, 11),
        "Formato N° 1 de S04.02.00.03: una fila por cambio a un sistema (desarrollo, "
        "mantenimiento, baja), llenada por los pasos de los procedimientos.",
    ),
    "report": Register(
        "Evidencias de calidad",
        "report",
        "evidencias-de-calidad",
        selectors.reports_for_user,
        ReportFilterSet,
        selectors.REPORT_HEADERS,
        selectors.report_rows,
        (0, 1, 2, 3, 4, 5, 6),
        "Reportes de SonarQube (análisis estático) y OWASP ZAP (escaneo de seguridad) con "
        "sus hallazgos por severidad y la propuesta del umbral del equipo.",
    ),
}


def _query_without(request: HttpRequest, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def list_view(slug: str) -> Callable[..., HttpResponse]:
    register = REGISTERS[slug]

    @page_view
    def view(request: HttpRequest) -> HttpResponse:
        filterset = register.filterset(
            request.GET or None, queryset=register.queryset(request.user)
        )
        page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
        objects = list(page.object_list)
        rows = [
            (obj.pk, [row[i] for i in register.columns])
            for obj, row in zip(objects, register.rows(objects), strict=True)
        ]
        return render(
            request,
            "systems/register_list.html",
            {
                "register": register,
                "filterset": filterset,
                "page": page,
                "headers": [register.headers[i] for i in register.columns],
                "rows": rows,
                "detail_url": f"systems:{slug}_detail",
                "export_url": f"systems:{slug}_export",
                "list_url": f"systems:{slug}_list",
                "filter_query": _query_without(request, "page"),
                "can_upload": slug == "report" and has_role(request.user, access.REPORT_UPLOADERS),
            },
        )

    view.__name__ = f"{slug}_list"
    return view


def export_view(slug: str) -> Callable[..., HttpResponse]:
    register = REGISTERS[slug]

    @page_view
    def view(request: HttpRequest) -> HttpResponse:
        filterset = register.filterset(
            request.GET or None, queryset=register.queryset(request.user)
        )
        if filterset.is_bound and not filterset.is_valid():
            return HttpResponse(
                "Filtros no válidos: " + filterset.errors.as_text(),
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        return xlsx_response(
            register.filename,
            register.headers,
            register.rows(filterset.qs),
            sheet_title=register.title[:31],
        )

    view.__name__ = f"{slug}_export"
    return view


system_list, system_export = list_view("system"), export_view("system")
release_list, release_export = list_view("release"), export_view("release")
change_list, change_export = list_view("change"), export_view("change")
report_list, report_export = list_view("report"), export_view("report")


@page_view
def system_detail(request: HttpRequest, pk: int) -> HttpResponse:
    system = selectors.get_system_for_user(request.user, pk)
    ogtie = has_role(request.user, access.READERS)
    return render(
        request,
        "systems/system_detail.html",
        {
            "system": system,
            "environments": list(system.environments.all()),
            "releases": list(system.releases.prefetch_related("closes").order_by("-created_at")),
            "changes": list(system.changes.order_by("-number")) if ogtie else [],
            "reviews": list(system.reviews.select_related("sonar_report", "zap_report"))
            if ogtie
            else [],
            "timeline": selectors.timeline(system),
            "ogtie": ogtie,
            "history": history_of(system),
        },
    )


@page_view
def release_detail(request: HttpRequest, pk: int) -> HttpResponse:
    release = selectors.get_release_for_user(request.user, pk)
    return render(
        request,
        "systems/release_detail.html",
        {"release": release, "history": history_of(release)},
    )


@page_view
def change_detail(request: HttpRequest, pk: int) -> HttpResponse:
    change = selectors.get_change_for_user(request.user, pk)
    return render(
        request, "systems/change_detail.html", {"change": change, "history": history_of(change)}
    )


@page_view
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report_for_user(request.user, pk)
    return render(
        request,
        "systems/report_detail.html",
        {
            "report": report,
            "severities": selectors.severity_rows(report),
            "history": history_of(report),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def report_upload(request: HttpRequest) -> HttpResponse:
    """Upload a SonarQube or OWASP ZAP report; the page then shows what the gate proposes,
    to be answered in the task's «¿cumple?»."""
    check_role(request.user, access.REPORT_UPLOADERS)
    systems = selectors.systems_for_user(request.user).exclude(state="dado-de-baja")
    errors: dict[str, list[str]] = {}
    values = {"system": request.GET.get("system", ""), "tool": ""}
    if request.method == "POST":
        values = {"system": request.POST.get("system", ""), "tool": request.POST.get("tool", "")}
        system = systems.filter(code__iexact=values["system"]).first()
        upload = request.FILES.get("file")
        if system is None:
            errors["system"] = ["Elija un sistema del catálogo."]
        if upload is None:
            errors["file"] = ["Adjunte el reporte (JSON)."]
        if not errors:
            try:
                report = actions.do_upload_quality_report(
                    system,  # type: ignore[arg-type]
                    tool=values["tool"],
                    filename=upload.name or "",  # type: ignore[union-attr]
                    raw=upload.read(),  # type: ignore[union-attr]
                    actor=request.user,
                )
            except (InvalidInput, Conflict) as exc:
                errors = getattr(exc, "errors", None) or {"__all__": [str(exc)]}
            else:
                return redirect("systems:report_detail", pk=report.pk)
    return render(
        request,
        "systems/report_upload.html",
        {
            "systems": systems,
            "tools": QualityTool.choices,
            "errors": errors,
            "general_errors": errors.get("__all__", []),
            "values": values,
        },
        status=400 if errors else 200,
    )
