"""Sending several statements in one round trip to PostgreSQL.

``pipeline()`` puts the connection in psycopg's pipeline mode for the block: each
``cursor.execute`` is sent without waiting for its reply, and the replies arrive together when a
result is first read (``fetchone``/``fetchall``) or when the block ends. The server still runs
the statements one after the other, in the order sent, each with its own snapshot: only the
client's waiting changes. On SQLite, whose statements cost microseconds, it does nothing.

Rules for code inside the block: read a statement's rows with ``fetch*`` (that waits for the
reply); do not read ``cursor.rowcount`` before the block ends, and do not call ORM code that
does (``QuerySet.update``/``delete``); a statement that fails raises when its reply is read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from psycopg import pq


@contextmanager
def pipeline() -> Iterator[None]:
    """Send the statements of the block together (PostgreSQL); a no-op elsewhere."""
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection
    if raw.pgconn.pipeline_status != pq.PipelineStatus.OFF:
        # Inside another pipeline block: psycopg would sync on entering a nested one; the
        # outer block's statements and these travel together instead.
        yield
        return
    # Errors raised when the replies arrive are psycopg's: map them to Django's, as execute does.
    with connection.wrap_database_errors, raw.pipeline():
        yield


__all__ = ["pipeline"]
