"""HTML pages of the equipment inventory: list (filters, pages), XLSX export, detail with its
maintenances, accesses, activities and historial de cambios, the maintenance register, and the
XLSX/CSV import with its per-row error report.

Views only parse, call a selector or an action and render; access is ``selectors`` (403 for a
role that reads nothing of the inventory, 404 for equipment outside a director's units).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from mapro.core.exceptions import Conflict, InvalidInput
from mapro.core.paging import paginate, query_without_page
from mapro.core.registers import Linked, page_view
from mapro.core.xlsx import xlsx_response
from mapro.documents.selectors import document_urls
from mapro.helpdesk.selectors import link_ticket_numbers, ticket_urls
from mapro.organization.permissions import check_role, has_role

from . import access, actions, selectors
from .choices import EquipmentState, MaintenanceKind, MaintenanceOutcome
from .filtersets import EquipmentFilterSet, MaintenanceFilterSet
from .importing import COLUMNS, do_import_equipment

PAGE_SIZE = 50


def _bad_filters(filterset: Any) -> HttpResponse | None:
    if filterset.is_bound and not filterset.is_valid():
        return HttpResponse(
            "Filtros no válidos: " + filterset.errors.as_text(),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    return None


@page_view
def equipment_list(request: HttpRequest) -> HttpResponse:
    filterset = EquipmentFilterSet(
        request.GET or None, queryset=selectors.equipment_for_user(request.user)
    )
    page = paginate(request, filterset.qs, PAGE_SIZE)
    objects = list(page.object_list)
    cols = selectors.EQUIPMENT_LIST_COLUMNS
    rows = [
        (obj.pk, [row[i] for i in cols])
        for obj, row in zip(objects, selectors.equipment_rows(objects), strict=True)
    ]
    labels = {obj.pk: (obj.get_kind_display(), obj.get_state_display()) for obj in objects}
    rows = [(pk, [*cells[:1], labels[pk][0], *cells[2:-1], labels[pk][1]]) for pk, cells in rows]
    return render(
        request,
        "inventory/equipment_list.html",
        {
            "filterset": filterset,
            "page": page,
            "headers": [
                selectors.EQUIPMENT_LIST_TITLES[selectors.EQUIPMENT_HEADERS[i]] for i in cols
            ],
            "rows": rows,
            "filter_query": query_without_page(request),
            "can_import": has_role(request.user, access.INVENTORY_MANAGERS),
        },
    )


@page_view
def equipment_export(request: HttpRequest) -> HttpResponse:
    filterset = EquipmentFilterSet(
        request.GET or None, queryset=selectors.equipment_for_user(request.user)
    )
    return _bad_filters(filterset) or xlsx_response(
        "inventario-de-equipos",
        selectors.EQUIPMENT_HEADERS,
        selectors.equipment_rows(filterset.qs),
        sheet_title="Inventario de equipos",
    )


def _detail_context(request: HttpRequest, pk: int) -> dict[str, Any]:
    equipment = selectors.get_equipment_for_user(request.user, pk)
    maintenances = selectors.maintenances_of(equipment)
    link_ticket_numbers(request.user, maintenances)
    # A director reads their unit's equipment, not the OGTIE's oficios and informes about it:
    # a document the viewer may not open is named by its number alone (one statement).
    urls = document_urls(
        request.user, [d for m in maintenances for d in (m.oficio, m.informe) if d is not None]
    )
    for m in maintenances:
        m.oficio_url = urls.get(m.oficio_id or 0)  # type: ignore[attr-defined]
        m.informe_url = urls.get(m.informe_id or 0)  # type: ignore[attr-defined]
    return {
        "equipment": equipment,
        "maintenances": maintenances,
        "accounts": selectors.accounts_of(equipment),
        "activities": selectors.activities_of(equipment),
        "history": selectors.history(equipment),
        "can_manage": not equipment.is_retired and access.can_manage(request.user, equipment.kind),
        "states": EquipmentState.choices,
        "kinds": MaintenanceKind.choices,
        "outcomes": MaintenanceOutcome.choices,
    }


@page_view
def equipment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "inventory/equipment_detail.html", _detail_context(request, pk))


def _action(act: Callable[[HttpRequest, Any], str]) -> Callable[..., HttpResponse]:
    """POST on the detail page: ``act`` calls the action (one transaction) and returns the
    success message; bad input (400) or a conflict (409) re-renders the page with the errors,
    nothing changed. The manager's role is checked before anything is read from the body."""

    @require_POST
    @login_required
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        equipment = selectors.get_equipment_for_user(request.user, pk)
        access.check_manager(request.user, equipment.kind)
        try:
            done = act(request, equipment)
        except (InvalidInput, Conflict) as exc:
            context = _detail_context(request, pk)
            context["action_error"] = exc.message
            context["field_errors"] = exc.errors
            return render(
                request, "inventory/equipment_detail.html", context, status=exc.status_code
            )
        messages.success(request, done)
        return redirect("inventory:equipment_detail", pk=pk)

    view.__name__ = act.__name__.lstrip("_")
    return view


