"""The statements of a task completion, in plain SQL.

``do_complete_task`` runs on every step of every procedure, and building its statements through
the ORM cost more than running them (docs/benchmarks.md, section 1: about 0.2–1.3 ms of Python
per statement against 0.02–0.1 ms to execute it). The statements here have a fixed shape, so
they are written once; only table and column names (from the models' ``_meta``) and
placeholders are formatted in, every value is a parameter, and values go through the model
fields' own ``get_db_prep_save`` so they are stored exactly as the ORM would store them.

The rows read come back as model instances (``Model.from_db``) holding the columns read; any
other field is deferred and loads on first access, as with ``QuerySet.only``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import connection
from django.db.models import Field, Model

from mapro.organization.models import Unit

from .models import Instance, ProcedureVersion, WorkItem, WorkItemRole


def _table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _field(model: type[Model], name: str) -> Field[Any, Any]:
    """A concrete field by name or attname (``instance`` or ``instance_id``)."""
    for field in model._meta.concrete_fields:
        if name in (field.name, field.attname):
            return field
    raise LookupError(f"{model.__name__} has no column for {name!r}")


def _column(model: type[Model], name: str) -> str:
    """The quoted column of a field, by name or attname."""
    return connection.ops.quote_name(str(_field(model, name).column))


def json_placeholder() -> str:
    """The placeholder of a JSON text parameter for a JSON column (cast on PostgreSQL)."""
    return "%s::jsonb" if connection.vendor == "postgresql" else "%s"


def _decoded(value: Any) -> Any:
    """A JSON column as read by a plain cursor: text on both databases (Django's loaders)."""
    return json.loads(value) if isinstance(value, str | bytes) else value


# --- reading the item to complete ----------------------------------------------------------

_ITEM_FIELDS = ("id", "instance_id", "task_id", "n", "name", "unit_id", "state")
_INSTANCE_FIELDS = ("id", "procedure_version_id", "status", "unit_id", "started_by_id", "version")
_VERSION_FIELDS = ("id", "ficha", "bpmn_xml")


def _from_db(model: type[Model], values: dict[str, Any]) -> Any:
    """A model instance from the columns read (by attname); the other fields are deferred."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(connection.alias, names, [values[name] for name in names])


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


def load_work_item(work_item_id: int) -> LoadedItem | None:
    """The item, its instance and version, and its role rows (with units): one query.

    One row per role row (an item usually has one); the instance columns repeat on each.
    """
    with connection.cursor() as cursor:
        cursor.execute(_load_sql(connection.vendor), [work_item_id])
        rows = cursor.fetchall()
    if not rows:
        return None
    values = iter(rows[0])
    item = _from_db(WorkItem, {name: next(values) for name in _ITEM_FIELDS})
    instance = _from_db(Instance, {name: next(values) for name in _INSTANCE_FIELDS})
    version = {name: next(values) for name in _VERSION_FIELDS}
    version["ficha"] = _decoded(version["ficha"])
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
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias


def store_step(instance_id: int, expected_version: int, **fields: Any) -> int:
    """``UPDATE instance SET <fields>, version = version + 1 WHERE id = ? AND version = ?``.

    ``fields`` are Instance fields; ``state`` may be given as JSON text (as the engine writes
    it), stored without decoding it again. Returns the number of rows updated (0: another step
    stored first).
    """
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
    sql = (
        f"UPDATE {_table(Instance)} SET {', '.join(sets)} "  # noqa: S608 - names from _meta
        f"WHERE id = %s AND {version} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, instance_id, expected_version])
        return int(cursor.rowcount)


@cache
def _complete_item_sql(vendor: str) -> list[str]:
    """The item's conditional UPDATE and its role rows' UPDATE; on PostgreSQL one statement
    (a data-modifying CTE: the role rows close only if the item was claimed), elsewhere two."""
    state = _column(WorkItem, "state")
    claim = (
        f"UPDATE {_table(WorkItem)} SET {state} = %s, "  # noqa: S608 - names from _meta
        f"{_column(WorkItem, 'completed_by')} = %s, {_column(WorkItem, 'completed_at')} = %s "
        f"WHERE id = %s AND {state} = %s"
    )
    close = f"UPDATE {_table(WorkItemRole)} SET {_column(WorkItemRole, 'is_open')} = %s "  # noqa: S608
    work_item = _column(WorkItemRole, "work_item")
    if vendor == "postgresql":
        return [
            f"WITH claimed AS ({claim} RETURNING id), "  # noqa: S608 - names from _meta
            f"closed AS ({close} WHERE {work_item} IN (SELECT id FROM claimed)) "
            "SELECT count(*) FROM claimed"
        ]
    return [claim, f"{close} WHERE {work_item} = %s"]


def complete_item(item_id: int, *, open_state: str, completed_state: str, by: Any, at: Any) -> int:
    """Mark the item completed (only if still open) and close its role rows; rows claimed."""
    statements = _complete_item_sql(connection.vendor)
    when = _field(WorkItem, "completed_at").get_db_prep_save(at, connection)
    claim_params = [completed_state, by, when, item_id, open_state]
    with connection.cursor() as cursor:
        if len(statements) == 1:
            cursor.execute(statements[0], [*claim_params, False])
            return int(cursor.fetchone()[0])
        cursor.execute(statements[0], claim_params)
        claimed = int(cursor.rowcount)
        cursor.execute(statements[1], [False, item_id])
    return claimed
