"""Helpers for the audit tests (not fixtures, so plain imports)."""

from typing import Any

import pytest
from django.db import connection, transaction

from mapro.audit.actions import record_event
from mapro.audit.models import AuditEvent

postgres_only = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="necesita PostgreSQL (DATABASE_URL)"
    ),
]


def add_event(actor: Any = None, action: str = "ticket.update", **kwargs: Any) -> AuditEvent:
    """One event through ``record_event``, in its own transaction like an action's."""
    with transaction.atomic():
        return record_event(actor=actor, action=action, **kwargs)


def add_events(n: int, **kwargs: Any) -> list[AuditEvent]:
    return [
        add_event(object_type="helpdesk.ticket", object_id=str(i), after={"n": i}, **kwargs)
        for i in range(n)
    ]
