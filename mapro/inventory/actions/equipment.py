"""Actions on the equipment inventory: register, update, change the state.

Each runs in one transaction, checks that the actor manages that kind of equipment
(``check=False`` only for procedure steps, whose role the engine checked), validates every field
at once (``InvalidInput`` naming each bad field, nothing written) and records an audit event on
the equipment, so ``history_of(equipment)`` is the whole life of the item. ``clean_equipment``
is the one validator: the API, the forms and the XLSX/CSV import (row by row) all use it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from mapro.audit.actions import record_event, snapshot
from mapro.core.exceptions import Conflict, InvalidInput

from ..access import check_manager
from ..choices import Criticality, EquipmentKind, EquipmentState
from ..models import Equipment
from .common import parse_date, parse_ip, resolve_person, resolve_unit, text, today

#: Editable fields, in the order of the forms, the import columns and the export.
EQUIPMENT_FIELDS = (
    "code",
    "kind",
    "name",
    "brand",
    "model_name",
    "serial",
    "patrimonial_code",
    "ip_address",
    "criticality",
    "unit",
    "location",
    "holder",
    "responsible",
    "backup_responsible",
    "acquired_on",
    "warranty_end",
    "warranty_provider",
    "notes",
)
TEXT_LIMITS = {
    "code": 40,
    "name": 200,
    "brand": 100,
    "model_name": 100,
    "serial": 100,
    "patrimonial_code": 100,
    "location": 200,
    "warranty_provider": 200,
    "notes": 4000,
}
AUDIT_FIELDS = (*EQUIPMENT_FIELDS, "state", "retired_on")
UNIQUE_FIELDS = {
    "code": "código de inventario",
    "serial": "N° de serie",
    "patrimonial_code": "código patrimonial",
}


def clean_equipment(
    data: dict[str, Any], *, current: Equipment | None = None
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Validate ``data`` (only the keys given when ``current`` is set: a partial update).

    Returns (values ready for the model, field errors). Never raises for bad input, so the
    import can gather every row's errors before deciding.
    """
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    keys = [k for k in EQUIPMENT_FIELDS if current is None or k in data]
    for key in keys:
        raw = data.get(key)
        try:
            if key in TEXT_LIMITS:
                value = text(raw)
                if len(value) > TEXT_LIMITS[key]:
                    errors[key] = [f"Máximo {TEXT_LIMITS[key]} caracteres."]
                    continue
                values[key] = value
            elif key == "kind":
                value = text(raw).lower()
                if value not in EquipmentKind.values:
                    errors[key] = [
                        "Tipo no válido; use uno de: " + ", ".join(EquipmentKind.values) + "."
                    ]
                    continue
                values[key] = value
            elif key == "criticality":
                value = text(raw).lower()
                if value and value not in Criticality.values:
                    errors[key] = ["Criticidad no válida; use alta, media o baja."]
                    continue
                values[key] = value
            elif key == "ip_address":
                values[key] = parse_ip(raw)
            elif key == "unit":
                values[key] = resolve_unit(raw)
            elif key in ("holder", "responsible", "backup_responsible"):
                values[key] = resolve_person(raw)
            elif key in ("acquired_on", "warranty_end"):
                values[key] = parse_date(raw)
        except LookupError:
            errors[key] = [
                "No existe esa unidad (sigla)." if key == "unit" else "No existe esa persona (DNI)."
            ]
        except ValueError:
            errors[key] = {
                "ip_address": ["Dirección IP no válida."],
            }.get(key, ["Fecha no válida (AAAA-MM-DD o dd/mm/aaaa)."])
    merged = {**({k: getattr(current, k) for k in EQUIPMENT_FIELDS} if current else {}), **values}
    for key, message in (
        ("code", "Indique el código de inventario."),
        ("name", "Indique el nombre o hostname del equipo."),
    ):
        if key not in errors and not merged.get(key):
            errors[key] = [message]
    kind = merged.get("kind")
    if "kind" not in errors and not kind:
        errors["kind"] = ["Indique el tipo de equipo."]
    if (
        kind == EquipmentKind.SERVIDOR
        and "criticality" not in errors
        and not merged.get("criticality")
    ):
        errors["criticality"] = ["Indique la criticidad del servidor (alta, media o baja)."]
    if (
        kind in (EquipmentKind.COMPUTADORA, EquipmentKind.LAPTOP, EquipmentKind.IMPRESORA)
        and "unit" not in errors
        and merged.get("unit") is None
    ):
        errors["unit"] = ["Indique la unidad de organización donde está el equipo."]
    if (
        merged.get("acquired_on")
        and merged.get("warranty_end")
        and merged["warranty_end"] < merged["acquired_on"]
        and "warranty_end" not in errors
    ):
        errors["warranty_end"] = ["El fin de la garantía no puede ser anterior a la adquisición."]
    if merged.get("responsible") is not None and merged.get("responsible") == merged.get(
        "backup_responsible"
    ):
        errors["backup_responsible"] = ["El responsable secundario debe ser otra persona."]
    for key, label in UNIQUE_FIELDS.items():
        unique_value = merged.get(key)
        if not unique_value or key in errors:
            continue
        lookup = f"{key}__iexact" if key == "code" else key
        clash = Equipment.objects.filter(**{lookup: unique_value})
        if current is not None:
            clash = clash.exclude(pk=current.pk)
        if clash.exists():
            errors[key] = [f"Ya hay un equipo con ese {label}."]
    return values, errors


