"""Ticket actions on a procedure-linked ticket complete the procedure's open activity.

Decision record: docs/decisions/tickets-and-procedures.md, section 5. The rule, as a
ServiceNow (flow-driven requested item) or Camunda (user task) user expects it: **while the
ticket's procedure instance is running, the procedure drives the ticket.** A ticket action that
moves the ticket the way an activity of the ficha does is that activity: it completes the open
work item through ``mapro.procedures.actions.do_complete_task`` (the engine's role and scope
checks apply, in the action's transaction) and the ticket then changes through the activity's
``{ticket: …}`` effect, exactly as if the task page had been used. An action that does not
correspond to the open activity is refused (409, ``ProcedureStepPending``) naming the pending
task, which the console links to.

``route(ticket, action, actor=…, …)`` is called by the help-desk actions after their own
permission, transition and input checks:

=============  ==============================================================================
action         what it completes
=============  ==============================================================================
``assign``     the open activity with ``{ticket: assign}`` (S04.03.04.02: 4, ``asignado_a``);
               or, when the open activity is the requirements check (decision field
               ``cumple_requisitos``) whose "Sí" leads to it, that check with "Sí" and then it
               (the console's "¿Cumple con los requisitos? Sí: asignar", bulk assignment).
               Re-assigning a ticket that is already assigned is the desk's own business
               (the work items are per role, not per person): not routed.
``return``     the requirements check with "No" and then the open activity with
               ``{ticket: close}`` (S04.03.04.02: 3, ``observaciones``).
``resolve``    the open activity with ``{ticket: close}`` (S04.03.04.02: 6, ``solucion``) when
               this action carries everything its form requires; otherwise (activity 5 with
               its diagnosis and decision, 8, 12, 15) refused. The API's resolve; the console
               offers those activities with their own fields instead
               (``actions.do_complete_ticket_step``, ``views/console_steps.py``).
``close``,     refused while the instance runs (the procedure closes the ticket).
``confirm``,
``reject``
``reopen``     once the instance has concluded: a new ticket linked to this one, which starts
               a new instance (``actions.resolution._reopen_as_new``).
=============  ==============================================================================

Actions inside an activity (start or resume the attention, hold, comment, internal note,
attach, add information) are not routed: they do not move the procedure, and the transition
table only allows them in statuses the procedure itself reached.

The ``{ticket: …}`` effect handler runs the same help-desk actions; it does so inside
``applying_effect()``, which turns routing off (the step is already being completed).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse

from mapro.core.exceptions import Conflict, InvalidInput, InvalidTransition
from mapro.procedures.actions import activity, do_complete_task, form_schema_for
from mapro.procedures.ficha.roles import ROLE_NAMES
from mapro.procedures.models import InstanceStatus, WorkItemRole
from mapro.procedures.selectors import instance_open_items

from .choices import Status
from .models import Ticket

#: The decision field of the "¿Cumple con los requisitos?" activities (S04.03.04.02: 2).
VALIDATION_FIELD = "cumple_requisitos"
YES, NO = "si", "no"

_applying: ContextVar[bool] = ContextVar("helpdesk_applying_procedure_effect", default=False)


@contextmanager
def applying_effect() -> Iterator[None]:
    """While a ``{ticket: …}`` effect is applied, ticket actions are not routed again."""
    token = _applying.set(True)
    try:
        yield
    finally:
        _applying.reset(token)


class ProcedureStepPending(Conflict):
    """The ticket follows a procedure whose open activity is not what this action does.

    ``tasks`` lists the open tasks (``id``, ``n``, ``name``, ``url`` of the task page) so the
    console can link to them."""

    default_message = "El ticket sigue un procedimiento: complete su tarea pendiente."

    def __init__(self, message: str, *, tasks: list[dict[str, Any]]):
        super().__init__(message)
        self.tasks = tasks


# --- reading the instance ------------------------------------------------------------------


def running_instance(ticket: Ticket) -> Any:
    """The ticket's procedure instance if it is running, else None."""
    instance = ticket.instance if ticket.instance_id is not None else None
    if instance is None or instance.status != InstanceStatus.RUNNING:
        return None
    return instance


def _open_items(instance: Any) -> list[Any]:
    return list(instance_open_items(instance))


