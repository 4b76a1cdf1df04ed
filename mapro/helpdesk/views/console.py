"""The operator console: the queue and the ticket page of whoever attends tickets.

Who enters: the OGTIE roles that attend tickets (``access.STAFF_ROLES``: ``operador-mesa``,
``jefe-ogtie`` and the teams); anyone else gets 403. What each one sees is the core's
visibility rule (``selectors.tickets_visible_to``): the desk every ticket, a team its own and
those assigned to it; a ticket outside it is 404. What each one may do is the actions' rule:
a conflict (409: an impossible transition, a procedure's pending task) comes back as a Spanish
message on the ticket page, bad input as errors beside the form's fields, and a forbidden
action as the 403 page (``mapro.core.middleware``).

- ``console_queue``: the shared ``TicketFilterSet`` (status, category, priority, team,
  assignee, unit, overdue, search), keyset pages both ways and a jump by date (``?fecha=``,
  ``paging.date_jump``), overdue flagged, due times; the
  rows carry checkboxes for ``console_bulk_assign`` (``do_assign_each_ticket``: each ticket
  on its own, failures reported one by one).
- ``console_ticket``: the full log (internal notes marked) and one small form per action:
  validate ("¿Cumple con los requisitos?" Sí → assign, No → return), assign, start, hold,
  resolve, comment or internal note, attach, close, reopen. For a ticket whose procedure is
  running, the page names its pending task with a link to the task page; validation and
  assignment complete that task when they correspond to it, a refusal links to it
  (``procedure_steps``), and every other open activity is offered with its own fields
  (``console_steps``; ``console_step`` posts it — "Registrar solución" at S04.03.04.02
  activity 5, which completes 5 and then 6, closing the ticket).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from mapro.core.exceptions import Conflict, InvalidInput
from mapro.organization.models import Unit
from mapro.organization.permissions import has_role
from mapro.procedures.exceptions import TaskAlreadyCompleted
from mapro.procedures.models import WorkItem, WorkItemState
from mapro.procedures.task_submit import TaskFormAnswer, submit_task_form

from .. import access, actions, procedure_steps
from ..choices import OPEN_STATUSES, Impact, Priority, Status, Urgency
from ..filtersets import ME, UNASSIGNED, TicketFilterSet
from ..models import Category, Ticket
from ..paging import date_jump, page_both_ways
from ..selectors import QUEUE_ROW_FIELDS, get_ticket_for_user, queue_queryset
from ._actions import run_ticket_action
from ._forms import posted_text
from .console_choices import category_choices, staff_choices, team_choices
from .console_steps import FORM_ID, outcome_message, step_forms
from .procedure_status import procedure_status_context
from .ticket_display import (
    querystring,
    queue_rows,
    reopen_window_open,
    requirement_answers,
    ticket_facts,
    ticket_log,
    ticket_url_maker,
)

#: Filter parameters the queue keeps in its links (besides the cursor).
FILTER_KEYS = ("q", "status", "category", "priority", "team", "assignee", "unit", "overdue")


def _check_console(user: Any) -> None:
    if not has_role(user, access.STAFF_ROLES):
        raise PermissionDenied("La consola es para la mesa de ayuda y los equipos de la OGTIE.")


# --- choices for the selects: console_choices (one compiled statement each) ----------------


def _unit_by_code(code: str) -> Unit | None:
    code = (code or "").strip()
    if not code:
        return None
    unit = Unit.objects.filter(code__iexact=code).first()
    if unit is None:
        raise InvalidInput(errors={"team": ["Elija un equipo de la lista."]})
    return unit


def _user_by_username(username: str) -> Any:
    username = (username or "").strip()
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise InvalidInput(errors={"assignee": ["Elija una persona de la lista."]})
    return user


# --- the queue --------------------------------------------------------------------------------


def _filter_params(request: HttpRequest) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for key in FILTER_KEYS:
        values = [v for v in request.GET.getlist(key) if v != ""]
        if not values:
            continue
        params[key] = values if key in ("status", "priority") else values[-1]
    return params


@require_GET
@login_required
def console_queue(request: HttpRequest) -> HttpResponse:
    """The queue: filters, search, keyset pages, overdue flags, bulk assignment."""
    user = request.user
    _check_console(user)
    params = _filter_params(request)
    filters = TicketFilterSet(
        {**params, "size": request.GET.get("size") or None},
        queryset=queue_queryset(user),
        user=user,
    )
    filters.is_valid()
    error = ""
    jump = date_jump(request)
    try:
        pager = page_both_ways(
            filters.qs,
            cursor=jump.cursor,
            before=jump.before,
            size=filters.page_size,
            fields=QUEUE_ROW_FIELDS,
        )
    except InvalidInput:
        error = "El enlace de página no es válido; se muestra la primera página."
        pager = page_both_ways(filters.qs, size=filters.page_size, fields=QUEUE_ROW_FIELDS)
    now = timezone.now()
    rows = queue_rows(pager.tickets, ticket_url_maker("helpdesk:console_ticket"))
    keep = {**params}
    if request.GET.get("size"):
        keep["size"] = request.GET["size"]
    context = {
        "filters": filters,
        "params": params,
        "rows": rows,
        "pager": pager,
        "error": error,
        "now": now,
        "statuses": Status.choices,
        "priorities": Priority.choices,
        "categories": category_choices(),
        "teams": team_choices(),
        "staff": staff_choices(),
        "me": ME,
        "unassigned": UNASSIGNED,
        "is_desk": access.is_desk(user),
        "jump": jump,
        "this_page": querystring(keep, cursor=jump.cursor)
        if not jump.before
        else querystring(keep, antes=jump.before),
        "next_query": querystring(keep, cursor=pager.next_cursor),
        "previous_query": querystring(keep, antes=pager.previous_cursor),
        "quick": {
            "unassigned": querystring({"assignee": UNASSIGNED, "status": ["registrado"]}),
            "mine": querystring(
                {"assignee": ME, "status": ["asignado", "en_atencion", "en_espera"]}
            ),
            "overdue": querystring({"overdue": "on"}),
            "paused": querystring({"status": ["en_espera", "devuelto"]}),
        },
        "any_filter": bool(params),
        # On phones the filters beyond the search box fold away unless some are in use.
        "filters_open": any(k != "q" for k in params) or bool(filters.errors),
    }
    template = "helpdesk/console/queue.html"
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "resultados":
        template = "helpdesk/console/_results.html"
    return render(request, template, context)


def _safe_back(request: HttpRequest) -> str:
    back = request.POST.get("next", "")
    queue = reverse("helpdesk:console_queue")
    if back.startswith(queue) and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return back
    return queue


@require_POST
@login_required
def console_bulk_assign(request: HttpRequest) -> HttpResponse:
    """Assign the checked tickets, each through ``do_assign_ticket`` (its own transaction), and
    report what failed ticket by ticket; the others stay assigned."""
    user = request.user
    _check_console(user)
    back = _safe_back(request)
    numbers = list(dict.fromkeys(n.strip().upper() for n in request.POST.getlist("numbers")))
    numbers = [n for n in numbers if n]
    if not numbers:
        messages.error(request, "Marque al menos un ticket para asignar.")
        return redirect(back)
    try:
        team = _unit_by_code(request.POST.get("team", ""))
        assignee = _user_by_username(request.POST.get("assignee", ""))
        if team is None and assignee is None:
            raise InvalidInput(errors={"team": ["Elija el equipo o la persona responsable."]})
    except InvalidInput as exc:
        for msgs in exc.errors.values():
            for m in msgs:
                messages.error(request, m)
        return redirect(back)
    outcome = actions.do_assign_each_ticket(numbers, actor=user, team=team, assignee=assignee)
    for number, reason in outcome.items():
        if reason is not None:
            messages.error(request, f"{number}: no se asignó. {reason}")
    done = [number for number, reason in outcome.items() if reason is None]
    if done:
        messages.success(
            request,
            f"Se asign{'ó' if len(done) == 1 else 'aron'} {len(done)} ticket"
            f"{'' if len(done) == 1 else 's'}: {', '.join(done)}.",
        )
    return redirect(back)


# --- the ticket page ----------------------------------------------------------------------


def _console_page(
    request: HttpRequest,
    ticket: Ticket,
    *,
    status: int = 200,
    form: str = "",
    form_errors: dict[str, list[str]] | None = None,
    values: dict[str, Any] | None = None,
    alert: str = "",
    alert_tasks: list[dict[str, Any]] | None = None,
    step: tuple[int, TaskFormAnswer] | None = None,
) -> HttpResponse:
    user = request.user
    lines, files = ticket_log(user, ticket)
    s = ticket.status
    desk = access.is_desk(user)
    handler = access.can_handle(user, ticket)
    coordinator = has_role(user, access.COORDINATOR_ROLES) and access.in_team(user, ticket.team)
    can = {
        "validate": desk and s == Status.REGISTRADO,
        "return": desk and s == Status.ASIGNADO,
        "assign": (
            ((desk or coordinator) and s in (Status.ASIGNADO, Status.EN_ATENCION))
            or (coordinator and not desk and s == Status.REGISTRADO)
        ),
        "start": handler and s in (Status.ASIGNADO, Status.EN_ESPERA),
        "hold": handler and s == Status.EN_ATENCION,
        "resolve": handler and s in (Status.ASIGNADO, Status.EN_ATENCION),
        "close": handler and s in (Status.RESUELTO, Status.DEVUELTO),
        "reopen": handler and s in (Status.RESUELTO, Status.CERRADO) and reopen_window_open(ticket),
        "comment": s != Status.CERRADO,
        "internal": handler,
        # Priority and category, while OGTIE still owes the ticket (do_reclassify_ticket).
        "reclassify": (desk or coordinator) and s in OPEN_STATUSES,
    }
    # The running case's open items, read once for every part of the page that shows them.
    case = procedure_steps.running_instance(ticket)
    items = procedure_steps.open_items_of(case) if case is not None else None
    steps = procedure_steps.step_actions(ticket, items)
    steps_offered: list[dict[str, Any]] = []
    if steps is not None:
        # The procedure drives the ticket: only the moves that are its open activity.
        for key in ("validate", "return", "assign", "resolve", "close", "reopen"):
            can[key] = can[key] and key in steps
    # The procedure's other open activities, with their own fields (console_steps).
    steps_offered = step_forms(request, ticket, step, items)
    context = {
        "ticket": ticket,
        "lines": lines,
        "files": files,
        "answers": requirement_answers(ticket, files),
        "can": can,
        "any_action": any(
            v for k, v in can.items() if k not in ("validate", "comment", "internal")
        ),
        "form": form,
        # Errors and values by form, so two forms with a "body" field never share them.
        "errs": {form: form_errors or {}} if form else {},
        "vals": {form: values or {}} if form else {},
        "error_list": [m for msgs in (form_errors or {}).values() for m in msgs],
        "alert": alert,
        "alert_tasks": alert_tasks or [],
        # The procedure drives a linked ticket: its pending task, linked (procedure_steps).
        "pending_tasks": procedure_steps.console_tasks(ticket, items),
        "step_forms": steps_offered if steps is not None else [],
        "step_form_id": FORM_ID,
        "teams": team_choices() if can["validate"] or can["assign"] else [],
        "staff": staff_choices() if can["validate"] or can["assign"] else [],
        "reopen_deadline": actions.reopen_deadline(ticket),
        "impacts": Impact.choices if can["reclassify"] else [],
        "urgencies": Urgency.choices if can["reclassify"] else [],
        "categories": (category_choices(also=ticket.category_id) if can["reclassify"] else []),
        "procedure_status": procedure_status_context(ticket, user, items),
        **ticket_facts(ticket),
    }
    return render(request, "helpdesk/console/ticket_detail.html", context, status=status)


@require_GET
@login_required
def console_ticket(request: HttpRequest, number: str) -> HttpResponse:
    """The ticket with its full log and the forms of the actions the user may take."""
    _check_console(request.user)
    return _console_page(request, get_ticket_for_user(request.user, number))


def _run(
    request: HttpRequest,
    number: str,
    form: str,
    call: Callable[[Ticket], Any],
    done: str | Callable[[Any], str],
) -> HttpResponse:
    """Gate, find the ticket, run the action (``run_ticket_action``), back to the ticket."""
    _check_console(request.user)
    ticket = get_ticket_for_user(request.user, number)
    return run_ticket_action(
        request,
        ticket,
        form=form,
        call=call,
        done=done,
        page=_console_page,
        url_name="helpdesk:console_ticket",
    )


@require_POST
@login_required
def console_step(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """Complete the procedure's open activity ``pk`` with its own fields ("Registrar
    solución" at S04.03.04.02 activity 5; ``actions.do_complete_ticket_step``). Field errors
    come back beside the fields with what was typed; a task already completed (a second
    submission) is a 409 saying so; another's role is the 403 page."""
    _check_console(request.user)
    ticket = get_ticket_for_user(request.user, number)
    item = (
        WorkItem.objects.select_related("instance__procedure_version")
        .filter(pk=pk, instance_id=ticket.instance_id)
        .first()
        if ticket.instance_id is not None
        else None
    )
    if item is None:
        raise Http404("La tarea no es del procedimiento de este ticket.")

    def already_done() -> HttpResponse:
        item.refresh_from_db(fields=["state"])
        why = (
            "fue anulada"
            if item.state == WorkItemState.CANCELLED
            else "ya fue completada (el formulario se envió dos veces, o alguien la completó antes)"
        )
        return _console_page(
            request,
            ticket,
            status=409,
            alert=(
                f"La actividad {item.n}. {item.name} {why}: no se registró nada nuevo. El "
                f"ticket está {ticket.get_status_display().lower()}."
            ),
        )

    if item.state != WorkItemState.OPEN:
        return already_done()
    try:
        answer = submit_task_form(
            request,
            item,
            lambda data: actions.do_complete_ticket_step(ticket, item.pk, data, actor=request.user),
        )
    except TaskAlreadyCompleted:
        ticket.refresh_from_db()
        return already_done()
    except Conflict as exc:
        tasks = getattr(exc, "tasks", None)
        return _console_page(request, ticket, alert=exc.message, alert_tasks=tasks, status=409)
    if not answer.completed:
        return _console_page(request, ticket, step=(item.pk, answer))
    messages.success(request, outcome_message(answer.result))
    return redirect("helpdesk:console_ticket", number=ticket.number)


