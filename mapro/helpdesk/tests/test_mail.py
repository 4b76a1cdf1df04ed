"""Mails go to the outbox in the action's transaction: right people, Spanish, never twice."""

from __future__ import annotations

import pytest

from mapro.core.exceptions import InvalidInput
from mapro.helpdesk import actions
from mapro.notifications.models import OutboxMessage

from .helpers import new_ticket, requester_user, staff_user

pytestmark = pytest.mark.django_db


def _with_mail(user, address):
    user.email = address
    user.save(update_fields=["email"])
    return user


def test_lifecycle_mails(org, settings):
    settings.MAPRO_SITE_URL = "https://mapro.mindef.gob.pe"
    ana = _with_mail(requester_user(), "ana@mindef.gob.pe")
    tech = _with_mail(staff_user("resp-soporte"), "tecnico@mindef.gob.pe")
    ticket = new_ticket(ana)
    created = OutboxMessage.objects.get()
    assert created.recipients == ["ana@mindef.gob.pe"]
    assert created.subject.startswith(f"Ticket {ticket.number} registrado")
    assert "Su solicitud fue registrada" in created.body_text
    assert "https://mapro.mindef.gob.pe/" in created.body_text

    actions.do_assign_ticket(ticket, actor=None, assignee=tech)
    actions.do_start_ticket(ticket, actor=tech)
    actions.do_resolve_ticket(ticket, actor=tech, solution="Se cambió el tóner.")
    actions.do_confirm_ticket_solution(ticket, actor=ana)
    mails = [(m.recipients, m.subject.split(":")[0]) for m in OutboxMessage.objects.order_by("id")]
    n = ticket.number
    assert mails == [
        (["ana@mindef.gob.pe"], f"Ticket {n} registrado"),
        (["tecnico@mindef.gob.pe"], f"Ticket {n} asignado a usted"),
        (["ana@mindef.gob.pe"], f"Su ticket {n} fue asignado"),
        (["ana@mindef.gob.pe"], f"Ticket {n} resuelto"),
        (["ana@mindef.gob.pe", "tecnico@mindef.gob.pe"], f"Ticket {n} cerrado"),
    ]
    assert len({m.key for m in OutboxMessage.objects.all()}) == 5


def test_returned_request_mails_the_observations(org):
    ana = _with_mail(requester_user(), "ana@mindef.gob.pe")
    ticket = new_ticket(ana)
    actions.do_return_ticket(ticket, actor=None, observations="Falta el código patrimonial.")
    returned = OutboxMessage.objects.latest("id")
    assert "devuelto" in returned.subject
    assert "Falta el código patrimonial." in returned.body_text


def test_a_refused_request_mails_nothing(org):
    ana = _with_mail(requester_user(), "ana@mindef.gob.pe")
    with pytest.raises(InvalidInput):
        new_ticket(ana, code="certificado-digital")
    assert not OutboxMessage.objects.exists()