def open_items_of(instance: Any) -> list[Any]:
    """The instance's open items (one statement), each pointing at ``instance``: what the
    console's ticket page reads once and hands to ``step_actions``, ``console_tasks``,
    ``console_steps.step_forms`` and the procedure's status (issue #15: they used to read the
    items four times). Their role rows are read by ``with_role_rows``, only for the items
    whose form is offered."""
    items = list(instance_open_items(instance))
    for item in items:
        item.instance = instance
    return items


def with_role_rows(items: list[Any]) -> None:
    """Read the role rows of ``items`` with their units (one statement; none for no item)."""
    prefetch_related_objects(
        items, Prefetch("role_rows", queryset=WorkItemRole.objects.select_related("unit"))
    )


def _activity(instance: Any, n: int) -> dict[str, Any]:
    return activity(instance.procedure_version.ficha, n)


def ticket_effects(act: dict[str, Any]) -> set[str]:
    return {
        str(e["ticket"]) for e in act.get("effects") or [] if isinstance(e, dict) and "ticket" in e
    }


def _validation_branch(act: dict[str, Any], const: str) -> int | None:
    """The activity the requirements check's branch ``const`` leads to (None: not a check)."""
    decision = act.get("decision") or {}
    if decision.get("field") != VALIDATION_FIELD:
        return None
    for branch in decision.get("branches") or []:
        if str(branch.get("const")) == const and isinstance(branch.get("next"), int):
            return int(branch["next"])
    return None


def pending_tasks(instance: Any, items: list[Any] | None = None) -> list[dict[str, Any]]:
    """The instance's open tasks as the refusal and the console show them (``items``: its open
    items when the caller already read them)."""
    tasks = []
    for item in _open_items(instance) if items is None else items:
        tasks.append(
            {
                "id": item.pk,
                "n": item.n,
                "name": item.name,
                "roles": ", ".join(ROLE_NAMES.get(code, code) for code in item.roles or []),
                "url": reverse("procedures:task_detail", args=[item.pk]),
            }
        )
    return tasks


def _refuse(instance: Any, why: str) -> ProcedureStepPending:
    tasks = pending_tasks(instance)
    listed = "; ".join(
        f"«{t['n']}. {t['name']}» (tarea N° {t['id']}{', ' + t['roles'] if t['roles'] else ''})"
        for t in tasks
    )
    message = (
        f"Este ticket sigue el expediente N° {instance.pk} ({instance.procedure_code}). {why} "
        f"Tarea pendiente: {listed or 'ninguna'}. Complétela en su página; el ticket avanzará "
        "con ella."
    )
    return ProcedureStepPending(message, tasks=tasks)


# --- completing ----------------------------------------------------------------------------

#: Form field of the activity → the ticket action's own field (for errors on the console form).
_ERROR_FIELDS = {"asignado_a": "assignee", "observaciones": "observations", "solucion": "solution"}


def _complete(instance: Any, item: Any, answers: dict[str, Any], *, actor: Any) -> None:
    """Complete ``item`` with the ``answers`` its form declares; ``do_complete_task`` alone
    judges them. A required field this action does not carry sends the operator to the task
    page (refusal); one it carries but left empty or wrong is a 400 on the console's field."""
    schema = form_schema_for(instance.procedure_version.ficha, item.n)
    props = schema.get("properties") or {}
    data = {k: v for k, v in answers.items() if k in props and v not in ("", None)}
    try:
        do_complete_task(item.pk, data, actor=actor)
    except InvalidInput as exc:
        foreign = [k for k in exc.errors if k.split(".")[0] not in answers]
        if foreign:
            titles = ", ".join(
                str((props.get(k) or {}).get("title") or k) if isinstance(props.get(k), dict) else k
                for k in foreign
            )
            raise _refuse(
                instance,
                f"La actividad «{item.n}. {item.name}» pide datos que esta acción no registra "
                f"({titles}).",
            ) from exc
        raise InvalidInput(
            exc.message if not exc.errors else None,
            errors={_ERROR_FIELDS.get(k, k): messages for k, messages in exc.errors.items()},
        ) from exc


def _find(instance: Any, test: Any) -> Any:
    for item in _open_items(instance):
        if test(_activity(instance, item.n)):
            return item
    return None


