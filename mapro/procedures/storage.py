"""The statements of a task completion, in plain SQL.

``do_complete_task`` runs on every step of every procedure, and building its statements through
the ORM cost more than running them (docs/benchmarks.md, section 1: about 0.2–1.3 ms of Python
per statement against 0.02–0.1 ms to execute it). The statements here have a fixed shape, so
they are written once; only table and column names (from the models' ``_meta``) and
placeholders are formatted in, every value is a parameter, and values go through the model
fields' own ``get_db_prep_save`` so they are stored exactly as the ORM would store them.

The rows read come back as model instances (``Model.from_db``) holding the columns read; any
other field is deferred and loads on first access, as with ``QuerySet.only``.

On PostgreSQL a completed step is written by **one statement** (``write_step``): data-modifying
CTEs, each write conditional on the one before, so a step that lost the version race writes
nothing at all. With the item read (sent together with the grants) and the audit row (sent
together with the step) that is four round trips per completion, ``BEGIN`` and ``COMMIT``
included; SQLite, whose statements cost microseconds, runs the same writes one by one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Field, Model

from mapro.core.db import pipeline
from mapro.organization.models import Role, Unit
from mapro.organization.permissions import grants_for, grants_subquery, remember_grants

from .models import Instance, ProcedureVersion, TaskRecord, WorkItem, WorkItemRole, WorkItemState

# Names are looked up once per process: the completion path formats dozens per step.


@cache
def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@cache
def _field(model: type[Model], name: str) -> Field[Any, Any]:
    """A concrete field by name or attname (``instance`` or ``instance_id``)."""
    for field in model._meta.concrete_fields:
        if name in (field.name, field.attname):
            return field
    raise LookupError(f"{model.__name__} has no column for {name!r}")


@cache
def _column(model: type[Model], name: str) -> str:
    """The quoted column of a field, by name or attname."""
    return connection.ops.quote_name(str(_field(model, name).column))


def json_placeholder() -> str:
    """The placeholder of the workflow state as JSON text (``Instance.state``, a ``json``
    column on PostgreSQL: ``models.runtime.WorkflowStateField``)."""
    return "%s::json" if connection.vendor == "postgresql" else "%s"


# --- reading the item to complete ----------------------------------------------------------

_ITEM_FIELDS = ("id", "instance_id", "task_id", "n", "name", "unit_id", "state", "item")
_INSTANCE_FIELDS = ("id", "procedure_version_id", "status", "unit_id", "started_by_id", "version")
_VERSION_FIELDS = ("id", "content_hash")


def _from_db(model: type[Model], values: dict[str, Any]) -> Any:
    """A model instance from the columns read (by attname); the other fields are deferred."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(DEFAULT_DB_ALIAS, names, [values[name] for name in names])


@lru_cache(maxsize=256)
def version_content(version_id: int, content_hash: str) -> tuple[dict[str, Any], str]:
    """A published version's ficha and BPMN XML, read once per process.

    Versions are immutable (``publishing.py``: a changed ficha is a new version with a new
    hash), so the step reads only the version's id and hash; keying by both keeps a reused id
    (a rolled-back test database) from ever meeting another version's content. The ficha is
    shared between steps: read it, never change it (``actions.activity`` returns copies).
    """
    ficha, bpmn_xml = (
        ProcedureVersion.objects.filter(pk=version_id, content_hash=content_hash)
        .values_list("ficha", "bpmn_xml")
        .get()
    )
    return ficha, bpmn_xml


@dataclass
class LoadedItem:
    """A work item to complete: the item, its instance (with its version attached), the
    instance's workflow state as stored (JSON text) and the item's role rows with their units."""

    item: WorkItem
    instance: Instance
    state_json: str
    role_rows: list[WorkItemRole]


