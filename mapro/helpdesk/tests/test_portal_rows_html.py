""" "Mis solicitudes" rows drawn in Python (``ticket_display.portal_rows``, issue #15) are what
the template loop drew from the tickets: the loop is kept here as the reference and both are
compared byte for byte over tickets in every status (overdue, paused, resolved, closed,
assigned or not) with markup and quotes in the texts a user types."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.template import engines
from django.urls import reverse
from django.utils import timezone

from mapro.helpdesk import actions
from mapro.helpdesk.models import Ticket
from mapro.helpdesk.paging import page_both_ways
from mapro.helpdesk.testing import ticket_in_status
from mapro.helpdesk.views.ticket_display import (
    PORTAL_ROW_FIELDS,
    portal_rows,
    ticket_facts,
    ticket_url_maker,
)

from .helpers import category, requester_user, staff_user

pytestmark = pytest.mark.django_db

#: The loop of ``helpdesk/portal/my_tickets.html`` before the rows were drawn in Python.
REFERENCE = """{% for row in rows %}{% with t=row.ticket %}
  <li class="list-group-item{% if row.overdue %} hd-overdue{% endif %}">
    <div class="d-flex flex-wrap justify-content-between gap-2">
      <div>
        <a class="fw-semibold" href="{% url 'helpdesk:portal_ticket' t.number %}"><span class="font-monospace">{{ t.number }}</span> — {{ t.subject }}</a>
        <div class="small">{{ t.category.name }}</div>
        <div class="small text-body-secondary">Registrada el <time datetime="{{ t.created_at|date:'c' }}">{{ t.created_at|date:"d/m/Y H:i" }}</time>{% if t.assignee %} · Atiende: {{ t.assignee.get_full_name|default:t.assignee.username }}{% endif %}</div>
      </div>
      <div class="small text-md-end">
        <span class="badge {{ row.status_badge }}">{{ t.get_status_display }}</span>
        {% if t.status == "en_espera" or t.status == "devuelto" %}<div class="fw-semibold text-warning-emphasis">Requiere su respuesta</div>{% elif t.status == "resuelto" %}<div class="fw-semibold text-success-emphasis">Confirme la solución</div>{% endif %}
        {% if t.status != "resuelto" and t.status != "cerrado" and not row.paused %}<div>Solución prevista: <time datetime="{{ t.resolution_due_at|date:'c' }}">{{ t.resolution_due_at|date:"d/m/Y H:i" }}</time>{% if row.overdue %} <span class="badge text-bg-danger">Vencido</span>{% endif %}</div>{% endif %}
        {% if t.closed_at %}<div>Cerrada el {{ t.closed_at|date:"d/m/Y" }}</div>{% endif %}
      </div>
    </div>
  </li>
  {% endwith %}{% endfor %}"""  # noqa: E501

NASTY = "<b>Ñandú</b> & \"comillas\" 'simples'"


def test_rows_are_the_template_loop_byte_for_byte(org):
    ana = requester_user("DIGEP")
    tech = staff_user("resp-soporte", "OGTIE-INFRAESTRUCTURA")
    tech.first_name, tech.last_name = "Juan <i>", "O'Neil"
    tech.save()
    support = category("soporte-tecnico")
    start = timezone.now() - datetime.timedelta(days=20)
    with time_machine.travel(start, tick=False):  # old enough to be overdue now
        old = ticket_in_status(
            ana.person, "asignado", category=support, subject=NASTY, data={"ubicacion": "P"}
        )
    made = [old]
    for status in ("registrado", "en_atencion", "en_espera", "devuelto", "resuelto", "cerrado"):
        made.append(
            ticket_in_status(
                ana.person,
                status,
                category=support,
                subject=f"{status} {NASTY}",
                data={"ubicacion": "Piso 2"},
            )
        )
    actions.do_assign_ticket(made[2], actor=None, assignee=tech)
    # Only the username: a person without a name.
    tech2 = staff_user("resp-soporte", "OGTIE-INFRAESTRUCTURA")
    tech2.first_name = tech2.last_name = ""
    tech2.save()
    actions.do_assign_ticket(made[1], actor=None, assignee=tech2)
    qs = Ticket.objects.filter(requester=ana.person)
    tickets = list(qs.order_by("-created_at", "-id"))
    assert {t.status for t in tickets} >= {"asignado", "cerrado", "resuelto", "en_espera"}
    expected = (
        engines["django"]
        .from_string(REFERENCE)
        .render({"rows": [{"ticket": t, **ticket_facts(t)} for t in tickets]})
    )
    pager = page_both_ways(qs, fields=PORTAL_ROW_FIELDS)
    rows = portal_rows(pager.tickets, ticket_url_maker("helpdesk:portal_ticket"))
    assert "".join(row["html"] for row in rows) == expected
    assert "hd-overdue" in expected and "Cerrada el" in expected and "Atiende:" in expected
    assert NASTY not in expected
    assert [row["number"] for row in rows] == [t.number for t in tickets]


def test_my_tickets_page_shows_the_rows(org, client):
    ana = requester_user("DIGEP")
    ticket = ticket_in_status(
        ana.person, category=category("soporte-tecnico"), subject=NASTY, data={"ubicacion": "P"}
    )
    client.force_login(ana)
    html = client.get(reverse("helpdesk:my_tickets")).content.decode()
    assert reverse("helpdesk:portal_ticket", args=[ticket.number]) in html
    assert "&lt;b&gt;Ñandú&lt;/b&gt;" in html and NASTY not in html
