"""S04.03.04.03 Mantenimiento preventivo y/o correctivo de equipos de cómputo e impresoras.

- act. 1 ``{register: Cronograma de mantenimiento …}``: checks every row of the cronograma (date
  inside the plan's year, equipment in the inventory, a computer or printer, not dado de baja)
  and writes and signs the annual cronograma (``cronogramas.write_maintenance_cronograma``).
- act. 4 ``{register: Registro de mantenimientos …}``: one pending maintenance per equipment of
  the visit (equipment dado de baja or of another unit: field error naming the row).
- act. 6: the result of each equipment (¿se dio solución?), with the visit's ticket; the
  decision must agree with the rows (``si`` only when all were solved); the planned date of
  each equipment in the cronograma is marked executed (planned against executed).
- act. 8: the warranty decision for the unsolved equipment it names.
- act. 9 / 11: the oficio de baja (draft, then numbered: the equipment goes to baja en trámite).
- act. 13: the numbered informe situacional.
- act. 14: the year's figures for the informe técnico (Formato N° 01), in the outcome.
- act. 15 ``{register: Inventario de equipos de cómputo e impresoras}`` (Formato N° 02): the
  state changes, each row checked (transition allowed), all or nothing.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from mapro.core.exceptions import Conflict, InvalidInput
from mapro.procedures.effects import EffectCall, Outcome

from ..actions import (
    do_change_equipment_state,
    do_link_maintenance_document,
    do_record_maintenance,
    do_record_maintenance_outcome,
    do_record_warranty,
)
from ..actions.common import text
from ..actions.maintenance import retired_message
from ..choices import COMPUTING_KINDS, MaintenanceOutcome, WarrantyDecision
from ..models import Maintenance
from .common import equipment_rows, step_document, ticket_number
from .cronogramas import record_planned_execution, write_maintenance_cronograma


def handle_plan(call: EffectCall) -> Outcome:
    """Act. 1: the cronograma of the plan, checked row by row, then written and signed."""
    return write_maintenance_cronograma(call)


def _visit(call: EffectCall) -> Outcome:
    data = call.data
    unit_code = text(data.get("unidad"))
    errors: list[str] = []
    rows = equipment_rows(data.get("equipos"), "equipos")
    for i, equipment, _ in rows:
        if equipment.kind not in COMPUTING_KINDS:
            errors.append(
                f"Fila {i}: {equipment.code} es un(a) {equipment.get_kind_display()}, no un "
                "equipo de cómputo o impresora."
            )
        elif equipment.is_retired:
            errors.append(f"Fila {i}: {retired_message(equipment)}")
        elif equipment.unit is not None and equipment.unit.code != unit_code:
            errors.append(
                f"Fila {i}: el equipo {equipment.code} está en {equipment.unit.code}, "
                f"no en {unit_code}."
            )
    if len({e.pk for _, e, _ in rows}) != len(rows):
        errors.append("Un equipo figura dos veces en la visita.")
    if errors:
        raise InvalidInput(errors={"equipos": errors})
    for _, equipment, _ in rows:
        do_record_maintenance(
            equipment,
            kind=text(data.get("tipo")),
            scheduled_on=data.get("fecha_visita"),
            instance=call.instance,
            actor=call.actor,
            check=False,
        )
    return Outcome.applied(equipment=[e.code for _, e, _ in rows])


def _pending(call: EffectCall) -> dict[str, Maintenance]:
    return {
        m.equipment.code.upper(): m
        for m in Maintenance.objects.filter(
            instance=call.instance, outcome=MaintenanceOutcome.PENDIENTE
        ).select_related("equipment")
    }


def _execution(call: EffectCall) -> Outcome:
    data = call.data
    pending = _pending(call)
    errors: list[str] = []
    answered: list[tuple[Maintenance, dict[str, Any]]] = []
    for i, row in enumerate(data.get("resultados") or [], start=1):
        code = text(row.get("codigo")).upper()
        maintenance = pending.pop(code, None)
        if maintenance is None:
            errors.append(
                f"Fila {i}: el equipo «{code}» no está pendiente en esta visita (actividad 4)."
            )
            continue
        answered.append((maintenance, row))
    if pending:
        errors.append("Falta el resultado de: " + ", ".join(sorted(pending)) + ".")
    if errors:
        raise InvalidInput(errors={"resultados": errors})
    all_solved = all(bool(row.get("solucionado")) for _, row in answered)
    decision = data.get("se_dio_solucion")
    if (decision == "si") != all_solved:
        raise InvalidInput(
            errors={
                "se_dio_solucion": [
                    "«Sí» solo cuando se dio solución a todos los equipos; «No» si alguno "
                    "quedó sin solución."
                ]
            }
        )
    ticket = ticket_number(call)
    planned: dict[str, str] = {}
    for maintenance, row in answered:
        done = do_record_maintenance_outcome(
            maintenance,
            outcome=(
                MaintenanceOutcome.SOLUCIONADO
                if row.get("solucionado")
                else MaintenanceOutcome.NO_SOLUCIONADO
            ),
            performed_on=data.get("fecha_ejecucion"),
            findings=text(row.get("problema")),
            action_taken=text(row.get("accion")),
            ticket=ticket,
            actor=call.actor,
            check=False,
        )
        if done.performed_on is not None:  # always: an answered maintenance has its date
            due = record_planned_execution(call, done.equipment.code, done.performed_on)
            if due:
                planned[done.equipment.code] = due
    return Outcome.applied(
        planned=planned,
        solved=[m.equipment.code for m, r in answered if r.get("solucionado")],
        unsolved=[m.equipment.code for m, r in answered if not r.get("solucionado")],
        ticket=ticket,
    )


def _warranty(call: EffectCall) -> Outcome:
    code = text(call.data.get("codigo"))
    maintenance = (
        Maintenance.objects.filter(
            instance=call.instance,
            outcome=MaintenanceOutcome.NO_SOLUCIONADO,
            equipment__code__iexact=code,
        )
        .select_related("equipment")
        .first()
    )
    if maintenance is None:
        raise InvalidInput(
            errors={"codigo": [f"«{code}» no es un equipo sin solución de esta visita."]}
        )
    decision = (
        WarrantyDecision.CON_GARANTIA
        if call.data.get("tiene_garantia") == "si"
        else WarrantyDecision.SIN_GARANTIA
    )
    try:
        do_record_warranty(
            maintenance,
            warranty=decision,
            checked_with=text(call.data.get("encargado_digepat")),
            actor=call.actor,
            check=False,
        )
    except Conflict as exc:
        raise InvalidInput(errors={"codigo": [exc.message]}) from exc
    end = maintenance.equipment.warranty_end
    return Outcome.applied(
        equipment=maintenance.equipment.code,
        warranty=decision,
        inventory_warranty_end=end.isoformat() if end else None,
    )


def _decided(call: EffectCall, decision: str) -> Maintenance:
    maintenance = (
        Maintenance.objects.filter(instance=call.instance, warranty=decision)
        .select_related("equipment")
        .order_by("-id")
        .first()
    )
    if maintenance is None:
        raise Conflict("El expediente no tiene un equipo con esa decisión de garantía.")
    return maintenance


def _oficio(call: EffectCall) -> Outcome:
    maintenance = _decided(call, WarrantyDecision.SIN_GARANTIA)
    document_id, number = step_document(call)
    reason = text(call.step_data(9).get("motivo_baja"))
    do_link_maintenance_document(
        maintenance,
        document_id=document_id,
        number=number,
        role="oficio",
        reason=reason,
        actor=call.actor,
        check=False,
    )
    return Outcome.applied(equipment=maintenance.equipment.code, oficio=number or "proyecto")


def _informe(call: EffectCall) -> Outcome:
    maintenance = _decided(call, WarrantyDecision.CON_GARANTIA)
    document_id, number = step_document(call)
    do_link_maintenance_document(
        maintenance,
        document_id=document_id,
        number=number,
        role="informe",
        actor=call.actor,
        check=False,
    )
    return Outcome.applied(equipment=maintenance.equipment.code, informe=number)


def _annual_figures(call: EffectCall) -> Outcome:
    year = int(call.data.get("anio") or 0)
    rows = Maintenance.objects.filter(
        performed_on__year=year, equipment__kind__in=COMPUTING_KINDS
    ).values_list("kind", "outcome", "warranty")
    kinds: Counter[str] = Counter()
    outcomes: Counter[str] = Counter()
    warranty: Counter[str] = Counter()
    for kind, outcome, decision in rows:
        kinds[kind] += 1
        outcomes[outcome] += 1
        if decision:
            warranty[decision] += 1
    return Outcome.applied(
        year=year,
        total=sum(kinds.values()),
        by_kind=dict(kinds),
        by_outcome=dict(outcomes),
        by_warranty=dict(warranty),
    )


def handle_register(call: EffectCall) -> Outcome:
    """Every step of S04.03.04.03 that names the maintenance register."""
    handlers = {4: _visit, 6: _execution, 8: _warranty, 9: _oficio, 11: _oficio}
    handlers |= {13: _informe, 14: _annual_figures}
    handler = handlers.get(call.n)
    if handler is None:
        return Outcome.skipped(f"La actividad {call.n} no escribe el registro de mantenimientos.")
    return handler(call)


def handle_inventory_update(call: EffectCall) -> Outcome:
    """Act. 15 (Formato N° 02): each row's state change; every bad row named, nothing saved."""
    from ..models import Equipment

    errors: list[str] = []
    changed: list[str] = []
    for i, row in enumerate(call.data.get("actualizaciones") or [], start=1):
        code = text(row.get("codigo"))
        equipment = Equipment.objects.filter(code__iexact=code).first() if code else None
        if equipment is None:
            errors.append(f"Fila {i}: no hay en el inventario un equipo con el código «{code}».")
            continue
        try:
            do_change_equipment_state(
                equipment,
                state=text(row.get("estado")),
                reason=text(row.get("motivo")) or "Actualización del inventario (actividad 15)",
                actor=call.actor,
                check=False,
            )
        except Conflict as exc:
            errors.append(f"Fila {i}: {exc.message}")
            continue
        changed.append(equipment.code)
    if errors:
        raise InvalidInput(errors={"actualizaciones": errors})
    return Outcome.applied(changed=changed)
