"""Test helpers of the accounts register: people to grant to, accounts made through actions."""

from __future__ import annotations

import itertools
from typing import Any

from mapro.core.testing import ensure_unit
from mapro.organization.actions import do_create_person
from mapro.organization.models import Person, Unit

from .actions import do_grant_account
from .models import Account

_serial = itertools.count(1)


def make_person(
    first_name: str = "Juan",
    last_name: str = "Pérez García",
    *,
    unit: Unit | None = None,
    regime: str = "cas",
    dni: str | None = None,
) -> Person:
    """A person without login (as HR registers them), in ``unit`` (default OGTIE)."""
    n = next(_serial)
    return do_create_person(
        actor=None,
        dni=dni or f"{70_000_000 + n:08d}",
        first_name=first_name,
        last_name=last_name,
        unit=unit or ensure_unit(),
        regime=regime,
    )


def make_account(person: Person | None = None, *, kind: str = "red", **kwargs: Any) -> Account:
    """An account granted by the system through ``do_grant_account``."""
    return do_grant_account(person or make_person(), actor=None, kind=kind, **kwargs)


def account_kwargs(user: Any) -> dict[str, Any]:
    """URL kwargs of an active account of a person in ``user``'s unit (permission matrix)."""
    unit = None
    person = getattr(user, "person", None) if user is not None else None
    if person is not None:
        unit = person.unit
    return {"pk": make_account(make_person(unit=unit)).pk}
