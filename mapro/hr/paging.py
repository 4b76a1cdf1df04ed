"""Simple numbered pages for the HR lists (``?pagina=N``), shared by the pages and the API.

These registers grow by a few hundred rows a semester, so OFFSET pages with a COUNT are cheap and
let the user jump to a page; the helpdesk queue, which grows by thousands, uses keyset pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator

PAGE_SIZE = 50


@dataclass(frozen=True)
class ListPage:
    """One page of a list and the query strings of its neighbours (filters kept)."""

    page: Page[Any]
    previous_query: str
    next_query: str


def page_of(qs: Any, params: Any, *, size: int | None = None) -> ListPage:
    """The page ``pagina`` of ``qs`` (the first on a bad number, the last past the end)."""
    page = Paginator(qs, size or PAGE_SIZE).get_page(params.get("pagina"))

    def query(number: int | None) -> str:
        if number is None:
            return ""
        copy = params.copy()
        copy["pagina"] = str(number)
        return str(copy.urlencode())

    return ListPage(
        page=page,
        previous_query=query(page.previous_page_number() if page.has_previous() else None),
        next_query=query(page.next_page_number() if page.has_next() else None),
    )
