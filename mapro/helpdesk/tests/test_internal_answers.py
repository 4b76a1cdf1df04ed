"""Internal answers stay internal on every page and API answer (issue 13, item 10).

Activity 5 of S04.03.04.02 stores the technician's diagnosis as an internal note of the ticket
("no la ve el solicitante"). The same answers are in the instance's history: the case page,
the task page, the instance and task API must hide them from the requester (and from the
unit's director, who does not attend the ticket either), and show them to the staff who
attend it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from mapro.helpdesk.choices import ActionKind
from mapro.helpdesk.models import Ticket, TicketAction
from mapro.procedures.models import WorkItem
from mapro.procedures.testing import client_for, publish_ficha

from .helpers import requester_user, staff_user
from .test_procedure_integration import ACT5_NO, API, _assign, complete, portal_ticket

pytestmark = pytest.mark.django_db

DIAGNOSIS = "Fusor dañado por sobrecalentamiento."
ACTIONS = "Limpieza y prueba de impresión en el piso 3."


@pytest.fixture
def people(org: Any) -> dict[str, Any]:
    """The requester (DIGEP) and the OGTIE staff of the procedure."""
    publish_ficha("S04.03.04.02")
    return {
        "personal": requester_user("DIGEP"),
        "operador-mesa": staff_user("operador-mesa", "OGTIE"),
        "resp-soporte": staff_user("resp-soporte", "OGTIE-INFRAESTRUCTURA"),
        "jefe-ogtie": staff_user("jefe-ogtie", "OGTIE"),
    }


@pytest.fixture
def diagnosed(people: dict[str, Any]) -> tuple[Ticket, int]:
    """A portal ticket whose procedure went through activity 5 (diagnosis, not solved)."""
    ticket = portal_ticket(people)
    iid = ticket.instance_id
    assert complete(people, iid, 2, "operador-mesa", {"cumple_requisitos": "si"}).status_code == 200
    assert complete(people, iid, 4, "operador-mesa", _assign(people)).status_code == 200
    act5 = {**ACT5_NO, "diagnostico": DIAGNOSIS, "acciones_realizadas": ACTIONS}
    assert complete(people, iid, 5, "resp-soporte", act5).status_code == 200
    # The ticket keeps it as an internal note: the premise of the finding.
    note = TicketAction.objects.get(ticket=ticket, body__contains=DIAGNOSIS)
    assert note.kind == ActionKind.INTERNAL_NOTE and not note.visible_to_requester
    return ticket, iid


def _task(iid: int, n: int) -> int:
    return WorkItem.objects.get(instance_id=iid, n=n).pk


def _reads(user: Any, iid: int) -> dict[str, bool]:
    """Where ``user`` reads the diagnosis: each page and API answer that shows the history."""
    client = client_for(user)
    browser = Client()
    browser.force_login(user)
    pages = {
        "case page": reverse("procedures:instance_detail", args=[iid]),
        # The diagnosis's own (completed) task: its page shows the history to any reader.
        "task page": reverse("procedures:task_detail", args=[_task(iid, 5)]),
        "instance API": f"{API}/instances/{iid}/",
        "task API": f"{API}/tasks/{_task(iid, 5)}/",
    }
    seen = {}
    for name, url in pages.items():
        response = (client if url.startswith(API) else browser).get(url)
        assert response.status_code == 200, (name, response.status_code)
        body = response.content.decode()
        seen[name] = DIAGNOSIS in body or ACTIONS in body
    return seen


def test_the_requester_reads_no_internal_answer_anywhere(
    people: dict[str, Any], diagnosed: tuple[Ticket, int]
) -> None:
    ticket, iid = diagnosed
    requester = people["personal"]
    assert _reads(requester, iid) == dict.fromkeys(
        ("case page", "task page", "instance API", "task API"), False
    )
    history = client_for(requester).get(f"{API}/instances/{iid}/").json()["history"]
    step5 = next(h for h in history if h["n"] == 5)
    assert step5["data"] == {} and step5["internal"] is True
    step4 = next(h for h in history if h["n"] == 4)  # not internal: shown as before
    assert step4["internal"] is False and step4["data"]["especialidad"] == "Impresoras"
    browser = Client()
    browser.force_login(requester)
    page = browser.get(reverse("procedures:instance_detail", args=[iid]))
    assert "Respuestas internas" in page.content.decode()
    portal = browser.get(reverse("helpdesk:portal_ticket", args=[ticket.number]))
    assert portal.status_code == 200 and DIAGNOSIS not in portal.content.decode()


def test_the_units_director_reads_no_internal_answer_either(
    people: dict[str, Any], diagnosed: tuple[Ticket, int]
) -> None:
    _ticket, iid = diagnosed
    director = staff_user("director-uo", "DIGEP")
    client = client_for(director)
    browser = Client()
    browser.force_login(director)
    page = browser.get(reverse("procedures:instance_detail", args=[iid]))
    assert page.status_code == 200 and DIAGNOSIS not in page.content.decode()
    history = client.get(f"{API}/instances/{iid}/").json()["history"]
    assert next(h for h in history if h["n"] == 5)["data"] == {}


def test_the_staff_who_attend_the_ticket_read_them(
    people: dict[str, Any], diagnosed: tuple[Ticket, int]
) -> None:
    _ticket, iid = diagnosed
    for role in ("resp-soporte", "operador-mesa"):
        assert _reads(people[role], iid) == {
            "case page": True,
            "task page": True,
            "instance API": True,
            "task API": False,  # the task API carries the form, never earlier answers
        }, role
        history = client_for(people[role]).get(f"{API}/instances/{iid}/").json()["history"]
        step5 = next(h for h in history if h["n"] == 5)
        assert step5["internal"] is False and step5["data"]["diagnostico"] == DIAGNOSIS


def test_a_closing_step_publishes_its_solution_to_the_requester(
    people: dict[str, Any], diagnosed: tuple[Ticket, int]
) -> None:
    _ticket, iid = diagnosed
    from mapro.procedures.internal import internal_steps
    from mapro.procedures.models import Instance

    ficha = Instance.objects.get(pk=iid).procedure_version.ficha
    steps = internal_steps(ficha)
    assert 5 in steps and 6 not in steps and 8 not in steps  # 6 and 8 annotate and close


def test_the_rule_reads_the_ticket_only_when_its_answer_depends_on_it(
    people: dict[str, Any], diagnosed: tuple[Ticket, int]
) -> None:
    """``reads_internal_answers`` skips the ticket when both of its answers agree (desk staff
    of the OGTIE: yes; no staff role and no OGTIE role: no), and answers as the full rule does
    for every reader, with a ticket and without one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mapro.helpdesk.access import person_of, reads_internal_answers, sees_internal
    from mapro.organization.permissions import holds_ogtie_role
    from mapro.procedures.internal import reads_internal
    from mapro.procedures.models import Instance

    ticket, iid = diagnosed
    instance = Instance.objects.get(pk=iid)
    other = Instance.objects.exclude(pk=iid).first() or Instance(pk=0)  # no ticket
    assert not Ticket.objects.filter(instance=other).exists()
    readers = {
        **people,
        "director-uo": staff_user("director-uo", "DIGEP"),
        "resp-bd (another team)": staff_user("resp-bd", "OGTIE-INNOVACION"),
    }
    reads_ticket = {"resp-soporte", "resp-bd (another team)"}
    for name, user in readers.items():
        holds_ogtie_role(user), person_of(user)  # read once per request in any case
        with CaptureQueriesContext(connection) as taken:
            answer = reads_internal_answers(user, instance)
        assert answer == sees_internal(user, ticket), name
        assert len(taken.captured_queries) == (1 if name in reads_ticket else 0), name
        assert reads_internal(user, other) == holds_ogtie_role(user), name
    assert reads_internal(readers["resp-soporte"], instance) is True  # attends the ticket
    assert reads_internal(readers["resp-bd (another team)"], instance) is False
