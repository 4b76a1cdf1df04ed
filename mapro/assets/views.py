"""HTML pages of the inventories and registers: list (filters, pages), XLSX export, detail
with its historial de cambios, and the informe semestral de copia de restauración.

Views only parse, call a selector and render; access is ``selectors`` (403 for a role that
reads none of the register, 404 for an entry outside the user's scope). Most changes are made
by the procedure steps and the API; the detail pages also offer the everyday ones (return a
phone, the Jefe(a)'s conformity, lift a block) through the same actions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mapro.audit.selectors import history_of
from mapro.core.exceptions import Conflict, InvalidInput
from mapro.core.registers import Register, export_view, list_view, page_view
from mapro.core.xlsx import xlsx_response
from mapro.helpdesk.selectors import link_ticket_numbers, ticket_urls
from mapro.organization.permissions import has_role
from mapro.procedures.selectors import instance_urls

from . import access, actions, selectors
from .choices import ACTA_SIGNERS
from .filtersets import (
    BlockEntryFilterSet,
    CertDeviceFilterSet,
    PhoneFilterSet,
    RestoreRequestFilterSet,
    SemesterForm,
)


def _ticket_links(column: int) -> Callable[[Any, list[Any]], dict[Any, dict[int, str]]]:
    """``Register.links`` of a register whose rows keep a typed "N° de ticket" in ``ticket``
    (export column ``column``): a link to each ticket the viewer may see, one statement a page."""

    def links(user: Any, objects: list[Any]) -> dict[Any, dict[int, str]]:
        urls = ticket_urls(user, (o.ticket for o in objects))
        return {o.pk: {column: urls[o.ticket]} for o in objects if o.ticket in urls}

    return links


REGISTERS = {
    "phone": Register(
        "Inventario de equipos telefónicos",
        "phone",
        "equipos-telefonicos",
        selectors.phones_for_user,
        PhoneFilterSet,
        selectors.PHONE_HEADERS,
        selectors.phone_rows,
        (0, 1, 2, 4, 6, 7, 8, 9, 10),
        "Equipos telefónicos IP y móviles entregados por la OGTIE (S04.03.03.02).",
    ),
    "cert": Register(
        "Inventario de dispositivos para el uso del certificado digital",
        "cert",
        "dispositivos-certificado-digital",
        selectors.cert_devices_for_user,
        CertDeviceFilterSet,
        selectors.CERT_HEADERS,
        selectors.cert_rows,
        (0, 1, 3, 4, 5, 6),
        "Tarjetas criptográficas y lectores de tarjetas y sus titulares (S04.03.04.01).",
    ),
    "restore": Register(
        "Registro de requerimientos de copia de restauración",
        "restore",
        "copias-de-restauracion",
        selectors.restore_requests_for_user,
        RestoreRequestFilterSet,
        selectors.RESTORE_HEADERS,
        selectors.restore_rows,
        (0, 1, 3, 4, 5, 6, 7, 8, 12),
        "Requerimientos de copia de restauración de información y su resultado (S04.03.02.02).",
        links=_ticket_links(selectors.RESTORE_HEADERS.index("Ticket")),
    ),
    "block": Register(
        "Lista de bloqueos de spam y phishing",
        "block",
        "lista-de-bloqueos",
        selectors.block_entries_for_user,
        BlockEntryFilterSet,
        selectors.BLOCK_HEADERS,
        selectors.block_rows,
        (0, 1, 2, 3, 5, 6, 8),
        "Cuentas, dominios, URL e IP públicas bloqueadas por casos de spam y phishing "
        "(S04.04.00.02).",
        links=_ticket_links(selectors.BLOCK_HEADERS.index("Ticket")),
    ),
}


def _phone_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    phone = selectors.get_phone_for_user(request.user, pk)
    assignments = list(phone.assignments.select_related("unit").order_by("-assigned_on", "-id"))
    for a in assignments:
        a.signature_rows = [  # type: ignore[attr-defined]
            (label, getattr(a, f"firma_{key}_nombre"), getattr(a, f"firma_{key}_fecha"))
            for key, label in ACTA_SIGNERS
        ]
    link_ticket_numbers(request.user, assignments)
    current = next((a for a in assignments if a.is_open), None)
    return {
        "phone": phone,
        "assignments": assignments,
        "current": current,
        "can_manage": has_role(request.user, access.PHONE_MANAGERS),
        "history": history_of(phone),
    }


def _cert_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    device = selectors.get_cert_device_for_user(request.user, pk)
    assignments = list(device.assignments.select_related("unit").order_by("-assigned_on", "-id"))
    waiting = bool(assignments) and assignments[0].returned_on and not assignments[0].conformity_on
    link_ticket_numbers(request.user, assignments)
    return {
        "device": device,
        "assignments": assignments,
        "can_conform": bool(waiting) and has_role(request.user, access.CERT_CONFORMITY),
        "history": history_of(device),
    }


def _restore_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    restore = selectors.get_restore_request_for_user(request.user, pk)
    return {
        "restore": restore,
        "ticket_url": ticket_urls(request.user, [restore.ticket]).get(restore.ticket),
        # A director reads their unit's requests, not every expediente: the number alone then.
        "instance_url": instance_urls(request.user, [restore.instance_id]).get(
            restore.instance_id or 0
        ),
        "history": history_of(restore),
    }


def _block_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    entry = selectors.get_block_entry_for_user(request.user, pk)
    return {
        "entry": entry,
        "ticket_url": ticket_urls(request.user, [entry.ticket]).get(entry.ticket),
        "can_manage": entry.active and has_role(request.user, access.BLOCK_MANAGERS),
        "history": history_of(entry),
    }


DETAILS: dict[str, tuple[Callable[[HttpRequest, int], dict[str, Any]], str]] = {
    "phone": (_phone_context, "assets/phone_detail.html"),
    "cert": (_cert_context, "assets/cert_detail.html"),
    "restore": (_restore_context, "assets/restore_detail.html"),
    "block": (_block_context, "assets/block_detail.html"),
}


def detail_view(slug: str) -> Callable[..., HttpResponse]:
    context_of, template = DETAILS[slug]

    @page_view
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, template, context_of(request, pk))

    view.__name__ = f"{slug}_detail"
    return view


def action_view(slug: str, act: Callable[[HttpRequest, int], str]) -> Callable[..., HttpResponse]:
    """POST: ``act`` calls the action and returns the success message; then back to the
    detail page. Bad input (400) or a conflict (409) re-renders the page with the errors, and
    nothing has changed (the action is one transaction)."""
    context_of, template = DETAILS[slug]

    @require_POST
    @login_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        try:
            done = act(request, pk)
        except (InvalidInput, Conflict) as exc:
            context = context_of(request, pk)
            context["action_error"] = exc.message
            context["field_errors"] = exc.errors
            return render(request, template, context, status=exc.status_code)
        messages.success(request, done)
        return redirect(f"assets:{slug}_detail", pk=pk)

    return view


def _return_phone(request: HttpRequest, pk: int) -> str:
    phone = selectors.get_phone_for_user(request.user, pk)
    actions.do_return_phone(
        phone,
        holder_name=request.POST.get("holder_name", ""),
        reason=request.POST.get("reason", ""),
        notes=request.POST.get("notes", ""),
        actor=request.user,
    )
    return f"Devolución del equipo {phone.serial} registrada."


def _cert_conformity(request: HttpRequest, pk: int) -> str:
    device = selectors.get_cert_device_for_user(request.user, pk)
    actions.do_give_return_conformity(device, actor=request.user)
    return f"Conformidad a la devolución de {device.serial} registrada."


def _deactivate_block(request: HttpRequest, pk: int) -> str:
    entry = selectors.get_block_entry_for_user(request.user, pk)
    actions.do_deactivate_block(entry, reason=request.POST.get("reason", ""), actor=request.user)
    return f"Bloqueo N° {entry.pk} desactivado."


phone_detail, cert_detail = detail_view("phone"), detail_view("cert")
restore_detail, block_detail = detail_view("restore"), detail_view("block")
phone_return = action_view("phone", _return_phone)
cert_conformity = action_view("cert", _cert_conformity)
block_deactivate = action_view("block", _deactivate_block)


REPORT_HEADERS = [
    "N°",
    "Ticket",
    "Fecha de atención",
    "Unidad",
    "Solicitante",
    "Sistema, base de datos o información",
    "Periodo de la información",
    "Resultado",
    "Acción",
    "Atendido por",
]


def _report_rows(qs: Sequence[Any]) -> Iterator[list[Any]]:
    for r in qs:
        yield [
            r.pk,
            r.ticket,
            r.closed_on.isoformat() if r.closed_on else "",
            r.unit.code,
            r.requester_name,
            r.system,
            r.period,
            r.get_outcome_display(),
            r.get_action_display() if r.action else "",
            r.restored_by_name,
        ]


def _semester(request: HttpRequest) -> tuple[SemesterForm, list[Any] | None]:
    """The form, and the semester's requests once the form is valid (role checked first)."""
    selectors.check_report_reader(request.user)
    form = SemesterForm(request.GET or None)
    if not form.is_bound or not form.is_valid():
        return form, None
    return form, list(selectors.semester_restores(request.user, *form.bounds()))


