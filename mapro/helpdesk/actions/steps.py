"""Completing a ticket's procedure activity from the console, with the activity's own form.

Issue 14, item 4 ("the solution is typed twice"): at S04.03.04.02 activity 5 the technician
used to fill the task page (diagnosis, actions, "¿Se dio solución?") and then type the solution
again in the console for activity 6. Now the console offers the open activity's own fields
(the ficha's form, judged by ``do_complete_task`` as on the task page) and
``do_complete_ticket_step`` completes it; when the answer leads to the activity that closes
the ticket with the solution just described (``procedure_steps.carried_closing``: 5 "Sí" → 6),
that one is completed too, by the same person, with the same text: the manual's closing
happens and nothing is typed twice. Decision record: docs/decisions/tickets-and-procedures.md,
section 6.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from mapro.core.exceptions import Conflict, Forbidden, InvalidInput, InvalidTransition, NotFound
from mapro.organization.permissions import has_role
from mapro.procedures.actions import do_complete_task
from mapro.procedures.models import WorkItem
from mapro.procedures.selectors import instance_open_items

from .. import access, procedure_steps
from ..choices import Status
from ..models import Ticket


@dataclass
class StepOutcome:
    """What ``do_complete_ticket_step`` did: the activities completed (``(n, name)``, in
    order), the ticket afterwards, whether the procedure closed it, the tasks left open, and
    why a closing activity the answer led to was left for its page (``follow_refused``)."""

    ticket: Ticket
    completed: list[tuple[int, str]] = field(default_factory=list)
    pending: list[dict[str, Any]] = field(default_factory=list)
    follow_refused: str = ""

    @property
    def closed(self) -> bool:
        return self.ticket.status == Status.CERRADO


def do_complete_ticket_step(
    ticket: Ticket, work_item_id: int, data: dict[str, Any], *, actor: Any
) -> StepOutcome:
    """Complete the open task ``work_item_id`` of ``ticket``'s running procedure with ``data``
    (its activity's form), then the closing activity the answer leads to, if it only needs the
    solution just recorded (module docstring).

    403 for anyone who does not attend tickets, and (``do_complete_task``) for whoever does
    not hold the task's role in scope; 404 for a task of another case; 409 when the ticket has
    no running procedure or the task is no longer open (a second submission); 400 with the
    form's field errors, nothing saved. One transaction: the ticket's log lines, the steps'
    history rows and their audit events (``task.complete``, and the ticket's own through the
    ``{ticket: …}`` effects) are written together. If the closing activity is refused (not
    the person's role there), the first step stays done and the closing one stays open.
    """
    if not has_role(actor, access.STAFF_ROLES):
        raise Forbidden("La consola es para la mesa de ayuda y los equipos de la OGTIE.")
    instance = procedure_steps.running_instance(ticket)
    if instance is None:
        raise InvalidTransition("El ticket no sigue un procedimiento en curso.")
    item = WorkItem.objects.filter(pk=work_item_id, instance=instance).first()
    if item is None:
        raise NotFound("La tarea no es del procedimiento de este ticket.")
    ficha = instance.procedure_version.ficha
    outcome = StepOutcome(ticket=ticket)
    with transaction.atomic():
        before = set(instance_open_items(instance).values_list("pk", flat=True))
        do_complete_task(item.pk, data, actor=actor)
        outcome.completed.append((item.n, item.name))
        closing = procedure_steps.carried_closing(ficha, item.n)
        decision = procedure_steps.decision_of(ficha, item.n)
        follow_act = closing.get(str(data.get(decision, "")) if decision else "")
        if follow_act is not None and procedure_steps.solution_text(data):
            follow = (
                instance_open_items(instance)
                .filter(n=follow_act["n"])
                .exclude(pk__in=before)
                .first()
            )
            if follow is not None:
                answers = procedure_steps.closing_answers(ficha, follow.n, data)
                try:
                    with transaction.atomic():  # a savepoint: the first step stays done
                        do_complete_task(follow.pk, answers, actor=actor)
                    outcome.completed.append((follow.n, follow.name))
                except (Forbidden, Conflict, InvalidInput) as exc:
                    outcome.follow_refused = exc.message
    instance.refresh_from_db()
    outcome.ticket = Ticket.objects.select_related("team", "category", "requester").get(
        pk=ticket.pk
    )
    outcome.pending = procedure_steps.console_tasks(outcome.ticket)
    return outcome
