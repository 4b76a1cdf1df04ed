"""Fault test (issue 13): the delivering worker is killed mid-batch, then runs again.

A real ``mapro notifications deliver`` process sends a batch to the loopback SMTP server, which
answers slowly; it is killed with SIGKILL (no clean-up of any kind) after a few mails. Once the
lease of its claim has run out, the next run delivers the rest: every row ends sent, every
message arrived, and only the one in flight when the process died (received, not yet recorded)
arrives twice, with the same Message-ID so the receiving side can drop it.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from collections import Counter

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone

from mapro.notifications import conf
from mapro.notifications.actions import enqueue_mail
from mapro.notifications.choices import OutboxStatus
from mapro.notifications.models import OutboxMessage
from mapro.notifications.testing import deliver_outbox

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]

MAILS = 12


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def test_a_worker_killed_mid_batch_loses_nothing_and_repeats_only_the_mail_in_flight(
    smtp_server, tmp_path
):
    with transaction.atomic():
        for n in range(MAILS):
            enqueue_mail(
                to=[f"persona{n}@mindef.gob.pe"],
                subject=f"Aviso {n}",
                template="aviso",
                context={"mensaje": f"Aviso número {n}."},
                key=f"fallo:{n}",
            )
    smtp_server.delay = 0.3  # each mail is held after it arrives: the kill lands mid-send
    worker = subprocess.Popen(
        [sys.executable, "-m", "mapro.cli", "notifications", "deliver"],
        env={
            **os.environ,
            "DATABASE_URL": _database_url(),
            "EMAIL_URL": f"smtp://{smtp_server.host}:{smtp_server.port}",
            "MAPRO_VAR_DIR": str(tmp_path),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        smtp_server.wait_for(3, timeout=60)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    sending = OutboxMessage.objects.filter(status=OutboxStatus.SENDING).count()
    assert sending > 0, "el proceso terminó su lote antes de morir"
    smtp_server.delay = 0.0

    # The restarted worker, once the dead one's lease has run out.
    later = timezone.now() + dt.timedelta(seconds=conf.lease_seconds() + 1)
    with time_machine.travel(later, tick=True):
        deliver_outbox()

    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
    copies = Counter(m["X-Mapro-Idempotency-Key"] for m in smtp_server.messages)
    assert set(copies) == {f"fallo:{n}" for n in range(MAILS)}
    repeated = [key for key, n in copies.items() if n > 1]
    assert len(repeated) <= 1, copies
    for key in repeated:
        assert len({m["Message-ID"] for m in smtp_server.by_key(key)}) == 1
