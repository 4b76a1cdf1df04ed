"""PostgreSQL-only guarantees: the append-only trigger and a chain that never forks."""

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction

from mapro.audit.actions import record_event
from mapro.audit.models import AuditEvent
from mapro.audit.verify import ALTERED, verify_chain

from .helpers import add_events, postgres_only

pytestmark = postgres_only


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET actor_name = 'otro'",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
    ],
)
def test_trigger_rejects_changes_to_the_audit_table(sql):
    add_events(2)
    with transaction.atomic(), connection.cursor() as cursor:
        # The test database allows TRUNCATE for its own flush; a real database does not.
        cursor.execute("SET LOCAL mapro.allow_audit_truncate = 'off'")
        with pytest.raises(DatabaseError, match="solo admite inserciones"), transaction.atomic():
            cursor.execute(sql)
    assert AuditEvent.objects.count() == 2
    assert verify_chain().ok


@pytest.mark.django_db
def test_orm_update_and_delete_are_rejected():
    event = add_events(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="otra.cosa")
    with pytest.raises(DatabaseError), transaction.atomic():
        event.delete()


@pytest.mark.django_db
def test_verify_names_the_row_edited_in_a_copy_of_the_table():
    events = add_events(6)
    victim = events[3]
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE audit_copy AS SELECT * FROM audit_auditevent")
        cursor.execute("UPDATE audit_copy SET object_repr = 'cambiado' WHERE id = %s", [victim.pk])
    assert verify_chain().ok  # the real table is intact
    result = verify_chain(table="audit_copy", batch_size=4)
    assert (result.broken.event_id, result.broken.reason) == (victim.pk, ALTERED)
    with pytest.raises(CommandError) as excinfo:
        call_command("audit", "verify", "--table", "audit_copy")
    assert f"evento {victim.pk}" in str(excinfo.value)
    assert "contenido alterado" in str(excinfo.value)


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_linear_chain():
    threads_n, per_thread = 8, 15
    barrier = threading.Barrier(threads_n)
    errors: list[BaseException] = []

    def append(worker: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                with transaction.atomic():
                    record_event(
                        actor=None,
                        action="prueba.concurrencia",
                        object_type="prueba",
                        object_id=f"{worker}-{i}",
                    )
        except BaseException as exc:  # reported to the main thread below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(w,)) for w in range(threads_n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    total = threads_n * per_thread
    prev_hashes = list(AuditEvent.objects.order_by("id").values_list("prev_hash", flat=True))
    assert len(prev_hashes) == total
    assert len(set(prev_hashes)) == total  # no two events claim the same predecessor: no fork
    result = verify_chain(batch_size=16)
    assert result.ok and result.count == total