def _validate_then(
    instance: Any, ticket: Ticket, const: str, effect: str, answers: dict[str, Any], *, actor: Any
) -> bool:
    """Complete the open requirements check with ``const`` when its branch leads to an activity
    with ``{ticket: effect}``, then that activity with ``answers``. False: no such check open."""

    def leads(act: dict[str, Any]) -> bool:
        target = _validation_branch(act, const)
        return target is not None and effect in ticket_effects(_activity(instance, target))

    check = _find(instance, leads)
    if check is None:
        return False
    observations = answers.get("observaciones", "") if const == NO else ""
    _complete(
        instance,
        check,
        {VALIDATION_FIELD: const, "numero_ticket": ticket.number, "observaciones": observations},
        actor=actor,
    )
    instance.refresh_from_db()
    follow = _find(instance, lambda act: effect in ticket_effects(act))
    if follow is not None:
        _complete(instance, follow, answers, actor=actor)
    return True


def route(ticket: Ticket, action: str, *, actor: Any, **params: Any) -> Ticket | None:
    """Run ``action`` on a procedure-linked ticket as the procedure's step (module docstring).

    Returns None when the help-desk action should go on by itself (no running instance, or an
    action the procedure does not model); the ticket as the completed step left it otherwise.
    Raises ``ProcedureStepPending`` (409) when the action does not correspond to the open
    activity, and whatever ``do_complete_task`` raises (403 not the task's role, 400, 409).
    """
    if _applying.get():
        return None
    if action == "reopen":
        _check_reopen(ticket)
        return None
    instance = running_instance(ticket)
    if instance is None:
        return None
    if action == "assign":
        assignee, team = params.get("assignee"), params.get("team")
        named = assignee.get_username() if assignee is not None else getattr(team, "code", "")
        answers = {
            "asignado_a": named,
            "prioridad": params.get("priority") or "",
        }
        item = _find(instance, lambda act: "assign" in ticket_effects(act))
        if item is not None:
            _complete(instance, item, answers, actor=actor)
        elif not _validate_then(instance, ticket, YES, "assign", answers, actor=actor):
            if ticket.status != Status.REGISTRADO:
                return None  # a re-assignment: the desk's own business
            raise _refuse(instance, "Asignarlo no corresponde a su actividad en curso.")
    elif action == "return":
        answers = {"observaciones": params.get("observations", "")}
        if not _validate_then(instance, ticket, NO, "close", answers, actor=actor):
            raise _refuse(instance, "Devolverlo no corresponde a su actividad en curso.")
    elif action == "resolve":
        item = _find(instance, lambda act: "close" in ticket_effects(act))
        if item is None or ticket.status == Status.REGISTRADO:
            raise _refuse(instance, "Registrar la solución no corresponde a su actividad en curso.")
        _complete(instance, item, {"solucion": params.get("solution", "")}, actor=actor)
    else:
        raise _refuse(instance, "El procedimiento es quien cierra este ticket.")
    return Ticket.objects.select_related("team", "category", "requester", "assignee").get(
        pk=ticket.pk
    )


def _check_reopen(ticket: Ticket) -> None:
    instance = ticket.instance if ticket.instance_id is not None else None
    if instance is None or instance.status != InstanceStatus.COMPLETED:
        return
    raise InvalidTransition(
        f"Este ticket se cerró al concluir el expediente N° {instance.pk} "
        f"({instance.procedure_code}): registre un ticket nuevo, que iniciará un "
        "expediente nuevo."
    )


def reopen_blocked(ticket: Ticket) -> bool:
    """True when the ticket's procedure has concluded: it is not reopened itself, a new linked
    ticket is (``do_reopen_ticket``)."""
    try:
        _check_reopen(ticket)
    except Conflict:
        return True
    return False


def step_actions(ticket: Ticket, items: list[Any] | None = None) -> set[str] | None:
    """Which of the console's own moving forms correspond to the open activity of the ticket's
    running procedure (``validate``/``return``, ``assign``); None without a running procedure
    (every action the status allows). The console shows only those forms; every other open
    activity (the solution among them) is offered with its own fields (``console_steps``).
    ``items``: the open items when the caller already read them (``open_items_of``)."""
    instance = running_instance(ticket)
    if instance is None:
        return None
    found: set[str] = set()
    for item in _open_items(instance) if items is None else items:
        act = _activity(instance, item.n)
        effects = ticket_effects(act)
        if _validation_branch(act, YES) is not None:
            found.update({"validate", "return"})
        if "assign" in effects:
            found.add("assign")
            if ticket.status == Status.REGISTRADO:
                found.add("validate")  # the console assigns a new ticket from that form
    if ticket.status in (Status.ASIGNADO, Status.EN_ATENCION):
        found.add("assign")  # re-assignment is the desk's own business
    return found


