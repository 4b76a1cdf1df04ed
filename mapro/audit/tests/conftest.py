"""Fixtures for the audit tests: users holding a role, events written as the product writes them."""

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from mapro.organization.models import Person, Role, RoleAssignment, Unit

_serial = itertools.count(1)


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    """``make_user("jefe-ogtie")``: a user with a Person in OGTIE holding that role today."""

    def make(role_code: str | None = None, *, username: str | None = None, **extra: Any) -> Any:
        n = next(_serial)
        user = get_user_model().objects.create(
            username=username or f"{role_code or 'usuario'}-{n}",
            first_name="Nombre",
            last_name=f"Apellido {n}",
            **extra,
        )
        unit, _ = Unit.objects.get_or_create(code="OGTIE", defaults={"name": "OGTIE"})
        person = Person.objects.create(
            user=user,
            first_name=user.first_name,
            last_name=user.last_name,
            dni=f"{20_000_000 + n:08d}",
            unit=unit,
            regime="cas",
        )
        if role_code:
            role, _ = Role.objects.get_or_create(code=role_code, defaults={"name": role_code})
            RoleAssignment.objects.create(person=person, role=role)
        return user

    return make