@page_view
def restore_report(request: HttpRequest) -> HttpResponse:
    """The informe semestral de copia de restauración: the restores closed in a semester."""
    form, qs = _semester(request)
    rows = list(_report_rows(qs)) if qs is not None else None
    summary = None
    if qs is not None:
        summary = {
            "total": len(rows or []),
            "restauradas": sum(1 for r in qs if r.outcome == "restaurada"),
            "devueltas": sum(1 for r in qs if r.outcome == "rechazada"),
            "fallidas": sum(1 for r in qs if r.outcome == "fallida"),
        }
    return render(
        request,
        "assets/restore_report.html",
        {
            "form": form,
            "headers": REPORT_HEADERS,
            "rows": rows,
            "summary": summary,
            "query": request.GET.urlencode(),
        },
    )


@page_view
def restore_report_export(request: HttpRequest) -> HttpResponse:
    form, qs = _semester(request)
    if qs is None:
        return HttpResponse(
            "Indique el año y el semestre: " + form.errors.as_text(),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    year, half = form.cleaned_data["anio"], form.cleaned_data["semestre"]
    return xlsx_response(
        f"informe-copia-restauracion-{year}-S{half}",
        REPORT_HEADERS,
        _report_rows(qs),
        sheet_title=f"Restauraciones {year}-S{half}",
    )


TEMPLATE = "assets/register_list.html"
phone_list = list_view(REGISTERS["phone"], "assets", template=TEMPLATE)
cert_list = list_view(REGISTERS["cert"], "assets", template=TEMPLATE)
restore_list = list_view(REGISTERS["restore"], "assets", template=TEMPLATE)
block_list = list_view(REGISTERS["block"], "assets", template=TEMPLATE)
phone_export, cert_export = export_view(REGISTERS["phone"]), export_view(REGISTERS["cert"])
restore_export, block_export = export_view(REGISTERS["restore"]), export_view(REGISTERS["block"])