def console_tasks(ticket: Ticket, items: list[Any] | None = None) -> list[dict[str, Any]]:
    """The pending tasks of the ticket's running procedure (empty without one), for the
    console's "Tarea pendiente" box (``items``: as in ``step_actions``)."""
    instance = running_instance(ticket)
    return pending_tasks(instance, items) if instance is not None else []


# --- the console's form of an open activity (``views/console_steps.py``) --------------------

#: The fields of an activity's form that say what was done to solve the request, in order:
#: S04.03.04.02 activity 5 calls it "Acciones realizadas", the closing activities "solucion".
SOLUTION_FIELDS = ("solucion", "acciones_realizadas")
#: The closing activity's date of closing, filled with the day the console closes it.
CLOSING_DATE_FIELD = "fecha_cierre"


def decision_of(ficha: dict[str, Any], n: int) -> str | None:
    """The decision field of activity ``n`` (its "¿…?" question), if it has one."""
    return (activity(ficha, n).get("decision") or {}).get("field")


def handled_by_console_forms(act: dict[str, Any]) -> bool:
    """True for the activities the console's own forms complete: the requirements check
    ("Validar la solicitud") and the assignment ("Asignar")."""
    return _validation_branch(act, YES) is not None or "assign" in ticket_effects(act)


def solution_text(data: dict[str, Any]) -> str:
    """What the step's answers say was done to solve the request ("" if nothing)."""
    for name in SOLUTION_FIELDS:
        value = data.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def carried_closing(ficha: dict[str, Any], n: int) -> dict[str, dict[str, Any]]:
    """The activities that activity ``n`` may lead to (its decision's branches or its
    ``next``) which close the ticket with the solution ``n``'s own form already describes:
    ``{const or "": the closing activity}``. S04.03.04.02: 5 → ``{"si": activity 6}``.

    Such an activity needs nothing more than the solution (and its closing date): the console
    completes it with the text just recorded, so the solution is typed once."""
    act = activity(ficha, n)
    props = (act.get("form") or {}).get("properties") or {}
    if not any(name in props for name in SOLUTION_FIELDS):
        return {}
    decision = act.get("decision") or {}
    targets = {
        str(b.get("const")): b.get("next")
        for b in decision.get("branches") or []
        if isinstance(b.get("next"), int)
    }
    if not decision and isinstance(act.get("next"), int):
        targets = {"": act["next"]}
    found: dict[str, dict[str, Any]] = {}
    for const, target in targets.items():
        follow = activity(ficha, int(target))
        required = set(form_schema_for(ficha, int(target)).get("required") or [])
        if "close" in ticket_effects(follow) and required <= {"solucion", CLOSING_DATE_FIELD}:
            found[const] = follow
    return found


def closing_answers(ficha: dict[str, Any], n: int, data: dict[str, Any]) -> dict[str, Any]:
    """The answers activity ``n`` (a closing one) gets from the step just completed: the
    same-named fields it declares, the solution, and today's date as its closing date."""
    from django.utils import timezone

    props = form_schema_for(ficha, n).get("properties") or {}
    answers = {k: v for k, v in data.items() if k in props}
    answers["solucion"] = solution_text(data)
    if CLOSING_DATE_FIELD in props and CLOSING_DATE_FIELD not in answers:
        answers[CLOSING_DATE_FIELD] = timezone.localdate().isoformat()
    return answers


def propose_solution(item: Any) -> dict[str, Any]:
    """The closing activity's form on the task page proposes the solution the step before it
    described (S04.03.04.02: 6 from 5's "Acciones realizadas", 8 from 7's solution) and today
    as the closing date: the task page, like the console, never asks to type it again."""
    from mapro.procedures.models import TaskRecord, TaskRecordKind

    record = (
        TaskRecord.objects.filter(
            instance_id=item.instance_id,
            kind=TaskRecordKind.COMPLETED,
            completed_at__lte=item.created_at,
        )
        .order_by("-completed_at", "-id")
        .only("data")
        .first()
    )
    text = solution_text(record.data or {}) if record is not None else ""
    if not text:
        return {}
    ficha = item.instance.procedure_version.ficha
    return closing_answers(ficha, item.n, {"solucion": text})


#: Closing activities whose task-page form proposes the solution: (code, n, the step before).
SOLUTION_PROPOSALS = (("S04.03.04.02", 6, 5), ("S04.03.04.02", 8, 7))
