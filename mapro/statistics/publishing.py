"""The statistical document (anuario, boletín): created, covers approved, assembled as PDF and
XLSX, approved and disseminated as open data (S04.05.00.01 activities 20 to 31).

The PDF is HTML (``statistics/publication_print.html``: cover, inner cover, presentation,
one page per table with its chart as PNG) rendered by WeasyPrint; the XLSX has a cover sheet
and one sheet per table with its chart. Publishing freezes each table as CSV with its Table
Schema (``PublishedTable``), described by a Frictionless Data Package (``datapackage``).
"""

from __future__ import annotations

import base64
import csv
import io
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from mapro.audit.actions import record_event
from mapro.core.exceptions import Conflict, InvalidInput

from .access import APPROVER_ROLES, MANAGER_ROLES, TEAM_ROLES
from .actions import _check
from .choices import PublicationKind, PublicationStatus
from .models import Publication, PublishedTable, StatTable
from .outputs import TOTAL, TableData, chart_png, chart_spec, format_number, table_data

PUBLISHER = "Ministerio de Defensa — Oficina General de Tecnologías de la Información y Estadística"
LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}


@transaction.atomic
def do_create_publication(
    *,
    kind: str,
    title: str,
    period: str,
    actor: Any,
    instance: Any = None,
    presentation: str = "",
) -> Publication:
    """Start a statistical document of ``period`` (a year "2026", or a period "2026-S1")."""
    _check(actor, TEAM_ROLES, "formular documentos estadísticos")
    errors: dict[str, list[str]] = {}
    if kind not in PublicationKind.values:
        errors["kind"] = ["Tipo de documento desconocido."]
    if not (title or "").strip():
        errors["title"] = ["Indique el título."]
    if not (period or "").strip() or not period.strip()[:4].isdigit():
        errors["period"] = ["Indique el periodo (p. ej. 2026 o 2026-S1)."]
    if errors:
        raise InvalidInput(errors=errors)
    publication = Publication.objects.create(
        kind=kind,
        title=title.strip(),
        period=period.strip(),
        instance=instance,
        presentation=presentation,
        cover_title=title.strip(),
    )
    record_event(
        actor=actor,
        action="statistics_publication.create",
        obj=publication,
        after={"kind": kind, "title": publication.title, "period": publication.period},
    )
    return publication


@transaction.atomic
def do_approve_covers(
    publication: Publication, *, cover_title: str, cover_subtitle: str = "", actor: Any
) -> Publication:
    """The Jefe(a) approves the covers' design (activity 24): their texts go on the document."""
    _check(actor, MANAGER_ROLES, "aprobar las carátulas")
    if publication.status == PublicationStatus.PUBLICADO:
        raise Conflict("El documento ya fue difundido.")
    if not (cover_title or "").strip():
        raise InvalidInput(errors={"cover_title": ["Indique el título de la carátula."]})
    publication.cover_title = cover_title.strip()[:200]
    publication.cover_subtitle = (cover_subtitle or "").strip()[:200]
    publication.covers_approved_at = timezone.now()
    publication.save(update_fields=["cover_title", "cover_subtitle", "covers_approved_at"])
    record_event(
        actor=actor,
        action="statistics_publication.approve_covers",
        obj=publication,
        after={"cover_title": publication.cover_title},
    )
    return publication


def tables_of(publication: Publication) -> list[tuple[StatTable, TableData, dict[str, Any]]]:
    """Every defined table with its data for the publication's period and its chart spec."""
    out = []
    for table in StatTable.objects.select_related("dataset").order_by("order", "code"):
        data = table_data(table, publication.period)
        out.append((table, data, chart_spec(table, data)))
    return out


def render_pdf(publication: Publication, tables: list[Any]) -> bytes:
    from weasyprint import HTML

    pages = []
    for n, (table, data, spec) in enumerate(tables, start=1):
        png = base64.b64encode(chart_png(spec)).decode("ascii")
        pages.append(
            {
                "n": n,
                "table": table,
                "data": data,
                "rows": [
                    (label, [format_number(v) for v in values]) for label, values in data.rows
                ],
                "chart": f"data:image/png;base64,{png}",
            }
        )
    html = render_to_string(
        "statistics/publication_print.html",
        {
            "publication": publication,
            "pages": pages,
            "publisher": PUBLISHER,
            "today": timezone.localdate(),
        },
    )
    return bytes(HTML(string=html).write_pdf())


