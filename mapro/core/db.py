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
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from psycopg import pq


@contextmanager
def pipeline() -> Iterator[None]:
    """Send the statements of the block together (PostgreSQL); a no-op elsewhere."""
    db = connections[DEFAULT_DB_ALIAS]  # once: each read through the proxy looks it up again
    if db.vendor != "postgresql":
        yield
        return
    db.ensure_connection()
    raw = db.connection
    if raw.pgconn.pipeline_status != pq.PipelineStatus.OFF:
        # Inside another pipeline block: psycopg would sync on entering a nested one; the
        # outer block's statements and these travel together instead.
        yield
        return
    # Errors raised when the replies arrive are psycopg's: map them to Django's, as execute does.
    with db.wrap_database_errors, raw.pipeline():
        _queue_begin(raw)
        yield


def _queue_begin(raw: Any) -> None:
    """Send the transaction's ``BEGIN`` ahead of the block's statements, without a round trip.

    Inside ``transaction.atomic`` psycopg sends ``BEGIN`` before the first statement and, in
    pipeline mode, syncs and waits for its reply: a round trip of its own at the start of every
    action whose first statement is in a block (measured: 0.12 ms of client and server CPU per
    task completion, docs/benchmarks.md section 1). Here it is queued and flushed to libpq
    without a sync, so it travels with the block's statements. psycopg decides whether to start
    a transaction from libpq's transaction status, which is "active" (not "idle") once a query
    is sent: the block's first ``execute`` then sends no second ``BEGIN``. The server runs
    ``BEGIN`` first, so every statement of the block is in the transaction
    (``mapro/core/tests/test_db_pipeline.py`` checks that a rollback undoes them and that
    psycopg sent one ``BEGIN``). Uses psycopg internals (``_exec_command``,
    ``_communicate_gen``; pinned below 3.4 in ``pyproject.toml``); without them psycopg's own
    ``BEGIN`` is sent as before.
    """
    if raw.autocommit or raw.pgconn.transaction_status != pq.TransactionStatus.IDLE:
        return
    try:
        send, flush = raw._exec_command, raw._pipeline._communicate_gen
        begin = raw._get_tx_start_command()
    except AttributeError:  # another psycopg: its own BEGIN, one round trip more
        return
    raw.wait(send(begin))
    raw.wait(flush())


__all__ = ["pipeline"]
