"""``{% main_menu as items %}``, ``{% navbar as entries %}`` and ``{% navbar_items %}``: the menu
of mapro.core.menu for the current user (the navbar with its drop-down groups; ``navbar_items``
is the navbar's rendered ``<li>`` items, cached per menu and active page)."""

from typing import Any

from django import template

from mapro.core.menu import MenuItem, NavGroup, menu_for, navbar_for, navbar_html

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context: dict[str, Any]) -> list[MenuItem]:
    request = context.get("request")
    return menu_for(getattr(request, "user", None))


@register.simple_tag(takes_context=True)
def navbar(context: dict[str, Any]) -> list[MenuItem | NavGroup]:
    request = context.get("request")
    return navbar_for(getattr(request, "user", None))


@register.simple_tag(takes_context=True)
def navbar_items(context: dict[str, Any]) -> str:
    request = context.get("request")
    user = getattr(request, "user", None)
    if request is None or not getattr(user, "is_authenticated", False):
        return ""
    match = getattr(request, "resolver_match", None)
    # Safe HTML: core/_nav.html's output, escaped when it was rendered.
    return navbar_html(user, request.path, match.view_name if match else None)
