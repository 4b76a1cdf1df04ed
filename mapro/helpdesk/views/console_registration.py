"""The desk registers a ticket on behalf of a requester who phoned, mailed or came in person.

Only the desk (``operador-mesa``, ``jefe-ogtie``: ``access.DESK_ROLES``) registers for someone
else; anyone else gets 403. The category's form is the portal's very page and code
(``portal.submit_ticket_form`` and ``helpdesk/portal/ticket_form.html`` with
``on_behalf``), so the requirements, their validation and their messages are the portal's;
this module adds only the requester (a Person found by DNI or name) and the channel
(teléfono, correo, presencial). ``do_create_ticket`` checks again that only the desk registers
for others and by those channels.

- ``console_register``: choose the category (the portal's category list, linked here).
- ``console_register_form``: the category's form plus requester and channel.
- ``console_people``: the requester search (htmx), also used without JavaScript: the form
  searches on submit and asks to choose when several people match.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from mapro.organization.models import Person
from mapro.organization.permissions import has_role

from .. import access
from ..choices import Channel
from ..models import Category, Ticket
from .portal import _category_or_404, _create_page, submit_ticket_form
from .ticket_display import required_titles

#: The channels by which a request reaches the desk rather than the portal.
DESK_CHANNELS = [Channel.TELEFONO, Channel.CORREO, Channel.PRESENCIAL]
MAX_MATCHES = 20


def _check_desk(user: Any) -> None:
    if not has_role(user, access.DESK_ROLES):
        raise PermissionDenied("Solo la mesa de ayuda registra tickets a nombre de otra persona.")


def search_people(query: str) -> QuerySet[Person]:
    """People whose DNI is ``query`` or whose names contain every word of it."""
    query = " ".join((query or "").split())
    if not query:
        return Person.objects.none()
    qs = Person.objects.select_related("unit")
    if query.isdigit():
        return qs.filter(dni__startswith=query).order_by("dni")[:MAX_MATCHES]
    for word in query.split():
        qs = qs.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word))
    return qs.order_by("last_name", "first_name", "dni")[:MAX_MATCHES]


@require_GET
@login_required
def console_people(request: HttpRequest) -> HttpResponse:
    """The people matching ``q`` as radio buttons for the registration form (htmx)."""
    _check_desk(request.user)
    query = request.GET.get("solicitante", "")
    people = list(search_people(query))
    return render(
        request,
        "helpdesk/console/_people_matches.html",
        {"people": people, "query": query, "chosen": ""},
    )


@require_GET
@login_required
def console_register(request: HttpRequest) -> HttpResponse:
    """Step 1: the kind of request (the category tree)."""
    _check_desk(request.user)
    categories = list(Category.objects.filter(is_active=True).order_by("path"))
    parents = {c.parent_id for c in categories if c.parent_id}
    rows = [
        {"category": c, "depth": c.depth, "needs": required_titles(c)}
        for c in categories
        if c.pk not in parents
    ]
    return render(request, "helpdesk/console/register_choose.html", {"rows": rows})


def _requester(request: HttpRequest) -> tuple[Person | None, list[Person], list[str]]:
    """The chosen requester (radio ``requester`` = Person id, else a search that finds exactly
    one), the matches to choose from, and the errors."""
    chosen = request.POST.get("requester", "").strip()
    if chosen.isdigit():
        person = Person.objects.select_related("unit").filter(pk=int(chosen)).first()
        if person is not None:
            return person, [person], []
    query = request.POST.get("solicitante", "")
    if not query.strip():
        return None, [], ["Indique el solicitante: su DNI o su nombre."]
    matches = list(search_people(query))
    if len(matches) == 1:
        return matches[0], matches, []
    if not matches:
        return None, [], [f"Ninguna persona registrada coincide con «{query.strip()}»."]
    return None, matches, ["Varias personas coinciden: elija al solicitante de la lista."]


@require_http_methods(["GET", "POST"])
@login_required
def console_register_form(request: HttpRequest, code: str) -> HttpResponse:
    """Step 2: the portal's form of the category, plus requester and channel."""
    _check_desk(request.user)
    category = _category_or_404(code)
    extra: dict[str, Any] = {
        "on_behalf": True,
        "channels": [(c.value, c.label) for c in DESK_CHANNELS],
        "channel": request.POST.get("channel", "") if request.method == "POST" else "",
        "solicitante": request.POST.get("solicitante", "") if request.method == "POST" else "",
        "people": [],
        "chosen": "",
        "choose_url": reverse("helpdesk:console_register"),
        "people_url": reverse("helpdesk:console_people"),
    }
    if request.method == "GET":
        return _create_page(request, category, extra=extra)
    person, matches, requester_errors = _requester(request)
    extra.update(people=matches, chosen=str(person.pk) if person is not None else "")
    errors: dict[str, list[str]] = {}
    if requester_errors:
        errors["requester"] = requester_errors
    channel = request.POST.get("channel", "")
    if channel not in {c.value for c in DESK_CHANNELS}:
        errors["channel"] = [
            "Elija por qué canal llegó la solicitud: teléfono, correo o presencial."
        ]
    result = submit_ticket_form(
        request,
        category,
        requester=person,
        channel=channel,
        errors_before=errors,
        extra=extra,
    )
    if not isinstance(result, Ticket):
        return result
    messages.success(
        request,
        f"Se registró el ticket {result.number} a nombre de {result.requester.full_name} "
        f"({Channel(result.channel).label.lower()}).",
    )
    return redirect("helpdesk:console_ticket", number=result.number)
