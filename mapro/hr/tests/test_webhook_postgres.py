"""The same leaver event delivered ten times at once has one effect (PostgreSQL: real
concurrent transactions; SQLite serializes writers, so it proves nothing there)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connections

from mapro.audit.models import AuditEvent
from mapro.hr.models import LeaverEvent
from mapro.iam.models import Account
from mapro.procedures.models import Instance

from .helpers import alert, headers_for, post_alert, postgres_only

pytestmark = postgres_only

DELIVERIES = 10


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_deliveries_of_one_event_have_one_effect(published: Any, leaver: Any):
    body = alert(event_id="RRHH-CESE-2026-CONC")
    headers = headers_for(body)
    barrier = threading.Barrier(DELIVERIES)
    answers: list[tuple[int, dict[str, Any]]] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def deliver() -> None:
        try:
            barrier.wait()
            response = post_alert(body, headers)
            with lock:
                answers.append((response.status_code, response.json()))
        except BaseException as exc:  # reported to the main thread below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=deliver) for _ in range(DELIVERIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    statuses = sorted(code for code, _ in answers)
    assert statuses == [200] * (DELIVERIES - 1) + [201], answers
    assert sum(1 for _, body in answers if body["duplicado"]) == DELIVERIES - 1
    assert len({body["expediente"] for _, body in answers}) == 1
    # One effect: one event row, one instance, each account removed once.
    assert LeaverEvent.objects.count() == 1
    assert Instance.objects.count() == 1
    assert AuditEvent.objects.filter(action="leaver_event.receive").count() == 1
    assert AuditEvent.objects.filter(action="leaver_event.duplicate").count() == DELIVERIES - 1
    removals = AuditEvent.objects.filter(action="account.remove")
    assert sorted(removals.values_list("object_id", flat=True)) == sorted(
        str(pk) for pk in Account.objects.filter(status="eliminada").values_list("pk", flat=True)
    )
    assert removals.count() == 2  # red and correo; the VPN user stays for the VPN start
    assert not AuditEvent.objects.filter(action="leaver_event.refuse").exists()
