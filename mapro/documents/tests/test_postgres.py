"""Race-free numbering on PostgreSQL: N parallel allocations of the same family and year get
distinct, consecutive numbers (the counter row is locked with SELECT … FOR UPDATE)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections, transaction

from mapro.documents import numbering
from mapro.documents.models import DocumentCounter

requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="necesita PostgreSQL (DATABASE_URL)"
)
pytestmark = [requires_postgres, pytest.mark.django_db(transaction=True)]

THREADS = 8


def _race(work: Any) -> list[Any]:
    barrier = threading.Barrier(THREADS)
    results: list[Any] = []
    lock = threading.Lock()

    def run() -> None:
        try:
            barrier.wait()
            outcome = work()
        except Exception as exc:  # collected and asserted by the caller
            outcome = exc
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _allocate() -> int:
    with transaction.atomic():
        return numbering.next_seq("OFICIO", 2026)


def test_parallel_allocations_get_distinct_consecutive_numbers_from_a_new_counter() -> None:
    results = _race(_allocate)
    assert sorted(results) == list(range(1, THREADS + 1)), results
    assert DocumentCounter.objects.get(family="OFICIO", year=2026).last == THREADS


def test_parallel_allocations_continue_an_existing_counter() -> None:
    DocumentCounter.objects.create(family="OFICIO", year=2026, last=41)
    results = _race(_allocate)
    assert sorted(results) == list(range(42, 42 + THREADS)), results
