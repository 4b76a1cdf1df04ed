"""Who sees which tickets and who may do what (roles, teams, unit scope, requester)."""

from __future__ import annotations

import pytest

from mapro.core.exceptions import Forbidden
from mapro.core.testing import make_user
from mapro.helpdesk import actions
from mapro.helpdesk.selectors import (
    TicketNotFound,
    get_ticket_for_user,
    tickets_visible_to,
    visible_actions,
)
from mapro.helpdesk.testing import ticket_in_status

from .helpers import category, requester_user, staff_user, unit

pytestmark = pytest.mark.django_db


def _ticket(person, code="soporte-tecnico", status="registrado"):
    data = {"ubicacion": "Piso 1"} if code == "soporte-tecnico" else {}
    return ticket_in_status(person, status, category=category(code), data=data)


@pytest.fixture
def tickets(org):
    """Two requesters in DIGEP and DGA; an infrastructure ticket and a security one."""
    ana, luis = requester_user("DIGEP"), requester_user("DGA")
    return {
        "ana": ana,
        "luis": luis,
        "infra": _ticket(ana.person),
        "ciber": _ticket(luis.person, "spam-phishing"),
    }


def _numbers(user):
    return set(tickets_visible_to(user).values_list("number", flat=True))


def test_requester_sees_only_their_own(tickets):
    assert _numbers(tickets["ana"]) == {tickets["infra"].number}
    assert _numbers(tickets["luis"]) == {tickets["ciber"].number}
    with pytest.raises(TicketNotFound):
        get_ticket_for_user(tickets["ana"], tickets["ciber"].number)


def test_desk_roles_see_everything(tickets):
    everything = {tickets["infra"].number, tickets["ciber"].number}
    assert _numbers(staff_user("operador-mesa")) == everything
    assert _numbers(staff_user("jefe-ogtie", "OGTIE")) == everything


def test_team_roles_see_their_team_and_what_is_assigned_to_them(tickets):
    tech = staff_user("resp-soporte")  # OGTIE-INFRAESTRUCTURA
    analyst = staff_user("esp-seguridad-info", "OGTIE-CIBERSEGURIDAD")
    assert _numbers(tech) == {tickets["infra"].number}
    assert _numbers(analyst) == {tickets["ciber"].number}
    actions.do_assign_ticket(tickets["infra"], actor=None, assignee=analyst)
    assert _numbers(analyst) == {tickets["infra"].number, tickets["ciber"].number}


def test_director_sees_the_tickets_of_their_unit(tickets):
    director = make_user("director-uo", unit=unit("DIGEP"))
    assert _numbers(director) == {tickets["infra"].number}


def test_no_roles_and_anonymous_see_nothing_of_others(tickets):
    from django.contrib.auth.models import AnonymousUser

    assert _numbers(make_user()) == set()
    assert _numbers(AnonymousUser()) == set()


def test_internal_notes_only_for_who_attends(tickets):
    ticket = tickets["infra"]
    tech = staff_user("resp-soporte")
    actions.do_comment_ticket(ticket, actor=tech, body="Revisar fusor.", internal=True)
    actions.do_comment_ticket(ticket, actor=tech, body="Vamos en camino.")
    requester_view = [a.body for a in visible_actions(tickets["ana"], ticket)]
    tech_view = [a.body for a in visible_actions(tech, ticket)]
    assert "Revisar fusor." not in requester_view and "Vamos en camino." in requester_view
    assert "Revisar fusor." in tech_view
    director = make_user("director-uo", unit=unit("DIGEP"))
    assert "Revisar fusor." not in [a.body for a in visible_actions(director, ticket)]


def test_assignment_rules(tickets):
    infra = tickets["infra"]
    with pytest.raises(Forbidden):
        actions.do_assign_ticket(infra, actor=tickets["ana"], team=infra.team)
    with pytest.raises(Forbidden):  # a technician is not a coordinator
        actions.do_assign_ticket(infra, actor=staff_user("resp-soporte"), team=infra.team)
    coordinator = staff_user("coord-infraestructura")
    tech = staff_user("resp-soporte")
    done = actions.do_assign_ticket(infra, actor=coordinator, assignee=tech)
    assert done.assignee == tech and done.status == "asignado"
    with pytest.raises(Forbidden):  # not to another team
        actions.do_assign_ticket(infra, actor=coordinator, team=unit("OGTIE-CIBERSEGURIDAD"))
    moved = actions.do_assign_ticket(
        infra, actor=staff_user("operador-mesa"), team=unit("OGTIE-CIBERSEGURIDAD")
    )
    assert moved.team.code == "OGTIE-CIBERSEGURIDAD" and moved.assignee is None


def test_only_ogtie_people_can_be_assignees(tickets):
    from mapro.core.exceptions import InvalidInput

    with pytest.raises(InvalidInput) as info:
        actions.do_assign_ticket(tickets["infra"], actor=None, assignee=tickets["luis"])
    assert "assignee" in info.value.errors


def test_who_attends_and_who_answers(tickets):
    ticket = _ticket(tickets["ana"].person, status="en_atencion")
    other_team = staff_user("esp-seguridad-info", "OGTIE-CIBERSEGURIDAD")
    with pytest.raises(Forbidden):
        actions.do_resolve_ticket(ticket, actor=other_team, solution="x")
    with pytest.raises(Forbidden):
        actions.do_resolve_ticket(ticket, actor=tickets["ana"], solution="x")
    with pytest.raises(Forbidden):  # only the desk validates and returns
        actions.do_return_ticket(
            _ticket(tickets["ana"].person), actor=staff_user("resp-soporte"), observations="x"
        )
    resolved = actions.do_resolve_ticket(ticket, actor=staff_user("resp-soporte"), solution="ok")
    with pytest.raises(Forbidden):  # someone else cannot confirm
        actions.do_confirm_ticket_solution(resolved, actor=tickets["luis"])
    with pytest.raises(Forbidden):
        actions.do_reject_solution(resolved, actor=staff_user("operador-mesa"), reason="no")
    closed = actions.do_confirm_ticket_solution(resolved, actor=tickets["ana"])
    assert closed.status == "cerrado"


def test_starting_an_unassigned_ticket_takes_it(tickets):
    ticket = actions.do_assign_ticket(
        tickets["infra"], actor=None, team=unit("OGTIE-INFRAESTRUCTURA")
    )
    tech = staff_user("resp-soporte")
    started = actions.do_start_ticket(ticket, actor=tech)
    assert started.assignee == tech and started.first_response_at is not None
