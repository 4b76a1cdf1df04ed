"""HTML pages of the official documents, under ``/documentos/``.

OGTIE staff see the list (filters: tipo, año, procedimiento, texto) and its XLSX export; the
detail page (printable) is also open to whoever started the document's instance. Anyone else
gets 403 on the list and 404 on a document. Views only parse, call a selector, and render.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mapro.audit.selectors import history_of
from mapro.core.exceptions import InvalidInput
from mapro.core.paging import paginate
from mapro.core.xlsx import xlsx_response

from .actions import do_record_external_signature, do_sign_document
from .dates import long_date
from .filtersets import DocumentFilterSet
from .models import Document
from .pdf import render_pdf
from .selectors import (
    document_of_signed_pdf,
    get_document_for_signer,
    get_document_for_user,
    kinds_in_use,
    latest_signature,
    register_for,
)
from .signing import (
    CERT_FIELD,
    FILE_FIELD,
    MAX_P12_BYTES,
    MAX_PDF_BYTES,
    PASSWORD_FIELD,
    verify_pdf,
)

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
    page = paginate(request, qs, PAGE_SIZE)
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
            "signatures": list(document.signatures.all()),
            "can_sign": document.issued_by_id == request.user.pk,
        },
    )


# --- PDF, signatures, verification ------------------------------------------------------------


def pdf_response(document: Document, *, attachment: bool = False) -> HttpResponse:
    """The document's PDF: the signed one when it has been signed, else rendered now."""
    signature = latest_signature(document)
    if signature is not None:
        with signature.file.open("rb") as handle:
            content = handle.read()
    else:
        content = render_pdf(document)
    name = (document.number or f"documento-{document.pk}").replace("/", "-").replace(" ", "_")
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{name}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@login_required
def document_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return pdf_response(get_document_for_user(request.user, pk))


def _upload(request: HttpRequest, name: str, limit: int) -> bytes | None:
    upload = request.FILES.get(name)
    if upload is None:
        return None
    if upload.size is not None and upload.size > limit:
        raise InvalidInput(errors={name: ["El archivo es demasiado grande."]})
    return upload.read()


def _sign_page(request: HttpRequest, document: Document, errors: dict[str, Any]) -> HttpResponse:
    return render(
        request,
        "documents/sign.html",
        {"document": document, "errors": errors},
        status=400 if errors else 200,
    )


@sensitive_post_parameters(PASSWORD_FIELD)
@require_http_methods(["GET", "POST"])
@login_required
def document_sign(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for_signer(request.user, pk)
    if request.method == "GET":
        return _sign_page(request, document, {})
    try:
        do_sign_document(
            document,
            certificate=_upload(request, CERT_FIELD, MAX_P12_BYTES),
            password=request.POST.get(PASSWORD_FIELD, ""),
            actor=request.user,
        )
    except InvalidInput as exc:
        return _sign_page(request, document, exc.errors)
    messages.success(request, "Documento firmado digitalmente.")
    return redirect("documents:document_detail", pk=document.pk)


@require_POST
@login_required
def document_external_signature(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document_for_signer(request.user, pk)
    try:
        do_record_external_signature(
            document, pdf=_upload(request, FILE_FIELD, MAX_PDF_BYTES), actor=request.user
        )
    except InvalidInput as exc:
        return _sign_page(request, document, exc.errors)
    messages.success(request, "PDF firmado con Firma Perú registrado.")
    return redirect("documents:document_detail", pk=document.pk)


def verification_context(data: bytes, user: Any) -> dict[str, Any]:
    """The verdict of ``data`` and, when its bytes are a PDF signed in mapro and ``user`` may
    read that document, the document."""
    result = verify_pdf(data).as_dict()
    for signature in result["signatures"]:
        when = parse_datetime(signature["signed_at"]) if signature["signed_at"] else None
        signature["signed_local"] = (
            timezone.localtime(when).strftime("%d/%m/%Y %H:%M") if when else ""
        )
    return {"result": result, "document": document_of_signed_pdf(data, user)}


@require_http_methods(["GET", "POST"])
@login_required
def document_verify(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return render(request, "documents/verify.html", {"errors": {}})
    try:
        data = _upload(request, FILE_FIELD, MAX_PDF_BYTES)
        if not data:
            raise InvalidInput(errors={FILE_FIELD: ["Adjunte el PDF a verificar."]})
    except InvalidInput as exc:
        return render(request, "documents/verify.html", {"errors": exc.errors}, status=400)
    return render(
        request, "documents/verify.html", {"errors": {}, **verification_context(data, request.user)}
    )
