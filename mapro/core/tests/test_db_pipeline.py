"""``mapro.core.db.pipeline``: statements sent together still run in order, errors still raise."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from mapro.core.db import pipeline

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pipeline mode is PostgreSQL's"
)


def test_statements_of_a_block_run_in_order_and_their_rows_are_read_after_it():
    with connection.cursor() as setup:
        setup.execute("CREATE TEMPORARY TABLE pipeline_probe (n integer)")
    with pipeline(), connection.cursor() as first, connection.cursor() as second:
        first.execute("INSERT INTO pipeline_probe (n) VALUES (1), (2) RETURNING n")
        second.execute("SELECT count(*) FROM pipeline_probe")  # sees the INSERT sent before it
        inserted = sorted(n for (n,) in first.fetchall())
        (count,) = second.fetchone()
    assert inserted == [1, 2]
    assert count == 2


@on_postgresql
def test_the_connection_is_in_pipeline_mode_only_inside_the_block():
    from psycopg import pq

    connection.ensure_connection()
    with pipeline():
        assert connection.connection.pgconn.pipeline_status != pq.PipelineStatus.OFF
        with pipeline():  # nested: the outer block's round trip carries these too
            assert connection.connection.pgconn.pipeline_status != pq.PipelineStatus.OFF
    assert connection.connection.pgconn.pipeline_status == pq.PipelineStatus.OFF


def test_an_error_raises_djangos_exception_and_the_savepoint_rolls_back():
    with connection.cursor() as setup:
        setup.execute("CREATE TEMPORARY TABLE pipeline_probe (n integer NOT NULL)")
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        pipeline(),
        connection.cursor() as cursor,
    ):
        cursor.execute("INSERT INTO pipeline_probe (n) VALUES (1)")
        cursor.execute("INSERT INTO pipeline_probe (n) VALUES (NULL)")  # raises by the block's end
    with connection.cursor() as check:
        check.execute("SELECT count(*) FROM pipeline_probe")
        assert check.fetchone() == (0,)


@on_postgresql
def test_a_statement_run_five_times_is_prepared():
    """Prepared statements are planned once (settings: server-side binding, threshold 5)."""
    sql = "SELECT count(*) FROM django_migrations WHERE app = %s"
    with connection.cursor() as cursor:
        for _ in range(6):  # 5 runs counted, prepared at the 6th
            cursor.execute(sql, ["procedures"])
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%FROM django_migrations WHERE app = $1%"],
        )
        assert cursor.fetchone() == (1,)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_block_that_opens_the_transaction_sends_its_begin_along_and_a_rollback_undoes_it():
    """The block's ``BEGIN`` travels with its statements (no round trip of its own): psycopg
    sends no second one, and every statement of the block is inside the transaction."""
    connection.ensure_connection()
    notices: list[str] = []
    connection.connection.add_notice_handler(lambda diag: notices.append(diag.message_primary))
    with connection.cursor() as setup:  # autocommit: outside any transaction
        setup.execute("CREATE TEMPORARY TABLE pipeline_begin_probe (n integer)")
    with pytest.raises(RuntimeError), transaction.atomic():
        with pipeline(), connection.cursor() as cursor:
            cursor.execute("INSERT INTO pipeline_begin_probe (n) VALUES (1)")
            cursor.execute("SELECT pg_current_xact_id_if_assigned() IS NOT NULL")
            (in_transaction,) = cursor.fetchone()
        with connection.cursor() as cursor:  # after the block: the same transaction
            cursor.execute("SELECT count(*) FROM pipeline_begin_probe")
            assert cursor.fetchone() == (1,)
        raise RuntimeError("roll back")
    assert in_transaction is True
    with connection.cursor() as check:
        check.execute("SELECT count(*) FROM pipeline_begin_probe")
        assert check.fetchone() == (0,)
        check.execute("DROP TABLE pipeline_begin_probe")
    assert notices == []  # a second BEGIN would warn "there is already a transaction in progress"


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_the_blocks_begin_travels_with_its_statements_in_one_round_trip():
    """libpq's trace of the block: ``BEGIN`` and the statement, then one Sync (psycopg alone
    would sync after ``BEGIN`` and wait for its reply before sending the statement)."""
    import tempfile

    from psycopg import pq

    connection.ensure_connection()
    pgconn = connection.connection.pgconn
    with tempfile.TemporaryFile() as trace, transaction.atomic():
        pgconn.trace(trace.fileno())
        pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        try:
            with pipeline(), connection.cursor() as cursor:
                cursor.execute("SELECT %s::int", [1])
                assert cursor.fetchone() == (1,)
        finally:
            pgconn.untrace()
        trace.seek(0)
        sent = [line for line in trace.read().decode().splitlines() if line[:1] == "F"]
    syncs = [i for i, message in enumerate(sent) if message.split("\t")[2] == "Sync"]
    assert any("BEGIN" in message for message in sent[: syncs[0]]), sent
    assert len(syncs) == 1, sent