def _change_state(request: HttpRequest, equipment: Any) -> str:
    actions.do_change_equipment_state(
        equipment,
        state=request.POST.get("state", ""),
        reason=request.POST.get("reason", ""),
        actor=request.user,
    )
    return f"Estado de {equipment.code} actualizado."


def _record_maintenance(request: HttpRequest, equipment: Any) -> str:
    post = request.POST
    actions.do_record_maintenance(
        equipment,
        kind=post.get("kind", ""),
        outcome=post.get("outcome", "") or "pendiente",
        performed_on=post.get("performed_on") or None,
        scheduled_on=post.get("scheduled_on") or None,
        ticket=post.get("ticket", ""),
        findings=post.get("findings", ""),
        action_taken=post.get("action_taken", ""),
        actor=request.user,
    )
    return f"Mantenimiento de {equipment.code} registrado."


equipment_state = _action(_change_state)
maintenance_record = _action(_record_maintenance)


@page_view
def maintenance_list(request: HttpRequest) -> HttpResponse:
    filterset = MaintenanceFilterSet(
        request.GET or None, queryset=selectors.maintenances_for_user(request.user)
    )
    page = paginate(request, filterset.qs, PAGE_SIZE)
    objects = list(page.object_list)
    cols = selectors.MAINTENANCE_LIST_COLUMNS
    # The typed "N° de ticket" links to its ticket when the viewer may see it (one statement).
    urls = ticket_urls(request.user, (obj.ticket for obj in objects))
    ticket_col = selectors.MAINTENANCE_HEADERS.index("Ticket")
    rows = [
        (
            obj.equipment_id,
            [
                Linked(row[i], urls[obj.ticket])
                if i == ticket_col and obj.ticket in urls
                else row[i]
                for i in cols
            ],
        )
        for obj, row in zip(objects, selectors.maintenance_rows(objects), strict=True)
    ]
    return render(
        request,
        "inventory/maintenance_list.html",
        {
            "filterset": filterset,
            "page": page,
            "headers": [selectors.MAINTENANCE_HEADERS[i] for i in cols],
            "rows": rows,
            "filter_query": query_without_page(request),
        },
    )


@page_view
def maintenance_export(request: HttpRequest) -> HttpResponse:
    filterset = MaintenanceFilterSet(
        request.GET or None, queryset=selectors.maintenances_for_user(request.user)
    )
    return _bad_filters(filterset) or xlsx_response(
        "mantenimientos-de-equipos",
        selectors.MAINTENANCE_HEADERS,
        selectors.maintenance_rows(filterset.qs),
        sheet_title="Mantenimientos",
    )


@require_http_methods(["GET", "POST"])
@login_required
def equipment_import(request: HttpRequest) -> HttpResponse:
    check_role(request.user, access.INVENTORY_MANAGERS)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise InvalidInput(errors={"file": ["Adjunte el archivo (.xlsx o .csv)."]})
            result = do_import_equipment(upload.name or "", upload.read(), actor=request.user)
        except InvalidInput as exc:
            errors = exc.errors
        else:
            messages.success(
                request,
                f"Importación completa: {result['created']} equipo(s) nuevo(s), "
                f"{result['updated']} actualizado(s).",
            )
            return redirect("inventory:equipment_list")
    return render(
        request,
        "inventory/equipment_import.html",
        {
            "errors": [m for msgs in errors.values() for m in msgs],
            "columns": list(COLUMNS),
        },
        status=400 if errors else 200,
    )
