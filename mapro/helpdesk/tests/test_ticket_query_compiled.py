"""The ticket's statement for the desk, compiled once per process (``selectors._EVERY_TICKET``,
``core.compiled.CompiledQuery.objects``; issue #15), gives the ticket the ORM's queryset gives:
the same field values, the same related objects attached (category, team, requester and their
user, unit, assignee, case with its version, procedure and unit, survey) with the same
deferred fields, the same published request-form version; for a ticket without any of them,
one with all of them and one whose procedure runs; a lowercase number is found and an unknown
one is 404. Other viewers keep the ORM's query (their visibility is part of it)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mapro.helpdesk import actions, selectors
from mapro.helpdesk.models import Ticket
from mapro.helpdesk.testing import ticket_in_status
from mapro.procedures.testing import publish_ficha

from .helpers import category, requester_user, staff_user

pytestmark = pytest.mark.django_db


def _state(obj, seen: tuple = ()) -> dict:
    """An object's loaded values, its deferred fields and, recursively, its cached relations
    (a relation back to an object already described is named, not described again)."""
    values = {k: v for k, v in obj.__dict__.items() if k != "_state"}
    related: dict = {}
    for name, rel in obj._state.fields_cache.items():
        if rel is None or any(rel is other for other in seen):
            related[name] = None if rel is None else ("back to", type(rel).__name__, rel.pk)
        else:
            related[name] = _state(rel, (*seen, obj))
    return {
        "class": type(obj).__name__,
        "values": values,
        "deferred": sorted(obj.get_deferred_fields()),
        "related": related,
    }


def _orm(number: str) -> Ticket:
    return selectors._ticket_page_query(Ticket.objects.all()).filter(number=number).first()


def test_the_compiled_ticket_is_the_querysets(org):
    desk = staff_user("operador-mesa", "OGTIE")
    ana = requester_user("DIGEP")
    tech = staff_user("resp-soporte", "OGTIE-INFRAESTRUCTURA")
    data = {"data": {"ubicacion": "Piso 2"}}
    bare = ticket_in_status(ana.person, category=category("soporte-tecnico"), **data)
    full = ticket_in_status(ana.person, "asignado", category=category("soporte-tecnico"), **data)
    full = actions.do_assign_ticket(full, actor=None, assignee=tech)
    full = actions.do_resolve_ticket(full, actor=None, solution="Se cambió el cable.")
    actions.do_answer_survey(full, actor=ana, rating=4, comment="<b>Bien</b> & 'rápido'")
    publish_ficha("S04.03.04.02")
    linked = ticket_in_status(ana.person, category=category("soporte-tecnico"), **data)
    assert linked.instance_id is not None
    for ticket in (bare, full, linked):
        ours = selectors.get_ticket_for_user(desk, ticket.number.lower())
        theirs = _orm(ticket.number)
        selectors.attach_version(theirs)
        theirs.__dict__["case_visible"] = theirs.instance_id is not None
        assert _state(ours) == _state(theirs)
        assert ours.category.__dict__.get("_request_form_version") == theirs.category.__dict__.get(
            "_request_form_version"
        )
    ours = selectors.get_ticket_for_user(desk, full.number)
    with CaptureQueriesContext(connection) as ctx:
        assert ours.survey.rating == 4 and ours.assignee == tech
        assert ours.requester.user == ana and ours.team.code and ours.requester_unit.code
    assert not ctx.captured_queries  # all read with the ticket
    linked_ours = selectors.get_ticket_for_user(desk, linked.number)
    with CaptureQueriesContext(connection) as ctx:
        assert linked_ours.instance.procedure_version.procedure.code == "S04.03.04.02"
        assert linked_ours.case_visible is True
    assert not ctx.captured_queries
    assert "state" in linked_ours.instance.get_deferred_fields()


def test_unknown_numbers_and_other_viewers(org):
    desk = staff_user("operador-mesa", "OGTIE")
    ana = requester_user("DIGEP")
    beto = requester_user("DIGEP")
    ticket = ticket_in_status(ana.person)
    with pytest.raises(selectors.TicketNotFound):
        selectors.get_ticket_for_user(desk, "MA-2099-999999")
    with pytest.raises(selectors.TicketNotFound):
        selectors.get_ticket_for_user(desk, "")
    # The requester reads it through the ORM's query, with their visibility; another
    # requester does not find it.
    mine = selectors.get_ticket_for_user(ana, ticket.number)
    assert _state(mine)["values"]["subject"] == ticket.subject
    with pytest.raises(selectors.TicketNotFound):
        selectors.get_ticket_for_user(beto, ticket.number)