@cache
def _load_sql(vendor: str) -> str:
    item = [f"wi.{_column(WorkItem, f)}" for f in _ITEM_FIELDS]
    inst = [f"i.{_column(Instance, f)}" for f in _INSTANCE_FIELDS]
    version = [f"v.{_column(ProcedureVersion, f)}" for f in _VERSION_FIELDS]
    state = f"i.{_column(Instance, 'state')}"
    if vendor == "postgresql":  # the stored text as is (psycopg would decode ``json`` itself)
        state += "::text"
    role = ["r.id", f"r.{_column(WorkItemRole, 'role')}", f"r.{_column(WorkItemRole, 'unit')}"]
    columns = ", ".join([*item, *inst, *version, state, *role, f"u.{_column(Unit, 'path')}"])
    return (
        f"SELECT {columns} FROM {_table(WorkItem)} wi "  # noqa: S608 - names from _meta
        f"JOIN {_table(Instance)} i ON i.id = wi.{_column(WorkItem, 'instance')} "
        f"JOIN {_table(ProcedureVersion)} v ON v.id = i.{_column(Instance, 'procedure_version')} "
        f"LEFT JOIN {_table(WorkItemRole)} r ON r.{_column(WorkItemRole, 'work_item')} = wi.id "
        f"LEFT JOIN {_table(Unit)} u ON u.id = r.{_column(WorkItemRole, 'unit')} "
        "WHERE wi.id = %s"
    )