@transaction.atomic
def do_register_equipment(*, actor: Any, check: bool = True, **data: Any) -> Equipment:
    """Add one equipment to the inventory (state ``operativo``). 400 with every bad field."""
    kind = text(data.get("kind")).lower()
    if kind in EquipmentKind.values:
        check_manager(actor, kind, check=check)
    values, errors = clean_equipment(data)
    if errors:
        raise InvalidInput(errors=errors)
    equipment = Equipment.objects.create(**values)
    record_event(
        actor=actor,
        action="equipment.register",
        obj=equipment,
        after=snapshot(equipment, AUDIT_FIELDS),
    )
    return equipment


@transaction.atomic
def do_update_equipment(
    equipment: Equipment, *, actor: Any, check: bool = True, **changes: Any
) -> Equipment:
    """Change the fields given (not the state: ``do_change_equipment_state``). The actor must
    manage the equipment's kind, and the new kind when it changes."""
    equipment = Equipment.objects.select_for_update().get(pk=equipment.pk)
    check_manager(actor, equipment.kind, check=check)
    new_kind = text(changes.get("kind")).lower()
    if "kind" in changes and new_kind in EquipmentKind.values and new_kind != equipment.kind:
        check_manager(actor, new_kind, check=check)
    if equipment.state == EquipmentState.BAJA:
        raise Conflict(f"El equipo {equipment.code} está dado de baja: no se modifica.")
    values, errors = clean_equipment(changes, current=equipment)
    if errors:
        raise InvalidInput(errors=errors)
    before = snapshot(equipment, values.keys())
    for key, value in values.items():
        setattr(equipment, key, value)
    after = snapshot(equipment, values.keys())
    changed = [k for k in values if before[k] != after[k]]
    if not changed:
        return equipment
    equipment.save()
    record_event(
        actor=actor,
        action="equipment.update",
        obj=equipment,
        before={k: before[k] for k in changed},
        after={k: after[k] for k in changed},
    )
    return equipment


#: Which state may follow which (a baja is final).
STATE_TRANSITIONS: dict[str, tuple[str, ...]] = {
    EquipmentState.OPERATIVO: (
        EquipmentState.MANTENIMIENTO,
        EquipmentState.INOPERATIVO,
        EquipmentState.BAJA_EN_TRAMITE,
        EquipmentState.BAJA,
    ),
    EquipmentState.MANTENIMIENTO: (
        EquipmentState.OPERATIVO,
        EquipmentState.INOPERATIVO,
        EquipmentState.GARANTIA,
        EquipmentState.BAJA_EN_TRAMITE,
    ),
    EquipmentState.INOPERATIVO: (
        EquipmentState.OPERATIVO,
        EquipmentState.MANTENIMIENTO,
        EquipmentState.GARANTIA,
        EquipmentState.BAJA_EN_TRAMITE,
        EquipmentState.BAJA,
    ),
    EquipmentState.GARANTIA: (
        EquipmentState.OPERATIVO,
        EquipmentState.INOPERATIVO,
        EquipmentState.MANTENIMIENTO,
    ),
    EquipmentState.BAJA_EN_TRAMITE: (EquipmentState.BAJA, EquipmentState.INOPERATIVO),
    EquipmentState.BAJA: (),
}


def set_state(equipment: Equipment, state: str, *, actor: Any, reason: str = "") -> None:
    """Move ``equipment`` (locked by the caller's transaction) to ``state`` and audit it; 409
    when the transition is not allowed. Used by the actions of this app only."""
    if state == equipment.state:
        return
    if state not in STATE_TRANSITIONS.get(equipment.state, ()):
        raise Conflict(
            f"El equipo {equipment.code} está «{equipment.get_state_display()}»: no puede pasar a "
            f"«{EquipmentState(state).label}»."
        )
    before = {"state": equipment.state}
    equipment.state = state
    equipment.retired_on = today() if state == EquipmentState.BAJA else None
    equipment.save(update_fields=["state", "retired_on", "updated_at"])
    record_event(
        actor=actor,
        action="equipment.state",
        obj=equipment,
        before=before,
        after={"state": state, "reason": reason},
    )


@transaction.atomic
def do_change_equipment_state(
    equipment: Equipment, *, state: str, reason: str = "", actor: Any, check: bool = True
) -> Equipment:
    """Change the inventory state (Formato N° 02). A baja is final; a reason is required."""
    equipment = Equipment.objects.select_for_update().get(pk=equipment.pk)
    check_manager(actor, equipment.kind, check=check)
    state = text(state)
    reason = text(reason, 500)
    errors: dict[str, list[str]] = {}
    if state not in EquipmentState.values:
        errors["state"] = ["Estado no válido."]
    if not reason:
        errors["reason"] = ["Indique el motivo del cambio de estado."]
    if errors:
        raise InvalidInput(errors=errors)
    set_state(equipment, state, actor=actor, reason=reason)
    return equipment
