"""Several workers delivering at once on PostgreSQL never send a message twice."""

import threading
from collections import Counter

import pytest
from django.db import connection, connections, transaction

from mapro.notifications import delivery
from mapro.notifications.actions import enqueue_mail
from mapro.notifications.choices import OutboxStatus
from mapro.notifications.models import OutboxMessage

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

N_MESSAGES = 40
N_WORKERS = 6


def _fill_outbox():
    with transaction.atomic():
        for n in range(N_MESSAGES):
            enqueue_mail(
                to=[f"persona{n}@mindef.gob.pe"],
                subject=f"Aviso {n}",
                template="aviso",
                context={"mensaje": f"Mensaje {n}"},
                key=f"concurrente:{n}",
            )


def _run_workers(target):
    barrier = threading.Barrier(N_WORKERS)
    errors = []

    def worker():
        try:
            barrier.wait()
            target()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(N_WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors


def _assert_each_sent_once(smtp_server):
    received = Counter(m["X-Mapro-Idempotency-Key"] for m in smtp_server.messages)
    assert len(received) == N_MESSAGES
    assert set(received.values()) == {1}, [key for key, n in received.items() if n > 1]
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {(OutboxStatus.SENT, 1)}


def test_concurrent_deliverers_send_each_message_exactly_once(smtp_server, settings):
    settings.NOTIFICATIONS_CLAIM_BATCH = 3  # many small claims, so the workers interleave
    smtp_server.delay = 0.005
    _fill_outbox()
    _run_workers(lambda: delivery.deliver_due_messages(limit=N_MESSAGES))
    _assert_each_sent_once(smtp_server)


def test_skip_locked_claims_are_disjoint(smtp_server):
    _fill_outbox()
    claims: list[list[int]] = []
    lock = threading.Lock()

    def claim_all():
        while batch := delivery.claim_skip_locked(2):
            with lock:
                claims.append([row.pk for row in batch])

    _run_workers(claim_all)
    ids = [pk for batch in claims for pk in batch]
    assert len(ids) == len(set(ids)) == N_MESSAGES


def test_conditional_claims_are_disjoint_too(smtp_server):
    """The SQLite path, hammered where real concurrency exists: no row claimed twice."""
    _fill_outbox()
    claims: list[list[int]] = []
    lock = threading.Lock()

    def claim_all():
        while batch := delivery.claim_conditionally(4):
            with lock:
                claims.append([row.pk for row in batch])

    _run_workers(claim_all)
    ids = [pk for batch in claims for pk in batch]
    assert len(ids) == len(set(ids)) == N_MESSAGES


def test_the_same_key_from_concurrent_transactions_gives_one_row():
    """Two requests enqueue the same effect at once: one row, and neither request fails."""
    results = []
    lock = threading.Lock()

    def enqueue_same():
        with transaction.atomic():
            message = enqueue_mail(
                to=["ana@mindef.gob.pe"],
                subject="Ticket asignado",
                template="aviso",
                context={"mensaje": "Hola"},
                key="ticket:5:asignado",
            )
        with lock:
            results.append(message.pk)

    _run_workers(enqueue_same)
    assert len(results) == N_WORKERS
    assert len(set(results)) == 1
    assert OutboxMessage.objects.count() == 1
