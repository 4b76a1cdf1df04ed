"""The assignment forms' ``<option>`` lists drawn in Python (``templatetags.helpdesk_options``,
issue #15) are what the template loops drew: ``console/_assign_fields.html`` as it was is kept
here as the reference, and both are rendered byte for byte with no posted form, a posted team,
a posted person, a posted form without either, a ticket with and without an assignee, and
markup and quotes in every name (a unit missing printed as the loop printed it)."""

from __future__ import annotations

import pytest
from django.template import engines
from django.template.loader import get_template

from mapro.helpdesk import actions
from mapro.helpdesk.testing import ticket_in_status
from mapro.helpdesk.views.console_choices import TeamChoice, staff_choices, team_choices

from .helpers import category, requester_user, staff_user

pytestmark = pytest.mark.django_db

#: ``helpdesk/console/_assign_fields.html`` before the options were drawn in Python.
REFERENCE = """{# Team and person selects of an assignment: prefix (ids), e (errors), v (values), teams, staff, ticket. #}
<div class="row g-2">
  <div class="col-sm-6">
    <label class="form-label small fw-semibold" for="{{ prefix }}-equipo">Equipo</label>
    <select class="form-select{% if e.team %} is-invalid{% endif %}" name="team" id="{{ prefix }}-equipo"{% if e.team %} aria-invalid="true" aria-describedby="{{ prefix }}-equipo-error"{% endif %}>
      {% for u in teams %}<option value="{{ u.code }}"{% if v.team %}{% if v.team == u.code %} selected{% endif %}{% elif u.pk == ticket.team_id %} selected{% endif %}>{{ u.code }} — {{ u.name }}</option>{% endfor %}
    </select>
    {% if e.team %}<div class="invalid-feedback d-block" id="{{ prefix }}-equipo-error">{{ e.team|join:" " }}</div>{% endif %}
  </div>
  <div class="col-sm-6">
    <label class="form-label small fw-semibold" for="{{ prefix }}-persona">Persona (opcional)</label>
    <select class="form-select{% if e.assignee %} is-invalid{% endif %}" name="assignee" id="{{ prefix }}-persona"{% if e.assignee %} aria-invalid="true" aria-describedby="{{ prefix }}-persona-error"{% endif %}>
      <option value="">— La elige el coordinador del equipo —</option>
      {% for p in staff %}<option value="{{ p.username }}"{% if v.assignee == p.username %} selected{% elif not v and ticket.assignee and ticket.assignee.username == p.username %} selected{% endif %}>{{ p.name|default:p.username }} ({{ p.unit }})</option>{% endfor %}
    </select>
    {% if e.assignee %}<div class="invalid-feedback d-block" id="{{ prefix }}-persona-error">{{ e.assignee|join:" " }}</div>{% endif %}
  </div>
  <div class="col-12">
    <label class="form-label small" for="{{ prefix }}-nota">Indicación para el equipo (opcional)</label>
    <input class="form-control" type="text" name="note" id="{{ prefix }}-nota" value="{{ v.note|default:'' }}">
  </div>
</div>
"""  # noqa: E501

NASTY = "<b>Ñandú</b> & \"comillas\" 'simples'"


def _render(template, context) -> str:
    return template.render(context)


def test_the_options_are_the_template_loops_byte_for_byte(org):
    tech = staff_user("resp-soporte", "OGTIE-INFRAESTRUCTURA")
    tech.person.first_name, tech.person.last_name = "Juan <i>", "O'Neil"
    tech.person.save()
    nameless = staff_user("resp-soporte", "OGTIE-INFRAESTRUCTURA")
    nameless.person.first_name = nameless.person.last_name = ""
    nameless.person.save()
    ana = requester_user("DIGEP")
    support = category("soporte-tecnico")
    data = {"ubicacion": "Piso 2"}
    free = ticket_in_status(ana.person, "registrado", category=support, data=data)
    taken = ticket_in_status(ana.person, "asignado", category=support, data=data)
    actions.do_assign_ticket(taken, actor=None, assignee=tech)
    taken.refresh_from_db()
    teams = [*team_choices(), TeamChoice(-1, NASTY, f"Equipo {NASTY}")]
    staff = [
        *staff_choices(),
        {"username": "x<y>", "name": NASTY, "unit": None},
        {"username": "sin-nombre", "name": "", "unit": "U&1"},
    ]
    assert tech.username in {p["username"] for p in staff}
    assert nameless.username in {p["username"] for p in staff}
    other_team = next(t for t in teams if t.pk != free.team_id)
    postings = [
        "",
        {},
        {"team": other_team.code},
        {"team": NASTY, "assignee": "x<y>"},
        {"team": "", "assignee": nameless.username},
        {"assignee": tech.username, "note": NASTY},
        {"note": "solo una nota"},
    ]
    reference = engines["django"].from_string(REFERENCE)
    ours = get_template("helpdesk/console/_assign_fields.html")
    seen_selected = 0
    for ticket in (free, taken):
        for values in postings:
            context = {
                "prefix": "asignar",
                "e": {"team": ["Mal."]} if values else "",
                "v": values,
                "teams": teams,
                "staff": staff,
                "ticket": ticket,
            }
            expected = _render(reference, context)
            assert _render(ours, context) == expected, values
            seen_selected += expected.count(" selected")
    assert seen_selected > 10
    assert NASTY not in expected and "&lt;b&gt;Ñandú&lt;/b&gt;" in expected
    assert "(None)" in expected  # the missing unit, as the loop printed it
