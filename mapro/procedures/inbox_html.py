""" "Mis tareas": each row's HTML drawn in Python (issue #15).

The template loop over 50 rows (``{% with %}``, two ``{% url %}`` and four ``|date`` filters a
row, ~25 lookups through the item, its instance and procedure) cost more than half of the
page. Every value is computed once here and escaped with ``html.escape`` (what Django's
``escape`` runs); the markup is the template's, byte for byte (``test_inbox_rows_html``).
"""

from __future__ import annotations

from html import escape
from typing import Any

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from mapro.core.links import url_maker

from .selectors import InboxRow

_ROW = (
    '\n  <li class="list-group-item{li_class}">\n'
    '    <div class="d-flex flex-wrap justify-content-between gap-2">\n'
    "      <div>\n"
    '        <div class="fw-semibold task-case">{case}{demo}</div>\n'
    '        <a href="{task_url}">{n}. {name}</a>{label}\n'
    '        <div class="small text-body-secondary"><span class="font-monospace">{code}</span>'
    ' {procedure} · Expediente <a href="{instance_url}">N° {instance_id}</a></div>\n'
    '        <div class="small task-requester">Solicitante: {requester}{unit}</div>\n'
    "      </div>\n"
    '      <div class="small text-md-end">\n'
    "        {due}\n"
    '        <div class="text-body-secondary">Recibida el <time datetime="{created_iso}">'
    "{created}</time></div>\n"
    "      </div>\n"
    "    </div>\n"
    "  </li>\n  "
)
_DEMO = ' <span class="badge text-bg-warning fw-normal">Demostración</span>'
_NO_DUE = '<div class="task-due text-body-secondary">Sin plazo</div>'
_MARK = 987654321  # a stand-in id no URL pattern shows otherwise


def _stamp(value: Any) -> tuple[str, str]:
    """``|date:'c'`` and ``|date:"d/m/Y H:i"`` of an aware datetime, in the current zone."""
    local = timezone.localtime(value)
    return local.isoformat(), local.strftime("%d/%m/%Y %H:%M")


def inbox_rows_html(rows: list[InboxRow]) -> list[SafeString]:
    """The ``<li>`` of each row, as ``procedures/inbox.html`` drew it."""
    task_url = url_maker("procedures:task_detail", _MARK)
    instance_url = url_maker("procedures:instance_detail", _MARK)
    out = []
    for row in rows:
        item = row.item
        if row.ticket is not None:
            case = (
                f'<span class="font-monospace">{escape(str(row.ticket.number))}</span> '
                f"{escape(str(row.ticket.subject))}"
            )
        else:
            case = escape(str(row.title))
        label = (item.item or {}).get("label") if isinstance(item.item, dict) else None
        if item.due_at is not None:
            due_iso, due = _stamp(item.due_at)
            state = '<strong class="text-danger">Vencida</strong> desde' if row.overdue else "Vence"
            due_html = (
                f'<div class="task-due">{state} el <time datetime="{due_iso}">{due}</time></div>'
            )
        else:
            due_html = _NO_DUE
        created_iso, created = _stamp(item.created_at)
        unit = ""
        if row.unit_code:
            unit = (
                f' · <abbr title="{escape(str(row.unit_name))}">{escape(str(row.unit_code))}</abbr>'
            )
        html = _ROW.format(
            li_class=" list-group-item-danger task-overdue" if row.overdue else "",
            case=case,
            demo=_DEMO if item.instance.is_demo else "",
            task_url=escape(task_url(item.pk)),
            n=escape(str(item.n)),
            name=escape(str(item.name)),
            label=(
                f' <span class="badge text-bg-secondary fw-normal">{escape(str(label))}</span>'
                if label
                else ""
            ),
            code=escape(str(row.procedure.code)),
            procedure=escape(str(row.procedure.name)),
            instance_url=escape(instance_url(item.instance_id)),
            instance_id=item.instance_id,
            requester=escape(str(row.requester or "—")),
            unit=unit,
            due=due_html,
            created_iso=created_iso,
            created=created,
        )
        out.append(mark_safe(html))  # every value escaped above or constant markup
    return out
