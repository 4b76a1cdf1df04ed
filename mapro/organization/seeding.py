"""Loading the reference organization and the demo users (``mapro seed``), idempotently.

Everything is keyed by a natural code (unit and entity sigla, role code, username, DNI) and
written through the organization's actions with ``actor=None`` (the system), which audit only
real changes: a second run changes nothing and records nothing. Demo users exist only through
``load_demo_users``, never through a migration, so a production database never holds them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules

from . import data
from .actions import (
    do_assign_role,
    do_create_external_organization,
    do_create_person,
    do_create_unit,
    do_save_role,
    do_update_external_organization,
    do_update_person,
    do_update_unit,
)
from .models import ExternalOrganization, Person, Role, RoleAssignment, Unit

DEMO_EMAIL_DOMAIN = "mindef.test"


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)

    def count(self, kind: str, n: int = 1) -> None:
        self.created[kind] = self.created.get(kind, 0) + n

    def __str__(self) -> str:
        if not self.created:
            return "sin cambios"
        return ", ".join(f"{kind}: {n}" for kind, n in self.created.items())


# Steps other apps add to ``mapro seed`` after the organization is loaded (their reference data
# needs its units). An app registers in its own ``seeding`` module, which ``run_seed_steps``
# discovers, so the organization names no app.
SeedStep = Callable[..., str]
_SEED_STEPS: list[tuple[int, SeedStep]] = []


def register_seed_step(*, order: int = 100) -> Callable[[SeedStep], SeedStep]:
    """Decorator adding a step to the seed. The step is called as ``step(demo=...)``
    (``--demo`` given or not) after the organization and the demo users, lowest ``order``
    first, and returns the line ``mapro seed`` prints."""

    def add(step: SeedStep) -> SeedStep:
        if all(known is not step for _, known in _SEED_STEPS):
            _SEED_STEPS.append((order, step))
            _SEED_STEPS.sort(key=lambda item: item[0])
        return step

    return add


def run_seed_steps(*, demo: bool = False) -> list[str]:
    """Run every app's registered seed step, in order; their report lines."""
    autodiscover_modules("seeding")
    return [step(demo=demo) for _, step in _SEED_STEPS]


@transaction.atomic
def load_organization(*, actor: Any = None) -> SeedReport:
    """Create or update the units, Sector entities and roles of ``data``."""
    report = SeedReport()
    units: dict[str, Unit] = {}
    for item in data.UNITS:
        values: dict[str, Any] = {
            "name": item.name,
            "kind": str(item.kind),
            "parent": units[item.parent] if item.parent else None,
        }
        unit = Unit.objects.filter(code=item.code).first()
        if unit is None:
            unit = do_create_unit(actor=actor, code=item.code, **values)
            report.count("unidades nuevas")
        else:
            unit = do_update_unit(unit, actor=actor, **values)
        units[item.code] = unit
    for org_item in data.EXTERNAL_ORGANIZATIONS:
        org = ExternalOrganization.objects.filter(code=org_item.code).first()
        if org is None:
            do_create_external_organization(
                actor=actor, code=org_item.code, name=org_item.name, kind=str(org_item.kind)
            )
            report.count("entidades nuevas")
        else:
            do_update_external_organization(
                org, actor=actor, name=org_item.name, kind=str(org_item.kind)
            )
    existing_roles = set(Role.objects.values_list("code", flat=True))
    for role in data.ROLES:
        do_save_role(
            actor=actor,
            code=role.code,
            name=role.name,
            unit_scoped=role.unit_scoped,
            inside_ogtie=role.inside_ogtie,
        )
        if role.code not in existing_roles:
            report.count("roles nuevos")
    return report


def _ensure_user(username: str, password: str, **flags: Any) -> tuple[Any, bool]:
    """The user ``username`` with ``password`` and ``flags``; the hash is kept if it matches."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    created = user is None
    if user is None:
        user = user_model(username=username, **flags)
        user.set_password(password)
        user.save()
        return user, created
    dirty = False
    for name, value in flags.items():
        if getattr(user, name) != value:
            setattr(user, name, value)
            dirty = True
    # Only a different configured password re-hashes: re-running keeps the stored hash.
    if not user.check_password(password):
        user.set_password(password)
        dirty = True
    if dirty:
        user.save()
    return user, created


@transaction.atomic
def load_demo_users(*, actor: Any = None, password: str | None = None) -> SeedReport:
    """One user per role code (username = code) with a Person and a current assignment, plus
    an ``admin`` superuser. Unit-scoped roles are assigned within their demo unit."""
    password = password if password is not None else settings.MAPRO_DEMO_PASSWORD
    report = SeedReport()
    units = {u.code: u for u in Unit.objects.all()}
    orgs = {o.code: o for o in ExternalOrganization.objects.all()}
    roles = {r.code: r for r in Role.objects.all()}
    today = timezone.localdate()

    _, created = _ensure_user(
        "admin", password, is_staff=True, is_superuser=True, is_active=True,
        first_name="Administrador", last_name="mapro",
    )  # fmt: skip
    if created:
        report.count("usuarios nuevos")

    for index, item in enumerate(data.DEMO_PEOPLE):
        role = roles[item.role]
        user, created = _ensure_user(
            item.role, password, is_active=True,
            first_name=item.first_name, last_name=item.last_name,
        )  # fmt: skip
        if created:
            report.count("usuarios nuevos")
        values: dict[str, Any] = {
            "dni": str(data.DEMO_DNI_BASE + index),
            "first_name": item.first_name,
            "last_name": item.last_name,
            "cargo": item.cargo,
            "unit": units[item.unit],
            "regime": str(item.regime),
            # Institutional-looking addresses on a reserved domain (RFC 2606): demo mail can
            # never reach a real mailbox.
            "email": f"{item.role}@{DEMO_EMAIL_DOMAIN}",
            "external_organization": (
                orgs[item.external_organization] if item.external_organization else None
            ),
        }
        person = (
            Person.objects.filter(user=user).first()
            or Person.objects.filter(dni=values["dni"]).first()
        )
        if person is None:
            person = do_create_person(actor=actor, user=user, **values)
            report.count("personas nuevas")
        else:
            person = do_update_person(person, actor=actor, user=user, **values)
        scope = units[item.unit] if role.unit_scoped else None
        held = RoleAssignment.objects.filter(person=person, role=role, unit=scope)
        if not held.current(today).exists():
            # An ended demo assignment stays as history; the new one starts today.
            start = today if held.exists() else None
            do_assign_role(person, role, actor=actor, unit=scope, valid_from=start)
            report.count("asignaciones nuevas")
    return report
