"""Actions on the inventory of devices for the digital certificate (S04.03.04.01).

Assigning requires the declaración jurada and RENIEC's registration and approval; a device is
never assigned twice at once; only its holder returns it (when leaving MINDEF), and the
Jefe(a) de la OGTIE then gives the conformity to the return. Audit events go on the device.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from mapro.audit.actions import actor_name, record_event, snapshot
from mapro.core.exceptions import Conflict, InvalidInput
from mapro.organization.models import Person

from ..access import CERT_CONFORMITY, CERT_MANAGERS, check_manager
from ..choices import CertDeviceKind, DeviceStatus, LeavingReason
from ..models import CertAssignment, CertDevice
from .common import create_open_assignment, require, text, today

DEVICE_FIELDS = ("kind", "serial", "patrimonial_code", "status", "notes")


@transaction.atomic
def do_register_cert_device(
    *,
    kind: str,
    serial: str,
    patrimonial_code: str = "",
    notes: str = "",
    actor: Any,
    check: bool = True,
) -> CertDevice:
    """Add a tarjeta criptográfica or lector de tarjetas (``disponible``); serial unique."""
    check_manager(actor, CERT_MANAGERS, check=check)
    serial = text(serial, 100)
    require(
        {"kind": kind, "serial": serial},
        {"kind": "Indique el dispositivo.", "serial": "Indique la serie o código."},
    )
    if kind not in CertDeviceKind.values:
        raise InvalidInput(
            errors={"kind": ["Dispositivo no válido: «tarjeta-criptografica» o «lector-tarjetas»."]}
        )
    if CertDevice.objects.filter(serial=serial).exists():
        raise InvalidInput(errors={"serial": [f"Ya hay un dispositivo con la serie {serial}."]})
    device = CertDevice.objects.create(
        kind=kind, serial=serial, patrimonial_code=text(patrimonial_code, 100), notes=text(notes)
    )
    record_event(
        actor=actor,
        action="cert_device.register",
        obj=device,
        after=snapshot(device, DEVICE_FIELDS),
    )
    return device


def open_cert_assignment(device: CertDevice) -> CertAssignment | None:
    return device.assignments.filter(returned_on__isnull=True).select_related("holder").first()


@transaction.atomic
def do_assign_cert_device(
    device: CertDevice,
    *,
    holder: Person | None,
    declaracion_jurada: str,
    reniec_registered_on: dt.date | None,
    reniec_approved_on: dt.date | None,
    reniec_request: str = "",
    acta_entrega: str = "",
    assigned_on: dt.date | None = None,
    instance: Any = None,
    ticket: str = "",
    actor: Any,
    check: bool = True,
) -> CertAssignment:
    """Hand the device to its holder, with the acta de entrega.

    400 naming each missing requirement (holder, declaración jurada, RENIEC registration and
    approval); 409 while the device is assigned or out of use.
    """
    check_manager(actor, CERT_MANAGERS, check=check)
    declaracion_jurada = text(declaracion_jurada, 300)
    require(
        {
            "holder": holder,
            "declaracion_jurada": declaracion_jurada,
            "reniec_registered_on": reniec_registered_on,
            "reniec_approved_on": reniec_approved_on,
        },
        {
            "holder": "Indique el titular (persona registrada).",
            "declaracion_jurada": "Falta la declaración jurada de identificación del usuario.",
            "reniec_registered_on": "Falta la fecha de registro de la solicitud en RENIEC.",
            "reniec_approved_on": "Falta la fecha de aprobación de la solicitud por RENIEC.",
        },
    )
    assert holder is not None and reniec_registered_on and reniec_approved_on
    if reniec_approved_on < reniec_registered_on:
        raise InvalidInput(
            errors={"reniec_approved_on": ["La aprobación no puede ser anterior al registro."]}
        )
    day = assigned_on or today()
    device = CertDevice.objects.select_for_update().get(pk=device.pk)
    if device.status == DeviceStatus.BAJA:
        raise Conflict(f"El dispositivo {device.serial} está dado de baja.")
    current = open_cert_assignment(device)
    busy = f"El dispositivo {device.serial} ya está asignado"
    if current is not None:
        raise Conflict(
            f"{busy} a {current.holder_name} desde el {current.assigned_on:%d/%m/%Y}: "
            "registre primero su devolución."
        )
    assignment = create_open_assignment(
        lambda: CertAssignment.objects.create(
            device=device,
            holder=holder,
            holder_name=holder.full_name,
            unit=holder.unit,
            assigned_on=day,
            acta_entrega=text(acta_entrega, 300),
            declaracion_jurada=declaracion_jurada,
            reniec_registered_on=reniec_registered_on,
            reniec_approved_on=reniec_approved_on,
            reniec_request=text(reniec_request, 100),
            instance=instance,
            ticket=text(ticket, 50),
            created_by=actor,
        ),
        busy + ".",
    )
    device.status, device.holder_unit = DeviceStatus.ASIGNADO, holder.unit
    device.save(update_fields=["status", "holder_unit", "updated_at"])
    record_event(
        actor=actor,
        action="cert_device.assign",
        obj=device,
        after={
            "assignment": assignment.pk,
            **snapshot(
                assignment,
                (
                    "holder_name",
                    "unit",
                    "assigned_on",
                    "acta_entrega",
                    "reniec_registered_on",
                    "reniec_approved_on",
                    "ticket",
                ),
            ),
        },
    )
    return assignment


@transaction.atomic
def do_return_cert_device(
    device: CertDevice,
    *,
    holder: Person | None,
    leaving_reason: str,
    returned_on: dt.date | None = None,
    notes: str = "",
    return_instance: Any = None,
    actor: Any,
    check: bool = True,
) -> CertAssignment:
    """The holder, leaving MINDEF, gives the device back to OGTIE (it becomes available;
    the Jefe(a)'s conformity comes next). Refused (400 on ``holder``) for anyone but its
    holder, (409) when nobody holds it."""
    check_manager(actor, CERT_MANAGERS, check=check)
    require(
        {"holder": holder, "leaving_reason": leaving_reason},
        {
            "holder": "Indique quién devuelve el dispositivo.",
            "leaving_reason": "Indique el motivo de la desvinculación.",
        },
    )
    assert holder is not None
    if leaving_reason not in LeavingReason.values:
        raise InvalidInput(errors={"leaving_reason": ["Motivo de la desvinculación no válido."]})
    device = CertDevice.objects.select_for_update().get(pk=device.pk)
    current = open_cert_assignment(device)
    if current is None:
        raise Conflict(f"El dispositivo {device.serial} no está asignado a nadie.")
    if current.holder_id != holder.pk:
        raise InvalidInput(
            errors={
                "holder": [f"El dispositivo {device.serial} no está asignado a {holder.full_name}."]
            }
        )
    day = returned_on or today()
    if day < current.assigned_on:
        raise InvalidInput(
            errors={"returned_on": ["La devolución no puede ser anterior a la asignación."]}
        )
    current.returned_on, current.leaving_reason = day, leaving_reason
    current.return_reason = LeavingReason(leaving_reason).label
    current.return_notes, current.received_by_name = text(notes), actor_name(actor)
    current.return_instance = return_instance
    current.save()
    device.status, device.holder_unit = DeviceStatus.DISPONIBLE, None
    device.save(update_fields=["status", "holder_unit", "updated_at"])
    record_event(
        actor=actor,
        action="cert_device.return",
        obj=device,
        after={
            "assignment": current.pk,
            "holder_name": current.holder_name,
            "returned_on": day.isoformat(),
            "leaving_reason": leaving_reason,
        },
    )
    return current


@transaction.atomic
def do_give_return_conformity(
    device: CertDevice,
    *,
    conformity_on: dt.date | None = None,
    actor: Any,
    check: bool = True,
) -> CertAssignment:
    """The Jefe(a) de la OGTIE signs the formato de entrega: conformity to the device's last
    return. 409 when the device has no return waiting for it."""
    check_manager(actor, CERT_CONFORMITY, check=check)
    device = CertDevice.objects.select_for_update().get(pk=device.pk)
    last = device.assignments.order_by("-id").first()
    if last is None or last.returned_on is None or last.conformity_on is not None:
        raise Conflict(
            f"El dispositivo {device.serial} no tiene una devolución por dar conformidad."
        )
    day = conformity_on or today()
    if day < last.returned_on:
        raise InvalidInput(
            errors={"conformity_on": ["La conformidad no puede ser anterior a la devolución."]}
        )
    last.conformity_on, last.conformity_by, last.conformity_by_name = day, actor, actor_name(actor)
    last.save(update_fields=["conformity_on", "conformity_by", "conformity_by_name"])
    record_event(
        actor=actor,
        action="cert_device.conformity",
        obj=device,
        after={"assignment": last.pk, "conformity_on": day.isoformat()},
    )
    return last


@transaction.atomic
def do_retire_cert_device(
    device: CertDevice, *, reason: str, actor: Any, check: bool = True
) -> CertDevice:
    """Take a device out of use (``baja``: damaged, lost…), with the reason. 409 while someone
    holds it or when it is already out of use."""
    check_manager(actor, CERT_MANAGERS, check=check)
    reason = text(reason)
    require({"reason": reason}, {"reason": "Indique el motivo de la baja."})
    device = CertDevice.objects.select_for_update().get(pk=device.pk)
    if device.status == DeviceStatus.BAJA:
        raise Conflict(f"El dispositivo {device.serial} ya está dado de baja.")
    if open_cert_assignment(device) is not None:
        raise Conflict(
            f"El dispositivo {device.serial} está asignado: registre primero su devolución."
        )
    device.status = DeviceStatus.BAJA
    device.notes = (device.notes + "\n" if device.notes else "") + f"Baja: {reason}"
    device.save(update_fields=["status", "notes", "updated_at"])
    record_event(
        actor=actor,
        action="cert_device.retire",
        obj=device,
        before={"status": DeviceStatus.DISPONIBLE},
        after={"status": DeviceStatus.BAJA, "reason": reason},
    )
    return device
