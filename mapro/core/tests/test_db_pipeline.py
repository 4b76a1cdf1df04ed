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
