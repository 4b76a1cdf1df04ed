"""Pages of the accounts register and the VPN inventory: parse, call a selector or action, render.

Readers: ``choices.READ_ALL_ROLES`` see every account; a ``director-uo`` the accounts of the
people of their unit (others are 404). Managers (``choices.MANAGE_ROLES``) may also issue a new
password link. The reveal page is for the link's recipient only.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mapro.audit.selectors import history_of
from mapro.core.exceptions import Conflict, InvalidInput, InvalidTransition
from mapro.core.registers import query_without
from mapro.core.xlsx import xlsx_response
from mapro.helpdesk.selectors import visible_ticket_urls
from mapro.organization.permissions import has_role
from mapro.procedures.selectors import link_instances

from . import exports
from .actions import do_issue_password_link, do_reveal_password
from .choices import MANAGE_ROLES
from .filtersets import AccountFilterSet
from .selectors import (
    can_read_register,
    due_for_removal_count,
    get_account_for_user,
    register_queryset,
    vpn_movements,
)

PAGE_SIZE = 50
MOVEMENTS = {"creados": False, "eliminados": True}


def register_reader_required(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Login, then a reading role of the register (403 otherwise)."""

    @login_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not can_read_register(request.user):
            raise PermissionDenied("Su rol no permite ver el registro de cuentas.")
        return view(request, *args, **kwargs)

    return wrapped


def _list(request: HttpRequest, *, vpn: bool) -> HttpResponse:
    base = register_queryset(request.user)
    if vpn:
        base = base.vpn()
    filterset = AccountFilterSet(request.GET or None, queryset=base)
    if vpn:
        filterset.fields.pop("kind")
    qs = filterset.qs if request.GET else base
    page = Paginator(qs.order_by("-granted_on", "-id"), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    due = base.due_for_removal().count() if vpn else due_for_removal_count(request.user)
    return render(
        request,
        "iam/account_list.html",
        {
            "filterset": filterset,
            "page": page,
            "vpn": vpn,
            "due_count": due,
            "filter_query": query_without(request, "pagina"),
        },
    )


@require_GET
@register_reader_required
def account_list(request: HttpRequest) -> HttpResponse:
    """The register: every account, access and privilege the user may see, filtered."""
    return _list(request, vpn=False)


@require_GET
@register_reader_required
def vpn_list(request: HttpRequest) -> HttpResponse:
    """The VPN users inventory: accounts of kind VPN, active and removed."""
    return _list(request, vpn=True)


def _export(request: HttpRequest, *, vpn: bool) -> HttpResponse:
    base = register_queryset(request.user)
    if vpn:
        base = base.vpn()
    filterset = AccountFilterSet(request.GET or None, queryset=base)
    qs = filterset.qs if request.GET else base
    name = "inventario-usuarios-vpn" if vpn else "registro-cuentas-accesos-privilegios"
    return xlsx_response(
        f"{name}.xlsx",
        exports.ACCOUNT_HEADERS,
        exports.account_rows(qs.order_by("-granted_on", "-id")),
        sheet_title="Usuarios VPN" if vpn else "Cuentas",
    )


@require_GET
@register_reader_required
def account_export(request: HttpRequest) -> HttpResponse:
    return _export(request, vpn=False)


@require_GET
@register_reader_required
def vpn_export(request: HttpRequest) -> HttpResponse:
    return _export(request, vpn=True)


class PeriodForm(forms.Form):
    desde = forms.DateField(
        label="Desde", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    hasta = forms.DateField(
        label="Hasta", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def _movements(request: HttpRequest, movement: str) -> tuple[PeriodForm, Any, bool]:
    if movement not in MOVEMENTS:
        raise Http404()
    removal = MOVEMENTS[movement]
    form = PeriodForm(request.GET or None)
    if request.GET and not form.is_valid():
        return form, register_queryset(request.user).none(), removal
    data = form.cleaned_data if request.GET else {}
    qs = vpn_movements(
        request.user, removal=removal, since=data.get("desde"), until=data.get("hasta")
    )
    return form, qs, removal


@require_GET
@register_reader_required
def vpn_movements_list(request: HttpRequest, movement: str) -> HttpResponse:
    """The "Registro de usuarios VPN creados" (or "eliminados") of a period."""
    form, qs, removal = _movements(request, movement)
    return render(
        request,
        "iam/vpn_movements.html",
        {
            "form": form,
            "rows": list(exports.movement_rows(qs, removal=removal)),
            "headers": exports.MOVEMENT_HEADERS,
            "movement": movement,
            "filter_query": request.GET.urlencode(),
        },
    )


@require_GET
@register_reader_required
def vpn_movements_export(request: HttpRequest, movement: str) -> HttpResponse:
    _form, qs, removal = _movements(request, movement)
    return xlsx_response(
        f"registro-usuarios-vpn-{movement}.xlsx",
        exports.MOVEMENT_HEADERS,
        exports.movement_rows(qs, removal=removal),
        sheet_title=f"VPN {movement}",
    )


@require_GET
@register_reader_required
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One entry of the register, with its tickets, instances and history of changes."""
    account = get_account_for_user(request.user, pk)
    # A director reads their unit's accounts, not every ticket or instance behind them: a
    # ticket or an expediente the viewer may not open is named by its number alone.
    tickets = list(account.tickets.all())
    urls = visible_ticket_urls(request.user, tickets)
    for ticket in tickets:
        ticket.url = urls.get(ticket.pk)  # type: ignore[attr-defined]
    instances = list(account.instances.select_related("procedure_version"))
    link_instances(request.user, instances, id_of=lambda instance: instance.pk, attr="url")
    return render(
        request,
        "iam/account_detail.html",
        {
            "account": account,
            "history": history_of(account),
            "tickets": tickets,
            "instances": instances,
            "can_manage": has_role(request.user, MANAGE_ROLES),
        },
    )


@never_cache
@require_POST
@register_reader_required
def account_password_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Generate a new initial password and its one-time link (for the acting manager)."""
    account = get_account_for_user(request.user, pk)
    try:
        link = do_issue_password_link(account, actor=request.user, recipient=request.user)
    except (InvalidInput, Conflict) as exc:
        return render(
            request,
            "iam/password_link.html",
            {"account": account, "error": exc.message},
            status=exc.status_code,
        )
    response = render(
        request,
        "iam/password_link.html",
        {"account": account, "link": request.build_absolute_uri(link.path), "secret": link.secret},
    )
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation (so that link scanners do not burn it); POST reveals once."""
    if request.method == "GET":
        response = render(request, "iam/reveal.html", {"password": None})
    else:
        try:
            secret, password = do_reveal_password(pk, actor=request.user)
        except InvalidTransition as exc:
            return render(request, "iam/reveal.html", {"error": exc.message}, status=409)
        response = render(
            request,
            "iam/reveal.html",
            {"password": password, "account": secret.account},
        )
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
