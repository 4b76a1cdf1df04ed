"""Every action from every status: the allowed moves land where the table says, the others
are refused with a Spanish message and change nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mapro.audit.models import AuditEvent
from mapro.core.exceptions import InvalidTransition
from mapro.helpdesk import actions
from mapro.helpdesk.choices import ActionKind, Status
from mapro.helpdesk.models import Ticket, TicketAction
from mapro.helpdesk.testing import ticket_in_status
from mapro.helpdesk.transitions import TRANSITIONS, allowed_actions

from .helpers import requester_user

pytestmark = pytest.mark.django_db


def _text() -> Any:
    return SimpleUploadedFile("nota.txt", b"detalle\n", "text/plain")


CALLS = {
    "assign": lambda t, a: actions.do_assign_ticket(t, actor=a, team=t.team),
    "start": lambda t, a: actions.do_start_ticket(t, actor=a),
    "hold": lambda t, a: actions.do_put_ticket_on_hold(t, actor=a, reason="Falta dato."),
    "return": lambda t, a: actions.do_return_ticket(t, actor=a, observations="Falta acta."),
    "add_information": lambda t, a: actions.do_add_ticket_information(
        t, actor=a, body="Aquí está."
    ),
    "comment": lambda t, a: actions.do_comment_ticket(t, actor=a, body="Hola."),
    "attach": lambda t, a: actions.do_attach_file(t, actor=a, files=[_text()]),
    "resolve": lambda t, a: actions.do_resolve_ticket(t, actor=a, solution="Listo."),
    "confirm": lambda t, a: actions.do_confirm_ticket_solution(t, actor=a),
    "reject": lambda t, a: actions.do_reject_solution(t, actor=a, reason="Sigue igual."),
    "close": lambda t, a: actions.do_close_ticket(t, actor=a),
    "reopen": lambda t, a: actions.do_reopen_ticket(t, actor=a, reason="Volvió a fallar."),
    "reclassify": lambda t, a: actions.do_reclassify_ticket(t, actor=a, impact="alto"),
}
REQUESTER_ONLY = {"reject"}
CASES = [(action, str(status)) for action in TRANSITIONS for status in Status.values]


def test_every_action_has_a_caller():
    assert set(CALLS) == set(TRANSITIONS)


@pytest.mark.parametrize(("action", "status"), CASES)
def test_transition(org, action, status):
    user = requester_user()
    ticket = ticket_in_status(user.person, status)
    actor = user if action in REQUESTER_ONLY else None
    moves = TRANSITIONS[action]
    events = AuditEvent.objects.count()
    if status in moves:
        CALLS[action](ticket, actor)
        ticket.refresh_from_db()
        expected = moves[status] or status
        assert ticket.status == expected
        assert AuditEvent.objects.count() == events + 1
    else:
        log_lines = TicketAction.objects.filter(ticket=ticket).count()
        with pytest.raises(InvalidTransition) as info:
            CALLS[action](ticket, actor)
        assert "No se puede" in info.value.message
        ticket.refresh_from_db()
        assert ticket.status == status
        assert TicketAction.objects.filter(ticket=ticket).count() == log_lines
        assert AuditEvent.objects.count() == events


def test_a_closed_ticket_only_reopens(org):
    assert allowed_actions(Status.CERRADO) == ["reopen"]
    ticket = ticket_in_status(requester_user().person, "cerrado")
    with pytest.raises(InvalidTransition, match="cerrado; solo se puede reabrir"):
        actions.do_comment_ticket(ticket, actor=None, body="¿Sigue?")


def test_the_log_keeps_every_step_in_order(org):
    user = requester_user()
    ticket = ticket_in_status(user.person, "en_espera")
    actions.do_add_ticket_information(ticket, actor=user, body="El código es 123.")
    actions.do_resolve_ticket(ticket, actor=None, solution="Se cambió el tóner.")
    actions.do_confirm_ticket_solution(ticket, actor=user)
    rows = list(ticket.actions.values_list("kind", "from_status", "to_status"))
    assert rows == [
        (ActionKind.CREATED, "", "registrado"),
        (ActionKind.ASSIGNMENT, "registrado", "asignado"),
        (ActionKind.STATUS_CHANGE, "asignado", "en_atencion"),
        (ActionKind.STATUS_CHANGE, "en_atencion", "en_espera"),
        (ActionKind.DATA_ADDED, "en_espera", "en_atencion"),
        (ActionKind.STATUS_CHANGE, "en_atencion", "resuelto"),
        (ActionKind.STATUS_CHANGE, "resuelto", "cerrado"),
    ]
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert ticket.closed_at is not None and ticket.resolved_at is not None
    assert ticket.paused_since is None


def test_reopen_only_within_the_window(org, settings):
    settings.HELPDESK_REOPEN_DAYS = 3
    user = requester_user()
    ticket = ticket_in_status(user.person, "cerrado")
    Ticket.objects.filter(pk=ticket.pk).update(
        resolved_at=ticket.resolved_at - datetime.timedelta(days=4)
    )
    with pytest.raises(InvalidTransition, match="plazo para reabrir venció"):
        actions.do_reopen_ticket(ticket, actor=user, reason="Falla otra vez.")
    fresh = ticket_in_status(user.person, "cerrado")
    reopened = actions.do_reopen_ticket(fresh, actor=user, reason="Falla otra vez.")
    assert reopened.status == Status.ASIGNADO
    assert reopened.resolved_at is None and reopened.closed_at is None


def test_a_returned_and_closed_ticket_cannot_be_reopened(org):
    ticket = ticket_in_status(requester_user().person, "devuelto")
    actions.do_close_ticket(ticket, actor=None)
    with pytest.raises(InvalidTransition, match="registre un ticket nuevo"):
        actions.do_reopen_ticket(ticket, actor=None, reason="Ya lo corregí.")


def test_returned_then_corrected_goes_back_to_validation(org):
    user = requester_user()
    ticket = ticket_in_status(user.person, "devuelto")
    assert ticket.hold_reason == "Adjunte el acta firmada."
    again = actions.do_add_ticket_information(ticket, actor=user, body="Adjunté el acta.")
    assert again.status == Status.REGISTRADO
    assert again.hold_reason == ""
