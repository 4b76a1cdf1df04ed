"""After commit the worker is asked to deliver at once; on rollback it is not asked at all."""

import pytest
from django.db import transaction
from huey import signals
from huey.contrib.djhuey import HUEY

from mapro.notifications.actions import enqueue_mail
from mapro.notifications.choices import OutboxStatus
from mapro.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def immediate_worker(smtp_server, settings):
    """Huey in immediate mode (in memory, in this thread) with the kick on; counts task runs."""
    settings.NOTIFICATIONS_KICK_WORKER = True
    runs = []

    def count(signal, task, *args):
        runs.append(type(task).__name__)

    HUEY.signal(signals.SIGNAL_COMPLETE)(count)
    HUEY.immediate = True
    try:
        yield runs
    finally:
        HUEY.immediate = False
        HUEY.disconnect_signal(count, signals.SIGNAL_COMPLETE)


def _enqueue(key, to="ana@mindef.gob.pe"):
    return enqueue_mail(
        to=[to], subject="Aviso", template="aviso", context={"mensaje": "Hola"}, key=key
    )


def test_commit_kicks_the_worker_which_delivers_at_once(immediate_worker, smtp_server):
    with transaction.atomic():
        _enqueue("kick:1")
        assert smtp_server.messages == []  # nothing leaves before the commit
    assert immediate_worker == ["deliver_outbox_soon"]
    assert [m["X-Mapro-Idempotency-Key"] for m in smtp_server.messages] == ["kick:1"]
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT


def test_one_kick_per_transaction_however_many_messages(immediate_worker, smtp_server):
    with transaction.atomic():
        for n in range(3):
            _enqueue(f"kick:varios:{n}", to=f"p{n}@mindef.gob.pe")
    assert immediate_worker == ["deliver_outbox_soon"]
    assert len(smtp_server.messages) == 3


def test_a_message_in_a_savepoint_keeps_its_kick_when_an_earlier_one_is_rolled_back(
    immediate_worker, smtp_server
):
    with transaction.atomic():
        try:
            with transaction.atomic():
                _enqueue("kick:descartado")
                raise ValueError
        except ValueError:
            pass
        _enqueue("kick:conservado")
    assert immediate_worker == ["deliver_outbox_soon"]
    assert [m["X-Mapro-Idempotency-Key"] for m in smtp_server.messages] == ["kick:conservado"]


def test_rollback_neither_kicks_nor_sends(immediate_worker, smtp_server):
    with pytest.raises(ValueError), transaction.atomic():
        _enqueue("kick:rollback")
        raise ValueError
    assert immediate_worker == []
    assert smtp_server.messages == []
    assert not OutboxMessage.objects.exists()


def test_without_the_kick_the_message_waits_for_the_periodic_run(smtp_server, settings):
    settings.NOTIFICATIONS_KICK_WORKER = False
    HUEY.immediate = True
    try:
        with transaction.atomic():
            _enqueue("kick:apagado")
    finally:
        HUEY.immediate = False
    assert smtp_server.messages == []
    assert OutboxMessage.objects.get().status == OutboxStatus.PENDING
