"""Read queries of the inventory: what a user may see, the export rows, an equipment's history.

Every list, detail, export and API endpoint goes through the ``*_for_user`` functions (403
without a reading role; a director sees the equipment of their units, anything else is 404).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet

from mapro.audit.selectors import history_of

from . import access
from .models import Equipment, Maintenance, PlatformAccount, PlatformActivity

EQUIPMENT_RELATED = ("unit", "holder", "responsible", "backup_responsible")


def equipment_for_user(user: Any) -> QuerySet[Equipment]:
    return access.scoped(Equipment.objects.select_related(*EQUIPMENT_RELATED), user)


def get_equipment_for_user(user: Any, pk: Any) -> Equipment:
    return access.get_visible(  # type: ignore[no-any-return]
        Equipment.objects.select_related(*EQUIPMENT_RELATED), pk, user
    )


def maintenances_for_user(user: Any) -> QuerySet[Maintenance]:
    qs = Maintenance.objects.select_related("equipment", "equipment__unit", "oficio", "informe")
    return access.scoped(qs, user, unit_field="equipment__unit")


def get_maintenance_for_user(user: Any, pk: Any) -> Maintenance:
    qs = Maintenance.objects.select_related("equipment", "equipment__unit", "oficio", "informe")
    return access.get_visible(qs, pk, user, unit_field="equipment__unit")  # type: ignore[no-any-return]


def maintenances_of(equipment: Equipment) -> list[Maintenance]:
    """Every maintenance of the equipment, newest first (the equipment's maintenance history)."""
    return list(
        equipment.maintenances.select_related("oficio", "informe").order_by(
            "-performed_on", "-scheduled_on", "-id"
        )
    )


def accounts_of(equipment: Equipment) -> list[PlatformAccount]:
    return list(equipment.accounts.select_related("profile", "person").order_by("username"))


def activities_of(equipment: Equipment, limit: int = 50) -> list[PlatformActivity]:
    return list(
        equipment.activities.select_related("report", "referral").order_by("-performed_on", "-id")[
            :limit
        ]
    )


def history(equipment: Equipment) -> list[Any]:
    """Every audit event of the equipment: changes, state changes and maintenances."""
    return list(history_of(equipment))


# --- export rows ------------------------------------------------------------------------------

#: The export columns, which are also the import columns (same names, same order).
EQUIPMENT_HEADERS = (
    "codigo",
    "tipo",
    "nombre",
    "marca",
    "modelo",
    "serie",
    "codigo_patrimonial",
    "ip",
    "criticidad",
    "unidad",
    "ubicacion",
    "titular_dni",
    "titular",
    "responsable_dni",
    "responsable_secundario_dni",
    "fecha_adquisicion",
    "fin_garantia",
    "proveedor_garantia",
    "estado",
    "observaciones",
)
#: Columns the list page shows (indexes into EQUIPMENT_HEADERS).
EQUIPMENT_LIST_COLUMNS = (0, 1, 2, 8, 9, 10, 12, 16, 18)
EQUIPMENT_LIST_TITLES = {
    "codigo": "Código",
    "tipo": "Tipo",
    "nombre": "Nombre",
    "criticidad": "Criticidad",
    "unidad": "Unidad",
    "ubicacion": "Ubicación",
    "titular": "Titular",
    "fin_garantia": "Fin de garantía",
    "estado": "Estado",
}


def _dni(person: Any) -> str:
    return person.dni if person is not None else ""


def equipment_rows(rows: Iterable[Equipment]) -> Iterator[list[Any]]:
    for e in rows:
        yield [
            e.code,
            e.kind,
            e.name,
            e.brand,
            e.model_name,
            e.serial,
            e.patrimonial_code,
            e.ip_address or "",
            e.criticality,
            e.unit.code if e.unit else "",
            e.location,
            _dni(e.holder),
            e.holder.full_name if e.holder else "",
            _dni(e.responsible),
            _dni(e.backup_responsible),
            e.acquired_on,
            e.warranty_end,
            e.warranty_provider,
            e.state,
            e.notes,
        ]


MAINTENANCE_HEADERS = (
    "N°",
    "Equipo",
    "Tipo de equipo",
    "Unidad",
    "Tipo de mantenimiento",
    "Ejecutado por",
    "Contratista",
    "Fecha programada",
    "Fecha de ejecución",
    "Ticket",
    "Técnico",
    "Problema",
    "Acción realizada",
    "¿Se dio solución?",
    "Garantía",
    "Oficio de baja",
    "Informe situacional",
    "Estado resultante",
    "Expediente",
)
MAINTENANCE_LIST_COLUMNS = (0, 1, 3, 4, 8, 9, 13, 14, 15, 17)


def maintenance_rows(rows: Iterable[Maintenance]) -> Iterator[list[Any]]:
    for m in rows:
        yield [
            m.pk,
            m.equipment.code,
            m.equipment.get_kind_display(),
            m.equipment.unit.code if m.equipment.unit else "",
            m.get_kind_display(),
            m.get_executor_display(),
            m.contractor,
            m.scheduled_on,
            m.performed_on,
            m.ticket,
            m.technician_name,
            m.findings,
            m.action_taken,
            m.get_outcome_display(),
            m.get_warranty_display() if m.warranty else "",
            m.oficio.number if m.oficio else "",
            m.informe.number if m.informe else "",
            m.get_state_after_display() if m.state_after else "",
            m.instance_id or "",
        ]
