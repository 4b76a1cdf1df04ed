"""The console's form of the open activity of a ticket's procedure (issue 14, item 4).

While a ticket's procedure runs, the console page offers its open activity with the activity's
own fields — the ficha's form as the task page shows it (``procedures.task_submit``), posted to
``console_step`` and judged once by ``do_complete_task`` through
``actions.do_complete_ticket_step``. The requirements check and the assignment keep the
console's own forms ("Validar la solicitud", "Asignar"; ``procedure_steps.step_actions``).

- An activity that closes the ticket, or whose answer leads to the one that closes it with the
  solution just described (S04.03.04.02: 5 "¿Se dio solución? Sí" → 6), is offered as
  "Registrar solución", saying what each answer does.
- Whoever does not hold the activity's role sees who does and a link to its page: no dead
  end, no form they could not send.
- One form at a time: the first open activity the person may take; others are linked.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from mapro.procedures.actions import activity
from mapro.procedures.ficha.roles import ROLE_NAMES
from mapro.procedures.selectors import can_take
from mapro.procedures.task_submit import TaskFormAnswer, shown_fields

from .. import procedure_steps
from ..models import Ticket

#: The id of the console's activity form ("Agregar fila" swaps it in place, as on the task page).
FORM_ID = "formulario-tarea"


def _outcomes(ficha: dict[str, Any], act: dict[str, Any]) -> list[str]:
    """What each answer of the activity does to the ticket, in words for the technician."""
    closes = "close" in procedure_steps.ticket_effects(act)
    decision = act.get("decision") or {}
    carried = procedure_steps.carried_closing(ficha, act["n"])
    if closes:
        return ["Al completarla, el procedimiento cierra el ticket, como indica el manual."]
    lines = []
    for branch in decision.get("branches") or []:
        target = branch.get("next")
        if not isinstance(target, int):
            continue
        follow = activity(ficha, target)
        title = f"«{branch.get('title')}»"
        if str(branch.get("const")) in carried:
            lines.append(
                f"{title}: se completa también la actividad {target}. {follow.get('name')}, "
                "con lo que registra aquí como solución, y el ticket se cierra, como indica "
                "el procedimiento. El solicitante puede luego calificar la atención."
            )
        else:
            lines.append(
                f"{title}: el procedimiento sigue en la actividad {target}. {follow.get('name')}."
            )
    return lines


def _records_solution(ficha: dict[str, Any], act: dict[str, Any]) -> bool:
    """True for "Registrar solución": the activity asks what solved the request and closes
    the ticket, or leads to the activity that closes it with that text (S04.03.04.02: 5, 6,
    8, 15; not 12, which closes the ticket with a remittance, nor 7, which goes on to 8)."""
    props = (act.get("form") or {}).get("properties") or {}
    if not any(name in props for name in procedure_steps.SOLUTION_FIELDS):
        return False
    return "close" in procedure_steps.ticket_effects(act) or bool(
        procedure_steps.carried_closing(ficha, act["n"])
    )


def step_forms(
    request: Any,
    ticket: Ticket,
    answer: tuple[int, TaskFormAnswer] | None = None,
    items: list[Any] | None = None,
) -> list[dict[str, Any]]:
    """The open activities the console offers with their own fields (module docstring);
    ``answer`` is a submission to show again (task id, its fields with errors); ``items``: the
    open items when the page already read them (``procedure_steps.open_items_of``); the role
    rows are read only for the items offered here."""
    instance = procedure_steps.running_instance(ticket)
    if instance is None:
        return []
    ficha = instance.procedure_version.ficha
    rows: list[dict[str, Any]] = []
    form_given = False
    items = procedure_steps.open_items_of(instance) if items is None else items
    # The console's own forms complete the others; who may take these needs their role rows.
    offered = [
        (item, act)
        for item in items
        if not procedure_steps.handled_by_console_forms(act := activity(ficha, item.n))
    ]
    procedure_steps.with_role_rows([item for item, _ in offered])
    for item, act in offered:
        mine = can_take(request.user, item)
        row: dict[str, Any] = {
            "item": item,
            "solution": _records_solution(ficha, act),
            "roles": ", ".join(ROLE_NAMES.get(code, code) for code in item.roles or []),
            "task_url": reverse("procedures:task_detail", args=[item.pk]),
            "action_url": reverse("helpdesk:console_step", args=[ticket.number, item.pk]),
            "outcomes": _outcomes(ficha, act),
            "mine": mine,
            "fields": None,
            "errors": {},
            "focus": "",
        }
        if mine and not form_given:
            form_given = True
            if answer is not None and answer[0] == item.pk:
                row.update(fields=answer[1].fields, errors=answer[1].errors, focus=answer[1].focus)
                row["general_errors"] = answer[1].general_errors
            else:
                row["fields"] = shown_fields(item, request.user)
        rows.append(row)
    return rows


def outcome_message(outcome: Any) -> str:
    """What the console says after ``do_complete_ticket_step``: closed by the procedure, or
    where the procedure goes on."""
    done = "; ".join(f"{n}. {name}" for n, name in outcome.completed)
    if outcome.closed:
        return (
            f"Solución registrada. El procedimiento completó {done} y cerró el ticket, como "
            "indica el manual. El solicitante puede calificar la atención."
        )
    text = f"Actividad completada: {done}."
    if outcome.follow_refused:
        text += f" La actividad de cierre queda pendiente: {outcome.follow_refused}"
    if outcome.pending:
        listed = "; ".join(f"{t['n']}. {t['name']}" for t in outcome.pending)
        text += f" El procedimiento sigue en: {listed}."
    return text
