"""The menu each role sees, entry by entry and in the navbar's order, against a reviewed table
(``menu_by_role.json``: every role of the catalogue, a user without roles, Django staff).

The table was taken from the hand-written menu before each app registered its own entries;
a change to it is a change of what people see, to be reviewed like one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from mapro.core import menu
from mapro.core.testing import make_user
from mapro.organization.data import ROLES

EXPECTED = json.loads((Path(__file__).parent / "menu_by_role.json").read_text())
SUBJECTS = [role.code for role in ROLES] + ["(sin rol)", "(staff)"]


def _user(subject: str) -> Any:
    if subject == "(sin rol)":
        return make_user()
    if subject == "(staff)":
        return make_user(is_staff=True)
    return make_user(subject)


def _navbar(user: Any) -> list[Any]:
    return [
        {e.label: [i.label for i in e.items]} if isinstance(e, menu.NavGroup) else e.label
        for e in menu.navbar_for(user)
    ]


def test_the_table_covers_every_role_of_the_catalogue() -> None:
    assert set(EXPECTED["by_role"]) == set(SUBJECTS)


@pytest.mark.django_db
@pytest.mark.parametrize("subject", SUBJECTS)
def test_each_role_sees_the_same_menu(subject: str) -> None:
    user = _user(subject)
    items = menu.menu_for(user)
    assert [i.label for i in items] == EXPECTED["by_role"][subject]["menu"], (
        f"The menu of {subject} changed; if that is intended (a new page, new roles), update "
        "mapro/core/tests/menu_by_role.json with it and say so in the commit."
    )
    for item in items:
        entry = EXPECTED["entries"][item.label]
        assert (item.url, item.group, item.in_navbar, item.description) == (
            entry["url"],
            entry["group"],
            entry["in_navbar"],
            entry["description"],
        ), item.label
    assert _navbar(user) == EXPECTED["by_role"][subject]["navbar"]


def test_every_app_registers_its_own_entries() -> None:
    """The entries come from the apps' menu.py (core names none of them but its own two)."""
    owners = {entry.url_name.split(":")[0] for entry in menu.ENTRIES if ":" in entry.url_name}
    assert owners == {
        "procedures",
        "schedules",
        "helpdesk",
        "iam",
        "datacenter",
        "incidents",
        "hr",
        "knowledge",
        "assets",
        "documents",
        "systems",
        "statistics",
        "operations",
        "inventory",
        "sgsi",
        "govdigital",
        "audit",
        "admin",
    }
    core_source = Path(menu.__file__).read_text()
    for app in owners - {"admin"}:
        assert f'"{app}:' not in core_source, app


def test_a_url_name_registered_twice_is_refused() -> None:
    before = list(menu.ENTRIES)
    with pytest.raises(ImproperlyConfigured, match="helpdesk:console_queue"):
        menu.register(menu.MenuEntry("Otra mesa", "helpdesk:console_queue", "Copia"))
    assert before == menu.ENTRIES
