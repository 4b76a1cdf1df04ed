"""Every change to the organization: units, Sector entities, roles, people and role assignments.

Each ``do_*`` runs in one transaction, checks that the actor may administer the organization
(``check_admin``), validates, writes the change and records one audit event per changed object.
A call that changes nothing records nothing, so re-running the seed or re-importing the same file
leaves the audit trail as it was.

``actor=None`` means the system itself: a management command run by the operator on the server
(``mapro seed``, ``mapro import_people``). Web and API views always pass ``request.user``, which
is never None (an anonymous visitor is ``AnonymousUser`` and is refused).
"""

from __future__ import annotations

import datetime
import re
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Model, Q
from django.utils import timezone

from mapro.audit.actions import record_event
from mapro.core.exceptions import Conflict, Forbidden, InvalidInput

from .choices import ContractRegime, ExternalOrganizationKind, UnitKind
from .models import ExternalOrganization, Person, Role, RoleAssignment, Unit
from .permissions import forget_grants

DNI_RE = re.compile(r"^\d{8}$")
UNIT_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]*$")

PERSON_FIELDS = (
    "dni",
    "first_name",
    "last_name",
    "cargo",
    "unit",
    "regime",
    "valid_from",
    "valid_until",
    "email",
    "user",
    "external_organization",
)
UNIT_FIELDS = ("code", "name", "kind", "parent", "is_active")
EXTERNAL_ORGANIZATION_FIELDS = ("code", "name", "kind", "is_active")
ROLE_FIELDS = ("code", "name", "unit_scoped", "inside_ogtie")

Errors = dict[str, list[str]]


# --- permission ---------------------------------------------------------------------------


def is_admin(actor: Any) -> bool:
    """True for the system (None) and for an active staff member or superuser."""
    if actor is None:
        return True
    return bool(
        getattr(actor, "is_authenticated", False)
        and actor.is_active
        and (actor.is_staff or actor.is_superuser)
    )


def check_admin(actor: Any) -> None:
    """Raise Forbidden unless the actor may administer the organization (see ``is_admin``)."""
    if not is_admin(actor):
        raise Forbidden("Solo el personal de administración puede modificar la organización.")


