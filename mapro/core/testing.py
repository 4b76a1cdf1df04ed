"""Test helpers shared by every app: users holding a role, like the demo organization's.

``make_user("operador-mesa")`` gives a user with a Person in OGTIE holding that role today;
``make_user("director-uo", unit=some_unit)`` scopes the grant to that unit. Role rows are
created on demand with the names of ``docs/roles.md``, so tests need no seed. People and
assignments are made through the organization's actions, as the product makes them
(``mapro.organization.testing.user_with_roles`` is the same for a seeded organization).
"""

from __future__ import annotations

import itertools
from typing import Any

from django.contrib.auth import get_user_model

from mapro.organization.actions import do_assign_role, do_create_person
from mapro.organization.models import Role, Unit

DEFAULT_PASSWORD = "clave-de-prueba-segura-1"  # noqa: S105 (test-only password)
UNSCOPED_ROLES_OUTSIDE_OGTIE = {"cgd", "ministro", "secretario-general", "resp-organo-estadistico"}
UNIT_SCOPED_ROLES = {"director-uo", "personal"}

_serial = itertools.count(1)


def _role_catalog() -> dict[str, Any]:
    try:
        from mapro.organization.data import ROLES
    except ImportError:  # the reference data module is not there yet: codes as names
        return {}
    return {role.code: role for role in ROLES}


def ensure_role(code: str) -> Role:
    """The Role row for ``code``, created with the catalogue's name and flags if missing."""
    data = _role_catalog().get(code)
    if data is not None:
        defaults = {
            "name": data.name,
            "unit_scoped": data.unit_scoped,
            "inside_ogtie": data.inside_ogtie,
        }
    else:
        defaults = {
            "name": code,
            "unit_scoped": code in UNIT_SCOPED_ROLES,
            "inside_ogtie": code not in UNIT_SCOPED_ROLES | UNSCOPED_ROLES_OUTSIDE_OGTIE,
        }
    role, _ = Role.objects.get_or_create(code=code, defaults=defaults)
    return role


def ensure_unit(code: str = "OGTIE", name: str | None = None, parent: Unit | None = None) -> Unit:
    """A unit by its code, created (under ``parent``) if missing."""
    unit, _ = Unit.objects.get_or_create(
        code=code, defaults={"name": name or code, "parent": parent}
    )
    return unit


def make_user(
    role_code: str | None = None,
    unit: Unit | None = None,
    *,
    username: str | None = None,
    password: str = DEFAULT_PASSWORD,
    is_staff: bool = False,
    is_superuser: bool = False,
    roles: tuple[str, ...] = (),
) -> Any:
    """A user with a Person and, if ``role_code`` (or ``roles``) is given, those roles today.

    The person belongs to ``unit`` (default OGTIE); grants of unit-scoped roles (director-uo,
    personal) cover that unit and the units under it, the other roles act across MINDEF.
    """
    n = next(_serial)
    codes = ([role_code] if role_code else []) + list(roles)
    username = username or (f"{codes[0]}-{n}" if codes else f"usuario-{n}")
    user = get_user_model().objects.create_user(
        username=username,
        password=password,
        first_name="Nombre",
        last_name=f"Apellido {n}",
        is_staff=is_staff or is_superuser,
        is_superuser=is_superuser,
    )
    person_unit = unit or ensure_unit()
    person = do_create_person(
        actor=None,
        dni=f"{10_000_000 + (n % 9_999_999):08d}",
        first_name=user.first_name,
        last_name=user.last_name,
        unit=person_unit,
        regime="cas",
        user=user,
    )
    for code in codes:
        role = ensure_role(code)
        # Unit-scoped roles act within the person's unit; the others across MINDEF.
        do_assign_role(person, role, actor=None, unit=person_unit if role.unit_scoped else None)
    return user
