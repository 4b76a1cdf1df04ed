"""Helpers for other apps' tests: people with roles, made through the real actions.

    from mapro.organization.testing import user_with_roles
    director = user_with_roles("dir-dga", ("director-uo", "DGA"), unit="DGA")
    mesa = user_with_roles("mesa1", "operador-mesa")

Needs the reference organization loaded (``mapro.organization.seeding.load_organization()``
or ``call_command("seed")``); a role given as ``(code, unit_code)`` is scoped to that unit.
"""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth import get_user_model

from .actions import do_assign_role, do_create_person
from .models import Unit

_dni = itertools.count(20000001)


def user_with_roles(
    username: str,
    *roles: str | tuple[str, str],
    unit: str = "OGTIE",
    password: str | None = None,
    **user_fields: Any,
) -> Any:
    """A user with a Person in ``unit`` (a sigla) holding ``roles`` from today on."""
    user = get_user_model().objects.create_user(username, password=password, **user_fields)
    person = do_create_person(
        actor=None,
        dni=f"{next(_dni):08d}",
        first_name=username,
        last_name="Prueba",
        unit=Unit.objects.get(code=unit),
        regime="cas",
        user=user,
    )
    for role in roles:
        if isinstance(role, tuple):
            code, scope = role
            do_assign_role(person, code, actor=None, unit=Unit.objects.get(code=scope))
        else:
            do_assign_role(person, role, actor=None)
    return user
