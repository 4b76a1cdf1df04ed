"""HTML pages of the official documents, under ``/documentos/``.

OGTIE staff see the list (filters: tipo, año, procedimiento, texto) and its XLSX export; the
detail page (printable) is also open to whoever started the document's instance. Anyone else
gets 403 on the list and 404 on a document. Views only parse, call a selector, and render.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from mapro.audit.selectors import history_of
from mapro.core.xlsx import xlsx_response

from .dates import long_date
from .filtersets import DocumentFilterSet
from .models import Document
from .selectors import get_document_for_user, kinds_in_use, register_for

FILTER_KEYS = ("tipo", "anio", "procedimiento", "q")
PAGE_SIZE = 50
EXPORT_LIMIT = 50_000
EXPORT_HEADERS = [
    "Número",
    "Tipo",
    "Estado",
    "Año",
    "Asunto",
    "Procedimiento",
    "Expediente",
    "Actividad",
    "Ticket",
    "Unidad",
    "Emitido por",
    "Fecha",
]


def procedure_code(document: Document) -> str:
    return document.instance.procedure_version.procedure.code


def export_row(document: Document) -> list[Any]:
    return [
        document.number or None,
        document.kind,
        document.get_status_display(),
        document.year,
        document.subject,
        procedure_code(document),
        document.instance_id,
        f"{document.activity_n}. {document.activity_name}",
        document.ticket.number if document.ticket is not None else None,
        document.unit_code,
        document.issued_by_name or None,
        timezone.localtime(document.created_at).replace(tzinfo=None, microsecond=0),
    ]


def _filtered(request: HttpRequest) -> tuple[Any, dict[str, str], dict[str, list[str]]]:
    params = {k: request.GET[k] for k in FILTER_KEYS if request.GET.get(k, "").strip()}
    filters = DocumentFilterSet(params, queryset=register_for(request.user))
    errors = {name: list(messages) for name, messages in filters.errors.items()}
    return filters.qs, params, errors


@require_GET
@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    qs, params, errors = _filtered(request)
    paginator = Paginator(qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "documents/document_list.html",
        {
            "page_obj": page,
            "documents": page.object_list,
            "params": params,
            "errors": errors,
            "query": urlencode(params),
            "kinds": kinds_in_use(),
        },
        status=400 if errors else 200,
    )


@require_GET
@login_required
def document_export(request: HttpRequest) -> HttpResponse:
    qs, _params, errors = _filtered(request)
    if errors:
        qs = qs.none()
    rows = (export_row(d) for d in qs[:EXPORT_LIMIT])
    return xlsx_response("documentos", EXPORT_HEADERS, rows, sheet_title="Documentos")


@require_GET
@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for_user(request.user, pk)
    return render(
        request,
        "documents/document_detail.html",
        {
            "document": document,
            "procedure_code": procedure_code(document),
            "long_date": long_date(timezone.localtime(document.created_at).date()),
            "history": history_of(document),
        },
    )