def _resolved_message(ticket: Any) -> str:
    """What recording a solution did: the requester confirms it, or the procedure closed it."""
    if isinstance(ticket, Ticket) and ticket.status == Status.CERRADO:
        return (
            "Solución registrada y ticket cerrado, como indica el procedimiento. El solicitante "
            "puede calificar la atención y reabrirlo dentro del plazo."
        )
    return "Solución registrada: se pidió la confirmación del solicitante."


def _assign(request: HttpRequest, ticket: Ticket) -> Ticket:
    return actions.do_assign_ticket(
        ticket,
        actor=request.user,
        team=_unit_by_code(request.POST.get("team", "")),
        assignee=_user_by_username(request.POST.get("assignee", "")),
        note=posted_text(request, "note"),
    )


@require_POST
@login_required
def console_validate(request: HttpRequest, number: str) -> HttpResponse:
    """ "¿Cumple con los requisitos?": Sí assigns (team, person), No returns it with the
    observations the requester must correct."""

    def call(ticket: Ticket) -> None:
        decision = request.POST.get("cumple", "")
        if decision == "si":
            _assign(request, ticket)
        elif decision == "no":
            actions.do_return_ticket(
                ticket, actor=request.user, observations=posted_text(request, "observations")
            )
        else:
            raise InvalidInput(
                errors={"cumple": ["Indique si la solicitud cumple los requisitos."]}
            )

    done = (
        "Solicitud validada y asignada."
        if request.POST.get("cumple") == "si"
        else "Solicitud devuelta al solicitante con sus observaciones."
    )
    return _run(request, number, "validate", call, done)


