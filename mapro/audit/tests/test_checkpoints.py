"""Signed checkpoints outside the database catch what the chain alone cannot (issue 13, item 2):
a cut tail and a chain rewritten with recomputed hashes."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from mapro.audit.models import AuditEvent

from .helpers import add_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def checkpoints(settings, tmp_path):
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "checkpoints.jsonl"
    settings.AUDIT_CHECKPOINT_KEY = "clave-de-puntos-de-control-de-prueba-0123456789"
    return settings.AUDIT_CHECKPOINT_FILE


def _raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")


def _verify() -> str:
    try:
        call_command("audit", "verify")
    except CommandError as exc:
        return str(exc)
    return "ok"


def test_a_checkpoint_is_signed_and_verify_passes(checkpoints, capsys):
    add_events(3)
    call_command("audit", "checkpoint")
    (cp,) = [json.loads(line) for line in checkpoints.read_text().splitlines()]
    assert cp["count"] == AuditEvent.objects.count() and len(cp["sig"]) == 64
    add_events(2)  # the chain grows after it: still fine
    assert _verify() == "ok"


def test_deleting_the_newest_events_is_detected(checkpoints):
    events = add_events(4)
    call_command("audit", "checkpoint")
    _raw("DELETE FROM audit_auditevent WHERE id >= %s", [events[2].pk])
    message = _verify()
    assert "ya no existe" in message and "final" in message


def test_truncating_everything_is_detected(checkpoints):
    add_events(2)
    call_command("audit", "checkpoint")
    _raw("DELETE FROM audit_auditevent", [])
    assert "ya no existe" in _verify()


def test_a_rewritten_chain_is_detected(checkpoints):
    events = add_events(3)
    call_command("audit", "checkpoint")
    head = AuditEvent.objects.get(pk=events[-1].pk)
    head.actor_name = "otro"
    _raw(
        "UPDATE audit_auditevent SET actor_name = %s, hash = %s WHERE id = %s",
        ["otro", head.compute_hash(), head.pk],
    )
    assert "reescrita" in _verify()


def test_a_forged_checkpoint_is_refused(checkpoints):
    add_events(2)
    call_command("audit", "checkpoint")
    cp = json.loads(checkpoints.read_text())
    cp["count"] = 1
    checkpoints.write_text(json.dumps(cp) + "\n")
    assert "firma no válida" in _verify()
