"""``{% main_menu as items %}`` and ``{% navbar as entries %}``: the menu of mapro.core.menu
for the current user (the navbar with its drop-down groups)."""

from typing import Any

from django import template

from mapro.core.menu import MenuItem, NavGroup, menu_for, navbar_for

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context: dict[str, Any]) -> list[MenuItem]:
    request = context.get("request")
    return menu_for(getattr(request, "user", None))


@register.simple_tag(takes_context=True)
def navbar(context: dict[str, Any]) -> list[MenuItem | NavGroup]:
    request = context.get("request")
    return navbar_for(getattr(request, "user", None))