@require_POST
@login_required
def console_assign(request: HttpRequest, number: str) -> HttpResponse:
    """Assign (or reassign) to a team and/or a person."""
    return _run(request, number, "assign", lambda t: _assign(request, t), "Ticket asignado.")


@require_POST
@login_required
def console_return(request: HttpRequest, number: str) -> HttpResponse:
    """Return an assigned ticket to the requester with observations (the desk)."""
    return _run(
        request,
        number,
        "return",
        lambda t: actions.do_return_ticket(
            t, actor=request.user, observations=posted_text(request, "observations")
        ),
        "Solicitud devuelta al solicitante con sus observaciones.",
    )


@require_POST
@login_required
def console_start(request: HttpRequest, number: str) -> HttpResponse:
    """Start (or resume) attending the ticket."""
    return _run(
        request,
        number,
        "start",
        lambda t: actions.do_start_ticket(t, actor=request.user),
        "Atención iniciada.",
    )


@require_POST
@login_required
def console_hold(request: HttpRequest, number: str) -> HttpResponse:
    """Put the ticket en espera with the reason the requester reads."""
    return _run(
        request,
        number,
        "hold",
        lambda t: actions.do_put_ticket_on_hold(
            t, actor=request.user, reason=posted_text(request, "reason")
        ),
        "Ticket en espera: se pidió la información al solicitante.",
    )


