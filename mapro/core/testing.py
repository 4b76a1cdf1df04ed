"""Test helpers shared by every app: users holding a role, like the demo organization's.

``make_user("operador-mesa")`` gives a user with a Person in OGTIE holding that role today;
``make_user("director-uo", unit=some_unit)`` scopes the grant to that unit. Role rows are
created on demand with the names of ``docs/roles.md``, so tests need no seed. People and
assignments are made through the organization's actions, as the product makes them
(``mapro.organization.testing.user_with_roles`` is the same for a seeded organization).
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.db.models import Model
from django.db.models.base import ModelState
from django.utils import timezone

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


# --- Seeding once per process ---------------------------------------------------------------
#
# Most tests of an app start from the same reference data (the organization's units, entities
# and roles, the help-desk categories), which the seeding actions build row by row, with their
# validation and one audit event each: about a quarter of a second per test, a minute per app.
# ``seed_once`` runs the real seeding the first time in a process, records the rows it added,
# and later copies those rows into a database in the same state in one INSERT per table. The
# rows are the actions' own output, so a test sees exactly what the seed would have written;
# audit events are appended to the test's chain (hashes recomputed), and times and dates the
# seed took from the clock move to the current clock, so a pinned clock still sees "today".


@dataclass
class _Snapshot:
    started: dt.datetime
    finished: dt.datetime
    counts: dict[type[Model], int]  # rows of each touched table before the seed
    rows: list[tuple[type[Model], list[Model]]]  # the added rows, table by table
    outside: dict[type[Model], set[Any]]  # rows of untouched tables the added rows point to
    result: Any  # what the seed returned (plain values: ids, codes)
    # Per table and database vendor: the columns and each row's values as the database takes
    # them, for the columns that are the same in every copy (``_insert``).
    prepared: dict[tuple[type[Model], str], _Prepared] = field(default_factory=dict)


@dataclass
class _Prepared:
    fields: list[models.Field[Any, Any]]
    varying: list[int]  # indexes of the fields prepared again at every copy
    rows: list[list[Any]]  # the other fields' values, ready for the database


_SNAPSHOTS: dict[str, _Snapshot] = {}
T = TypeVar("T")


def _table_models() -> list[type[Model]]:
    return [
        model
        for model in django_apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def seed_once(key: str, seed: Callable[[], T]) -> T:
    """Run ``seed()``; in this process's later calls with ``key``, copy the rows it added.

    Returns what ``seed()`` returned the first time: make it plain values (ids), not model
    objects, which a later test must read again from its own database.

    Falls back to running ``seed()`` whenever the database is not in the state the first run
    started from (a table the seed writes already has other rows, or a row it points to is
    missing), so it is always correct to call; it is fast when called on a clean database.
    """
    snapshot = _SNAPSHOTS.get(key)
    if snapshot is not None and _restorable(snapshot):
        _restore(snapshot)
        return cast(T, snapshot.result)
    before = {
        model: set(model._base_manager.values_list("pk", flat=True)) for model in _table_models()
    }
    started = timezone.now()
    result = seed()
    finished = timezone.now()
    if snapshot is not None:
        return result
    rows: list[tuple[type[Model], list[Model]]] = []
    for model, old in before.items():
        added = [obj for obj in model._base_manager.order_by("pk") if obj.pk not in old]
        if added:
            rows.append((model, added))
    touched = {model for model, _ in rows}
    outside: dict[type[Model], set[Any]] = {}
    for model, added in rows:
        for f in model._meta.concrete_fields:
            target = f.related_model if f.is_relation else None
            if target is None or target in touched or not getattr(f, "db_constraint", True):
                continue
            ids = {getattr(obj, f.attname) for obj in added} - {None}
            if ids:
                outside.setdefault(target, set()).update(ids)
    _SNAPSHOTS[key] = _Snapshot(
        started=started,
        finished=finished,
        counts={model: len(before[model]) for model in touched},
        rows=rows,
        outside=outside,
        result=result,
    )
    return result


def _unique_sets(model: type[Model]) -> list[tuple[str, ...]]:
    """The column sets (attnames) a row of ``model`` must not share with another: unique
    fields, unconditional ``UniqueConstraint``s and ``unique_together``; the key aside."""
    sets: list[tuple[str, ...]] = [
        (f.attname,) for f in model._meta.concrete_fields if f.unique and not f.primary_key
    ]
    named = [c.fields for c in model._meta.constraints if isinstance(c, models.UniqueConstraint)]
    named += [tuple(fields) for fields in model._meta.unique_together]
    for fields in named:
        if fields:
            sets.append(tuple(str(getattr(model._meta.get_field(n), "attname", n)) for n in fields))
    return sets


def _clashes(model: type[Model], added: list[Model]) -> bool:
    """True when a row to copy shares its unique values with a row already in the table."""
    for columns in _unique_sets(model):
        keys = [tuple(getattr(obj, c) for c in columns) for obj in added]
        keys = [k for k in keys if None not in k]  # NULLs never clash
        if not keys:
            continue
        if len(columns) == 1:
            taken = model._base_manager.filter(**{f"{columns[0]}__in": [k[0] for k in keys]})
        else:
            any_key = models.Q()
            for k in keys:
                any_key |= models.Q(**dict(zip(columns, k, strict=True)))
            taken = model._base_manager.filter(any_key)
        if taken.exists():
            return True
    return False


def _restorable(snapshot: _Snapshot) -> bool:
    from mapro.audit.models import AuditEvent

    added = dict(snapshot.rows)
    for model, count in snapshot.counts.items():
        # Events are appended to whatever chain the test has; every other table must be as
        # the first run found it, or a copied row could clash with the test's own.
        if model is AuditEvent:
            continue
        if model._base_manager.count() != count:
            return False
        # As many rows is not the same rows: a table the first run found with rows may now
        # hold others that the copies would clash with (a test that published one procedure
        # before asking for all of them, the first run having had another one).
        if count and _clashes(model, added.get(model, [])):
            return False
    for model, ids in snapshot.outside.items():
        if model._base_manager.filter(pk__in=ids).count() != len(ids):
            return False
    return True


def _restore(snapshot: _Snapshot) -> None:
    from mapro.audit.actions import GENESIS_HASH
    from mapro.audit.models import AuditEvent

    now = timezone.now()
    shift = now - snapshot.finished
    day_shift = timezone.localdate(now) - timezone.localdate(snapshot.finished)
    seed_days = {timezone.localdate(snapshot.started), timezone.localdate(snapshot.finished)}

    def moved(value: Any) -> Any:
        if isinstance(value, dt.datetime):
            if snapshot.started <= value <= snapshot.finished:
                return value + shift
        elif isinstance(value, dt.date) and value in seed_days:
            return value + day_shift
        return value

    with transaction.atomic():
        for model, added in snapshot.rows:
            copies = []
            for original in added:
                obj = copy.copy(original)
                obj._state = ModelState()
                for f in model._meta.concrete_fields:
                    if isinstance(f, models.DateField):  # DateTimeField is a DateField
                        setattr(obj, f.attname, moved(getattr(obj, f.attname)))
                copies.append(obj)
            if model is AuditEvent:
                # Appended after the test's own events: new ids, the chain recomputed.
                head = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
                for event in cast(list[AuditEvent], copies):
                    event.pk = None
                    event.prev_hash = head or GENESIS_HASH
                    event.hash = event.compute_hash()
                    head = event.hash
            _insert(snapshot, model, added, copies)


def _insert(
    snapshot: _Snapshot, model: type[Model], originals: list[Model], copies: list[Model]
) -> None:
    """``bulk_create(copies)``, preparing only the values that differ between copies.

    ``bulk_create`` prepares every value of every row for the database at every copy, most of
    a copy's time for a cast of thirty users with their people, grants and audit events. Only
    dates and times (moved to the clock, or set by ``auto_now``) and the audit chain's hashes
    differ from one copy to the next: the other values are prepared once per snapshot.
    """
    from mapro.audit.models import AuditEvent

    key = (model, connection.vendor)
    prepared = snapshot.prepared.get(key)
    if prepared is None:
        fields = [f for f in model._meta.concrete_fields if not f.generated]
        if model is AuditEvent:  # new ids: the database numbers them
            fields = [f for f in fields if not f.primary_key]
        if any(hasattr(f, "get_placeholder") for f in fields):
            model._base_manager.bulk_create(copies)  # not a plain "%s" per value
            return
        varying = [
            i
            for i, f in enumerate(fields)
            if isinstance(f, models.DateField)  # DateTimeField is a DateField
            or (model is AuditEvent and f.name in {"prev_hash", "hash"})
        ]
        rows = [
            [
                None if i in varying else f.get_db_prep_save(f.pre_save(obj, True), connection)
                for i, f in enumerate(fields)
            ]
            for obj in originals
        ]
        prepared = snapshot.prepared[key] = _Prepared(fields, varying, rows)
    fields = prepared.fields
    params: list[list[Any]] = []
    for obj, row in zip(copies, prepared.rows, strict=True):
        values = list(row)
        for i in prepared.varying:
            f = fields[i]
            values[i] = f.get_db_prep_save(f.pre_save(obj, True), connection)
        params.append(values)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(cast(str, f.column)) for f in fields)  # concrete: a column each
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    # Names from the model's options, quoted; every value is a parameter.
    insert = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "  # noqa: S608
    batch = max(1, connection.ops.bulk_batch_size(fields, copies))
    with connection.cursor() as cursor:
        for start in range(0, len(params), batch):
            chunk = params[start : start + batch]
            cursor.execute(
                insert + ", ".join([row_sql] * len(chunk)),
                [value for values in chunk for value in values],
            )


def seed_demo() -> None:
    """``mapro seed --demo`` for tests that need the demo users and registers, not the seed.

    The command runs the first time in a process; later calls on a database in the state the
    first found (a flushed one, in the browser tests) copy the rows it wrote (``seed_once``):
    about two seconds a test. Tests of the seed itself call the command.
    """
    from io import StringIO

    from django.core.management import call_command

    seed_once("seed --demo", lambda: call_command("seed", "--demo", stdout=StringIO()))


def session_read_statements() -> int:
    """The statements a signed-in request spends reading its session: 1 from the database,
    0 with ``REDIS_URL`` (``cached_db`` sessions, ``mapro.accounts.sessions``). The pinned
    statement counts of the pages are those with database sessions."""
    from django.conf import settings

    return 0 if settings.SESSION_ENGINE == "mapro.accounts.cached_sessions" else 1
