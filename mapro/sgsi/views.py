"""HTML pages of the SGSI registers, under ``/sgsi/``: the documents register (list, filters,
XLSX, a document's page with its versions, observations and history, and the forms to register
a document, add a version, observe and approve) and the asset inventory SGSI-FOR-002 (list,
filters, XLSX, an asset's page with its Formato N° 01 change log and history).

Views parse, call ``actions``/``selectors`` and render; a refused action comes back beside its
fields (400) or as the error page (403/404/409)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mapro.audit.selectors import history_of
from mapro.core.exceptions import InvalidInput, NotFound
from mapro.core.xlsx import xlsx_response

from . import access
from .actions.documents import (
    do_add_version,
    do_approve_version,
    do_observe_document,
    do_register_document,
)
from .choices import DocumentKind, Team, VersionStatus
from .filtersets import InformationAssetFilterSet, SgsiDocumentFilterSet
from .selectors import (
    ASSET_HEADERS,
    DOCUMENT_HEADERS,
    asset_rows,
    assets_for,
    changes_of,
    document_rows,
    documents_for,
    get_asset_for_user,
    get_document_for_user,
    get_version_for_user,
)

PAGE_SIZE = 50
DOC_FILTERS = ("q", "kind", "status", "team", "revision_hasta")
ASSET_FILTERS = ("q", "asset_type", "status", "unit")


def _filters(request: HttpRequest, cls: Any, keys: tuple[str, ...], qs: Any) -> Any:
    return cls({k: request.GET.get(k, "") for k in keys}, queryset=qs)


def _query(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("pagina", None)
    return query.urlencode()


# --- documents --------------------------------------------------------------------------------


@require_GET
@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request, SgsiDocumentFilterSet, DOC_FILTERS, documents_for(request.user))
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "sgsi/document_list.html",
        {
            "filters": filters,
            "page": page,
            "query": _query(request),
            "can_register": access.can(request.user, access.DOC_EDITORS),
        },
        status=400 if filters.errors else 200,
    )


@require_GET
@login_required
def document_export(request: HttpRequest) -> HttpResponse:
    filters = _filters(request, SgsiDocumentFilterSet, DOC_FILTERS, documents_for(request.user))
    qs = filters.qs.none() if filters.errors else filters.qs
    return xlsx_response(
        "registro-documentos-sgsi",
        DOCUMENT_HEADERS,
        document_rows(qs),
        sheet_title="Documentos SGSI",
    )


def _document_form(
    request: HttpRequest, errors: dict[str, Any], values: dict[str, Any]
) -> HttpResponse:
    return render(
        request,
        "sgsi/document_form.html",
        {"errors": errors, "values": values, "kinds": DocumentKind.choices, "teams": Team.choices},
        status=400 if errors else 200,
    )


@require_http_methods(["GET", "POST"])
@login_required
def document_new(request: HttpRequest) -> HttpResponse:
    access.check(request.user, access.DOC_EDITORS, "Su rol no registra documentos del SGSI.")
    if request.method == "GET":
        return _document_form(request, {}, {})
    values: dict[str, Any] = {
        k: request.POST.get(k, "") for k in ("code", "title", "kind", "owner_team", "next_review")
    }
    try:
        document = do_register_document(**values, actor=request.user)
    except InvalidInput as exc:
        return _document_form(request, exc.errors, values)
    messages.success(request, f"Documento {document.code} registrado. Presente su primera versión.")
    return redirect("sgsi:document_detail", code=document.code)


def _detail(
    request: HttpRequest, code: str, errors: dict[str, Any] | None = None, form: str = ""
) -> HttpResponse:
    document = get_document_for_user(request.user, code)
    user = request.user
    return render(
        request,
        "sgsi/document_detail.html",
        {
            "document": document,
            "versions": list(document.versions.order_by("-number")),
            "observations": list(document.observations.select_related("version")),
            "history": history_of(document),
            "can_add_version": access.can(user, access.DOC_EDITORS),
            "can_observe": access.can(user, access.DOC_OBSERVERS),
            "can_approve": access.can(user, access.DOC_APPROVERS),
            "pending": VersionStatus.EN_REVISION,
            "errors": errors or {},
            "form": form,
            "values": request.POST if errors else {},
        },
        status=400 if errors else 200,
    )


@require_GET
@login_required
def document_detail(request: HttpRequest, code: str) -> HttpResponse:
    return _detail(request, code)


@require_POST
@login_required
def document_add_version(request: HttpRequest, code: str) -> HttpResponse:
    document = get_document_for_user(request.user, code)
    try:
        version = do_add_version(
            document,
            file=request.FILES.get("file"),
            changes=request.POST.get("changes", ""),
            actor=request.user,
        )
    except InvalidInput as exc:
        return _detail(request, code, exc.errors, "version")
    messages.success(request, f"Versión {version.number} presentada: queda en revisión.")
    return redirect("sgsi:document_detail", code=code)


@require_POST
@login_required
def document_observe(request: HttpRequest, code: str) -> HttpResponse:
    document = get_document_for_user(request.user, code)
    number = request.POST.get("version", "")
    version = document.versions.filter(number=int(number)).first() if number.isdigit() else None
    try:
        do_observe_document(
            document,
            text=request.POST.get("text", ""),
            version=version,
            source="Registro de documentos del SGSI",
            actor=request.user,
        )
    except InvalidInput as exc:
        return _detail(request, code, exc.errors, "observation")
    messages.success(request, "Observación registrada.")
    return redirect("sgsi:document_detail", code=code)


@require_POST
@login_required
def version_approve(request: HttpRequest, code: str, number: int) -> HttpResponse:
    version = get_version_for_user(request.user, code, number)
    try:
        do_approve_version(
            version,
            approval_document=request.POST.get("approval_document", ""),
            approved_on=request.POST.get("approved_on", ""),
            next_review=request.POST.get("next_review", "") or None,
            actor=request.user,
        )
    except InvalidInput as exc:
        return _detail(request, code, exc.errors, f"approve-{number}")
    messages.success(request, f"Versión {number} aprobada: es la vigente.")
    return redirect("sgsi:document_detail", code=code)


@require_GET
@login_required
def version_file(request: HttpRequest, code: str, number: int) -> FileResponse:
    version = get_version_for_user(request.user, code, number)
    if not version.file:
        raise NotFound("Esta versión llegó por un procedimiento: su archivo está en el expediente.")
    response = FileResponse(version.file.open("rb"), as_attachment=True, filename=version.file_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- asset inventory --------------------------------------------------------------------------


@require_GET
@login_required
def asset_list(request: HttpRequest) -> HttpResponse:
    filters = _filters(request, InformationAssetFilterSet, ASSET_FILTERS, assets_for(request.user))
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "sgsi/asset_list.html",
        {"filters": filters, "page": page, "query": _query(request)},
        status=400 if filters.errors else 200,
    )


@require_GET
@login_required
def asset_export(request: HttpRequest) -> HttpResponse:
    filters = _filters(request, InformationAssetFilterSet, ASSET_FILTERS, assets_for(request.user))
    qs = filters.qs.none() if filters.errors else filters.qs
    return xlsx_response(
        "inventario-activos-sgsi-for-002", ASSET_HEADERS, asset_rows(qs), sheet_title="SGSI-FOR-002"
    )


@require_GET
@login_required
def asset_detail(request: HttpRequest, code: str) -> HttpResponse:
    asset = get_asset_for_user(request.user, code)
    return render(
        request,
        "sgsi/asset_detail.html",
        {"asset": asset, "changes": list(changes_of(asset)), "history": history_of(asset)},
    )