@require_POST
@login_required
def console_resolve(request: HttpRequest, number: str) -> HttpResponse:
    """Record the solution: the requester is asked to confirm it, or, when the ticket's
    procedure closes it with its solution (S04.03.04.02, activity 6), it is closed."""
    return _run(
        request,
        number,
        "resolve",
        lambda t: actions.do_resolve_ticket(
            t, actor=request.user, solution=posted_text(request, "solution")
        ),
        _resolved_message,
    )


@require_POST
@login_required
def console_comment(request: HttpRequest, number: str) -> HttpResponse:
    """A comment the requester reads, or an internal note (``interna``)."""
    internal = request.POST.get("interna") == "on"
    return _run(
        request,
        number,
        "comment",
        lambda t: actions.do_comment_ticket(
            t, actor=request.user, body=posted_text(request, "body"), internal=internal
        ),
        "Nota interna registrada." if internal else "Comentario registrado.",
    )


@require_POST
@login_required
def console_attach(request: HttpRequest, number: str) -> HttpResponse:
    """Attach files (checked by content and size), public or internal."""
    return _run(
        request,
        number,
        "attach",
        lambda t: actions.do_attach_file(
            t,
            actor=request.user,
            files=request.FILES.getlist("archivos"),
            body=posted_text(request, "body"),
            internal=request.POST.get("interna") == "on",
        ),
        "Archivos adjuntados.",
    )


