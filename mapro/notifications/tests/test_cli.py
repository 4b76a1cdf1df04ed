"""`mapro notifications deliver` in its own process, configured only by EMAIL_URL (PostgreSQL:
the separate process needs to reach the test database)."""

import os
import subprocess
import sys

import pytest
from django.db import connection, transaction

from mapro.notifications.actions import enqueue_mail
from mapro.notifications.choices import OutboxStatus
from mapro.notifications.models import OutboxMessage
from mapro.notifications.testing import mail_text

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _database_url():
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def test_the_command_in_its_own_process_delivers_over_email_url(smtp_server):
    with transaction.atomic():
        enqueue_mail(
            to=["ana@mindef.gob.pe"],
            subject="Su ticket fue resuelto",
            template="aviso",
            context={"nombre": "Ana", "mensaje": "La impresora ya funciona."},
            key="cli:1",
        )
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "EMAIL_URL": f"smtp://{smtp_server.host}:{smtp_server.port}",
        "DEFAULT_FROM_EMAIL": "mesa@mindef.gob.pe",
    }
    result = subprocess.run(
        [sys.executable, "-m", "mapro.cli", "notifications", "deliver"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Enviados: 1;" in result.stdout
    [mail] = smtp_server.messages
    assert mail.envelope_from == "mesa@mindef.gob.pe"
    assert mail["X-Mapro-Idempotency-Key"] == "cli:1"
    assert "La impresora ya funciona." in mail_text(mail)
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT


def test_a_real_worker_process_delivers_through_its_periodic_task(smtp_server, tmp_path):
    """`mapro run_huey`, as `mapro start` runs it: the periodic task is found and delivers.

    The consumer's scheduler enqueues periodic tasks on its first tick, so no minute passes.
    It gets its own Huey queue file (MAPRO_VAR_DIR) and the test database.
    """
    with transaction.atomic():
        enqueue_mail(
            to=["luis@mindef.gob.pe"],
            subject="Ticket asignado",
            template="aviso",
            context={"mensaje": "Se le asignó el ticket MA-2026-000002."},
            key="worker:1",
        )
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "EMAIL_URL": f"smtp://{smtp_server.host}:{smtp_server.port}",
        "MAPRO_VAR_DIR": str(tmp_path),
        "SECRET_KEY": "clave-solo-para-esta-prueba",
    }
    env.pop("REDIS_URL", None)
    worker = subprocess.Popen(
        [sys.executable, "-m", "mapro.cli", "run_huey", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        received = smtp_server.wait_for(1, timeout=60)
    finally:
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    assert [m["X-Mapro-Idempotency-Key"] for m in received] == ["worker:1"], output
    assert "deliver_outbox" in output
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT
