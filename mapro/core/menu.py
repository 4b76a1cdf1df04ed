"""What a user can do, for the navigation bar and the home page ("Inicio").

Each app declares its own entries, with its own role lists, in a ``menu.py`` that calls
``register`` (discovered at start-up by ``CoreConfig.ready``, as Django's admin discovers
``admin.py``); core knows no app. ``order`` places an entry (the bar reads left to right by it);
``roles`` limits it to holders of those role codes (see docs/roles.md); ``staff`` to Django
staff; neither means every signed-in user; ``group`` puts it in a navbar drop-down. An entry
whose URL name does not resolve is left out, so the menu only ever links to pages that exist.
The menu only *shows* links: each view still checks permission itself (the permission matrix
test checks that an entry's roles are those its page lets in).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.urls import NoReverseMatch, reverse

from mapro.organization.permissions import has_role


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    description: str
    roles: frozenset[str] | None = None
    staff: bool = False
    in_navbar: bool = True
    order: int = 1000
    group: str = ""

    def allows(self, user: Any) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        if self.staff and not user.is_staff:
            return False
        return self.roles is None or has_role(user, self.roles)


@dataclass(frozen=True)
class MenuItem:
    label: str
    url: str
    description: str
    in_navbar: bool
    group: str = ""


@dataclass(frozen=True)
class NavGroup:
    """Several navbar items under one drop-down (``label``)."""

    label: str
    items: list[MenuItem]


#: The drop-down of the registers and inventories (keeps the bar on one line).
REGISTERS = "Registros"

#: Every registered entry, by ``order`` (ties keep the order of registration).
ENTRIES: list[MenuEntry] = []


def register(*entries: MenuEntry) -> None:
    """Add an app's menu entries. Called at import of the app's ``menu.py``; a URL name may be
    registered once (a second registration is a configuration error, not a silent copy)."""
    known = {entry.url_name for entry in ENTRIES}
    for entry in entries:
        if entry.url_name in known:
            raise ImproperlyConfigured(f"Menu entry {entry.url_name!r} registered twice.")
        known.add(entry.url_name)
    ENTRIES.extend(entries)
    ENTRIES.sort(key=lambda entry: entry.order)


def roles(*groups: Iterable[str]) -> frozenset[str]:
    """The union of role-code collections, as an entry's ``roles``."""
    return frozenset().union(*groups)


def menu_for(user: Any) -> list[MenuItem]:
    """The entries ``user`` may use whose pages exist, with their URLs."""
    items = []
    for entry in ENTRIES:
        if not entry.allows(user):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        items.append(MenuItem(entry.label, url, entry.description, entry.in_navbar, entry.group))
    return items


def navbar_for(user: Any) -> list[MenuItem | NavGroup]:
    """The navbar: ``menu_for``'s navbar items in order, grouped ones gathered into one
    ``NavGroup`` where the group's first item would be; a group of one stays a plain item."""
    result: list[MenuItem | NavGroup] = []
    groups: dict[str, NavGroup] = {}
    for item in menu_for(user):
        if not item.in_navbar:
            continue
        if not item.group:
            result.append(item)
        elif item.group in groups:
            groups[item.group].items.append(item)
        else:
            groups[item.group] = NavGroup(item.group, [item])
            result.append(groups[item.group])
    return [g.items[0] if isinstance(g, NavGroup) and len(g.items) == 1 else g for g in result]


register(
    MenuEntry(
        "API",
        "docs",
        "Documentación de la API pública v1 para integrar otros sistemas.",
        in_navbar=False,
        order=170,
    ),
    MenuEntry(
        "Administración",
        "admin:index",
        "Administrar usuarios, unidades, personas y roles.",
        staff=True,
        order=180,
    ),
)
