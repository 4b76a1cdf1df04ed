"""The hash chain: links, verification, tampering, and what survives a user's deletion."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from mapro.audit.actions import GENESIS_HASH, record_event
from mapro.audit.models import AuditEvent
from mapro.audit.verify import ALTERED, BROKEN_LINK, MISSING, verify_chain

from .helpers import add_event, add_events

pytestmark = pytest.mark.django_db


def _raw(sql: str, params: list) -> None:
    """Tamper the way an intruder with database access would: below the ORM and the app.

    On PostgreSQL that intruder must own the table to lift the append-only trigger first (the
    test database's owner does; the ALTER is rolled back with the test's transaction).
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")


def test_each_event_links_to_the_previous_one():
    events = add_events(4)
    assert events[0].prev_hash == GENESIS_HASH
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.hash
    stored = list(AuditEvent.objects.order_by("id"))
    assert [e.hash for e in stored] == [e.hash for e in events]
    assert all(e.compute_hash() == e.hash for e in stored)


def test_verify_ok_counts_events(capsys):
    add_events(5)
    result = verify_chain(batch_size=2)  # batches smaller than the chain: links across batches
    assert result.ok
    assert result.count == 5
    assert result.head_hash == AuditEvent.objects.latest("id").hash
    call_command("audit", "verify")
    assert "Cadena de auditoría íntegra: 5 eventos" in capsys.readouterr().out


def test_verify_empty_chain():
    result = verify_chain()
    assert result.ok and result.count == 0 and result.head_hash == GENESIS_HASH


@pytest.mark.django_db(transaction=True)
def test_record_event_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        record_event(actor=None, action="x.y")


def test_stored_values_hash_the_same_after_the_round_trip(make_user):
    """Whatever the action passes (dates, decimals, unicode, IPv6) must hash equal once reloaded."""
    from mapro.core.context import change_context

    user = make_user("operador-mesa")
    with change_context(source="web", client_address="2001:DB8:0:0:0:0:0:1", request_id="r1"):
        add_event(
            actor=user,
            before={"fecha": datetime.date(2026, 3, 1), "monto": Decimal("10.50")},
            after={"título": "Atención «urgente»", "n": 1.5, "lista": [1, {"b": None}]},
        )
    event = AuditEvent.objects.latest("id")  # make_user audits the person it creates
    assert event.client_address == "2001:db8::1"
    assert event.before == {"fecha": "2026-03-01", "monto": "10.50"}
    assert event.compute_hash() == event.hash
    assert verify_chain().ok


def test_content_altered_is_named(capsys):
    events = add_events(5)
    victim = events[2]
    _raw("UPDATE audit_auditevent SET actor_name = %s WHERE id = %s", ["otro", victim.pk])
    result = verify_chain()
    assert not result.ok
    assert result.broken.event_id == victim.pk
    assert result.broken.reason == ALTERED
    assert result.count == 2
    with pytest.raises(CommandError) as excinfo:
        call_command("audit", "verify")
    assert excinfo.value.returncode == 1
    message = str(excinfo.value)
    assert f"evento {victim.pk}" in message and "contenido alterado" in message


def test_altered_json_is_caught():
    events = add_events(3)
    _raw(
        "UPDATE audit_auditevent SET after = %s WHERE id = %s",
        ['{"n": 999}', events[1].pk],
    )
    result = verify_chain()
    assert (result.broken.event_id, result.broken.reason) == (events[1].pk, ALTERED)


def test_row_deleted_in_the_middle_is_a_missing_event():
    events = add_events(5)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[2].pk])
    result = verify_chain()
    assert result.broken.event_id == events[3].pk
    assert result.broken.reason == MISSING
    assert f"entre {events[1].pk} y {events[3].pk}" in result.broken.detail


def test_first_rows_deleted_is_a_missing_event():
    events = add_events(3)
    _raw("DELETE FROM audit_auditevent WHERE id = %s", [events[0].pk])
    result = verify_chain()
    assert (result.broken.event_id, result.broken.reason) == (events[1].pk, MISSING)


def test_rewritten_row_with_recomputed_hash_breaks_the_next_link():
    events = add_events(4)
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.actor_name = "intruso"
    new_hash = forged.compute_hash()
    _raw(
        "UPDATE audit_auditevent SET actor_name = %s, hash = %s WHERE id = %s",
        ["intruso", new_hash, forged.pk],
    )
    result = verify_chain()
    assert (result.broken.event_id, result.broken.reason) == (events[2].pk, BROKEN_LINK)


def test_rolled_back_append_leaves_an_id_gap_but_a_valid_chain():
    add_event()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        record_event(actor=None, action="x.y")
        raise ZeroDivisionError
    add_event()
    assert verify_chain().ok


def test_actor_name_survives_the_user_deletion(make_user):
    user = make_user("operador-mesa", username="mrojas")
    event = add_event(actor=user)
    user_id, name = user.pk, f"mrojas ({user.get_full_name()})"
    user.delete()
    event.refresh_from_db()
    assert event.actor_name == name
    assert event.actor_id == user_id  # kept: the row was not touched
    assert verify_chain().ok
