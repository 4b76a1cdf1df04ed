"""Writing the audit trail. Every action calls ``record_event`` inside its transaction."""

import json
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from mapro.core.context import current_context

from .models import AuditEvent

GENESIS_HASH = "0" * 64
_CHAIN_LOCK_KEY = 0x6D617072  # "mapr": advisory lock that serializes appends on PostgreSQL


def _jsonable(value: Any) -> Any:
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str))


def _actor_name(actor: Any) -> str:
    if actor is None:
        return "sistema"
    full = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    return f"{actor.get_username()} ({full})" if full else actor.get_username()


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
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the transaction of the change")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:300]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK_KEY])
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    ctx = current_context()
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=_actor_name(actor)[:200],
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:300],
        before=_jsonable(before),
        after=_jsonable(after),
        request_id=ctx.request_id,
        client_address=ctx.client_address,
        source=ctx.source,
        prev_hash=last or GENESIS_HASH,
    )
    event.hash = event.compute_hash()
    event.save(force_insert=True)
    return event
