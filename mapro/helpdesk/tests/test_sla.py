"""Priority matrix, SLA targets (category, ancestor, default), pauses while en espera, seed."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from mapro.audit.models import AuditEvent
from mapro.helpdesk import actions, sla
from mapro.helpdesk.choices import PRIORITY_MATRIX, Impact, Urgency, priority_for
from mapro.helpdesk.models import Category, SlaTarget, Ticket
from mapro.helpdesk.seeding import seed_categories
from mapro.helpdesk.testing import ticket_in_status

from .helpers import category, new_ticket, requester_user

pytestmark = pytest.mark.django_db


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
    expected = sla.add_business_minutes(ticket.created_at, 30)
    assert abs(ticket.response_due_at - expected) < datetime.timedelta(seconds=5)
    assert ticket.resolution_due_at > ticket.response_due_at


def test_time_en_espera_pushes_the_due_time(org):
    user = requester_user()
    ticket = ticket_in_status(user.person, "en_espera")
    assert ticket.paused_since is not None
    due = Ticket.objects.get(pk=ticket.pk).resolution_due_at
    two_hours_ago = ticket.paused_since - datetime.timedelta(hours=2)
    Ticket.objects.filter(pk=ticket.pk).update(paused_since=two_hours_ago)
    resumed = actions.do_add_ticket_information(ticket, actor=user, body="Listo.")
    paused = sla.business_minutes_between(two_hours_ago, resumed.updated_at)
    assert resumed.paused_since is None
    assert abs(resumed.paused_minutes - paused) <= 1
    assert resumed.resolution_due_at == sla.add_business_minutes(due, resumed.paused_minutes)


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
