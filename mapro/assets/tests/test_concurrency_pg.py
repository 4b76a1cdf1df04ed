"""Simultaneous assignments of one device: exactly one wins (PostgreSQL; skipped on SQLite,
where writers are serialized by BEGIN IMMEDIATE anyway)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections, transaction

from mapro.assets import testing
from mapro.assets.actions.common import create_open_assignment
from mapro.assets.models import CertAssignment, PhoneAssignment
from mapro.core.exceptions import Conflict
from mapro.core.testing import make_user

from .helpers import API, api

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL"),
    pytest.mark.django_db(transaction=True),
]


def _race(workers: list[Callable[[], Any]]) -> list[Any]:
    """Run the callables at the same instant, each in its own thread and connection."""
    barrier = threading.Barrier(len(workers))
    results: list[Any] = [None] * len(workers)

    def run(i: int, work: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            results[i] = work()
        except Exception as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, w)) for i, w in enumerate(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_simultaneous_api_assignments_one_succeeds():
    testing.other_unit()
    phone = testing.new_phone()
    users = [make_user("prof-redes"), make_user("coord-infraestructura")]
    url = f"{API}/phones/{phone.pk}/assign/"

    def assign(user: Any, name: str) -> int:
        body = {"holder_name": name, "unit": "DGRRHH"}
        return int(api(user).post(url, body, format="json").status_code)

    codes = _race([lambda: assign(users[0], "Ana Rojas"), lambda: assign(users[1], "Carlos Díaz")])
    assert sorted(codes) == [200, 409], codes
    assert PhoneAssignment.objects.filter(equipment=phone, returned_on__isnull=True).count() == 1


def test_many_simultaneous_certificate_assignments_one_succeeds():
    from mapro.assets.actions import do_assign_cert_device

    device = testing.new_cert_device()
    people = [testing.person(f"4000010{i}") for i in range(6)]

    def assign(holder: Any) -> Any:
        return do_assign_cert_device(
            device,
            holder=holder,
            declaracion_jurada="DJ",
            reniec_registered_on=dt.date(2025, 8, 4),
            reniec_approved_on=dt.date(2025, 8, 6),
            actor=None,
            check=False,
        )

    results = _race([lambda p=p: assign(p) for p in people])
    wins = [r for r in results if isinstance(r, CertAssignment)]
    losses = [r for r in results if isinstance(r, Conflict)]
    assert len(wins) == 1 and len(losses) == 5, results
    assert CertAssignment.objects.filter(device=device, returned_on__isnull=True).count() == 1


def test_the_partial_unique_index_alone_stops_a_second_open_assignment():
    """Without the row lock (two writers that both saw the phone free): the index decides."""
    phone = testing.new_phone()
    unit = testing.other_unit()

    def insert(name: str) -> Any:
        with transaction.atomic():
            return create_open_assignment(
                lambda: PhoneAssignment.objects.create(
                    equipment=phone, holder_name=name, unit=unit, assigned_on=dt.date(2025, 9, 8)
                ),
                "El equipo ya está asignado.",
            )

    results = _race([lambda: insert("Ana Rojas"), lambda: insert("Carlos Díaz")])
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "PhoneAssignment"], results
    assert PhoneAssignment.objects.filter(equipment=phone).count() == 1
