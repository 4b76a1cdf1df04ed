"""What the ticket page shows of the ticket's procedure: its diagram and where it stands.

The portal and console ticket views call ``procedure_status_context(ticket, request.user)``
and, when it is not None, include the fragment::

    {% if procedure_status %}
      {% include "helpdesk/_procedure_status.html" with ps=procedure_status %}
    {% endif %}

The fragment brings the bpmn-js viewer and ``mapro/diagram.js`` itself (the diagram is drawn
from ``procedures:instance_bpmn``), with completed activities and the current ones marked as
on the instance page. A user who may not see the instance (``instances_visible_to``) gets
None, so the page shows nothing rather than a diagram whose BPMN would answer 404.
"""

from __future__ import annotations

import json
from typing import Any

from django.urls import reverse

from mapro.procedures.ficha.compiler import activity_id
from mapro.procedures.models import Instance, InstanceStatus
from mapro.procedures.selectors import (
    instance_history,
    instance_open_items,
    instances_visible_to,
)

from ..models import Ticket

STATUS_BADGES = {
    InstanceStatus.RUNNING: "text-bg-primary",
    InstanceStatus.COMPLETED: "text-bg-success",
    InstanceStatus.CANCELLED: "text-bg-secondary",
    InstanceStatus.FAILED: "text-bg-danger",
}


def procedure_status_context(
    ticket: Ticket, user: Any, items: list[Any] | None = None
) -> dict[str, Any] | None:
    """The fragment's context for ``ticket`` as ``user`` sees it; None without a visible
    instance. At most three statements: whether the user sees the instance (none when the
    ticket's query said it: ``get_ticket_for_user``; the instance itself when it did not bring
    it along), its open work items (none when the page already read them: ``items``), its
    history. The caller must have read ``ticket`` for ``user``."""
    if ticket.instance_id is None:
        return None
    instance: Instance | None
    if Ticket.instance.is_cached(ticket):  # read with the ticket (get_ticket_for_user)
        seen = getattr(ticket, "case_visible", None)  # idem, for this user
        if seen is None:
            seen = instances_visible_to(user).filter(pk=ticket.instance_id).exists()
        instance = ticket.instance if seen else None
    else:
        instance = (
            instances_visible_to(user)
            .filter(pk=ticket.instance_id)
            .select_related("procedure_version__procedure", "unit")
            .first()
        )
    if instance is None:
        return None
    open_items = list(instance_open_items(instance)) if items is None else items
    history = list(instance_history(instance))
    current = sorted({activity_id(item.n) for item in open_items})
    done = sorted({activity_id(record.n) for record in history} - set(current))
    return {
        "instance": instance,
        "procedure": instance.procedure_version.procedure,
        "ficha_name": instance.procedure_version.ficha.get("name", ""),
        "open_items": open_items,
        "history": history,
        "marks": {"completed": json.dumps(done), "current": json.dumps(current)},
        "bpmn_url": reverse("procedures:instance_bpmn", args=[instance.pk]),
        "instance_url": reverse("procedures:instance_detail", args=[instance.pk]),
        "status_badges": STATUS_BADGES,
    }


def instance_for_ticket(ticket: Ticket) -> Instance | None:
    """The ticket's instance, unfiltered (for code that already checked visibility)."""
    return ticket.instance if ticket.instance_id else None
