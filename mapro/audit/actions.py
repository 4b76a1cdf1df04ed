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

import ipaddress
import json
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from mapro.core.context import current_context

from .models import AuditEvent

GENESIS_HASH = "0" * 64
_CHAIN_LOCK_KEY = 0x6D617072  # "mapr": advisory lock that serializes appends on PostgreSQL


def _jsonable(value: Any) -> Any:
    """Plain JSON (dates, decimals, UUIDs as strings), as the database will give it back."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str))


def _actor_name(actor: Any) -> str:
    if actor is None:
        return "sistema"
    if not getattr(actor, "is_authenticated", True):
        return "anónimo"
    username = actor.get_username()
    full = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    return f"{username} ({full})" if full else username


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
    table = conn.ops.quote_name(AuditEvent._meta.db_table)
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
        cursor.execute(f"SELECT hash FROM {table} ORDER BY id DESC LIMIT 1")  # noqa: S608
        head = cursor.fetchone()
    last = head[0] if head else None
    ctx = current_context()
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor_id=actor.pk if getattr(actor, "pk", None) else None,
        actor_name=_actor_name(actor)[:200],
        action=action[:100],
        object_type=object_type[:100],
        object_id=str(object_id)[:64],
        object_repr=object_repr[:300],
        before=_jsonable(before),
        after=_jsonable(after),
        request_id=(ctx.request_id or "")[:64],
        client_address=_normalized_address(ctx.client_address),
        source=(ctx.source or "")[:20],
        prev_hash=last or GENESIS_HASH,
    )
    event.hash = event.compute_hash()
    _insert(conn, event)
    return event


def _insert(conn: Any, event: AuditEvent) -> None:
    """``event.save(force_insert=True)`` without the ORM's statement building (every action
    appends one event; the values go through each field's ``get_db_prep_save`` all the same)."""
    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(conn.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    params = [f.get_db_prep_save(getattr(event, f.attname), conn) for f in fields]
    table = conn.ops.quote_name(AuditEvent._meta.db_table)
    with conn.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id",  # noqa: S608
            params,
        )
        event.pk = cursor.fetchone()[0]
    event._state.adding = False
    event._state.db = conn.alias
