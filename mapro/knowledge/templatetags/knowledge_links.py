"""``{% articles_from_incident incident as articles %}``: the knowledge-base articles drawn from
an incident that the signed-in user may read.

The incident page shows them through this tag, so the incidents app names no knowledge module
(the knowledge base depends on incidents, never the other way round: no import cycle)."""

from __future__ import annotations

from typing import Any

from django import template

from ..selectors import articles_visible_to

register = template.Library()


@register.simple_tag(takes_context=True)
def articles_from_incident(context: dict[str, Any], incident: Any) -> list[Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return list(articles_visible_to(user).filter(source_incident=incident))