# --- helpers ------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A JSON-friendly value for audit snapshots: related objects by their natural key."""
    if isinstance(value, Unit | ExternalOrganization | Role):
        return value.code
    if isinstance(value, Model):
        return getattr(value, "username", None) or str(value.pk)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _snapshot(obj: Model, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


def _pk(instance: Model | None) -> Any:
    """The primary key to exclude from uniqueness checks (-1 matches nothing for a new object)."""
    return instance.pk if instance is not None and instance.pk is not None else -1


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _fmt(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _check_dates(errors: Errors, valid_from: Any, valid_until: Any) -> None:
    if valid_from is not None and valid_until is not None and valid_until < valid_from:
        _add(
            errors,
            "valid_until",
            f"La fecha «vigente hasta» ({_fmt(valid_until)}) no puede ser anterior a "
            f"«vigente desde» ({_fmt(valid_from)}).",
        )


def _apply(obj: Model, changes: dict[str, Any], allowed: tuple[str, ...]) -> dict[str, Any]:
    """Set the changed attributes on ``obj``; return only those that really changed."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise InvalidInput(errors={name: ["Campo no modificable."] for name in sorted(unknown)})
    changed = {}
    for name, value in changes.items():
        if _plain(getattr(obj, name)) != _plain(value):
            changed[name] = value
    for name, value in changed.items():
        setattr(obj, name, value)
    return changed


# --- units --------------------------------------------------------------------------------


def check_unit_data(data: dict[str, Any], *, instance: Unit | None = None) -> Errors:
    """Validation errors (field → Spanish messages) for a unit's data; empty when valid."""
    errors: Errors = {}
    code = data.get("code", "")
    if not code or not UNIT_CODE_RE.match(code):
        _add(errors, "code", "La sigla debe ir en mayúsculas, con letras, dígitos o guiones.")
    elif Unit.objects.filter(code=code).exclude(pk=_pk(instance)).exists():
        _add(errors, "code", f"Ya existe una unidad con la sigla {code}.")
    if not (data.get("name") or "").strip():
        _add(errors, "name", "Indique el nombre de la unidad.")
    if data.get("kind") not in UnitKind.values:
        _add(errors, "kind", "Tipo de unidad no válido.")
    parent = data.get("parent")
    if (
        isinstance(parent, Unit)
        and instance is not None
        and instance.pk is not None
        and (parent.pk == instance.pk or parent.path.startswith(instance.path or "\0"))
    ):
        _add(errors, "parent", "Una unidad no puede depender de sí misma ni de una subunidad.")
    return errors


@transaction.atomic
def do_create_unit(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str = UnitKind.OFICINA,
    parent: Unit | None = None,
    is_active: bool = True,
) -> Unit:
    """Create a unit of MINDEF under ``parent`` (None for the root); the path is kept by save."""
    check_admin(actor)
    data = {"code": code, "name": name, "kind": kind, "parent": parent, "is_active": is_active}
    errors = check_unit_data(data)
    if errors:
        raise InvalidInput(errors=errors)
    unit = Unit(**data)
    unit.save()
    record_event(actor=actor, action="unit.create", obj=unit, after=_snapshot(unit, UNIT_FIELDS))
    return unit


@transaction.atomic
def do_update_unit(unit: Unit, *, actor: Any, **changes: Any) -> Unit:
    """Change a unit's data; moving it re-computes the paths of its whole subtree."""
    check_admin(actor)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = _snapshot(unit, UNIT_FIELDS)
    data = {name: getattr(unit, name) for name in UNIT_FIELDS}
    data.update(changes)
    errors = check_unit_data(data, instance=unit)
    if errors:
        raise InvalidInput(errors=errors)
    if not _apply(unit, changes, UNIT_FIELDS):
        return unit
    unit.save()
    record_event(
        actor=actor,
        action="unit.update",
        obj=unit,
        before=before,
        after=_snapshot(unit, UNIT_FIELDS),
    )
    return unit


# --- Sector Defensa entities --------------------------------------------------------------


def check_external_organization_data(
    data: dict[str, Any], *, instance: ExternalOrganization | None = None
) -> Errors:
    errors: Errors = {}
    code = data.get("code", "")
    if not code or not UNIT_CODE_RE.match(code):
        _add(errors, "code", "La sigla debe ir en mayúsculas, con letras, dígitos o guiones.")
    elif ExternalOrganization.objects.filter(code=code).exclude(pk=_pk(instance)).exists():
        _add(errors, "code", f"Ya existe una entidad con la sigla {code}.")
    if not (data.get("name") or "").strip():
        _add(errors, "name", "Indique el nombre de la entidad.")
    if data.get("kind") not in ExternalOrganizationKind.values:
        _add(errors, "kind", "Tipo de entidad no válido.")
    return errors


@transaction.atomic
def do_create_external_organization(
    *, actor: Any, code: str, name: str, kind: str, is_active: bool = True
) -> ExternalOrganization:
    """Register an entity of the Sector Defensa (órgano ejecutor, organismo público, empresa)."""
    check_admin(actor)
    data = {"code": code, "name": name, "kind": kind, "is_active": is_active}
    errors = check_external_organization_data(data)
    if errors:
        raise InvalidInput(errors=errors)
    org = ExternalOrganization.objects.create(**data)
    record_event(
        actor=actor,
        action="external_organization.create",
        obj=org,
        after=_snapshot(org, EXTERNAL_ORGANIZATION_FIELDS),
    )
    return org


@transaction.atomic
def do_update_external_organization(
    org: ExternalOrganization, *, actor: Any, **changes: Any
) -> ExternalOrganization:
    """Change an entity's data (deactivate it instead of deleting it)."""
    check_admin(actor)
    org = ExternalOrganization.objects.select_for_update().get(pk=org.pk)
    before = _snapshot(org, EXTERNAL_ORGANIZATION_FIELDS)
    errors = check_external_organization_data({**before, **changes}, instance=org)
    if errors:
        raise InvalidInput(errors=errors)
    if not _apply(org, changes, EXTERNAL_ORGANIZATION_FIELDS):
        return org
    org.save()
    record_event(
        actor=actor,
        action="external_organization.update",
        obj=org,
        before=before,
        after=_snapshot(org, EXTERNAL_ORGANIZATION_FIELDS),
    )
    return org


# --- roles --------------------------------------------------------------------------------


@transaction.atomic
def do_save_role(
    *, actor: Any, code: str, name: str, unit_scoped: bool = False, inside_ogtie: bool = False
) -> Role:
    """Create or update the role ``code`` of the catalog (roles.md); used by ``mapro seed``.

    The catalog is defined in code (``data.ROLES``), so the admin shows roles read-only.
    """
    check_admin(actor)
    data = {"name": name, "unit_scoped": unit_scoped, "inside_ogtie": inside_ogtie}
    role = Role.objects.select_for_update().filter(code=code).first()
    if role is None:
        role = Role.objects.create(code=code, **data)
        after = _snapshot(role, ROLE_FIELDS)
        record_event(actor=actor, action="role.create", obj=role, after=after)
        return role
    before = _snapshot(role, ROLE_FIELDS)
    if _apply(role, data, ROLE_FIELDS):
        role.save()
        record_event(
            actor=actor,
            action="role.update",
            obj=role,
            before=before,
            after=_snapshot(role, ROLE_FIELDS),
        )
    return role


# --- people -------------------------------------------------------------------------------


def check_person_data(data: dict[str, Any], *, instance: Person | None = None) -> Errors:
    """Validation errors (field → Spanish messages) for a person's full data; empty when valid.

    Shared by the actions, the admin form and the import, so all three say the same thing.
    """
    errors: Errors = {}
    pk = _pk(instance)
    dni = data.get("dni") or ""
    if not DNI_RE.match(dni):
        _add(errors, "dni", "El DNI debe tener exactamente 8 dígitos.")
    elif Person.objects.filter(dni=dni).exclude(pk=pk).exists():
        _add(errors, "dni", f"Ya existe una persona con el DNI {dni}.")
    for field, label, limit in (
        ("first_name", "los nombres", 120),
        ("last_name", "los apellidos", 120),
    ):
        value = (data.get(field) or "").strip()
        if not value:
            _add(errors, field, f"Indique {label}.")
        elif len(value) > limit:
            _add(errors, field, f"Máximo {limit} caracteres.")
    if len(data.get("cargo") or "") > 200:
        _add(errors, "cargo", "Máximo 200 caracteres.")
    unit = data.get("unit")
    if not isinstance(unit, Unit):
        _add(errors, "unit", "Indique la unidad de organización.")
    elif not unit.is_active and (instance is None or instance.unit_id != unit.pk):
        _add(errors, "unit", f"La unidad {unit.code} no está activa.")
    if data.get("regime") not in ContractRegime.values:
        _add(errors, "regime", "Régimen de contratación no válido.")
    email = data.get("email") or ""
    if email:
        try:
            validate_email(email)
        except ValidationError:
            _add(errors, "email", "El correo no es válido.")
    _check_dates(errors, data.get("valid_from"), data.get("valid_until"))
    user = data.get("user")
    if user is not None and Person.objects.filter(user=user).exclude(pk=pk).exists():
        _add(errors, "user", "Ese usuario ya está vinculado a otra persona.")
    return errors


@transaction.atomic
def do_create_person(
    *,
    actor: Any,
    dni: str,
    first_name: str,
    last_name: str,
    unit: Unit,
    regime: str,
    cargo: str = "",
    email: str = "",
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
    user: Any = None,
    external_organization: ExternalOrganization | None = None,
) -> Person:
    """Register a person (with or without a login). The DNI is unique and has 8 digits."""
    check_admin(actor)
    data = {
        "dni": (dni or "").strip(),
        "first_name": (first_name or "").strip(),
        "last_name": (last_name or "").strip(),
        "cargo": (cargo or "").strip(),
        "unit": unit,
        "regime": regime,
        "valid_from": valid_from,
        "valid_until": valid_until,
        "email": (email or "").strip(),
        "user": user,
        "external_organization": external_organization,
    }
    errors = check_person_data(data)
    if errors:
        raise InvalidInput(errors=errors)
    person = Person.objects.create(**data)
    record_event(
        actor=actor, action="person.create", obj=person, after=_snapshot(person, PERSON_FIELDS)
    )
    if user is not None:
        forget_grants(user)
    return person


@transaction.atomic
def do_update_person(person: Person, *, actor: Any, **changes: Any) -> Person:
    """Change a person's data; records an event only when something changed.

    Ending a person's validity (``valid_until``) ends all their grants after that day, since
    the permission layer ignores people who are no longer current.
    """
    check_admin(actor)
    person = Person.objects.select_for_update().get(pk=person.pk)
    for key in ("dni", "first_name", "last_name", "cargo", "email"):
        if key in changes and isinstance(changes[key], str):
            changes[key] = changes[key].strip()
    data = {name: getattr(person, name) for name in PERSON_FIELDS}
    data.update(changes)
    errors = check_person_data(data, instance=person)
    if errors:
        raise InvalidInput(errors=errors)
    old_user = person.user
    before = _snapshot(person, PERSON_FIELDS)
    if not _apply(person, changes, PERSON_FIELDS):
        return person
    person.save()
    record_event(
        actor=actor,
        action="person.update",
        obj=person,
        before=before,
        after=_snapshot(person, PERSON_FIELDS),
    )
    for user in (old_user, person.user):
        if user is not None:
            forget_grants(user)
    return person


# --- role assignments ---------------------------------------------------------------------

ASSIGNMENT_FIELDS = ("person", "role", "unit", "valid_from", "valid_until")


def _assignment_snapshot(assignment: RoleAssignment) -> dict[str, Any]:
    snap = _snapshot(assignment, ASSIGNMENT_FIELDS)
    snap["person"] = assignment.person.dni
    return snap


def check_assignment_data(
    *,
    person: Person | None,
    role: Role | None,
    unit: Unit | None,
    valid_from: datetime.date | None,
    valid_until: datetime.date | None,
) -> Errors:
    """Validation errors for a new assignment (overlaps are a Conflict, see ``do_assign_role``)."""
    errors: Errors = {}
    if role is None:
        _add(errors, "role", "Indique el rol.")
    elif role.unit_scoped and unit is None:
        _add(errors, "unit", f"El rol {role.code} se asigna dentro de una unidad: indíquela.")
    if unit is not None and not unit.is_active:
        _add(errors, "unit", f"La unidad {unit.code} no está activa.")
    _check_dates(errors, valid_from, valid_until)
    ends = person.valid_until if person is not None else None
    if valid_from is not None and ends is not None and valid_from > ends:
        _add(errors, "valid_from", f"La persona solo está vigente hasta el {_fmt(ends)}.")
    return errors


def overlapping_assignments(
    person: Person,
    role: Role,
    unit: Unit | None,
    valid_from: datetime.date | None,
    valid_until: datetime.date | None,
) -> Any:
    """Assignments of the same role and scope to ``person`` whose periods meet the given one."""
    qs = RoleAssignment.objects.filter(person=person, role=role, unit=unit)
    if valid_until is not None:
        qs = qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=valid_until))
    if valid_from is not None:
        qs = qs.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from))
    return qs


