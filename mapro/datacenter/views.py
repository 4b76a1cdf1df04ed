"""HTML pages of the data-center register, under ``/centro-de-datos/``.

Readers (``access.ALL_READERS``) see the logbook (Formato N° 1) with its filters and XLSX export,
the open visits (people inside now, with their count), each line with its history, and each
visit with its people, documents, DIPEC checks and what each person still lacks to enter. The
bitácora's keepers (``access.ENTRY_ROLES``) also register entries (on the visit page) and exits
(on the line's page). Anyone else signed in gets 403; a line or visit outside the reader's scope
404. Views only parse, call a selector or an action, and render.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.http import require_GET, require_POST

from mapro.audit.selectors import history_of
from mapro.core.exceptions import Conflict, InvalidInput
from mapro.core.paging import paginate
from mapro.core.xlsx import xlsx_response
from mapro.helpdesk.selectors import link_ticket_numbers
from mapro.organization.permissions import has_role
from mapro.procedures.selectors import instance_urls

from . import access, actions
from .choices import CheckKind, CheckOutcome, DocumentKind
from .filtersets import PAGE_SIZE, LogbookFilterSet
from .models import LogbookEntry, Visit
from .selectors import (
    entries_visible_to,
    get_entry_for_user,
    get_visit_for_user,
    open_entries_for,
    visits_visible_to,
)

FILTER_KEYS = ("desde", "hasta", "empresa", "dni", "abiertos", "visita")
#: The export's columns: the Formato N° 1 line, then its links.
EXPORT_HEADERS = [
    "N° de ingreso",
    "Fecha y hora de ingreso",
    "Fecha y hora de salida",
    "Nombre completo",
    "DNI",
    "Empresa o entidad",
    "Acompañante",
    "Motivo",
    "N° de visita",
    "Tipo de visita",
    "N° de ticket",
    "Expediente",
]
EXPORT_LIMIT = 50_000
READER_MESSAGE = "El registro del centro de datos es del equipo de infraestructura."


def reader_required(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Login, then a reading role (403)."""

    @login_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not access.can_read(request.user):
            raise PermissionDenied(READER_MESSAGE)
        return view(request, *args, **kwargs)

    return wrapped


def _local(moment: Any) -> Any:
    """Lima time to the second (a spreadsheet keeps no microseconds)."""
    if not moment:
        return None
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


def _text(value: str) -> str | None:
    """Blank text as an empty cell (which reads back as None)."""
    return value or None


def export_row(entry: LogbookEntry) -> list[Any]:
    return [
        entry.pk,
        _local(entry.entered_at),
        _local(entry.exited_at),
        entry.full_name,
        entry.dni,
        _text(entry.company),
        entry.escort_name,
        entry.purpose,
        entry.visit_id,
        entry.visit.get_kind_display(),
        _text(entry.visit.ticket_number),
        entry.visit.instance_id,
    ]


def _visit_number(visit: Visit) -> str:
    return visit.ticket_number


def _visit_ticket(entry: LogbookEntry) -> str:
    return entry.visit.ticket_number


def _filters(request: HttpRequest) -> tuple[LogbookFilterSet, dict[str, str]]:
    params = {k: request.GET[k] for k in FILTER_KEYS if request.GET.get(k, "") != ""}
    filters = LogbookFilterSet(params, queryset=entries_visible_to(request.user))
    filters.is_valid()
    return filters, params


@require_GET
@reader_required
def logbook_list(request: HttpRequest) -> HttpResponse:
    """The bitácora with filters (dates, company, DNI, open only), 50 lines a page."""
    filters, params = _filters(request)
    page = paginate(request, filters.qs, PAGE_SIZE)
    rows = list(page.object_list)
    link_ticket_numbers(request.user, rows, _visit_ticket)
    query = urlencode(params)
    return render(
        request,
        "datacenter/logbook_list.html",
        {
            "filters": filters,
            "params": params,
            "rows": rows,
            "count": page.paginator.count,
            "page": page,
            "query": query,
            "open_count": open_entries_for(request.user).count(),
        },
    )


@require_GET
@reader_required
def logbook_export(request: HttpRequest) -> HttpResponse:
    """The filtered bitácora as XLSX (the same lines as the list, newest first)."""
    filters, _ = _filters(request)
    rows = (export_row(e) for e in filters.qs[:EXPORT_LIMIT])
    return xlsx_response(
        "bitacora-centro-de-datos", EXPORT_HEADERS, rows, sheet_title="Formato N° 1"
    )


@require_GET
@reader_required
def open_entries(request: HttpRequest) -> HttpResponse:
    """Open visits: who is inside the data center now (entered, not exited), with the count."""
    rows = list(open_entries_for(request.user))
    link_ticket_numbers(request.user, rows, _visit_ticket)
    return render(
        request,
        "datacenter/open_entries.html",
        {"rows": rows, "count": len(rows), "can_exit": has_role(request.user, access.ENTRY_ROLES)},
    )


def _entry_page(
    request: HttpRequest, entry: LogbookEntry, *, errors: Any = None, status: int = 200
) -> HttpResponse:
    link_ticket_numbers(request.user, [entry], _visit_ticket)
    return render(
        request,
        "datacenter/entry_detail.html",
        {
            "entry": entry,
            # A director reads their unit's visits, not every expediente: the number alone then.
            "instance_url": instance_urls(request.user, [entry.visit.instance_id]).get(
                entry.visit.instance_id or 0
            ),
            "history": history_of(entry),
            "can_exit": entry.is_open and has_role(request.user, access.ENTRY_ROLES),
            "errors": errors or {},
            "value": request.POST.get("exited_at", "") if request.method == "POST" else "",
        },
        status=status,
    )


