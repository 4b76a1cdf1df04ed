"""Removing one account from many transactions at once removes it once (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from mapro.audit.models import AuditEvent
from mapro.iam.actions import do_remove_account
from mapro.iam.models import Account
from mapro.iam.testing import make_account

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite serializes)"
    ),
]


def test_concurrent_removals_write_one_event() -> None:
    account = make_account()
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def remove() -> None:
        try:
            barrier.wait()
            do_remove_account(Account.objects.get(pk=account.pk), actor=None, reason="Cese")
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=remove) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    account.refresh_from_db()
    assert account.status == "eliminada"
    assert AuditEvent.objects.filter(action="account.remove").count() == 1
