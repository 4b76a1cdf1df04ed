"""A ticket's log names who acted as every history of mapro does, "usuario (Nombre Apellido)"
(``audit.actions.actor_name``), on the page the requester and the desk read."""

from __future__ import annotations

import pytest
from django.test import Client

from mapro.helpdesk.models import TicketAction

from .helpers import new_ticket, requester_user

pytestmark = pytest.mark.django_db


def test_the_log_line_names_the_author_by_user_and_name(org) -> None:
    user = requester_user()
    ticket = new_ticket(user)
    expected = f"{user.username} ({user.get_full_name()})"
    authors = TicketAction.objects.filter(ticket=ticket).values_list("author_name", flat=True)
    assert set(authors) == {expected}
    client = Client()
    client.force_login(user)
    page = client.get(f"/mesa-de-ayuda/solicitudes/{ticket.number}/")  # the portal's page
    assert page.status_code == 200
    assert expected in page.content.decode()
