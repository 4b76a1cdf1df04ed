"""How a console or portal form runs a ticket action, in one place.

Both pages do the same thing with a POST: call one ``do_*`` action on the ticket, show its
``InvalidInput`` beside the form's fields (what was typed stays), its ``Conflict`` as the
ticket page's alert with a 409 (a ``ProcedureStepPending`` also links the pending tasks), and
on success say what happened and go back to the ticket — or to the new ticket the action
returned (a reopening as a new linked ticket, ``actions.resolution._reopen_as_new``).
``Forbidden`` and ``NotFound`` are left to ``mapro.core.middleware`` (403 and 404 pages).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from mapro.core.exceptions import Conflict, InvalidInput

from ..models import Ticket
from ._forms import posted_values


class TicketPage(Protocol):
    """The page a ticket action answers with when it did not go through (console, portal)."""

    def __call__(
        self,
        request: HttpRequest,
        ticket: Ticket,
        *,
        status: int = ...,
        form: str = ...,
        form_errors: dict[str, list[str]] | None = ...,
        values: dict[str, Any] | None = ...,
        alert: str = ...,
        alert_tasks: list[dict[str, Any]] | None = ...,
    ) -> HttpResponse: ...


def run_ticket_action(
    request: HttpRequest,
    ticket: Ticket,
    *,
    form: str,
    call: Callable[[Ticket], Any],
    done: str | Callable[[Any], str],
    page: TicketPage,
    url_name: str,
    values: dict[str, Any] | None = None,
) -> HttpResponse:
    """Run ``call(ticket)`` for the form named ``form`` (module docstring).

    ``done`` is the success message, or a function of the action's result that words it;
    ``url_name`` the ticket page to go back to (``helpdesk:console_ticket`` or
    ``helpdesk:portal_ticket``); ``values`` what the form shows again on an error (the posted
    fields by default).
    """
    if values is None:
        values = posted_values(request)
    try:
        result = call(ticket)
    except InvalidInput as exc:
        errors = exc.errors or {"general": [exc.message]}
        return page(request, ticket, form=form, form_errors=errors, values=values)
    except Conflict as exc:
        tasks = getattr(exc, "tasks", None)
        return page(request, ticket, alert=exc.message, alert_tasks=tasks, status=409)
    if isinstance(result, Ticket) and result.pk != ticket.pk:  # reopened as a new ticket
        messages.success(request, f"Se registró el ticket {result.number}, que reabre este.")
        return redirect(url_name, number=result.number)
    messages.success(request, done(result) if callable(done) else done)
    return redirect(url_name, number=ticket.number)
