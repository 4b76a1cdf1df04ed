"""The one way an HTML list pages: ``?pagina=N`` (Spanish, as the pages say it), with the
shared pager include ``core/_pages.html``.

``?page=N`` is still read as an alias, so that links made before every list used ``pagina``
(the registers, the inventory, the operations register) keep opening the page they named; the
pager writes only ``pagina``. A number that is not one gives the first page and one past the
end gives the last (Django's ``Paginator.get_page``), as before.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_PARAM = "pagina"
#: Read too, for old links; never written.
PAGE_ALIASES = ("page",)


def page_number(request: HttpRequest) -> str | None:
    """The page the request asks for: ``pagina``, else its alias ``page``."""
    for name in (PAGE_PARAM, *PAGE_ALIASES):
        value = request.GET.get(name)
        if value:
            return value
    return None


def query_without_page(request: HttpRequest, *others: str) -> str:
    """The request's query string without the page (nor ``others``): the filters a pager
    link carries."""
    params = request.GET.copy()
    for name in (PAGE_PARAM, *PAGE_ALIASES, *others):
        params.pop(name, None)
    return params.urlencode()


def paginate(request: HttpRequest, rows: Any, size: int) -> Page[Any]:
    """The page of ``rows`` the request asks for (``?pagina=``, or its alias ``?page=``)."""
    return Paginator(rows, size).get_page(page_number(request))
