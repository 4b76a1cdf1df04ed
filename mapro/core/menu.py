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

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

from mapro.organization.permissions import has_role, role_codes


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

    def allows_holder(self, codes: frozenset[str], staff: bool) -> bool:
        """``allows`` for a signed-in user holding ``codes`` (any unit) and ``staff``."""
        if self.staff and not staff:
            return False
        return self.roles is None or not self.roles.isdisjoint(codes)


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
    if not getattr(user, "is_authenticated", False):
        return []
    return list(_menu(*_menu_key(user)))


def navbar_for(user: Any) -> list[MenuItem | NavGroup]:
    """The navbar: ``menu_for``'s navbar items in order, grouped ones gathered into one
    ``NavGroup`` where the group's first item would be; a group of one stays a plain item."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(_navbar(*_menu_key(user)))


def navbar_html(user: Any, path: str, view_name: str | None) -> str:
    """The navbar's ``<li>`` items (``core/_nav.html``) for ``user`` on the page at ``path``.

    Rendered once per menu (the same key as ``_menu``) and active page: the HTML depends on
    nothing else, and the page is marked only when it is one of the menu's (or the home page),
    so the number of cached copies is bounded by the menus' entries.
    """
    key = _menu_key(user)
    return _navbar_html(key, path if path in _navbar_urls(*key) else "", view_name == "core:home")


# --- the cache ------------------------------------------------------------------------------
# A user's menu depends only on the role codes held today (any unit: ``has_role`` without a
# unit), on being staff, on the registered entries and on the URLs they reverse to. With all
# of these in the key nothing needs invalidating: a role granted or revoked changes the key on
# the next request (the grants are read from the database once per request), and the cache
# holds no user's data. It is per process and bounded.


def _menu_key(user: Any) -> tuple[Any, ...]:
    return (
        frozenset(role_codes(user)),
        bool(user.is_staff),
        tuple(ENTRIES),
        get_urlconf() or settings.ROOT_URLCONF,
        get_script_prefix(),
    )


@functools.lru_cache(maxsize=256)
def _menu(
    codes: frozenset[str], staff: bool, entries: tuple[MenuEntry, ...], urlconf: Any, prefix: str
) -> tuple[MenuItem, ...]:
    items = []
    for entry in entries:
        if not entry.allows_holder(codes, staff):
            continue
        try:
            url = reverse(entry.url_name, urlconf=urlconf)
        except NoReverseMatch:
            continue
        items.append(MenuItem(entry.label, url, entry.description, entry.in_navbar, entry.group))
    return tuple(items)


@functools.lru_cache(maxsize=256)
def _navbar(*key: Any) -> tuple[MenuItem | NavGroup, ...]:
    result: list[MenuItem | NavGroup] = []
    groups: dict[str, NavGroup] = {}
    for item in _menu(*key):
        if not item.in_navbar:
            continue
        if not item.group:
            result.append(item)
        elif item.group in groups:
            groups[item.group].items.append(item)
        else:
            groups[item.group] = NavGroup(item.group, [item])
            result.append(groups[item.group])
    return tuple(g.items[0] if isinstance(g, NavGroup) and len(g.items) == 1 else g for g in result)


@functools.lru_cache(maxsize=256)
def _navbar_urls(*key: Any) -> frozenset[str]:
    return frozenset(item.url for item in _menu(*key) if item.in_navbar)


@functools.lru_cache(maxsize=1024)
def _navbar_html(key: tuple[Any, ...], active: str, home: bool) -> str:
    from django.template.loader import render_to_string

    return render_to_string(
        "core/_nav.html",
        {
            "nav_entries": _navbar(*key),
            "active": active,
            "home_active": home,
            "home_url": reverse("core:home", urlconf=key[3]),
        },
    )


def clear_cache() -> None:
    _menu.cache_clear()
    _navbar.cache_clear()
    _navbar_urls.cache_clear()
    _navbar_html.cache_clear()


@receiver(setting_changed)
def _settings_changed(*, setting: str, **kwargs: Any) -> None:
    # Tests that swap URLconfs or templates must not see another configuration's menu.
    if setting in {"ROOT_URLCONF", "TEMPLATES", "FORCE_SCRIPT_NAME"}:
        clear_cache()


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
