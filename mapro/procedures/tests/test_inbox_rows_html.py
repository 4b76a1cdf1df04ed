""" "Mis tareas" rows drawn in Python (``procedures.inbox_html``, issue #15) are the markup the
template loop drew: the loop is kept here as the reference and both are compared byte for
byte, for every branch (a ticket or not, a demo case, a label, due or not, overdue, no unit,
no requester) and with markup and quotes in every text a user can type."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.template import engines
from django.utils import timezone

from mapro.procedures.inbox_html import inbox_rows_html
from mapro.procedures.models import Instance, Procedure, WorkItem
from mapro.procedures.selectors import InboxRow

#: The loop of ``procedures/inbox.html`` before the rows were drawn in Python.
REFERENCE = """{% for row in rows %}{% with item=row.item %}
  <li class="list-group-item{% if row.overdue %} list-group-item-danger task-overdue{% endif %}">
    <div class="d-flex flex-wrap justify-content-between gap-2">
      <div>
        <div class="fw-semibold task-case">{% if row.ticket %}<span class="font-monospace">{{ row.ticket.number }}</span> {{ row.ticket.subject }}{% else %}{{ row.title }}{% endif %}{% if item.instance.is_demo %} <span class="badge text-bg-warning fw-normal">Demostración</span>{% endif %}</div>
        <a href="{% url 'procedures:task_detail' item.pk %}">{{ item.n }}. {{ item.name }}</a>{% if item.item.label %} <span class="badge text-bg-secondary fw-normal">{{ item.item.label }}</span>{% endif %}
        <div class="small text-body-secondary"><span class="font-monospace">{{ row.procedure.code }}</span> {{ row.procedure.name }} · Expediente <a href="{% url 'procedures:instance_detail' item.instance_id %}">N° {{ item.instance_id }}</a></div>
        <div class="small task-requester">Solicitante: {{ row.requester|default:"—" }}{% if row.unit_code %} · <abbr title="{{ row.unit_name }}">{{ row.unit_code }}</abbr>{% endif %}</div>
      </div>
      <div class="small text-md-end">
        {% if item.due_at %}<div class="task-due">{% if row.overdue %}<strong class="text-danger">Vencida</strong> desde{% else %}Vence{% endif %} el <time datetime="{{ item.due_at|date:'c' }}">{{ item.due_at|date:"d/m/Y H:i" }}</time></div>{% else %}<div class="task-due text-body-secondary">Sin plazo</div>{% endif %}
        <div class="text-body-secondary">Recibida el <time datetime="{{ item.created_at|date:'c' }}">{{ item.created_at|date:"d/m/Y H:i" }}</time></div>
      </div>
    </div>
  </li>
  {% endwith %}{% endfor %}"""  # noqa: E501

NASTY = "<b>Ñandú</b> & \"comillas\" 'simples'"


def _row(pk: int, **changes) -> InboxRow:
    now = timezone.now()
    instance = Instance(pk=4000 + pk, is_demo=changes.pop("demo", False))
    item = WorkItem(
        pk=pk,
        n=changes.pop("n", 3),
        name=changes.pop("name", f"Revisar {NASTY}"),
        item=changes.pop("item", None),
        due_at=changes.pop("due_at", now + datetime.timedelta(days=2)),
        created_at=now - datetime.timedelta(days=1, microseconds=pk),
    )
    item.instance = instance
    values = {
        "item": item,
        "procedure": Procedure(code="S04.01.00.03", name=f"Procedimiento {NASTY}"),
        "title": f"Caso {NASTY}",
        "ticket": None,
        "requester": f"Ana {NASTY}",
        "unit_code": "U<1>",
        "unit_name": f"Unidad {NASTY}",
        "overdue": False,
        **changes,
    }
    return InboxRow(**values)


def test_rows_are_the_template_loop_byte_for_byte():
    past = timezone.now() - datetime.timedelta(hours=5)
    rows = [
        _row(1),
        _row(2, ticket=SimpleNamespace(number="MA-2026-000001", subject=NASTY)),
        _row(3, demo=True, item={"label": f"Unidad {NASTY}"}),
        _row(4, item={"label": ""}),
        _row(5, item=["not", "a", "dict"]),
        _row(6, due_at=None),
        _row(7, due_at=past, overdue=True),
        _row(8, unit_code="", unit_name=""),
        _row(9, requester=""),
        _row(10, n=12345),
    ]
    expected = engines["django"].from_string(REFERENCE).render({"rows": rows})
    assert "".join(inbox_rows_html(rows)) == expected
    assert NASTY not in expected


def test_no_rows_no_html():
    assert inbox_rows_html([]) == []


@pytest.mark.django_db
def test_inbox_page_prints_the_rows(client, django_user_model):
    """The page shows what the function draws (an empty inbox here: the flow tests and the page
    budget cover a full one)."""
    user = django_user_model.objects.create_user("sin-tareas", password=None)
    client.force_login(user)
    response = client.get("/tareas/")
    assert response.status_code == 200
    assert response.context["rows_html"] == []
