"""The self-service portal: any MINDEF employee opens and follows their own requests.

Who may use it is the core's rule (``actions.tickets._requester_for``): any signed-in user with
a Person registers tickets for themself through the portal channel; a user without a Person is
told so (403). Pages only parse input, call the actions and selectors, and render; an action's
``InvalidInput`` is shown beside the fields (nothing saved), a ``Conflict`` as a message on the
ticket page (409); ``Forbidden`` and ``NotFound`` are the 403 and 404 pages
(``mapro.core.middleware``).

- ``ticket_new``: the category tree; ``ticket_new_form``: the category's form (its
  requirements schema, rendered by ``procedures.html_forms``) plus subject, description,
  impact and urgency; POST → ``submit_ticket_form`` → ``do_create_ticket`` (the console's
  registration on behalf of someone else uses the same page and function).
- ``my_tickets``: the requester's tickets, keyset pages both ways.
- ``portal_ticket``: the ticket as the requester sees it (no internal notes), with the actions
  the status allows: add information (en espera, devuelto), confirm or reject the solution
  (resuelto), comment, attach, reopen (cerrado, within the window).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mapro.core.exceptions import InvalidInput

from .. import access, actions
from ..actions._common import check_requirements
from ..choices import Impact, Status, Urgency
from ..filtersets import TicketFilterSet
from ..models import RATINGS, Category, Ticket
from ..paging import Pager, date_jump, page_both_ways
from ..procedure_steps import reopen_blocked
from ..selectors import cases_started_by, get_ticket_for_user, own_tickets, search_tickets
from ._actions import run_ticket_action
from ._forms import posted_text
from .procedure_status import procedure_status_context
from .ticket_display import (
    PORTAL_ROW_FIELDS,
    file_field_names,
    parse_requirements,
    portal_rows,
    querystring,
    reopen_window_open,
    required_titles,
    requirement_answers,
    requirement_fields,
    ticket_facts,
    ticket_log,
    ticket_url_maker,
    values_from_data,
)

#: Rows per page of "Mis solicitudes"; its quick filters are "En curso" (every ticket not
#: closed: ``selectors.own_tickets``) and "Todas".
PORTAL_SIZE = 20


def _person_or_403(user: Any) -> Any:
    person = access.person_of(user)
    if person is None:
        raise PermissionDenied(
            "Su usuario no tiene una persona registrada; solicite su registro a la OGTIE."
        )
    return person


# --- new request --------------------------------------------------------------------------------


@require_GET
@login_required
def ticket_new(request: HttpRequest) -> HttpResponse:
    """Step 1: choose the kind of request from the category tree."""
    _person_or_403(request.user)
    categories = list(Category.objects.filter(is_active=True).order_by("path"))
    parents = {c.parent_id for c in categories if c.parent_id}
    rows = [
        {
            "category": c,
            "depth": c.depth,
            "is_group": c.pk in parents,
            "needs": required_titles(c),
        }
        for c in categories
    ]
    return render(request, "helpdesk/portal/ticket_new.html", {"rows": rows})


def _category_or_404(code: str) -> Category:
    category = Category.objects.filter(code=code, is_active=True).select_related("parent").first()
    if category is None:
        raise Http404("No existe esa categoría o ya no está activa.")
    return category


def _create_page(
    request: HttpRequest,
    category: Category,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, list[str]] | None = None,
    general: str = "",
    status: int = 200,
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    post = request.POST if request.method == "POST" else None
    errors = errors or {}
    context = {
        "category": category,
        "fields": requirement_fields(category, values, errors),
        "errors": errors,
        "general": general,
        "subject": post.get("subject", "") if post else "",
        "description": post.get("description", "") if post else "",
        "impact": (post.get("impact") if post else None) or Impact.MEDIO,
        "urgency": (post.get("urgency") if post else None) or Urgency.MEDIA,
        "impacts": Impact.choices,
        "urgencies": Urgency.choices,
        "needs": required_titles(category),
        "has_files": bool(file_field_names(category)),
        **(extra or {}),
    }
    return render(request, "helpdesk/portal/ticket_form.html", context, status=status)


def submit_ticket_form(
    request: HttpRequest,
    category: Category,
    *,
    requester: Any = None,
    channel: str | None = None,
    errors_before: dict[str, list[str]] | None = None,
    extra: dict[str, Any] | None = None,
) -> Ticket | HttpResponse:
    """Register the ticket of the category's form in the POST (``do_create_ticket``): the
    ticket, or the form again with every problem named and nothing saved.

    Shared by the portal (the user's own request) and the console's registration on behalf of
    someone else (``requester``, ``channel``; ``errors_before`` are the console's own fields'
    errors, shown together with the category's; ``extra`` is template context).
    """
    sub = parse_requirements(category, request)
    if sub.errors or errors_before:
        # Not a submission yet: an input that could not be read, or the console's own fields
        # (requester, channel) wrong. The action is not called, so the category's problems
        # are looked up here, once, to name them all together.
        errors = {k: list(v) for k, v in (errors_before or {}).items()}
        for name, msgs in _requirement_errors(category, sub).items():
            bucket = errors.setdefault(name, [])
            bucket.extend(m for m in msgs if m not in bucket)
        return _create_page(request, category, values=sub.raw, errors=errors, extra=extra)
    try:
        return actions.do_create_ticket(
            actor=request.user,
            category=category,
            subject=request.POST.get("subject", ""),
            description=request.POST.get("description", "").replace("\r\n", "\n"),
            impact=request.POST.get("impact") or Impact.MEDIO,
            urgency=request.POST.get("urgency") or Urgency.MEDIA,
            data=sub.data,
            files=sub.files,
            extra_files=request.FILES.getlist("archivos"),
            requester=requester,
            channel=channel,
        )
    except InvalidInput as exc:  # every problem at once: the action names them all
        return _create_page(
            request,
            category,
            values=sub.raw,
            errors={k: list(v) for k, v in exc.errors.items()},
            general=exc.message if not exc.errors else "",
            extra=extra,
        )


def _requirement_errors(category: Category, sub: Any) -> dict[str, list[str]]:
    """Every problem of the category's fields (the form's own and the requirements')."""
    errors = {k: list(v) for k, v in sub.errors.items()}
    try:
        check_requirements(category, sub.data, sub.files)
    except InvalidInput as more:
        for name, msgs in more.errors.items():
            errors.setdefault(name, []).extend(msgs)
    return errors


@require_http_methods(["GET", "POST"])
@login_required
def ticket_new_form(request: HttpRequest, code: str) -> HttpResponse:
    """Step 2: the category's form; POST registers the ticket (``do_create_ticket``)."""
    _person_or_403(request.user)
    category = _category_or_404(code)
    if request.method == "GET":
        return _create_page(request, category)
    result = submit_ticket_form(request, category)
    if not isinstance(result, Ticket):
        return result
    ticket = result
    messages.success(
        request,
        f"Se registró su solicitud {ticket.number}. Le avisaremos por correo de cada novedad.",
    )
    return redirect("helpdesk:portal_ticket", number=ticket.number)


# --- my requests --------------------------------------------------------------------------------


def _search_text(raw: str) -> str | None:
    """The words of "Buscar en mis solicitudes", cleaned as the console's ``q`` is (the same
    field of ``TicketFilterSet``: trimmed, at most 200 characters); None when that field
    refuses it, for which the list is empty as the filter set's would be."""
    try:
        return (TicketFilterSet.base_filters["q"].field.clean(raw) or "").strip()
    except ValidationError:
        return None


def my_tickets_pager(
    person: Any,
    *,
    view: str,
    q: str,
    cursor: str | None = None,
    before: str | None = None,
    size: int | None = None,
) -> Pager:
    """One page of "Mis solicitudes" (``view`` "abiertas" or "todas", the search ``q``), as
    dicts of ``PORTAL_ROW_FIELDS``; ``InvalidInput`` for a forged cursor.

    The person's own tickets are their visibility: a plain keyset query on the requester's
    indexes (``selectors.own_tickets``), its page's rows then read by id alone
    (``recheck=False``), not the staff queue's query (issue #15: PostgreSQL planned that one
    from the status index and filtered by requester, 10 ms at 1M tickets).
    """
    text = _search_text(q)
    if person is None or text is None:
        qs = Ticket.objects.none()
    else:
        own = own_tickets(person.pk, open_only=view == "abiertas", written=bool(text))
        qs = search_tickets(own, text)
    return page_both_ways(
        qs,
        cursor=cursor,
        before=before,
        size=size or PORTAL_SIZE,
        fields=PORTAL_ROW_FIELDS,
        recheck=False,
    )


@require_GET
@login_required
def my_tickets(request: HttpRequest) -> HttpResponse:
    """The tickets the user requested, newest first, by keyset pages (constant queries);
    ``?fecha=`` jumps to the page of that day (``paging.date_jump``)."""
    person = access.person_of(request.user)
    view = request.GET.get("ver", "abiertas")
    q = request.GET.get("q", "")
    if view != "todas":
        view = "abiertas"
    error = ""
    jump = date_jump(request)
    try:
        pager = my_tickets_pager(person, view=view, q=q, cursor=jump.cursor, before=jump.before)
    except InvalidInput:
        error = "El enlace de página no es válido; se muestra la primera página."
        pager = my_tickets_pager(person, view=view, q=q)
    now = timezone.now()
    rows = portal_rows(pager.tickets, ticket_url_maker("helpdesk:portal_ticket"))
    base = {"ver": view, "q": q}
    cases = cases_started_by(request.user, running_only=view != "todas")
    return render(
        request,
        "helpdesk/portal/my_tickets.html",
        {
            "rows": rows,
            "cases": cases,
            "pager": pager,
            "view": view,
            "q": q,
            "has_person": person is not None,
            "error": error,
            "jump": jump,
            "now": now,
            "next_query": querystring(base, cursor=pager.next_cursor),
            "previous_query": querystring(base, antes=pager.previous_cursor),
            "all_query": querystring({"ver": "todas", "q": q}),
            "open_query": querystring({"ver": "abiertas", "q": q}),
        },
    )


# --- the requester's ticket page -----------------------------------------------------------


def _portal_page(
    request: HttpRequest,
    ticket: Ticket,
    *,
    status: int = 200,
    form: str = "",
    form_errors: dict[str, list[str]] | None = None,
    values: dict[str, Any] | None = None,
    alert: str = "",
    alert_tasks: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    # ``alert_tasks`` (a procedure's pending tasks) are the staff's work: not linked here.
    user = request.user
    lines, files = ticket_log(user, ticket)
    requester = access.is_requester(user, ticket)
    can = {
        "add_information": requester and ticket.status in (Status.EN_ESPERA, Status.DEVUELTO),
        "confirm": requester and ticket.status == Status.RESUELTO,
        "comment": requester and ticket.status != Status.CERRADO,
        "reopen": requester and ticket.status == Status.CERRADO and reopen_window_open(ticket),
        "survey": requester and actions.survey_open(user, ticket),
    }
    form_errors = form_errors or {}
    values = values or {}
    info_fields = None
    if can["add_information"]:
        names = set(file_field_names(ticket.category))
        by_pk = {a.pk: a for a in files}
        on_file = {
            k: by_pk.get(v) if isinstance(v, int) else None
            for k, v in (ticket.data or {}).items()
            if k in names
        }
        raw = (
            values if form == "add_information" else values_from_data(ticket.category, ticket.data)
        )
        errors = form_errors if form == "add_information" else {}
        info_fields = requirement_fields(ticket.category, raw, errors, on_file=on_file)
    context = {
        "ticket": ticket,
        "lines": lines,
        "files": files,
        "answers": requirement_answers(ticket, files),
        "can": can,
        "form": form,
        # Errors and values by form, so two forms with a "body" field never share them.
        "errs": {form: form_errors} if form else {},
        "vals": {form: values} if form else {},
        "error_list": [m for msgs in (form_errors or {}).values() for m in msgs],
        "alert": alert,
        "info_fields": info_fields,
        "is_requester": requester,
        "procedure_status": procedure_status_context(ticket, user),
        "survey": getattr(ticket, "survey", None) if requester else None,
        "ratings": RATINGS,
        "reopened_as": list(ticket.reopened_as.only("number")),
        "reopen_as_new": can["reopen"] and reopen_blocked(ticket),
        **ticket_facts(ticket),
    }
    return render(request, "helpdesk/portal/ticket_detail.html", context, status=status)


@require_GET
@login_required
def portal_ticket(request: HttpRequest, number: str) -> HttpResponse:
    """The ticket as its requester sees it: status, due time, answers, public log, files."""
    return _portal_page(request, get_ticket_for_user(request.user, number))


def _act(
    request: HttpRequest,
    ticket: Ticket,
    form: str,
    call: Any,
    done: str,
    *,
    values: dict[str, Any] | None = None,
) -> HttpResponse:
    """Run ``call(ticket)`` as every ticket page does (``run_ticket_action``)."""
    return run_ticket_action(
        request,
        ticket,
        form=form,
        call=call,
        done=done,
        page=_portal_page,
        url_name="helpdesk:portal_ticket",
        values=values,
    )


@require_POST
@login_required
def portal_add_information(request: HttpRequest, number: str) -> HttpResponse:
    """Answer a ticket en espera or devuelto, completing the category's requirements."""
    ticket = get_ticket_for_user(request.user, number)
    sub = parse_requirements(ticket.category, request)

    def call(t: Ticket) -> None:
        if sub.errors:
            raise InvalidInput(errors=sub.errors)
        actions.do_add_ticket_information(
            t,
            actor=request.user,
            body=posted_text(request, "body"),
            data=sub.data,
            files=sub.files,
            extra_files=request.FILES.getlist("archivos"),
        )

    values = {**sub.raw, "body": request.POST.get("body", "")}
    return _act(request, ticket, "add_information", call, "Se envió su información.", values=values)


@require_POST
@login_required
def portal_confirm(request: HttpRequest, number: str) -> HttpResponse:
    """ "Confirmar solución": the requester closes the ticket."""
    return _act(
        request,
        get_ticket_for_user(request.user, number),
        "confirm",
        lambda t: actions.do_confirm_ticket_solution(
            t, actor=request.user, comment=posted_text(request, "comment")
        ),
        "Gracias por confirmar: el ticket quedó cerrado.",
    )


@require_POST
@login_required
def portal_reject(request: HttpRequest, number: str) -> HttpResponse:
    """ "No está resuelto": back to en atención with the reason."""
    return _act(
        request,
        get_ticket_for_user(request.user, number),
        "reject",
        lambda t: actions.do_reject_solution(
            t, actor=request.user, reason=posted_text(request, "reason")
        ),
        "Se informó que el problema continúa; el ticket volvió a atención.",
    )


@require_POST
@login_required
def portal_comment(request: HttpRequest, number: str) -> HttpResponse:
    """A public comment of the requester (with optional files)."""
    return _act(
        request,
        get_ticket_for_user(request.user, number),
        "comment",
        lambda t: actions.do_comment_ticket(
            t,
            actor=request.user,
            body=posted_text(request, "body"),
            extra_files=request.FILES.getlist("archivos"),
        ),
        "Se registró su comentario.",
    )


@require_POST
@login_required
def portal_reopen(request: HttpRequest, number: str) -> HttpResponse:
    """Reopen a closed ticket within the window, with the reason; a ticket whose procedure case
    concluded is reopened as a new ticket linked to it (the page goes to the new one)."""
    return _act(
        request,
        get_ticket_for_user(request.user, number),
        "reopen",
        lambda t: actions.do_reopen_ticket(
            t, actor=request.user, reason=posted_text(request, "reason")
        ),
        "Se reabrió el ticket.",
    )


@require_POST
@login_required
def portal_survey(request: HttpRequest, number: str) -> HttpResponse:
    """The requester rates the attention of an ended ticket (1-5) with a comment, once."""
    return _act(
        request,
        get_ticket_for_user(request.user, number),
        "survey",
        lambda t: actions.do_answer_survey(
            t,
            actor=request.user,
            rating=request.POST.get("rating"),
            comment=posted_text(request, "comment"),
        ),
        "Gracias por calificar la atención.",
    )
