"""The audit viewer: list, detail, CSV export and chain verification.

Only the Jefe(a) de la OGTIE and the Especialista de seguridad de la información may read the
trail (``VIEWER_ROLES``); anyone else signed in gets 403, anonymous users the login page.
"""

import csv
import functools
import json
from collections.abc import Callable, Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from mapro.core.registers import query_without
from mapro.organization.permissions import check_role

from .access import VIEWER_ROLES
from .choices import Source
from .filtersets import AuditEventFilterSet
from .labels import action_label, object_type_label
from .models import AuditEvent
from .selectors import page_of_events
from .verify import verify_chain

#: People read the first columns as on the page (the action and the object type in Spanish, the
#: date as dd/mm/aaaa); the last ones keep the codes and the ISO 8601 time for programs.
CSV_HEADERS = [
    "ID",
    "Fecha y hora (America/Lima)",
    "Usuario",
    "Acción",
    "Tipo de objeto",
    "ID del objeto",
    "Objeto",
    "Origen",
    "ID de solicitud",
    "Dirección del cliente",
    "Antes",
    "Después",
    "Hash",
    "Código de la acción",
    "Código del tipo de objeto",
    "Fecha y hora (ISO 8601)",
]


def audit_viewer_required(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Login, then one of ``VIEWER_ROLES`` (403 otherwise)."""

    @login_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        check_role(request.user, VIEWER_ROLES)
        return view(request, *args, **kwargs)

    return wrapped


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


@require_GET
@audit_viewer_required
def event_list(request: HttpRequest) -> HttpResponse:
    """Newest first, filtered, one keyset page at a time."""
    filterset = AuditEventFilterSet(request.GET or None)
    page = page_of_events(
        filterset.qs, before=_int_param(request, "antes"), after=_int_param(request, "despues")
    )
    return render(
        request,
        "audit/event_list.html",
        {
            "filterset": filterset,
            "page": page,
            "source_labels": dict(Source.choices),
            "filter_query": query_without(request, "antes", "despues"),
        },
    )


def _diff_rows(before: Any, after: Any) -> list[dict[str, Any]]:
    """Field by field, when both sides are objects; the view shows raw JSON otherwise."""
    if not isinstance(before or {}, dict) or not isinstance(after or {}, dict):
        return []
    before, after = before or {}, after or {}
    rows = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        rows.append(
            {
                "field": key,
                "before": "—" if key not in before else _pretty(old),
                "after": "—" if key not in after else _pretty(new),
                "changed": key not in before or key not in after or old != new,
            }
        )
    return rows


def _pretty(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)


@require_GET
@audit_viewer_required
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(AuditEvent, pk=pk)
    return render(
        request,
        "audit/event_detail.html",
        {
            "event": event,
            "source_label": dict(Source.choices).get(event.source, event.source),
            "diff": _diff_rows(event.before, event.after),
            "before_json": _pretty(event.before) if event.before is not None else "",
            "after_json": _pretty(event.after) if event.after is not None else "",
            "hash_ok": event.compute_hash() == event.hash,
        },
    )


class _Echo:
    """A file-like object that hands back what is written, for streaming csv rows."""

    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def _csv_rows(events: Any) -> Iterator[str]:
    writer = csv.writer(_Echo())
    labels = dict(Source.choices)
    type_labels: dict[str, str] = {}  # one lookup per model, not per row
    yield "\ufeff" + writer.writerow(CSV_HEADERS)  # BOM: spreadsheets then read UTF-8
    for e in events:
        if e.object_type not in type_labels:
            type_labels[e.object_type] = object_type_label(e.object_type)
        local = timezone.localtime(e.occurred_at)
        yield writer.writerow(
            [
                _cell(v)
                for v in (
                    e.pk,
                    local.strftime("%d/%m/%Y %H:%M:%S"),
                    e.actor_name,
                    action_label(e.action),
                    type_labels[e.object_type],
                    e.object_id,
                    e.object_repr,
                    labels.get(e.source, e.source),
                    e.request_id,
                    e.client_address,
                    "" if e.before is None else json.dumps(e.before, ensure_ascii=False),
                    "" if e.after is None else json.dumps(e.after, ensure_ascii=False),
                    e.hash,
                    e.action,
                    e.object_type,
                    local.isoformat(),
                )
            ]
        )


@require_GET
@audit_viewer_required
def event_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered list as CSV, streamed in chunks (the whole trail never sits in memory)."""
    filterset = AuditEventFilterSet(request.GET or None)
    if filterset.is_bound and not filterset.is_valid():
        return HttpResponse(
            "Filtros no válidos: " + filterset.errors.as_text(),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    events = filterset.qs.order_by("-id").iterator(chunk_size=1000)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = StreamingHttpResponse(_csv_rows(events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="auditoria-{stamp}.csv"'
    return response


@require_POST
@audit_viewer_required
def chain_verify(request: HttpRequest) -> HttpResponse:
    """Walk the whole chain now and show the outcome (an htmx fragment, or a full page)."""
    result = verify_chain()
    template = (
        "audit/_verify_result.html" if request.headers.get("HX-Request") else "audit/verify.html"
    )
    return render(request, template, {"result": result})
