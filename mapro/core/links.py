"""Links to one URL pattern for a whole page of rows, resolved once (issue #15).

``reverse`` walks the URL resolver at every call; a page that draws 50 rows in Python
(``helpdesk.views.ticket_display``, ``procedures.inbox_html``) resolves each pattern once with a
stand-in argument and puts each row's value in its place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.urls import reverse


def url_maker(name: str, stand_in: str | int) -> Callable[[Any], str]:
    """``value → reverse(name, args=[value])``, resolved once.

    ``stand_in`` must match the pattern's converter (an ``int`` for ``<int:…>``) and appear
    nowhere else in the URL.
    """
    head, tail = reverse(name, args=[stand_in]).split(str(stand_in), 1)
    return lambda value: f"{head}{value}{tail}"
