"""Concurrency of the logbook on PostgreSQL: the same person entered from several desks at once
gets one open entry, and one exit recorded at once from several desks is stored once."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from mapro.audit.models import AuditEvent
from mapro.core.exceptions import Conflict, InvalidInput
from mapro.core.testing import make_user
from mapro.datacenter import actions
from mapro.datacenter.models import LogbookEntry
from mapro.datacenter.testing import contractor_visit, open_entry

requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="necesita PostgreSQL (DATABASE_URL)"
)
pytestmark = [
    requires_postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("pinned_clock"),
]

THREADS = 8


def _race(work: Any) -> list[Any]:
    """Run ``work`` in THREADS threads released together; their results or exceptions."""
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


def test_one_open_entry_when_desks_race() -> None:
    visit = contractor_visit()
    dni = visit.people.get().dni
    keeper = make_user("resp-infraestructura")
    moment = timezone.now()

    def enter() -> Any:
        return actions.do_record_entry(
            visit, actor=keeper, dni=dni, entered_at=moment, escort="Ing. Vargas"
        )

    results = _race(enter)
    created = [r for r in results if isinstance(r, LogbookEntry)]
    refused = [r for r in results if isinstance(r, InvalidInput)]
    assert len(created) == 1 and len(refused) == THREADS - 1, results
    assert all("dni" in r.errors for r in refused)
    assert LogbookEntry.objects.filter(dni=dni).count() == 1
    assert AuditEvent.objects.filter(action="logbook_entry.create").count() == 1


def test_one_exit_when_desks_race() -> None:
    entry = open_entry()
    keeper = make_user("coord-infraestructura")

    def leave() -> Any:
        return actions.do_record_exit(
            LogbookEntry.objects.get(pk=entry.pk), actor=keeper, exited_at=timezone.now()
        )

    results = _race(leave)
    done = [r for r in results if isinstance(r, LogbookEntry)]
    assert len(done) == 1, results
    assert all(isinstance(r, Conflict) for r in results if r not in done)
    assert AuditEvent.objects.filter(action="logbook_entry.exit").count() == 1
