"""The ``<option>`` lists of the console's assignment forms (``console/_assign_fields.html``),
drawn in Python: ``{% team_options teams v ticket %}``, ``{% staff_options staff v ticket %}``.

The template loops evaluated two or three conditions for each of the ~60 options, twice a page
when both the "Validar" and "Asignar" forms are shown: about a quarter of the console's ticket
page (issue #15, docs/benchmarks.md section 8). The markup is the loops', byte for byte
(``test_assign_options_html``): values escaped as Django escapes them (``html.escape``), a
missing unit printed as the template printed ``None``.
"""

from __future__ import annotations

from html import escape
from typing import Any

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _posted(values: Any, key: str) -> Any:
    """``values.key`` as a template condition resolves it: the dict's entry, else None (the
    form's values are a dict, or "" when the page shows no posted form)."""
    if isinstance(values, dict):
        return values.get(key)
    return getattr(values, key, None)


@register.simple_tag
def team_options(teams: Any, values: Any, ticket: Any) -> SafeString:
    """The teams (``console_choices.team_choices``): the posted one selected, else the
    ticket's."""
    chosen = _posted(values, "team")
    parts = []
    for u in teams:
        selected = chosen == u.code if chosen else u.pk == ticket.team_id
        code = escape(str(u.code))
        parts.append(
            f'<option value="{code}"{" selected" if selected else ""}>'
            f"{code} — {escape(str(u.name))}</option>"
        )
    return mark_safe("".join(parts))  # every value escaped above


@register.simple_tag
def staff_options(staff: Any, values: Any, ticket: Any) -> SafeString:
    """The people who attend tickets (``console_choices.staff_choices``): the posted one
    selected, else (no form posted) the ticket's assignee."""
    chosen = _posted(values, "assignee")
    current = None
    if not values and ticket.assignee:
        current = ticket.assignee.username
    parts = []
    for p in staff:
        username = p["username"]
        selected = chosen == username or (current is not None and current == username)
        label = p["name"] or username
        parts.append(
            f'<option value="{escape(str(username))}"{" selected" if selected else ""}>'
            f"{escape(str(label))} ({escape(str(p['unit']))})</option>"
        )
    return mark_safe("".join(parts))  # every value escaped above