def _role(role: Role | str) -> Role:
    if isinstance(role, Role):
        return role
    found = Role.objects.filter(code=role).first()
    if found is None:
        raise InvalidInput(errors={"role": [f"No existe el rol «{role}»."]})
    return found


@transaction.atomic
def do_assign_role(
    person: Person,
    role: Role | str,
    *,
    actor: Any,
    unit: Unit | None = None,
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> RoleAssignment:
    """Give ``person`` the role ``role`` (within ``unit`` for unit-scoped roles) for a period.

    A unit-scoped role needs a unit; a global role given with a unit acts only in that subtree.
    The same role and scope may not be held twice in overlapping periods (Conflict).
    """
    check_admin(actor)
    role = _role(role)
    person = Person.objects.select_for_update().get(pk=person.pk)
    errors = check_assignment_data(
        person=person, role=role, unit=unit, valid_from=valid_from, valid_until=valid_until
    )
    if errors:
        raise InvalidInput(errors=errors)
    if overlapping_assignments(person, role, unit, valid_from, valid_until).exists():
        scope = f" en {unit.code}" if unit else ""
        raise Conflict(f"{person} ya tiene el rol {role.code}{scope} vigente en ese periodo.")
    assignment = RoleAssignment.objects.create(
        person=person, role=role, unit=unit, valid_from=valid_from, valid_until=valid_until
    )
    record_event(
        actor=actor,
        action="role_assignment.create",
        obj=assignment,
        after=_assignment_snapshot(assignment),
    )
    if person.user is not None:
        forget_grants(person.user)
    return assignment


@transaction.atomic
def do_end_role_assignment(
    assignment: RoleAssignment, *, actor: Any, last_day: datetime.date | None = None
) -> RoleAssignment:
    """End an assignment: ``last_day`` is the last day the role holds (inclusive).

    The default is yesterday, so the role stops at once. An assignment that started today or
    later cannot end before it starts: pass its start day (it then holds only that day).
    Assignments are never deleted, so the record of who held which role stays.
    """
    check_admin(actor)
    assignment = (
        RoleAssignment.objects.select_for_update(of=("self",))
        .select_related("person", "role", "unit")
        .get(pk=assignment.pk)
    )
    day = last_day or timezone.localdate() - datetime.timedelta(days=1)
    errors: Errors = {}
    _check_dates(errors, assignment.valid_from, day)
    if errors:
        raise InvalidInput(errors=errors)
    if assignment.valid_until == day:
        return assignment
    before = _assignment_snapshot(assignment)
    assignment.valid_until = day
    assignment.save(update_fields=["valid_until"])
    record_event(
        actor=actor,
        action="role_assignment.end",
        obj=assignment,
        before=before,
        after=_assignment_snapshot(assignment),
    )
    if assignment.person.user is not None:
        forget_grants(assignment.person.user)
    return assignment


# --- import -------------------------------------------------------------------------------


def do_import_people(file: IO[bytes] | Any, *, actor: Any, filename: str = "") -> Any:
    """Import people from a CSV or XLSX file, all or nothing. See ``importing`` for the format.

    Every row is validated first; if any row is invalid, ``ImportRejected`` (an InvalidInput)
    lists every invalid row with its line number and reason, and nothing is written. Otherwise
    each new DNI is created and each existing DNI updated with the file's values, in one
    transaction.

    Audit: each created or changed person gets its own ``person.create``/``person.update`` event
    (so a person's history reads the same whether the change came from a form or a file), and
    one ``person.import`` summary event records the file name, its SHA-256 and the counts.
    Unchanged rows record nothing.
    """
    from .importing import import_people

    check_admin(actor)
    return import_people(file, actor=actor, filename=filename)
