"""A register's HTML list and XLSX export, the same for every register that has them.

A register (the systems catalogue, the phone inventory…) is described once by a ``Register``:
its title, the rows the user may see (a selector), the FilterSet of its list and API, the
export's headers and rows, and which export columns the list page shows. ``list_view`` and
``export_view`` make its two pages under the app's URL namespace: ``<slug>_list`` renders
``core/register_list.html`` (or an app template extending it, which adds buttons in its block
``register_actions``), filtered and paged; ``<slug>_export`` answers the same filters as XLSX,
or a 400 naming a bad filter. Access is the selector's (403/404 pages from
``mapro.core.middleware``). ``Register.links`` (optional) turns cells of the list page into
links (``Linked``), computed once for the page's rows.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .paging import paginate, query_without_page
from .xlsx import xlsx_response

PAGE_SIZE = 50


def page_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET only, login required (the selectors' 404/403 become pages in mapro.core.middleware)."""

    @require_GET
    @login_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, *args, **kwargs)

    return wrapped


@dataclass(frozen=True)
class Register:
    """How one register is listed and exported."""

    title: str
    slug: str  # URL names: <slug>_list, <slug>_export, <slug>_detail
    filename: str
    queryset: Callable[[Any], QuerySet[Any]]  # the rows the user may see
    filterset: type
    headers: Sequence[str]
    rows: Callable[[Any], Iterator[list[Any]]]
    columns: Sequence[int]  # which export columns the list page shows
    description: str
    # Links inside cells of the list page (beside the first cell's link to the detail):
    # ``links(user, page_objects) -> {pk: {export column: url}}``, called once per page.
    links: Callable[[Any, list[Any]], dict[Any, dict[int, str]]] | None = None

    def filtered(self, request: HttpRequest) -> Any:
        return self.filterset(request.GET or None, queryset=self.queryset(request.user))


def query_without(request: HttpRequest, *names: str) -> str:
    """The request's query string without ``names`` (the filters, to carry to other pages)."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@dataclass(frozen=True)
class Linked:
    """A list cell shown as a link (``Register.links``); the export keeps the plain value."""

    text: Any
    url: str

    def __str__(self) -> str:
        return str(self.text)


def _cell(value: Any, url: str | None) -> Any:
    return Linked(value, url) if url and value not in (None, "") else value


def list_view(
    register: Register,
    namespace: str,
    *,
    template: str = "core/register_list.html",
    extra_context: Callable[[HttpRequest], dict[str, Any]] | None = None,
) -> Callable[..., HttpResponse]:
    """The list page of ``register``: its filters, one page of rows, links to the detail."""

    @page_view
    def view(request: HttpRequest) -> HttpResponse:
        filterset = register.filtered(request)
        page = paginate(request, filterset.qs, PAGE_SIZE)
        objects = list(page.object_list)
        links = register.links(request.user, objects) if register.links else {}
        rows = [
            (obj.pk, [_cell(row[i], links.get(obj.pk, {}).get(i)) for i in register.columns])
            for obj, row in zip(objects, register.rows(objects), strict=True)
        ]
        url = f"{namespace}:{register.slug}"
        context = {
            "register": register,
            "filterset": filterset,
            "page": page,
            "headers": [register.headers[i] for i in register.columns],
            "rows": rows,
            "detail_url": f"{url}_detail",
            "export_url": f"{url}_export",
            "filter_query": query_without_page(request),
        }
        if extra_context is not None:
            context.update(extra_context(request))
        return render(request, template, context)

    view.__name__ = f"{register.slug}_list"
    return view


def export_view(register: Register) -> Callable[..., HttpResponse]:
    """The XLSX of ``register`` with the list's filters; 400 naming a bad filter."""

    @page_view
    def view(request: HttpRequest) -> HttpResponse:
        filterset = register.filtered(request)
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

    view.__name__ = f"{register.slug}_export"
    return view
