"""Concurrent failures from several web processes never lose a count (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from mapro.accounts import throttling
from mapro.accounts.models import LoginThrottle

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _hammer(n_threads, username="objetivo", address="10.2.2.2"):
    barrier = threading.Barrier(n_threads)
    errors = []

    def worker():
        try:
            barrier.wait()
            throttling.count_failure(username, address)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_concurrent_failures_are_all_counted(settings):
    settings.LOGIN_MAX_FAILURES = 100
    settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 100
    _hammer(8)
    assert LoginThrottle.objects.get(scope="pair").failures == 8
    # One new pair: one address for the account, one account for the address.
    assert LoginThrottle.objects.get(scope="account").failures == 1
    assert LoginThrottle.objects.get(scope="address").failures == 1


def test_concurrent_failures_reach_the_lock(settings):
    settings.LOGIN_MAX_FAILURES = 5
    _hammer(8)
    assert throttling.waiting("objetivo", "10.2.2.2")
    assert not throttling.waiting("objetivo", "10.2.2.3")
