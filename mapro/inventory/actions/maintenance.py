"""Actions on the maintenance records (S04.03.04.03 and S04.04.00.01, mantenimiento).

A maintenance is recorded once per equipment and visit (``do_record_maintenance``), then its
outcome is completed as the procedure goes on: the warranty decision (``do_record_warranty``),
the oficio de baja or the informe situacional (``do_link_maintenance_document``). Each action
locks the equipment row, refuses equipment dado de baja (or whose baja is in process) with a
field error on ``equipment`` and writes nothing, moves the inventory state in the same
transaction, and records its event **on the equipment**, so the equipment's history lists every
maintenance.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from mapro.audit.actions import actor_name, record_event
from mapro.core.exceptions import Conflict, InvalidInput

from ..access import check_manager
from ..choices import (
    EquipmentState,
    MaintenanceExecutor,
    MaintenanceKind,
    MaintenanceOutcome,
    WarrantyDecision,
)
from ..models import Equipment, Maintenance
from .common import parse_date, text, today
from .equipment import set_state


def retired_message(equipment: Equipment) -> str:
    return (
        f"El equipo {equipment.code} está «{equipment.get_state_display()}»: "
        "no se registran mantenimientos de un equipo dado de baja."
    )


def _maintenance_values(
    *,
    kind: Any,
    performed_on: Any,
    outcome: Any,
    executor: Any,
    contractor: Any,
    scheduled_on: Any,
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    kind = text(kind).lower()
    if kind not in MaintenanceKind.values:
        errors["kind"] = ["Indique si el mantenimiento es preventivo o correctivo."]
    values["kind"] = kind
    outcome = text(outcome) or MaintenanceOutcome.PENDIENTE
    if outcome not in MaintenanceOutcome.values:
        errors["outcome"] = ["Resultado no válido (pendiente, solucionado o no-solucionado)."]
    values["outcome"] = outcome
    executor = text(executor) or MaintenanceExecutor.OGTIE
    if executor not in MaintenanceExecutor.values:
        errors["executor"] = ["Ejecutor no válido (ogtie o contratista)."]
    values["executor"] = executor
    values["contractor"] = text(contractor, 200)
    if executor == MaintenanceExecutor.CONTRATISTA and not values["contractor"]:
        errors["contractor"] = ["Indique el contratista que ejecuta el mantenimiento."]
    for key, raw in (("performed_on", performed_on), ("scheduled_on", scheduled_on)):
        try:
            values[key] = parse_date(raw)
        except ValueError:
            errors[key] = ["Fecha no válida (AAAA-MM-DD)."]
    if "performed_on" not in errors:
        if values["performed_on"] is None and outcome != MaintenanceOutcome.PENDIENTE:
            errors["performed_on"] = ["Indique la fecha de ejecución."]
        elif values["performed_on"] is not None and values["performed_on"] > today():
            errors["performed_on"] = ["La fecha de ejecución no puede ser futura."]
    if values.get("performed_on") is None and values.get("scheduled_on") is None:
        errors.setdefault("scheduled_on", ["Indique la fecha programada o la de ejecución."])
    return values, errors


@transaction.atomic
def do_record_maintenance(
    equipment: Equipment,
    *,
    kind: str,
    performed_on: dt.date | str | None = None,
    outcome: str = MaintenanceOutcome.PENDIENTE,
    findings: str = "",
    action_taken: str = "",
    ticket: str = "",
    executor: str = MaintenanceExecutor.OGTIE,
    contractor: str = "",
    scheduled_on: dt.date | str | None = None,
    instance: Any = None,
    actor: Any,
    check: bool = True,
) -> Maintenance:
    """Record one intervention on ``equipment``: done (with its outcome and date), or
    coordinated for a visit (``pendiente``, with the planned date).

    Equipment dado de baja (or with its baja in process): 400 on ``equipment``, nothing saved.
    The outcome moves the inventory state: solved → ``operativo``, not solved →
    ``inoperativo`` (until the warranty decision), pending → ``en-mantenimiento``.
    """
    equipment = Equipment.objects.select_for_update().get(pk=equipment.pk)
    check_manager(actor, equipment.kind, check=check)
    if equipment.is_retired:
        raise InvalidInput(errors={"equipment": [retired_message(equipment)]})
    values, errors = _maintenance_values(
        kind=kind,
        performed_on=performed_on,
        outcome=outcome,
        executor=executor,
        contractor=contractor,
        scheduled_on=scheduled_on,
    )
    if errors:
        raise InvalidInput(errors=errors)
    state_after = {
        MaintenanceOutcome.SOLUCIONADO: EquipmentState.OPERATIVO,
        MaintenanceOutcome.NO_SOLUCIONADO: EquipmentState.INOPERATIVO,
        MaintenanceOutcome.PENDIENTE: EquipmentState.MANTENIMIENTO,
    }[values["outcome"]]
    maintenance = Maintenance.objects.create(
        equipment=equipment,
        findings=text(findings, 4000),
        action_taken=text(action_taken, 4000),
        ticket=text(ticket, 50),
        technician=actor if getattr(actor, "pk", None) else None,
        technician_name=actor_name(actor)[:200],
        state_after=state_after,
        instance=instance,
        created_by=actor if getattr(actor, "pk", None) else None,
        **values,
    )
    record_event(
        actor=actor,
        action="maintenance.record",
        obj=equipment,
        after={
            "maintenance": maintenance.pk,
            "kind": maintenance.kind,
            "performed_on": maintenance.performed_on.isoformat()
            if maintenance.performed_on
            else None,
            "scheduled_on": maintenance.scheduled_on.isoformat()
            if maintenance.scheduled_on
            else None,
            "outcome": maintenance.outcome,
            "ticket": maintenance.ticket,
            "executor": maintenance.executor,
        },
    )
    if state_after != equipment.state:
        set_state(equipment, state_after, actor=actor, reason=f"Mantenimiento N° {maintenance.pk}")
    return maintenance


def _locked(maintenance: Maintenance) -> tuple[Maintenance, Equipment]:
    current = Maintenance.objects.select_for_update().get(pk=maintenance.pk)
    equipment = Equipment.objects.select_for_update().get(pk=current.equipment_id)
    current.equipment = equipment
    return current, equipment


@transaction.atomic
def do_record_maintenance_outcome(
    maintenance: Maintenance,
    *,
    outcome: str,
    performed_on: dt.date | str | None,
    findings: str = "",
    action_taken: str = "",
    ticket: str = "",
    actor: Any,
    check: bool = True,
) -> Maintenance:
    """Answer «¿Se dio solución?» for a coordinated (pending) maintenance, with the date it was
    executed (409 once answered). Solved → ``operativo``; not solved → ``inoperativo``."""
    current, equipment = _locked(maintenance)
    check_manager(actor, equipment.kind, check=check)
    errors: dict[str, list[str]] = {}
    if outcome not in (MaintenanceOutcome.SOLUCIONADO, MaintenanceOutcome.NO_SOLUCIONADO):
        errors["outcome"] = ["Indique si se dio solución."]
    try:
        day = parse_date(performed_on)
    except ValueError:
        day = None
        errors["performed_on"] = ["Fecha no válida (AAAA-MM-DD)."]
    if day is None:
        errors.setdefault("performed_on", ["Indique la fecha de ejecución."])
    elif day > today():
        errors["performed_on"] = ["La fecha de ejecución no puede ser futura."]
    if errors:
        raise InvalidInput(errors=errors)
    if current.outcome != MaintenanceOutcome.PENDIENTE:
        raise Conflict("El resultado de este mantenimiento ya está registrado.")
    if equipment.is_retired:
        raise InvalidInput(errors={"equipment": [retired_message(equipment)]})
    current.outcome = outcome
    current.performed_on = day
    current.findings = text(findings, 4000) or current.findings
    current.action_taken = text(action_taken, 4000) or current.action_taken
    current.ticket = text(ticket, 50) or current.ticket
    if getattr(actor, "pk", None):
        current.technician = actor
        current.technician_name = actor_name(actor)[:200]
    current.state_after = (
        EquipmentState.OPERATIVO
        if outcome == MaintenanceOutcome.SOLUCIONADO
        else EquipmentState.INOPERATIVO
    )
    current.save()
    record_event(
        actor=actor,
        action="maintenance.outcome",
        obj=equipment,
        after={
            "maintenance": current.pk,
            "outcome": outcome,
            "performed_on": day.isoformat() if day else None,
            "ticket": current.ticket,
        },
    )
    set_state(equipment, current.state_after, actor=actor, reason=f"Mantenimiento N° {current.pk}")
    return current


@transaction.atomic
def do_record_warranty(
    maintenance: Maintenance,
    *,
    warranty: str,
    checked_with: str = "",
    actor: Any,
    check: bool = True,
) -> Maintenance:
    """Record «¿Equipo tiene garantía?» for an unsolved maintenance (S04.03.04.03, act. 8).

    Only for a maintenance that did not solve the problem (409 otherwise). With warranty the
    equipment goes to ``en-garantia``; without it stays ``inoperativo`` until the oficio de baja.
    """
    current, equipment = _locked(maintenance)
    check_manager(actor, equipment.kind, check=check)
    if warranty not in WarrantyDecision.values:
        raise InvalidInput(errors={"warranty": ["Indique si el equipo tiene garantía."]})
    if current.outcome != MaintenanceOutcome.NO_SOLUCIONADO:
        raise Conflict("La garantía se revisa solo cuando el mantenimiento no dio solución.")
    current.warranty = warranty
    current.warranty_checked_with = text(checked_with, 200)
    if warranty == WarrantyDecision.CON_GARANTIA:
        current.state_after = EquipmentState.GARANTIA
    current.save()
    record_event(
        actor=actor,
        action="maintenance.warranty",
        obj=equipment,
        after={
            "maintenance": current.pk,
            "warranty": warranty,
            "checked_with": current.warranty_checked_with,
        },
    )
    if warranty == WarrantyDecision.CON_GARANTIA:
        set_state(equipment, EquipmentState.GARANTIA, actor=actor, reason="Cambio por garantía")
    return current


@transaction.atomic
def do_link_maintenance_document(
    maintenance: Maintenance,
    *,
    document_id: int | None,
    number: str,
    role: str,
    reason: str = "",
    actor: Any,
    check: bool = True,
) -> Maintenance:
    """Link the oficio de baja (``role="oficio"``, act. 9/11) or the informe situacional
    (``role="informe"``, act. 12/13) — a document of ``mapro.documents``, by id — to the
    maintenance. The numbered oficio puts the equipment in ``baja-en-tramite`` (the área usuaria
    manages the baja; the inventory update of act. 15 records it as ``dado-de-baja``). Requires
    the matching warranty decision (409)."""
    current, equipment = _locked(maintenance)
    check_manager(actor, equipment.kind, check=check)
    wanted = {"oficio": WarrantyDecision.SIN_GARANTIA, "informe": WarrantyDecision.CON_GARANTIA}
    if role not in wanted:
        raise ValueError(role)
    if current.warranty != wanted[role]:
        raise Conflict(
            "El oficio de baja es para un equipo sin garantía; el informe situacional, "
            "para uno con garantía."
        )
    if reason:
        current.baja_reason = text(reason, 4000)
    setattr(current, f"{role}_id", document_id)
    if role == "oficio" and number:
        current.state_after = EquipmentState.BAJA_EN_TRAMITE
    current.save()
    record_event(
        actor=actor,
        action=f"maintenance.{role}",
        obj=equipment,
        after={"maintenance": current.pk, "document": number, "reason": current.baja_reason},
    )
    if role == "oficio" and number:
        set_state(equipment, EquipmentState.BAJA_EN_TRAMITE, actor=actor, reason=number)
    return current
