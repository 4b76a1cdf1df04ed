"""Read queries of the inventories and registers: what a user may see, and export rows.

Every list, detail, export and API endpoint goes through the ``*_for_user`` functions here,
which apply ``access.scoped`` (403 without a reading role, directors limited to their units;
one object outside the scope is 404).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from mapro.core.exceptions import Forbidden
from mapro.organization.permissions import has_role

from . import access
from .choices import ACTA_SIGNERS, RestoreOutcome
from .models import (
    BlockEntry,
    CertAssignment,
    CertDevice,
    PhoneAssignment,
    PhoneEquipment,
    RestoreRequest,
)

# --- querysets --------------------------------------------------------------------------------


def phones_for_user(user: Any) -> QuerySet[PhoneEquipment]:
    """Phones with their open assignment prefetched (``open_assignments``: 0 or 1 items)."""
    qs = PhoneEquipment.objects.select_related("holder_unit").prefetch_related(
        Prefetch(
            "assignments",
            queryset=PhoneAssignment.objects.filter(returned_on__isnull=True).select_related(
                "unit"
            ),
            to_attr="open_assignments",
        )
    )
    return access.scoped(qs, user, access.PHONE_READERS, unit_field="holder_unit")


def get_phone_for_user(user: Any, pk: Any) -> PhoneEquipment:
    return access.get_visible(  # type: ignore[return-value]
        phones_for_user(user), pk, user, access.PHONE_READERS, unit_field="holder_unit"
    )


def cert_devices_for_user(user: Any) -> QuerySet[CertDevice]:
    qs = CertDevice.objects.select_related("holder_unit").prefetch_related(
        Prefetch(
            "assignments",
            queryset=CertAssignment.objects.filter(returned_on__isnull=True).select_related("unit"),
            to_attr="open_assignments",
        )
    )
    return access.scoped(qs, user, access.CERT_READERS, unit_field="holder_unit")


def get_cert_device_for_user(user: Any, pk: Any) -> CertDevice:
    return access.get_visible(  # type: ignore[return-value]
        cert_devices_for_user(user), pk, user, access.CERT_READERS, unit_field="holder_unit"
    )


def restore_requests_for_user(user: Any) -> QuerySet[RestoreRequest]:
    qs = RestoreRequest.objects.select_related("unit")
    return access.scoped(qs, user, access.RESTORE_READERS, unit_field="unit")


def get_restore_request_for_user(user: Any, pk: Any) -> RestoreRequest:
    return access.get_visible(  # type: ignore[return-value]
        restore_requests_for_user(user), pk, user, access.RESTORE_READERS, unit_field="unit"
    )


def block_entries_for_user(user: Any) -> QuerySet[BlockEntry]:
    return access.scoped(BlockEntry.objects.all(), user, access.BLOCK_READERS, unit_field=None)


def get_block_entry_for_user(user: Any, pk: Any) -> BlockEntry:
    return access.get_visible(  # type: ignore[return-value]
        block_entries_for_user(user), pk, user, access.BLOCK_READERS, unit_field=None
    )


def current(device: Any) -> Any:
    """The open assignment of a device fetched by the querysets above (or None)."""
    rows = getattr(device, "open_assignments", None)
    if rows is None:
        return device.assignments.filter(returned_on__isnull=True).first()
    return rows[0] if rows else None


def check_report_reader(user: Any) -> None:
    """403 unless the user may read the informe semestral de copia de restauración."""
    if not has_role(user, access.RESTORE_REPORT_READERS):
        raise Forbidden("Su rol no permite consultar el informe de copia de restauración.")


def semester_restores(user: Any, start: dt.date, end: dt.date) -> QuerySet[RestoreRequest]:
    """The informe semestral: requests closed (restored, failed or returned) in the period."""
    check_report_reader(user)
    return (
        RestoreRequest.objects.select_related("unit")
        .exclude(outcome=RestoreOutcome.PENDIENTE)
        .filter(closed_on__gte=start, closed_on__lte=end)
        .order_by("closed_on", "id")
    )


# --- export rows (XLSX) -----------------------------------------------------------------------

PHONE_HEADERS = [
    "N° de serie",
    "Tipo",
    "Marca y modelo",
    "Código patrimonial",
    "Anexo",
    "Registrado en Call Manager",
    "N° de línea",
    "Estado",
    "Titular",
    "Unidad",
    "Fecha de asignación",
    "Acta de entrega",
    "Acta de asignación de bienes",
    *[f"Firma: {label}" for _, label in ACTA_SIGNERS],
    "Ticket",
]


def _date(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


def _signature(assignment: Any, key: str) -> str:
    name = getattr(assignment, f"firma_{key}_nombre")
    day = getattr(assignment, f"firma_{key}_fecha")
    return f"{name} ({day.isoformat()})" if name and day else ""


def phone_rows(qs: QuerySet[PhoneEquipment]) -> Iterator[list[Any]]:
    for phone in qs:
        a = current(phone)
        yield [
            phone.serial,
            phone.get_kind_display(),
            phone.brand_model,
            phone.patrimonial_code,
            phone.extension,
            "Sí" if phone.call_manager_registered else "No",
            phone.line_number,
            phone.get_status_display(),
            a.holder_name if a else "",
            a.unit.code if a else "",
            _date(a.assigned_on) if a else "",
            a.acta_entrega if a else "",
            a.acta_asignacion if a else "",
            *[(_signature(a, key) if a else "") for key, _ in ACTA_SIGNERS],
            a.ticket if a else "",
        ]


CERT_HEADERS = [
    "Serie o código",
    "Dispositivo",
    "Código patrimonial",
    "Estado",
    "Titular",
    "Unidad",
    "Fecha de asignación",
    "Declaración jurada",
    "Registro RENIEC",
    "Aprobación RENIEC",
    "Acta de entrega",
    "Ticket",
]


def cert_rows(qs: QuerySet[CertDevice]) -> Iterator[list[Any]]:
    for device in qs:
        a = current(device)
        yield [
            device.serial,
            device.get_kind_display(),
            device.patrimonial_code,
            device.get_status_display(),
            a.holder_name if a else "",
            a.unit.code if a else "",
            _date(a.assigned_on) if a else "",
            a.declaracion_jurada if a else "",
            _date(a.reniec_registered_on) if a else "",
            _date(a.reniec_approved_on) if a else "",
            a.acta_entrega if a else "",
            a.ticket if a else "",
        ]


RESTORE_HEADERS = [
    "N°",
    "Fecha de solicitud",
    "Información",
    "Sistema, base de datos o ubicación",
    "Periodo de la información",
    "Solicitante",
    "Unidad",
    "Ticket",
    "Resultado",
    "Acción",
    "Copia utilizada",
    "Atendido por",
    "Fecha de atención",
    "Detalle",
]


def restore_rows(qs: QuerySet[RestoreRequest]) -> Iterator[list[Any]]:
    for r in qs:
        yield [
            r.pk,
            _date(r.requested_on),
            r.get_information_kind_display(),
            r.system,
            r.period,
            r.requester_name,
            r.unit.code,
            r.ticket,
            r.get_outcome_display(),
            r.get_action_display() if r.action else "",
            r.backup_used,
            r.restored_by_name,
            _date(r.closed_on),
            r.result,
        ]


BLOCK_HEADERS = [
    "N°",
    "Tipo",
    "Valor bloqueado",
    "Caso",
    "Expediente",
    "Ticket",
    "Activo",
    "Registrado por",
    "Registrado",
    "Motivo de la desactivación",
]


def block_rows(qs: QuerySet[BlockEntry]) -> Iterator[list[Any]]:
    for e in qs:
        yield [
            e.pk,
            e.get_kind_display(),
            e.value,
            e.get_case_kind_display() if e.case_kind else "",
            e.instance_id or "",
            e.ticket,
            "Sí" if e.active else "No",
            e.created_by_name,
            timezone.localdate(e.created_at).isoformat(),
            e.deactivation_reason,
        ]