def render_xlsx(publication: Publication, tables: list[Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.drawing.image import Image
    from openpyxl.styles import Font

    book = Workbook()
    cover = book.active
    cover.title = "Carátula"
    cover["A1"], cover["A2"] = (
        publication.cover_title or publication.title,
        publication.cover_subtitle,
    )
    cover["A1"].font = Font(bold=True, size=18)
    cover["A4"], cover["A5"] = PUBLISHER, f"Periodo: {publication.period}"
    cover.column_dimensions["A"].width = 90
    for n, (_table, data, spec) in enumerate(tables, start=1):
        sheet = book.create_sheet(f"Cuadro {n}")
        sheet.append([f"Cuadro N° {n}: {data.title}"])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append([data.row_title, *data.columns])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for label, values in data.rows:
            sheet.append([label, *values])
        sheet.append([f"Fuente: órganos estadísticos del Sector Defensa. {data.note}".strip()])
        image = Image(io.BytesIO(chart_png(spec, scale=1.0)))
        sheet.add_image(image, f"{chr(ord('A') + len(data.columns) + 2)}2")
        sheet.column_dimensions["A"].width = 28
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@transaction.atomic
def do_assemble_publication(publication: Publication, *, actor: Any) -> Publication:
    """Consolidate the document (activity 27): PDF and XLSX with covers, tables and charts."""
    _check(actor, TEAM_ROLES, "consolidar el documento estadístico")
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if publication.status == PublicationStatus.PUBLICADO:
        raise Conflict("El documento ya fue difundido: no se vuelve a consolidar.")
    tables = tables_of(publication)
    if not tables:
        raise InvalidInput(errors={"__all__": ["No hay cuadros estadísticos definidos."]})
    publication.pdf = render_pdf(publication, tables)
    publication.xlsx = render_xlsx(publication, tables)
    publication.assembled_at = timezone.now()
    publication.status = PublicationStatus.CONSOLIDADO
    publication.save(update_fields=["pdf", "xlsx", "assembled_at", "status"])
    record_event(
        actor=actor,
        action="statistics_publication.assemble",
        obj=publication,
        after={"tables": len(tables), "pdf_bytes": len(publication.pdf)},
    )
    return publication


def table_csv(data: TableData) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["fila", *data.columns])
    for label, values in data.rows:
        writer.writerow([label, *(f"{v:g}" for v in values)])
    return out.getvalue()


def table_schema(data: TableData) -> dict[str, Any]:
    return {
        "fields": [
            {
                "name": "fila",
                "title": data.row_title,
                "type": "string",
                "constraints": {"required": True},
            },
            *(
                {"name": c, "title": c if c != TOTAL else "Total", "type": "number"}
                for c in data.columns
            ),
        ],
        "primaryKey": ["fila"],
    }


@transaction.atomic
def do_publish_publication(publication: Publication, *, actor: Any) -> Publication:
    """The Secretaría General approves and disseminates the document (activity 31): its tables
    are frozen as open data (CSV + Table Schema) on the public page."""
    _check(actor, (*APPROVER_ROLES, *MANAGER_ROLES), "difundir el documento estadístico")
    publication = Publication.objects.select_for_update().get(pk=publication.pk)
    if publication.status == PublicationStatus.PUBLICADO:
        return publication
    if publication.status != PublicationStatus.CONSOLIDADO:
        raise Conflict("El documento aún no está consolidado (PDF y XLSX).")
    publication.tables.all().delete()
    for n, (table, data, _spec) in enumerate(tables_of(publication), start=1):
        PublishedTable.objects.create(
            publication=publication,
            code=table.code,
            title=data.title,
            csv=table_csv(data),
            schema=table_schema(data),
            order=n,
        )
    publication.status = PublicationStatus.PUBLICADO
    publication.published_at = timezone.now()
    publication.save(update_fields=["status", "published_at"])
    record_event(
        actor=actor,
        action="statistics_publication.publish",
        obj=publication,
        after={"tables": publication.tables.count()},
    )
    return publication


def datapackage(publication: Publication, base_url: str = "") -> dict[str, Any]:
    """The Frictionless Data Package describing the publication's open data."""
    return {
        "name": publication.slug,
        "title": publication.title,
        "description": f"{publication.get_kind_display()} del Sector Defensa, periodo "
        f"{publication.period}.",
        "licenses": [LICENSE],
        "contributors": [{"title": PUBLISHER, "role": "publisher"}],
        "created": (publication.published_at or timezone.now()).isoformat(),
        "resources": [
            {
                "name": t.code,
                "title": t.title,
                "path": f"{base_url}{t.code}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": t.schema,
            }
            for t in publication.tables.all()
        ],
    }


__all__ = [
    "PUBLISHER",
    "datapackage",
    "do_approve_covers",
    "do_assemble_publication",
    "do_create_publication",
    "do_publish_publication",
    "run_chart_to_png",
    "table_csv",
]


def run_chart_to_png(table: StatTable, period: str) -> bytes:
    """The table's chart as PNG (the print image of the web's chart)."""
    return chart_png(chart_spec(table, table_data(table, period)))
