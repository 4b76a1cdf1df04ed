"""Actions on the inventory of telephone equipment (S04.03.03.02).

Every action runs in one transaction, checks the role (``check=False`` only for procedure
steps, whose role the engine checked), validates, writes and records an audit event on the
phone (so the phone's history shows its registration, configuration, assignments, signatures
and returns).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from mapro.audit.actions import actor_name, record_event, snapshot
from mapro.core.exceptions import Conflict, InvalidInput
from mapro.organization.models import Person, Unit

from ..access import PHONE_MANAGERS, check_manager
from ..choices import ACTA_SIGNERS, DeviceStatus, PhoneKind
from ..models import PhoneAssignment, PhoneEquipment
from .common import (
    create_open_assignment,
    require,
    same_name,
    text,
    today,
)

PHONE_FIELDS = (
    "kind",
    "brand_model",
    "serial",
    "patrimonial_code",
    "extension",
    "call_manager_registered",
    "line_number",
    "status",
    "notes",
)
ASSIGNMENT_FIELDS = (
    "holder_name",
    "unit",
    "assigned_on",
    "acta_entrega",
    "ticket",
)


def _check_config(kind: str, extension: str, call_manager: bool, line: str) -> None:
    errors: dict[str, list[str]] = {}
    if kind == PhoneKind.MOVIL and (extension or call_manager):
        errors["extension"] = ["El anexo y el registro en Call Manager son de equipos IP."]
    if kind == PhoneKind.IP and line:
        errors["line_number"] = ["El N° de línea es de equipos móviles."]
    if errors:
        raise InvalidInput(errors=errors)


@transaction.atomic
def do_register_phone(
    *,
    kind: str,
    serial: str,
    brand_model: str = "",
    patrimonial_code: str = "",
    extension: str = "",
    call_manager_registered: bool = False,
    line_number: str = "",
    notes: str = "",
    actor: Any,
    check: bool = True,
) -> PhoneEquipment:
    """Add a phone to the inventory (``disponible``). The serial is unique."""
    check_manager(actor, PHONE_MANAGERS, check=check)
    serial = text(serial, 100)
    require(
        {"kind": kind, "serial": serial},
        {"kind": "Indique el tipo de equipo.", "serial": "Indique el N° de serie."},
    )
    if kind not in PhoneKind.values:
        raise InvalidInput(errors={"kind": ["Tipo no válido: «ip» o «movil»."]})
    extension, line_number = text(extension, 20), text(line_number, 20)
    _check_config(kind, extension, call_manager_registered, line_number)
    if PhoneEquipment.objects.filter(serial=serial).exists():
        raise InvalidInput(errors={"serial": [f"Ya hay un equipo con la serie {serial}."]})
    phone = PhoneEquipment.objects.create(
        kind=kind,
        serial=serial,
        brand_model=text(brand_model, 200),
        patrimonial_code=text(patrimonial_code, 100),
        extension=extension,
        call_manager_registered=bool(call_manager_registered),
        line_number=line_number,
        notes=text(notes),
    )
    record_event(
        actor=actor, action="phone.register", obj=phone, after=snapshot(phone, PHONE_FIELDS)
    )
    return phone


@transaction.atomic
def do_configure_phone(
    phone: PhoneEquipment,
    *,
    actor: Any,
    check: bool = True,
    **changes: Any,
) -> PhoneEquipment:
    """Record the phone's configuration (anexo and Call Manager for IP, line for mobiles,
    brand/model, patrimonial code); only the given fields change."""
    check_manager(actor, PHONE_MANAGERS, check=check)
    allowed = {
        "brand_model",
        "patrimonial_code",
        "extension",
        "call_manager_registered",
        "line_number",
        "notes",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(errors={name: ["Campo no modificable."] for name in sorted(unknown)})
    phone = PhoneEquipment.objects.select_for_update().get(pk=phone.pk)
    before = snapshot(phone, PHONE_FIELDS)
    for name, value in changes.items():
        if name == "call_manager_registered":
            phone.call_manager_registered = bool(value)
        else:
            field = PhoneEquipment._meta.get_field(name)
            setattr(phone, name, text(value, getattr(field, "max_length", None)))
    _check_config(phone.kind, phone.extension, phone.call_manager_registered, phone.line_number)
    phone.save()
    after = snapshot(phone, PHONE_FIELDS)
    changed = {k: v for k, v in after.items() if before[k] != v}
    if changed:
        record_event(
            actor=actor,
            action="phone.configure",
            obj=phone,
            before={k: before[k] for k in changed},
            after=changed,
        )
    return phone


def open_assignment(phone: PhoneEquipment) -> PhoneAssignment | None:
    return phone.assignments.filter(returned_on__isnull=True).select_related("unit").first()


@transaction.atomic
def do_assign_phone(
    phone: PhoneEquipment,
    *,
    holder: Person | None = None,
    holder_name: str = "",
    unit: Unit | None = None,
    assigned_on: dt.date | None = None,
    acta_entrega: str = "",
    instance: Any = None,
    ticket: str = "",
    actor: Any,
    check: bool = True,
) -> PhoneAssignment:
    """Hand a phone to a person (Acta de entrega de equipos telefónicos – OGTIE).

    Refused with 409 while the phone is assigned (its row is locked first; the partial unique
    index is the backstop against a concurrent assignment) or out of use.
    """
    check_manager(actor, PHONE_MANAGERS, check=check)
    name = text(holder_name, 200) or (holder.full_name if holder is not None else "")
    unit = unit or (holder.unit if holder is not None else None)
    require(
        {"holder_name": name, "unit": unit},
        {
            "holder_name": "Indique a quién se asigna el equipo.",
            "unit": "Indique la unidad de organización del usuario.",
        },
    )
    assert unit is not None
    phone = PhoneEquipment.objects.select_for_update().get(pk=phone.pk)
    if phone.status == DeviceStatus.BAJA:
        raise Conflict(f"El equipo {phone.serial} está dado de baja.")
    current = open_assignment(phone)
    busy = f"El equipo {phone.serial} ya está asignado"
    if current is not None:
        raise Conflict(
            f"{busy} a {current.holder_name} desde el {current.assigned_on:%d/%m/%Y}: "
            "registre primero su devolución."
        )
    assignment = create_open_assignment(
        lambda: PhoneAssignment.objects.create(
            equipment=phone,
            holder=holder,
            holder_name=name,
            unit=unit,
            assigned_on=assigned_on or today(),
            acta_entrega=text(acta_entrega, 300),
            instance=instance,
            ticket=text(ticket, 50),
            created_by=actor,
        ),
        busy + ".",
    )
    phone.status, phone.holder_unit = DeviceStatus.ASIGNADO, unit
    phone.save(update_fields=["status", "holder_unit", "updated_at"])
    record_event(
        actor=actor,
        action="phone.assign",
        obj=phone,
        after={"assignment": assignment.pk, **snapshot(assignment, ASSIGNMENT_FIELDS)},
    )
    return assignment


def holds(assignment: Any, holder: Person | None, holder_name: str) -> bool:
    """Whether the person named (by registered person or by name) holds ``assignment``."""
    if holder is not None and assignment.holder_id is not None:
        return bool(assignment.holder_id == holder.pk)
    name = holder_name or (holder.full_name if holder is not None else "")
    return bool(name) and same_name(name, assignment.holder_name)


@transaction.atomic
def do_return_phone(
    phone: PhoneEquipment,
    *,
    holder: Person | None = None,
    holder_name: str = "",
    returned_on: dt.date | None = None,
    reason: str = "",
    notes: str = "",
    actor: Any,
    check: bool = True,
) -> PhoneAssignment:
    """The holder gives the phone back: the open assignment is closed, the phone available.

    Refused (400 on ``holder``) when the person returning it is not its holder, and (409) when
    nobody holds it.
    """
    check_manager(actor, PHONE_MANAGERS, check=check)
    holder_name = text(holder_name, 200)
    require(
        {"holder": holder or holder_name, "reason": text(reason)},
        {
            "holder": "Indique quién devuelve el equipo.",
            "reason": "Indique el motivo de la devolución.",
        },
    )
    phone = PhoneEquipment.objects.select_for_update().get(pk=phone.pk)
    current = open_assignment(phone)
    if current is None:
        raise Conflict(f"El equipo {phone.serial} no está asignado a nadie.")
    if not holds(current, holder, holder_name):
        who = holder.full_name if holder is not None else holder_name
        raise InvalidInput(
            errors={"holder": [f"El equipo {phone.serial} no está asignado a {who}."]}
        )
    day = returned_on or today()
    if day < current.assigned_on:
        raise InvalidInput(
            errors={"returned_on": ["La devolución no puede ser anterior a la asignación."]}
        )
    current.returned_on, current.return_reason = day, text(reason, 300)
    current.return_notes, current.received_by_name = text(notes), actor_name(actor)
    current.save()
    phone.status, phone.holder_unit = DeviceStatus.DISPONIBLE, None
    phone.save(update_fields=["status", "holder_unit", "updated_at"])
    record_event(
        actor=actor,
        action="phone.return",
        obj=phone,
        after={
            "assignment": current.pk,
            "holder_name": current.holder_name,
            "returned_on": day.isoformat(),
            "return_reason": current.return_reason,
        },
    )
    return current


@transaction.atomic
def do_record_acta_asignacion(
    phone: PhoneEquipment,
    *,
    acta_asignacion: str = "",
    signatures: dict[str, dict[str, Any]],
    delivered_on: dt.date | None = None,
    received_by: str = "",
    actor: Any,
    check: bool = True,
) -> PhoneAssignment:
    """Record the Acta de asignación de bienes of the phone's open assignment and its
    signatures: ``signatures`` maps a signer of ``ACTA_SIGNERS`` (usuario, director_uo,
    coord_infraestructura, director_digep) to ``{"name", "date"}``; each given signer needs
    both. Signatures already recorded are kept unless given again.
    """
    check_manager(actor, PHONE_MANAGERS, check=check)
    phone = PhoneEquipment.objects.select_for_update().get(pk=phone.pk)
    current = open_assignment(phone)
    if current is None:
        raise Conflict(f"El equipo {phone.serial} no está asignado a nadie.")
    keys = {key for key, _ in ACTA_SIGNERS}
    errors: dict[str, list[str]] = {}
    for key in signatures:
        if key not in keys:
            errors[f"signatures.{key}"] = [f"Firmante desconocido (válidos: {sorted(keys)})."]
    if not signatures and not text(acta_asignacion):
        errors["signatures"] = ["Indique al menos una firma o el acta de asignación."]
    for key, label in ACTA_SIGNERS:
        if key not in signatures:
            continue
        sig = signatures[key] or {}
        name, day = text(sig.get("name"), 200), sig.get("date")
        if not name:
            errors[f"signatures.{key}.name"] = [f"Indique el nombre de quien firma: {label}."]
        if not day:
            errors[f"signatures.{key}.date"] = [f"Indique la fecha de la firma: {label}."]
    if errors:
        raise InvalidInput(errors=errors)
    fields = ["acta_asignacion", "delivered_on", "received_by"] + [
        f"firma_{key}_{part}" for key, _ in ACTA_SIGNERS for part in ("nombre", "fecha")
    ]
    before = snapshot(current, fields)
    if text(acta_asignacion):
        current.acta_asignacion = text(acta_asignacion, 300)
    if delivered_on is not None:
        current.delivered_on = delivered_on
    if text(received_by):
        current.received_by = text(received_by, 200)
    for key, sig in signatures.items():
        setattr(current, f"firma_{key}_nombre", text(sig.get("name"), 200))
        setattr(current, f"firma_{key}_fecha", sig.get("date"))
    current.save()
    after = snapshot(current, fields)
    record_event(
        actor=actor,
        action="phone.sign_acta",
        obj=phone,
        before={k: v for k, v in before.items() if after[k] != v},
        after={"assignment": current.pk, **{k: v for k, v in after.items() if before[k] != v}},
    )
    return current


@transaction.atomic
def do_retire_phone(
    phone: PhoneEquipment, *, reason: str, actor: Any, check: bool = True
) -> PhoneEquipment:
    """Take a phone out of use (``baja``), with the reason. 409 while someone holds it (its
    return comes first) or when it is already out of use."""
    check_manager(actor, PHONE_MANAGERS, check=check)
    reason = text(reason)
    require({"reason": reason}, {"reason": "Indique el motivo de la baja."})
    phone = PhoneEquipment.objects.select_for_update().get(pk=phone.pk)
    if phone.status == DeviceStatus.BAJA:
        raise Conflict(f"El equipo {phone.serial} ya está dado de baja.")
    if open_assignment(phone) is not None:
        raise Conflict(f"El equipo {phone.serial} está asignado: registre primero su devolución.")
    phone.status = DeviceStatus.BAJA
    phone.notes = (phone.notes + "\n" if phone.notes else "") + f"Baja: {reason}"
    phone.save(update_fields=["status", "notes", "updated_at"])
    record_event(
        actor=actor,
        action="phone.retire",
        obj=phone,
        before={"status": DeviceStatus.DISPONIBLE},
        after={"status": DeviceStatus.BAJA, "reason": reason},
    )
    return phone
