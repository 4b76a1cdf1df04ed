"""HTML pages of the catalogue of information systems (under ``/sistemas/``): the lists with
their filters and XLSX export, each entry's page with its history, the system's timeline from
requirement to production, and the upload of a quality report.

Views parse, call a selector or an action and render; access is in ``selectors``/``access``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from mapro.audit.selectors import history_of
from mapro.core.exceptions import Conflict, InvalidInput
from mapro.core.registers import Register, export_view, list_view, page_view
from mapro.organization.permissions import check_role, has_role
from mapro.procedures.selectors import instance_urls

from . import access, actions, selectors
from .choices import QualityTool
from .filtersets import ChangeFilterSet, ReleaseFilterSet, ReportFilterSet, SystemFilterSet

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


def _can_upload(request: HttpRequest) -> dict[str, Any]:
    return {"can_upload": has_role(request.user, access.REPORT_UPLOADERS)}


TEMPLATE = "systems/register_list.html"
system_list = list_view(REGISTERS["system"], "systems", template=TEMPLATE)
release_list = list_view(REGISTERS["release"], "systems", template=TEMPLATE)
change_list = list_view(REGISTERS["change"], "systems", template=TEMPLATE)
report_list = list_view(
    REGISTERS["report"], "systems", template=TEMPLATE, extra_context=_can_upload
)
system_export, release_export = export_view(REGISTERS["system"]), export_view(REGISTERS["release"])
change_export, report_export = export_view(REGISTERS["change"]), export_view(REGISTERS["report"])


@page_view
def system_detail(request: HttpRequest, pk: int) -> HttpResponse:
    system = selectors.get_system_for_user(request.user, pk)
    ogtie = has_role(request.user, access.READERS)
    timeline = selectors.timeline(system)
    # The owner unit's director reads the system, not every expediente behind it: one the
    # viewer may not open is named by its number alone (one statement for the page).
    urls = instance_urls(
        request.user, [system.git_access_instance_id, *(e.instance_id for e in timeline)]
    )
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
            "timeline": [(e, urls.get(e.instance_id or 0)) for e in timeline],
            "git_access_url": urls.get(system.git_access_instance_id or 0),
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
        {
            "release": release,
            "instance_url": instance_urls(request.user, [release.instance_id]).get(
                release.instance_id or 0
            ),
            "history": history_of(release),
        },
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
