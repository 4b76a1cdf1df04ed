"""Priority matrix, SLA targets (category, ancestor, default), pauses while en espera, seed."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from mapro.audit.models import AuditEvent
from mapro.helpdesk import actions, sla
from mapro.helpdesk.choices import PRIORITY_MATRIX, Impact, Urgency, priority_for
from mapro.helpdesk.models import Category, SlaTarget, Ticket
from mapro.helpdesk.seeding import seed_categories
from mapro.schedules import calendar
from mapro.schedules.sla import sla_due_at

from .helpers import category, new_ticket, requester_user

pytestmark = pytest.mark.django_db

LIMA = ZoneInfo("America/Lima")


def test_the_matrix_covers_every_pair():
    assert len(PRIORITY_MATRIX) == 9
    assert priority_for("alto", "alta") == "critica"
    assert priority_for("medio", "media") == "media"
    assert priority_for("bajo", "baja") == "baja"
    for impact in Impact.values:
        for urgency in Urgency.values:
            assert priority_for(impact, urgency)


def test_targets_come_from_the_category_then_ancestors_then_defaults(org):
    vpn, cuentas = category("cuentas-vpn"), category("cuentas")
    assert sla.target_for(vpn, "alta") == sla.DEFAULT_TARGETS["alta"]
    SlaTarget.objects.create(
        category=cuentas, priority="alta", response_minutes=15, resolution_minutes=90
    )
    assert sla.target_for(vpn, "alta") == sla.Target(15, 90)
    SlaTarget.objects.create(
        category=vpn, priority="alta", response_minutes=10, resolution_minutes=60
    )
    assert sla.target_for(vpn, "alta") == sla.Target(10, 60)
    assert sla.target_for(vpn, "baja") == sla.DEFAULT_TARGETS["baja"]


def test_due_times_follow_the_target(org):
    SlaTarget.objects.create(
        category=category("soporte-tecnico"),
        priority="critica",
        response_minutes=30,
        resolution_minutes=240,
    )
    ticket = new_ticket(requester_user(), impact="alto", urgency="alta")
    assert ticket.priority == "critica"
    # Due times are computed from the moment of registration (created_at is stamped on save).
    expected = calendar.add_business_minutes(ticket.created_at, 30)
    assert abs(ticket.response_due_at - expected) < datetime.timedelta(seconds=5)
    assert ticket.resolution_due_at > ticket.response_due_at


def _at(*args: int) -> Any:
    moment = datetime.datetime(*args, tzinfo=LIMA)
    return time_machine.travel(moment, tick=False)


def _held_ticket(user: Any) -> Ticket:
    """A critical ticket registered Monday 4 May 2026 at 09:00, attended and put en espera
    at 10:00 (targets 30 min / 240 min of office time)."""
    SlaTarget.objects.create(
        category=category("soporte-tecnico"),
        priority="critica",
        response_minutes=30,
        resolution_minutes=240,
    )
    with _at(2026, 5, 4, 9, 0):
        ticket = new_ticket(user, impact="alto", urgency="alta")
    assert ticket.resolution_due_at == datetime.datetime(2026, 5, 4, 13, 0, tzinfo=LIMA)
    with _at(2026, 5, 4, 9, 10):
        ticket = actions.do_assign_ticket(ticket, actor=None, team=ticket.team)
        ticket = actions.do_start_ticket(ticket, actor=None)
    with _at(2026, 5, 4, 10, 0):
        ticket = actions.do_put_ticket_on_hold(ticket, actor=None, reason="Falta el acta.")
    return ticket


def test_time_en_espera_pushes_the_due_time_by_the_office_time_paused(org):
    user = requester_user()
    ticket = _held_ticket(user)
    assert ticket.paused_since == datetime.datetime(2026, 5, 4, 10, 0, tzinfo=LIMA)
    response_due = ticket.response_due_at
    # Resumed Tuesday 10:00: three hours were left at 10:00 Monday, so due Tuesday 13:00.
    with _at(2026, 5, 5, 10, 0):
        resumed = actions.do_add_ticket_information(ticket, actor=user, body="Listo.")
    assert resumed.paused_since is None
    assert resumed.resolution_due_at == datetime.datetime(2026, 5, 5, 13, 0, tzinfo=LIMA)
    # The same moment the schedules clock gives from the whole history.
    history = [(ticket.paused_since, datetime.datetime(2026, 5, 5, 10, 0, tzinfo=LIMA))]
    assert resumed.resolution_due_at == sla_due_at(ticket.created_at, 240, history)
    assert resumed.paused_minutes == calendar.business_minutes_between(*history[0])
    assert resumed.response_due_at == response_due  # already answered: it does not move
    stored = Ticket.objects.get(pk=ticket.pk)
    assert stored.resolution_due_at == resumed.resolution_due_at


def test_a_ticket_overdue_when_held_stays_overdue(org):
    user = requester_user()
    ticket = _held_ticket(user)
    with _at(2026, 5, 4, 10, 30):
        ticket = actions.do_add_ticket_information(ticket, actor=user, body="Adjunto.")
    due = ticket.resolution_due_at  # 13:30: half an hour was paused
    assert due == datetime.datetime(2026, 5, 4, 13, 30, tzinfo=LIMA)
    with _at(2026, 5, 4, 15, 0):
        ticket = actions.do_put_ticket_on_hold(ticket, actor=None, reason="Otra vez.")
    with _at(2026, 5, 6, 9, 0):
        ticket = actions.do_add_ticket_information(ticket, actor=user, body="Listo.")
    assert ticket.resolution_due_at == due


def test_seed_is_idempotent_and_keeps_admin_edits(org):
    count = Category.objects.count()
    assert count >= 20
    vpn = category("cuentas-vpn")
    vpn.name = "VPN (editado)"
    vpn.save()
    events = AuditEvent.objects.count()
    assert seed_categories() == 0
    assert Category.objects.count() == count
    assert category("cuentas-vpn").name == "VPN (editado)"
    assert AuditEvent.objects.count() == events
    assert category("cuentas-vpn").parent == category("cuentas")
    assert category("cuentas-vpn").path.startswith(category("cuentas").path)


def test_mapro_seed_loads_the_categories(db, capsys):
    call_command("seed")
    assert Category.objects.filter(code="certificado-digital").exists()
    assert "Categorías de mesa de ayuda nuevas" in capsys.readouterr().out
