"""The satisfaction survey report: by team and month, on a page and as XLSX."""

from __future__ import annotations

import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mapro.core.exceptions import InvalidInput
from mapro.core.xlsx import xlsx_response

from ..actions.surveys import report_month, survey_report

HEADERS = ["Mes", "Equipo", "Nombre del equipo", "Respuestas", "Promedio (1-5)", "% satisfechos"]


@require_GET
@login_required
def survey_report_page(request: HttpRequest) -> HttpResponse:
    """Answers, average and share satisfied per team and month (``?desde=AAAA-MM&hasta=``);
    ``?formato=xlsx`` downloads it."""
    errors: dict[str, list[str]] = {}
    bounds: dict[str, datetime.date | None] = {}
    for field in ("desde", "hasta"):
        try:
            bounds[field] = report_month(request.GET.get(field), field)
        except InvalidInput as exc:
            errors.update(exc.errors)
            bounds[field] = None
    rows = survey_report(request.user, since=bounds["desde"], until=bounds["hasta"])
    if request.GET.get("formato") == "xlsx" and not errors:
        return xlsx_response(
            "encuestas-satisfaccion",
            HEADERS,
            (
                [
                    r.month.strftime("%Y-%m"),
                    r.team_code,
                    r.team_name,
                    r.answers,
                    r.average,
                    r.satisfied_pct,
                ]
                for r in rows
            ),
            sheet_title="Encuestas",
        )
    return render(
        request,
        "helpdesk/surveys/report.html",
        {
            "rows": rows,
            "errors": errors,
            "desde": request.GET.get("desde", ""),
            "hasta": request.GET.get("hasta", ""),
        },
        status=400 if errors else 200,
    )
