"""Ticket numbers: MA-<year>-<6 digits>, correlative per year, no gaps, no duplicates."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from mapro.core.exceptions import InvalidInput
from mapro.helpdesk.actions import next_ticket_number
from mapro.helpdesk.models import Ticket, TicketSequence

from .helpers import new_ticket, requester_user, requires_postgres

pytestmark = pytest.mark.django_db


def test_numbers_are_sequential_in_the_current_year(org):
    user = requester_user()
    year = timezone.localdate().year
    numbers = [new_ticket(user).number for _ in range(3)]
    assert numbers == [f"MA-{year}-{n:06d}" for n in (1, 2, 3)]


def test_each_year_has_its_own_sequence(db):
    with transaction.atomic():
        assert next_ticket_number(2025) == "MA-2025-000001"
        assert next_ticket_number(2026) == "MA-2026-000001"
        assert next_ticket_number(2025) == "MA-2025-000002"
    assert dict(TicketSequence.objects.values_list("year", "last")) == {2025: 2, 2026: 1}


def test_a_refused_ticket_leaves_no_gap(org):
    user = requester_user()
    first = new_ticket(user)
    with pytest.raises(InvalidInput):
        new_ticket(user, code="certificado-digital")  # the declaración jurada is missing
    second = new_ticket(user)
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1


def test_a_rolled_back_number_is_given_again(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        next_ticket_number(2030)
        raise RuntimeError("rollback")
    with transaction.atomic():
        assert next_ticket_number(2030) == "MA-2030-000001"


@pytest.mark.postgres
@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_creation_gives_distinct_consecutive_numbers(org_transactional):
    users = [requester_user() for _ in range(16)]
    barrier = threading.Barrier(16)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def work(user):
        try:
            barrier.wait(timeout=30)
            numbers.append(new_ticket(user).number)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    seq = sorted(int(n[-6:]) for n in numbers)
    assert seq == list(range(1, 17))
    assert Ticket.objects.count() == 16
