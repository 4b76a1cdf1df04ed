"""Reclassifying a ticket: its impact and urgency (hence its priority) and its category.

Same contract as ``tickets.py``: one transaction, locked row, 403 before 409 before 400, a log
line the requester sees, an audit event with what changed; the dashboard's counters move with
it (``_common.save_ticket``).
"""

from __future__ import annotations

from typing import Any

from mapro.audit.actions import record_event
from mapro.core.exceptions import Forbidden, InvalidInput
from mapro.schedules import calendar

from .. import access, sla
from ..choices import ActionKind, Impact, Priority, Urgency, priority_for
from ..models import Category, Ticket
from ..transitions import check_transition
from ._common import atomic_action, lock, log, save_ticket


@atomic_action
def do_reclassify_ticket(
    ticket: Ticket,
    *,
    actor: Any,
    impact: str | None = None,
    urgency: str | None = None,
    category: Category | None = None,
    reason: str = "",
) -> Ticket:
    """Change the impact and/or urgency (the priority follows the matrix) and/or the category
    of an open ticket (registrado to devuelto; not once resolved).

    Who: the desk anywhere, a coordinator within their team (``access.can_assign``). The due
    times are computed again from the registration with the new category and priority, plus
    the business minutes already spent paused (a running pause is added when it ends, as
    ``sla.resume`` does). The team stays: moving the ticket is an assignment. A ticket whose
    procedure case is running keeps its category (the case follows that procedure); its
    priority may change.
    """
    ticket = lock(ticket)
    if not access.can_assign(actor, ticket, ticket.team):
        raise Forbidden("Solo la mesa de ayuda o el coordinador del equipo reclasifican el ticket.")
    check_transition("reclassify", ticket.status)
    errors: dict[str, list[str]] = {}
    impact = ticket.impact if impact in (None, "") else impact
    urgency = ticket.urgency if urgency in (None, "") else urgency
    if impact not in Impact.values:
        errors["impact"] = ["Elija un impacto válido: alto, medio o bajo."]
    if urgency not in Urgency.values:
        errors["urgency"] = ["Elija una urgencia válida: alta, media o baja."]
    new_category = category or ticket.category
    if category is not None and not category.is_active:
        errors["category"] = ["Elija una categoría activa."]
    elif new_category != ticket.category and ticket.instance_id is not None:
        errors["category"] = [
            "El ticket sigue el procedimiento de su expediente: su categoría no cambia."
        ]
    if errors:
        raise InvalidInput(errors=errors)
    assert impact is not None and urgency is not None
    priority = priority_for(impact, urgency)
    if (impact, urgency, new_category) == (ticket.impact, ticket.urgency, ticket.category):
        raise InvalidInput(errors={"impact": ["La clasificación no cambió."]})
    before = {
        "impact": ticket.impact,
        "urgency": ticket.urgency,
        "priority": ticket.priority,
        "category": ticket.category.code,
        "resolution_due_at": ticket.resolution_due_at,
    }
    old_priority, old_category = ticket.priority, ticket.category
    response_due, resolution_due = sla.due_times(new_category, priority, ticket.created_at)
    if ticket.paused_minutes:
        response_due = calendar.add_business_minutes(response_due, ticket.paused_minutes)
        resolution_due = calendar.add_business_minutes(resolution_due, ticket.paused_minutes)
    ticket.impact, ticket.urgency, ticket.priority = impact, urgency, priority
    ticket.category = new_category
    ticket.response_due_at, ticket.resolution_due_at = response_due, resolution_due
    save_ticket(ticket)
    changes = []
    if priority != old_priority:
        changes.append(
            f"prioridad {Priority(old_priority).label.lower()} → {Priority(priority).label.lower()}"
        )
    if new_category != old_category:
        changes.append(f"categoría «{old_category.name}» → «{new_category.name}»")
    body = "Reclasificado"
    body += (": " + "; ".join(changes) + ".") if changes else " (impacto y urgencia)."
    body += f" Impacto {Impact(impact).label.lower()}, urgencia {Urgency(urgency).label.lower()}."
    if reason.strip():
        body += f"\n{reason.strip()}"
    log(ticket, ActionKind.RECLASSIFIED, actor=actor, body=body)
    after = {
        "impact": impact,
        "urgency": urgency,
        "priority": priority,
        "category": new_category.code,
        "resolution_due_at": resolution_due,
    }
    record_event(
        actor=actor,
        action="ticket.reclassify",
        obj=ticket,
        before={k: v for k, v in before.items() if after[k] != v},
        after={k: v for k, v in after.items() if before[k] != v},
    )
    return ticket
