"""Writing the audit trail. Every action calls ``record_event`` inside its transaction.

How the chain stays linear: each event stores the hash of the event before it, so two writers
must never read the same "last event". On PostgreSQL, ``record_event`` takes a transaction-level
advisory lock before reading the last hash; the lock is held until the surrounding transaction
commits or rolls back, so the next writer reads the committed head. Ids are drawn after the lock,
so id order is chain order (a rolled-back append leaves a harmless gap in ids, not in the chain).
On SQLite the settings open every transaction with ``BEGIN IMMEDIATE``, which takes the
database's single write lock up front: writers are already serialized.

Who and where: ``actor`` is the user (``None`` for the system); the request id, client address
and source (web, api, command, worker, system) come from ``mapro.core.context``, which the
middleware, ``mapro <command>`` and the worker set. Actions never pass them explicitly.
"""

import datetime
import functools
import hashlib
import ipaddress
import json
import secrets
from collections.abc import Iterable
from typing import Any

from django.db import connections, transaction
from django.db.models import Model
from django.utils import timezone

from mapro.core.context import current_context
from mapro.core.db import pipeline

from .models import AuditEvent

GENESIS_HASH = "0" * 64
_CHAIN_LOCK_KEY = 0x6D617072  # "mapr": advisory lock that serializes appends on PostgreSQL


def _jsonable(value: Any) -> Any:
    """Plain JSON (dates, decimals, UUIDs as strings), as the database will give it back."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str))


def actor_name(actor: Any) -> str:
    """Who acted, as the audit trail and every history keep it: "usuario (Nombre Apellido)",
    "sistema" for None, at most 200 characters (the columns' size)."""
    if actor is None:
        return "sistema"
    if not getattr(actor, "is_authenticated", True):
        return "anónimo"
    username = actor.get_username()
    full = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    return (f"{username} ({full})" if full else str(username))[:200]


def snapshot(obj: Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of ``obj`` as plain values for an event's ``before``/``after``: dates
    as ISO text, a related row as its text, anything else as it is."""
    out: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, datetime.date):
            value = value.isoformat()
        elif isinstance(value, Model):
            value = str(value)
        out[name] = value
    return out


def _normalized_address(address: str | None) -> str | None:
    """The address as PostgreSQL's ``inet`` prints it, so the stored row hashes the same."""
    if not address:
        return None
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def record_event(
    *,
    actor: Any,
    action: str,
    obj: Model | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEvent:
    """Append one event to the chain. Must run inside the transaction of the change it records.

    ``action`` is a dotted verb ("ticket.assign", "instance.start"). ``obj`` fills the object
    fields; pass ``object_type``/``object_id`` instead when there is no model instance.
    ``before``/``after`` hold the fields that changed (never secrets). Invariant: the new event's
    ``prev_hash`` is the hash of the last committed event, and no other event shares it.
    """
    conn = transaction.get_connection()
    if not conn.in_atomic_block:
        raise RuntimeError("record_event must run inside the transaction of the change")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    ctx = current_context()
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor_id=actor.pk if getattr(actor, "pk", None) else None,
        actor_name=actor_name(actor),
        action=action[:100],
        object_type=object_type[:100],
        object_id=str(object_id)[:64],
        object_repr=object_repr[:300],
        before=_jsonable(before),
        after=_jsonable(after),
        request_id=(ctx.request_id or "")[:64],
        client_address=_normalized_address(ctx.client_address),
        source=(ctx.source or "")[:20],
    )
    if conn.vendor == "postgresql":
        _append_on_postgresql(conn, event)
    else:
        _append(conn, event)
    event._state.adding = False
    event._state.db = conn.alias
    return event


# Both appends write the row in plain SQL rather than ``event.save(force_insert=True)``: every
# action appends one event, and building the INSERT through the ORM cost more than running it.
# The values still go through each field's ``get_db_prep_save``.


@functools.cache
def _fields(skip: tuple[str, ...]) -> tuple[Any, ...]:
    """The event's concrete fields but the id and ``skip`` (once per process)."""
    return tuple(
        f for f in AuditEvent._meta.concrete_fields if not f.primary_key and f.name not in skip
    )


def _row(conn: Any, event: AuditEvent, skip: tuple[str, ...] = ()) -> tuple[list[str], list[Any]]:
    """Quoted columns and prepared values of ``event`` (all but the id and ``skip``)."""
    fields = _fields(skip)
    columns = [conn.ops.quote_name(str(f.column)) for f in fields]
    return columns, [f.get_db_prep_save(getattr(event, f.attname), conn) for f in fields]


_SKIP_LINK = ("prev_hash", "hash")


@functools.cache
def _insert_on_postgresql(alias: str) -> str:
    """The append's INSERT (``_append_on_postgresql``), built once per process and database:
    the event's values, then the head read after the lock and the hash of the bytes around it."""
    conn = connections[alias]
    table = conn.ops.quote_name(AuditEvent._meta.db_table)
    columns = [conn.ops.quote_name(str(f.column)) for f in _fields(_SKIP_LINK)]
    head = f"COALESCE((SELECT hash FROM {table} ORDER BY id DESC LIMIT 1), %s)"  # noqa: S608
    columns += [conn.ops.quote_name("prev_hash"), conn.ops.quote_name("hash")]
    values = ["%s"] * len(_fields(_SKIP_LINK))
    values += [head, f"encode(sha256(%s::bytea || convert_to({head}, 'UTF8') || %s::bytea), 'hex')"]
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(values)}) "  # noqa: S608
        "RETURNING id, prev_hash, hash"
    )


def _append(conn: Any, event: AuditEvent) -> None:
    """Read the head, hash, insert (SQLite: the transaction already holds the write lock)."""
    table = conn.ops.quote_name(AuditEvent._meta.db_table)
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT hash FROM {table} ORDER BY id DESC LIMIT 1")  # noqa: S608
        head = cursor.fetchone()
        event.prev_hash = head[0] if head else GENESIS_HASH
        event.hash = event.compute_hash()
        columns, params = _row(conn, event)
        marks = ", ".join(["%s"] * len(columns))
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks}) RETURNING id",  # noqa: S608
            params,
        )
        event.pk = cursor.fetchone()[0]


def _append_on_postgresql(conn: Any, event: AuditEvent) -> None:
    """Take the chain lock, then one INSERT that reads the head and hashes with it.

    The head must be read by a statement that starts after the lock is granted (a statement's
    snapshot is taken when it starts), so the lock stays a statement of its own. The hash is
    SHA-256 of ``canonical()``, whose bytes are known here except the previous hash: they are
    split around a random marker put in its place, and PostgreSQL hashes
    ``before || head || after``. The returned hash is checked against ``compute_hash()``.
    """
    marker = secrets.token_hex(32)
    event.prev_hash = marker
    before_head, after_head = event.canonical().split(marker.encode())
    params = [f.get_db_prep_save(getattr(event, f.attname), conn) for f in _fields(_SKIP_LINK)]
    params += [GENESIS_HASH, before_head, GENESIS_HASH, after_head]
    # The lock and the INSERT travel in one round trip; the server still runs them in order.
    with pipeline(), conn.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        cursor.execute(_insert_on_postgresql(conn.alias), params)
        event.pk, event.prev_hash, event.hash = cursor.fetchone()
    # Never store a link that would not verify: the bytes PostgreSQL hashed are canonical()'s
    # with the head in the marker's place (hashing them here spares serializing the event again).
    if (
        hashlib.sha256(before_head + event.prev_hash.encode() + after_head).hexdigest()
        != event.hash
    ):
        raise RuntimeError("El hash calculado por la base de datos no coincide con el evento.")