@require_POST
@login_required
def console_reclassify(request: HttpRequest, number: str) -> HttpResponse:
    """Change the impact and urgency (the priority follows the matrix) and/or the category."""

    def call(ticket: Ticket) -> Ticket:
        code = posted_text(request, "category").strip()
        category = Category.objects.filter(code=code).first() if code else None
        if code and category is None:
            raise InvalidInput(errors={"category": ["Elija una categoría de la lista."]})
        return actions.do_reclassify_ticket(
            ticket,
            actor=request.user,
            impact=posted_text(request, "impact") or None,
            urgency=posted_text(request, "urgency") or None,
            category=category,
            reason=posted_text(request, "reason"),
        )

    return _run(request, number, "reclassify", call, "Ticket reclasificado.")


@require_POST
@login_required
def console_close(request: HttpRequest, number: str) -> HttpResponse:
    """Close a resolved (or returned) ticket."""
    return _run(
        request,
        number,
        "close",
        lambda t: actions.do_close_ticket(
            t, actor=request.user, comment=posted_text(request, "comment")
        ),
        "Ticket cerrado.",
    )


@require_POST
@login_required
def console_reopen(request: HttpRequest, number: str) -> HttpResponse:
    """Reopen a resolved or closed ticket within the window."""
    return _run(
        request,
        number,
        "reopen",
        lambda t: actions.do_reopen_ticket(
            t, actor=request.user, reason=posted_text(request, "reason")
        ),
        "Ticket reabierto.",
    )


# --- mail links ---------------------------------------------------------------------------


@require_GET
@login_required
def ticket_detail(request: HttpRequest, number: str) -> HttpResponse:
    """The address mails link to: the console page for who attends tickets, else the portal."""
    ticket = get_ticket_for_user(request.user, number)
    if has_role(request.user, access.STAFF_ROLES):
        return redirect("helpdesk:console_ticket", number=ticket.number)
    return redirect("helpdesk:portal_ticket", number=ticket.number)