def load_work_item(work_item_id: int, *, actor: Any = None) -> LoadedItem | None:
    """The item, its instance and version, and its role rows (with units): one query.

    One row per role row (an item usually has one); the instance columns repeat on each.
    ``actor``: their grants are read too and kept on the user as ``grants_for`` keeps them. On
    PostgreSQL they are a scalar subquery of the same statement (``permissions.
    grants_subquery``); where that cannot be, ``grants_for`` runs after the item's query is
    sent and before its rows are read, so its query travels in the same round trip
    (``mapro.core.db.pipeline``).
    """
    grants = grants_subquery(actor) if actor is not None else None
    sql, params = _load_sql(connection.vendor), [work_item_id]
    if grants is not None:
        sql = sql.replace(" FROM ", f", {grants[0]} FROM ", 1)
        params = [*grants[1], work_item_id]
    with pipeline(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        if actor is not None and grants is None:
            grants_for(actor)
        rows = cursor.fetchall()
    if grants is not None:
        if not rows:  # no item: the grants were not read (the action answers 404)
            return None
        remember_grants(actor, grants[2], rows[0][-1])
        rows = [row[:-1] for row in rows]
    if not rows:
        return None
    values = iter(rows[0])
    item = _from_db(WorkItem, {name: next(values) for name in _ITEM_FIELDS})
    if isinstance(item.item, str | bytes):  # raw rows skip the JSON field's converter
        item.item = json.loads(item.item)
    instance = _from_db(Instance, {name: next(values) for name in _INSTANCE_FIELDS})
    version = {name: next(values) for name in _VERSION_FIELDS}
    version["ficha"], version["bpmn_xml"] = version_content(version["id"], version["content_hash"])
    instance.procedure_version = _from_db(ProcedureVersion, version)
    item.instance = instance
    state_json = next(values)
    rest = len(_ITEM_FIELDS) + len(_INSTANCE_FIELDS) + len(_VERSION_FIELDS) + 1
    role_rows = []
    for row in rows:
        role_id, role, unit_id, path = row[rest:]
        if role_id is None:  # an item without role rows (LEFT JOIN)
            continue
        role_row = _from_db(
            WorkItemRole, {"id": role_id, "work_item_id": item.pk, "role": role, "unit_id": unit_id}
        )
        if unit_id is not None:
            role_row.unit = _from_db(Unit, {"id": unit_id, "path": path})
        role_rows.append(role_row)
    if isinstance(state_json, bytes):
        state_json = state_json.decode()
    return LoadedItem(item, instance, state_json, role_rows)


# --- writing the step ------------------------------------------------------------------------


def insert(objs: Sequence[Model]) -> None:
    """INSERT ``objs`` (all of one model, auto primary key) in one statement; sets their pks.

    Every concrete field but the key is written, through the field's ``pre_save`` (e.g.
    ``auto_now_add``) and ``get_db_prep_save``, like ``Model.save``. No signals are sent (as
    with ``bulk_create``): nothing in mapro listens to these models' ``post_save``.
    """
    if not objs:
        return
    model = type(objs[0])
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    params: list[Any] = []
    for obj in objs:
        params += [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    sql = (
        f"INSERT INTO {_table(model)} ({columns}) VALUES "  # noqa: S608 - names from _meta
        + ", ".join([row] * len(objs))
        + " RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        # Rows come back in VALUES order on PostgreSQL and SQLite (bulk_create relies on it).
        ids = [pk for (pk,) in cursor.fetchall()]
    for obj, pk in zip(objs, ids, strict=True):
        _saved(obj, pk)


def _store_step_sql(fields: dict[str, Any]) -> tuple[str, list[Any]]:
    """``UPDATE instance SET <fields>, version = version + 1`` and its parameters (no WHERE)."""
    sets: list[str] = []
    params: list[Any] = []
    for name, value in fields.items():
        field = _field(Instance, name)
        if name == "state" and isinstance(value, str):
            sets.append(f"{_column(Instance, name)} = {json_placeholder()}")
            params.append(value)
        else:
            sets.append(f"{_column(Instance, name)} = %s")
            params.append(field.get_db_prep_save(value, connection))
    version = _column(Instance, "version")
    sets.append(f"{version} = {version} + 1")
    return f"UPDATE {_table(Instance)} SET {', '.join(sets)}", params  # noqa: S608 - from _meta


def store_step(instance_id: int, expected_version: int, **fields: Any) -> int:
    """``UPDATE instance SET <fields>, version = version + 1 WHERE id = ? AND version = ?``.

    ``fields`` are Instance fields; ``state`` may be given as JSON text (as the engine writes
    it), stored without decoding it again. Returns the number of rows updated (0: another step
    stored first).
    """
    update, params = _store_step_sql(fields)
    version = _column(Instance, "version")
    with connection.cursor() as cursor:
        where = f"WHERE id = %s AND {version} = %s"
        cursor.execute(f"{update} {where}", [*params, instance_id, expected_version])
        return int(cursor.rowcount)


@cache
def _complete_item_sql() -> tuple[str, str]:
    """The item's conditional UPDATE and its role rows' UPDATE (PostgreSQL folds both into
    ``write_step``'s one statement)."""
    state = _column(WorkItem, "state")
    claim = (
        f"UPDATE {_table(WorkItem)} SET {state} = %s, "  # noqa: S608 - names from _meta
        f"{_column(WorkItem, 'completed_by')} = %s, {_column(WorkItem, 'completed_at')} = %s "
        f"WHERE id = %s AND {state} = %s"
    )
    close = (
        f"UPDATE {_table(WorkItemRole)} SET {_column(WorkItemRole, 'is_open')} = %s "  # noqa: S608
        f"WHERE {_column(WorkItemRole, 'work_item')} = %s"
    )
    return claim, close


def complete_item(item_id: int, *, open_state: str, completed_state: str, by: Any, at: Any) -> int:
    """Mark the item completed (only if still open) and close its role rows; rows claimed."""
    claim, close = _complete_item_sql()
    when = _field(WorkItem, "completed_at").get_db_prep_save(at, connection)
    with connection.cursor() as cursor:
        cursor.execute(claim, [completed_state, by, when, item_id, open_state])
        claimed = int(cursor.rowcount)
        cursor.execute(close, [False, item_id])
    return claimed


# --- opening work items ----------------------------------------------------------------------

#: Roles that act within a unit even if the Role table has not been seeded with flags.
UNIT_SCOPED_ROLES = frozenset({"director-uo", "personal"})


@dataclass
class NewItem:
    """A work item to open: ``item`` unsaved, and where its unit comes from.

    ``unit_code`` is the activity's unit, looked up by code when the item is written; ``None``
    means the requesting unit, i.e. ``item.unit_id`` already holds the instance's unit. Each
    role gets a ``WorkItemRole`` row scoped to the instance's unit for unit-scoped roles and
    requester activities, otherwise to the item's unit.
    """

    item: WorkItem
    unit_code: str | None
    #: A per-unit task of a multi-instance activity: every role row is scoped to the item's
    #: own unit (``item.unit_id``), not to the instance's.
    own_scope: bool = False
    #: A per-holder task of a multi-instance activity: one role row ``@<user id>`` instead of
    #: one per role, so only that person sees and takes it.
    assignee_id: int | None = None

    def fixed_scope(self, role: str) -> bool:
        """True when ``role`` is scoped to the instance's unit whatever the Role table says."""
        return self.unit_code is None or role in UNIT_SCOPED_ROLES

    def role_codes(self) -> list[str]:
        """The roles of the item's ``WorkItemRole`` rows."""
        if self.assignee_id is not None:
            return [f"@{self.assignee_id}"]
        return list(self.item.roles)

    def scope(self, role: str, instance_unit_id: int | None, scoped_roles: set[str]) -> int | None:
        """The unit of the role row of ``role`` (Python twin of the PostgreSQL CASE)."""
        if self.own_scope:
            return self.item.unit_id
        if self.fixed_scope(role) or role in scoped_roles:
            return instance_unit_id
        return self.item.unit_id


def _units_and_scoped_roles(
    unit_codes: set[str], roles: set[str]
) -> tuple[dict[str, int], set[str]]:
    """Unit ids by code, and which of ``roles`` are unit-scoped: one query for both.

    Read per step (not cached in the process), so a change to a unit or a role applies to the
    next step at once.
    """
    parts: list[str] = []
    params: list[Any] = []
    if unit_codes:
        marks = ", ".join(["%s"] * len(unit_codes))
        code = _column(Unit, "code")
        parts.append(f"SELECT 'unit', {code}, id FROM {_table(Unit)} WHERE {code} IN ({marks})")  # noqa: S608
        params += sorted(unit_codes)
    if roles:
        marks = ", ".join(["%s"] * len(roles))
        code = _column(Role, "code")
        parts.append(
            f"SELECT 'role', {code}, id FROM {_table(Role)} WHERE {code} IN ({marks}) "  # noqa: S608
            f"AND {_column(Role, 'unit_scoped')} = %s"
        )
        params += [*sorted(roles), True]
    if not parts:
        return {}, set()
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    units: dict[str, int] = {}
    scoped: set[str] = set()
    for lookup, code, pk in rows:
        if lookup == "unit":
            units[code] = pk
        else:
            scoped.add(code)
    return units, scoped


def open_items(new_items: Sequence[NewItem], instance_unit_id: int | None) -> None:
    """Write ``new_items`` and their role rows: the unit/role lookup and two INSERTs."""
    if not new_items:
        return
    codes = {new.unit_code for new in new_items if new.unit_code is not None}
    roles = {role for new in new_items for role in new.role_codes()} - UNIT_SCOPED_ROLES
    unit_ids, scoped_roles = _units_and_scoped_roles(codes, roles)
    for new in new_items:
        if new.unit_code is not None:
            new.item.unit_id = unit_ids.get(new.unit_code)
    insert([new.item for new in new_items])  # one INSERT for all new items, their ids back
    role_rows = [
        WorkItemRole(
            work_item_id=new.item.pk,
            role=role,
            unit_id=new.scope(role, instance_unit_id, scoped_roles),
            created_at=new.item.created_at,
        )
        for new in new_items
        for role in new.role_codes()
    ]
    insert(role_rows)


# --- writing a completed step ----------------------------------------------------------------


class WrittenStep:
    """What ``write_step`` wrote; ``won()`` tells whether the step was stored.

    On PostgreSQL the statement's reply is read only when ``won()`` is first called, so other
    statements can be sent in the same round trip (``mapro.core.db.pipeline``).
    """

    def __init__(self, read: Callable[[], bool]) -> None:
        self._read = read
        self._won: bool | None = None

    def won(self) -> bool:
        if self._won is None:
            self._won = self._read()
        return self._won


def write_step(
    instance: Instance,
    expected_version: int,
    fields: dict[str, Any],
    *,
    item: WorkItem,
    record: TaskRecord,
    new_items: Sequence[NewItem],
) -> WrittenStep:
    """Store a completed step: the versioned UPDATE of the instance, the claim of ``item``
    (completed by ``record.completed_by`` at ``record.completed_at``) and its role rows, the
    history ``record``, and ``new_items`` with their role rows. Sets the new rows' ids.

    Nothing is written unless the versioned UPDATE matched (``won()`` is False then, and the
    caller rolls back). On PostgreSQL this is **one statement** (data-modifying CTEs, each
    write conditional on the one before it, units and roles looked up inside); elsewhere the
    same writes one after the other (``store_step``, ``complete_item``, ``insert``,
    ``open_items``).
    """
    if connection.vendor == "postgresql":
        return _write_step_postgresql(instance, expected_version, fields, item, record, new_items)
    if store_step(instance.pk, expected_version, **fields) != 1:
        return WrittenStep(lambda: False)
    claimed = complete_item(
        item.pk,
        open_state=WorkItemState.OPEN,
        completed_state=WorkItemState.COMPLETED,
        by=record.completed_by_id,
        at=record.completed_at,
    )
    if claimed != 1:  # cannot happen once the version check passed; never lose a step
        return WrittenStep(lambda: False)
    insert([record])
    open_items(new_items, instance.unit_id)
    return WrittenStep(lambda: True)


@cache
def _typed(field: Field[Any, Any]) -> str:
    """A placeholder cast to the column's type (VALUES and SELECT lists carry no target type)."""
    return f"%s::{field.db_type(connection)}"


def _prepared(field: Field[Any, Any], obj: Model, db: Any) -> Any:
    return field.get_db_prep_save(field.pre_save(obj, True), db)


def _write_step_postgresql(
    instance: Instance,
    expected_version: int,
    fields: dict[str, Any],
    item: WorkItem,
    record: TaskRecord,
    new_items: Sequence[NewItem],
) -> WrittenStep:
    # The statement's text depends only on its shape (which instance fields, how many new items
    # and role rows), so it is built once per shape and process; only the parameters are new.
    # The connection itself, not the ``connection`` proxy: each of the proxy's attribute reads
    # looks it up again (about 1.5 µs; some 40 per step).
    db = connections[DEFAULT_DB_ALIAS]
    shape = tuple(
        (name, name == "state" and isinstance(value, str)) for name, value in fields.items()
    )
    roles = [(new, role) for new in new_items for role in new.role_codes()]
    sql = _step_sql(shape, len(new_items), len(roles))
    # 1. The versioned UPDATE: zero rows when another step was stored first.
    params: list[Any] = [
        value if as_text else _field(Instance, name).get_db_prep_save(value, db)
        for (name, as_text), value in zip(shape, fields.values(), strict=True)
    ]
    params += [instance.pk, expected_version]
    # 2. The item's claim (and its role rows' closing).
    when = _field(WorkItem, "completed_at").get_db_prep_save(record.completed_at, db)
    params += [WorkItemState.COMPLETED, record.completed_by_id, when, item.pk, WorkItemState.OPEN]
    params.append(False)
    # 3. The history row.
    params += [_prepared(f, record, db) for f in _record_fields()]
    # 4. The new items and their role rows.
    if new_items:
        item_fields = _item_fields()
        for new in new_items:
            params += [*(_prepared(f, new.item, db) for f in item_fields), new.unit_code]
        params.append(instance.unit_id)  # the CASE of the role rows, before their VALUES
        for new, role in roles:
            params += [new.item.task_id, role, new.fixed_scope(role), new.own_scope]
    cursor = db.cursor()
    cursor.execute(sql, params)

    def read() -> bool:
        try:
            stored, record_id, items_json = cursor.fetchone()
        finally:
            cursor.close()
        if stored != 1 or record_id is None:
            return False
        _saved(record, record_id)
        by_task = {new.item.task_id: new.item for new in new_items}
        for task_id, pk, unit_id in json.loads(items_json or "[]"):
            new_item = by_task[task_id]
            _saved(new_item, pk)
            new_item.unit_id = unit_id
        return True

    return WrittenStep(read)


@cache
def _record_fields() -> list[Field[Any, Any]]:
    return [f for f in TaskRecord._meta.concrete_fields if not f.primary_key]


@cache
def _item_fields() -> list[Field[Any, Any]]:
    return [f for f in WorkItem._meta.concrete_fields if not f.primary_key]


@lru_cache(maxsize=64)
def _step_sql(shape: tuple[tuple[str, bool], ...], items: int, roles: int) -> str:
    """The text of ``write_step``'s statement on PostgreSQL for one shape: the instance fields
    set (and whether ``state`` comes as JSON text), the number of new items and of their role
    rows. Every value is a parameter, in the order ``_write_step_postgresql`` appends them."""
    quote = connection.ops.quote_name
    # 1. The versioned UPDATE: zero rows when another step was stored first.
    sets = [
        f"{_column(Instance, name)} = {json_placeholder() if as_text else '%s'}"
        for name, as_text in shape
    ]
    version = _column(Instance, "version")
    sets.append(f"{version} = {version} + 1")
    ctes = [
        f"step AS (UPDATE {_table(Instance)} SET {', '.join(sets)} "  # noqa: S608 - from _meta
        f"WHERE id = %s AND {version} = %s RETURNING id)"
    ]
    # 2. The item's claim, only if the step was stored; its role rows close with it.
    state = _column(WorkItem, "state")
    ctes.append(
        f"claimed AS (UPDATE {_table(WorkItem)} SET {state} = %s, "  # noqa: S608 - names from _meta
        f"{_column(WorkItem, 'completed_by')} = %s, {_column(WorkItem, 'completed_at')} = %s "
        f"WHERE id = %s AND {state} = %s AND EXISTS (SELECT FROM step) RETURNING id)"
    )
    ctes.append(
        f"closed AS (UPDATE {_table(WorkItemRole)} SET {_column(WorkItemRole, 'is_open')} = %s "  # noqa: S608
        f"WHERE {_column(WorkItemRole, 'work_item')} IN (SELECT id FROM claimed))"
    )
    # 3. The history row, only if the item was claimed.
    record_fields = _record_fields()
    ctes.append(
        f"record AS (INSERT INTO {_table(TaskRecord)} "  # noqa: S608 - names from _meta
        f"({', '.join(quote(str(f.column)) for f in record_fields)}) "
        f"SELECT {', '.join(_typed(f) for f in record_fields)} FROM claimed RETURNING id)"
    )
    # 4. The new items and their role rows, only if the item was claimed.
    if items:
        columns = [quote(str(f.column)) for f in _item_fields()]
        unit = _column(WorkItem, "unit")
        row = "(" + ", ".join([*(_typed(f) for f in _item_fields()), "%s::text"]) + ")"
        # The item's unit: the instance's (already in unit_id) or the activity's, by code.
        chosen = [
            f"COALESCE(v.{unit}, (SELECT u.id FROM {_table(Unit)} u "  # noqa: S608
            f"WHERE u.{_column(Unit, 'code')} = v.unit_code))"
            if column == unit
            else f"v.{column}"
            for column in columns
        ]
        ctes.append(
            f"items AS (INSERT INTO {_table(WorkItem)} ({', '.join(columns)}) "  # noqa: S608
            f"SELECT {', '.join(chosen)} FROM (VALUES {', '.join([row] * items)}) "
            f"AS v({', '.join(columns)}, unit_code) WHERE EXISTS (SELECT FROM claimed) "
            f"RETURNING id, {_column(WorkItem, 'task_id')}, {unit}, "
            f"{_column(WorkItem, 'created_at')})"
        )
        role_values = ["(%s::text, %s::text, %s::boolean, %s::boolean)"] * roles
        role_code = _column(Role, "code")
        ctes.append(
            f"roles AS (INSERT INTO {_table(WorkItemRole)} ("  # noqa: S608 - names from _meta
            f"{_column(WorkItemRole, 'work_item')}, {_column(WorkItemRole, 'role')}, "
            f"{_column(WorkItemRole, 'unit')}, {_column(WorkItemRole, 'is_open')}, "
            f"{_column(WorkItemRole, 'created_at')}) "
            f"SELECT i.id, r.role, CASE WHEN r.own THEN i.{unit} "
            f"WHEN r.fixed OR EXISTS (SELECT FROM {_table(Role)} ro "
            f"WHERE ro.{role_code} = r.role AND ro.{_column(Role, 'unit_scoped')}) "
            f"THEN %s::bigint ELSE i.{unit} END, true, i.{_column(WorkItem, 'created_at')} "
            f"FROM items i JOIN (VALUES {', '.join(role_values) or '(NULL, NULL, NULL, NULL)'}) "
            f"AS r(task_id, role, fixed, own) ON r.task_id = i.{_column(WorkItem, 'task_id')})"
        )
        opened = (
            f"(SELECT json_agg(json_build_array({_column(WorkItem, 'task_id')}, id, {unit}))"  # noqa: S608
            "::text FROM items)"
        )
    else:
        opened = "NULL"
    return (
        f"WITH {', '.join(ctes)} "  # noqa: S608 - names from _meta, values are parameters
        f"SELECT (SELECT count(*) FROM step), (SELECT id FROM record), {opened}"
    )


def _saved(obj: Model, pk: int) -> None:
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = DEFAULT_DB_ALIAS
