"""``{% main_menu as items %}``: the menu entries of mapro.core.menu for the current user."""

from typing import Any

from django import template

from mapro.core.menu import MenuItem, menu_for

register = template.Library()


@register.simple_tag(takes_context=True)
def main_menu(context: dict[str, Any]) -> list[MenuItem]:
    request = context.get("request")
    return menu_for(getattr(request, "user", None))
