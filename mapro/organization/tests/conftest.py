"""Fixtures of the organization tests: the seeded organization and people made by the actions."""

import itertools

import pytest
from django.contrib.auth import get_user_model

from mapro.core.testing import seed_once
from mapro.organization.actions import do_assign_role, do_create_person
from mapro.organization.models import Unit
from mapro.organization.seeding import load_organization

_dni = itertools.count(10000001)


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    # Argon2 is deliberately slow; one test checks the real hasher, the rest use a fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def org(db):
    """The reference organization (units, entities, roles), as ``mapro seed`` loads it."""
    seed_once("organization", load_organization)
    return {u.code: u for u in Unit.objects.all()}


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user("staff", password="x", is_staff=True)


@pytest.fixture
def plain_user(db):
    return get_user_model().objects.create_user("plain", password="x")


@pytest.fixture
def make_person(org):
    """Create a person (and optionally a user and roles) through the actions."""

    def make(unit="OGTIE", *, username=None, roles=(), **fields):
        user = get_user_model().objects.create_user(username) if username else None
        data = {
            "dni": str(next(_dni)),
            "first_name": "Nombre",
            "last_name": "Apellido",
            "unit": org[unit] if isinstance(unit, str) else unit,
            "regime": "cas",
            **fields,
        }
        person = do_create_person(actor=None, user=user, **data)
        for role in roles:
            if isinstance(role, tuple):
                code, scope = role
                do_assign_role(person, code, actor=None, unit=org[scope])
            else:
                do_assign_role(person, role, actor=None)
        return person

    return make
