"""A person whose term has ended (``Person.valid_until`` passed) is offered as help-desk staff
nowhere: not in the console's pickers (queue and ticket page), not as an assignee through the
API. The clock is pinned: the last day of the term still counts, the next day does not."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from mapro.helpdesk.testing import ticket_in_status
from mapro.helpdesk.views.console import staff_choices
from mapro.organization.actions import do_update_person

from .helpers import category, requester_user, staff_user

pytestmark = pytest.mark.django_db

LIMA = ZoneInfo("America/Lima")
LAST_DAY = dt.date(2026, 3, 10)


def _at(day: dt.date) -> Any:
    return time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=LIMA), tick=False)


@pytest.fixture
def people(org: Any) -> dict[str, Any]:
    with _at(LAST_DAY):
        leaving = staff_user("resp-soporte")
        do_update_person(leaving.person, actor=None, valid_until=LAST_DAY)
        return {
            "desk": staff_user("operador-mesa", "OGTIE"),
            "leaving": leaving,
            "staying": staff_user("resp-soporte"),
            "ticket": ticket_in_status(
                requester_user().person,
                category=category("soporte-tecnico"),
                data={"ubicacion": "Piso 2"},
            ),
        }


def _offered(client: Any, people: dict[str, Any]) -> dict[str, set[str]]:
    """Who each picker offers: the console function, the queue page, the ticket page."""
    client.force_login(people["desk"])
    number = people["ticket"].number
    pages = {
        "queue": client.get(reverse("helpdesk:console_queue")),
        "ticket": client.get(reverse("helpdesk:console_ticket", args=[number])),
    }
    offered = {"choices": {row["username"] for row in staff_choices()}}
    for name, response in pages.items():
        assert response.status_code == 200
        offered[name] = {row["username"] for row in response.context["staff"]}
    return offered


def test_the_last_day_of_the_term_still_counts(client: Any, people: dict[str, Any]) -> None:
    with _at(LAST_DAY):
        offered = _offered(client, people)
    for name, usernames in offered.items():
        assert people["leaving"].username in usernames, name
        assert people["staying"].username in usernames, name


def test_after_the_term_the_person_is_offered_nowhere(client: Any, people: dict[str, Any]) -> None:
    with _at(LAST_DAY + dt.timedelta(days=1)):
        offered = _offered(client, people)
        html = client.get(reverse("helpdesk:console_queue")).content.decode()
    for name, usernames in offered.items():
        assert people["leaving"].username not in usernames, name
        assert people["staying"].username in usernames, name
    assert f'value="{people["leaving"].username}"' not in html
    assert f'value="{people["staying"].username}"' in html


def test_the_api_refuses_to_assign_to_a_person_whose_term_ended(people: dict[str, Any]) -> None:
    api = APIClient()
    api.force_authenticate(people["desk"])
    url = f"/api/v1/tickets/{people['ticket'].number}/assign/"
    with _at(LAST_DAY + dt.timedelta(days=1)):
        refused = api.post(url, {"assignee": people["leaving"].username}, format="json")
        assert refused.status_code == 400
        assert "assignee" in refused.json()["errors"]
        people["ticket"].refresh_from_db()
        assert people["ticket"].assignee_id is None
        done = api.post(url, {"assignee": people["staying"].username}, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["assignee"]["username"] == people["staying"].username