@require_GET
@reader_required
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One line of the bitácora with its history of changes."""
    return _entry_page(request, get_entry_for_user(request.user, pk))


def _moment(value: str) -> dt.datetime | None:
    """A ``datetime-local`` value (Lima time) or ISO 8601 text, else None."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        return None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


@require_POST
@reader_required
def entry_exit(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the exit of an open line (ENTRY_ROLES); errors shown beside the field (400)."""
    entry = get_entry_for_user(request.user, pk)
    raw = request.POST.get("exited_at", "")
    moment = _moment(raw)
    try:
        if raw and moment is None:
            raise InvalidInput(errors={"exited_at": ["Indique una fecha y hora válidas."]})
        actions.do_record_exit(entry, actor=request.user, exited_at=moment)
    except InvalidInput as exc:
        return _entry_page(request, entry, errors=exc.errors, status=400)
    except Conflict as exc:
        messages.error(request, exc.message)
        return redirect("datacenter:entry_detail", pk=entry.pk)
    messages.success(request, f"Salida registrada: {entry.full_name}.")
    return redirect("datacenter:entry_detail", pk=entry.pk)


@require_GET
@reader_required
def visit_list(request: HttpRequest) -> HttpResponse:
    """The most recent visits (200) of the reader's scope."""
    rows = list(visits_visible_to(request.user)[:200])
    link_ticket_numbers(request.user, rows, _visit_number)
    return render(request, "datacenter/visit_list.html", {"rows": rows})


def _visit_page(
    request: HttpRequest, visit: Visit, *, errors: Any = None, status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    # The typed number links to its ticket when the viewer may see it; the entries share it.
    entries = list(visit.entries.all())
    link_ticket_numbers(request.user, [visit], _visit_number)
    for entry in entries:
        entry.ticket_url = visit.ticket_url  # type: ignore[attr-defined]
    people = [
        {"person": p, "problems": actions.entry_problems(visit, p, today)}
        for p in visit.people.all()
    ]
    return render(
        request,
        "datacenter/visit_detail.html",
        {
            "visit": visit,
            "instance_url": instance_urls(request.user, [visit.instance_id]).get(
                visit.instance_id or 0
            ),
            "entries": entries,
            "people": people,
            "required": actions.required_documents(visit),
            "history": history_of(visit),
            "can_enter": has_role(request.user, access.ENTRY_ROLES),
            "can_manage": has_role(request.user, access.MANAGER_ROLES),
            "form": request.POST.get("form", "") if request.method == "POST" else "",
            "document_kinds": DocumentKind.choices,
            "check_kinds": CheckKind.choices,
            "outcomes": CheckOutcome.choices,
            "errors": errors or {},
            "values": request.POST if request.method == "POST" else {},
            "today": today,
        },
        status=status,
    )


@require_GET
@reader_required
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A visit: people and whether each may enter today, documents, DIPEC, entries, history."""
    return _visit_page(request, get_visit_for_user(request.user, pk))


@require_POST
@reader_required
def visit_entry(request: HttpRequest, pk: int) -> HttpResponse:
    """Register an entry of a person of the visit (ENTRY_ROLES); refusals shown (400)."""
    visit = get_visit_for_user(request.user, pk)
    raw = request.POST.get("entered_at", "")
    moment = _moment(raw)
    try:
        if raw and moment is None:
            raise InvalidInput(errors={"entered_at": ["Indique una fecha y hora válidas."]})
        entry = actions.do_record_entry(
            visit,
            actor=request.user,
            dni=request.POST.get("dni", ""),
            entered_at=moment,
            escort=request.POST.get("escort", ""),
            purpose=request.POST.get("purpose", ""),
        )
    except InvalidInput as exc:
        return _visit_page(request, visit, errors=exc.errors, status=400)
    messages.success(request, f"Ingreso registrado: {entry.full_name}.")
    return redirect("datacenter:entry_detail", pk=entry.pk)


def _day(value: str) -> dt.date | None:
    try:
        return parse_date((value or "").strip())
    except ValueError:
        return None


@require_POST
@reader_required
def visit_document(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a contractor document with its validity (MANAGER_ROLES); errors shown (400)."""
    visit = get_visit_for_user(request.user, pk)
    raw = request.POST.get("valid_until", "")
    try:
        if raw and _day(raw) is None:
            raise InvalidInput(errors={"valid_until": ["Indique una fecha válida."]})
        actions.do_record_contractor_document(
            visit,
            actor=request.user,
            kind=request.POST.get("kind", ""),
            valid_until=_day(raw),
            reference=request.POST.get("reference", ""),
            dni=request.POST.get("dni", ""),
        )
    except InvalidInput as exc:
        return _visit_page(request, visit, errors=exc.errors, status=400)
    messages.success(request, "Documento registrado.")
    return redirect("datacenter:visit_detail", pk=visit.pk)


@require_POST
@reader_required
def visit_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the DIPEC's review or SST induction (MANAGER_ROLES); errors shown (400)."""
    visit = get_visit_for_user(request.user, pk)
    try:
        actions.do_record_dipec_check(
            visit,
            actor=request.user,
            kind=request.POST.get("kind", ""),
            outcome=request.POST.get("outcome", ""),
            on=_day(request.POST.get("on", "")),
            observations=request.POST.get("observations", ""),
        )
    except InvalidInput as exc:
        return _visit_page(request, visit, errors=exc.errors, status=400)
    messages.success(request, "Registro de la DIPEC guardado.")
    return redirect("datacenter:visit_detail", pk=visit.pk)
