import pytest

from .helpers import new_ticket, requester_user

pytestmark = pytest.mark.django_db


def test_create(org):
    t = new_ticket(requester_user())
    assert t.number.endswith("000001")
