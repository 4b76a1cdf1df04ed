"""The cronograma of the maintenance plan (S04.03.04.03, actividad 1), checked and written.

Each row of the step's ``cronograma`` is a visit: a date inside the plan's year, a unit and the
equipment to attend (inventory codes; empty means every computer and printer of the unit still
in service). Every bad row is named (``Fila n, columna «fecha»: …``) and nothing is written.
The coordinator "genera y aprueba" the plan in this step, so the cronograma is written and
signed here, by the same person, in the register of annual cronogramas (``mapro.schedules``
``Plan``: one line per equipment and visit, responsible ``resp-soporte``). Its dates are
reported when overdue; each visit is started by hand at ``visita`` (actividad 4), and its
execution (actividad 6) marks the planned date of each equipment as executed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from mapro.core.exceptions import InvalidInput
from mapro.procedures.effects import EffectCall, Outcome
from mapro.schedules.actions.plans import (
    do_approve_plan,
    do_create_plan,
    do_record_plan_execution,
    match_pending_occurrence,
)

from ..actions.common import parse_date, text
from ..actions.maintenance import retired_message
from ..choices import COMPUTING_KINDS
from ..models import Equipment


def check_cronograma_rows(rows: Any, year: int) -> list[dict[str, Any]]:
    """The visits of the cronograma, each with its equipment; InvalidInput naming every bad row
    and column on ``cronograma``."""
    errors: list[str] = []
    visits: list[dict[str, Any]] = []
    if not rows:
        raise InvalidInput(errors={"cronograma": ["El cronograma no tiene visitas."]})
    for i, row in enumerate(rows, start=1):
        try:
            day = parse_date(row.get("fecha"))
        except ValueError:
            day = None
        if day is None:
            errors.append(f"Fila {i}, columna «fecha»: indique una fecha válida.")
        elif day.year != year:
            errors.append(
                f"Fila {i}, columna «fecha»: el {day:%d/%m/%Y} está fuera del año del plan "
                f"({year})."
            )
        unit_code = text(row.get("unidad"))
        codes = [c.strip() for c in text(row.get("equipos")).split(",") if c.strip()]
        equipment: list[Equipment] = []
        for code in codes:
            found = Equipment.objects.filter(code__iexact=code).first()
            if found is None:
                errors.append(f"Fila {i}, columna «equipos»: no hay un equipo «{code}».")
            elif found.kind not in COMPUTING_KINDS:
                errors.append(
                    f"Fila {i}, columna «equipos»: {found.code} no es un equipo de cómputo o "
                    "impresora."
                )
            elif found.is_retired:
                errors.append(f"Fila {i}, columna «equipos»: {retired_message(found)}")
            else:
                equipment.append(found)
        if not codes:
            equipment = list(
                Equipment.objects.filter(unit__code=unit_code, kind__in=COMPUTING_KINDS)
                .exclude(state__in=("baja-en-tramite", "dado-de-baja"))
                .order_by("code")
            )
            if not equipment:
                errors.append(
                    f"Fila {i}, columna «unidad»: {unit_code} no tiene equipos de cómputo o "
                    "impresoras en servicio en el inventario."
                )
        visits.append(
            {
                "n": i,
                "date": day,
                "unit": unit_code,
                "kind": row.get("tipo"),
                "equipment": equipment,
            }
        )
    if errors:
        raise InvalidInput(errors={"cronograma": errors})
    return visits


def _plan_items(visits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One line of the cronograma per equipment and visit, so that each equipment's
    execution (actividad 6) marks its own planned date."""
    items = []
    for visit in visits:
        kind = str(visit["kind"] or "preventivo")
        for equipment in visit["equipment"]:
            items.append(
                {
                    "activity": f"Mantenimiento {kind}",
                    "target": f"{equipment.name} ({visit['unit']})"[:200],
                    "equipment_code": equipment.code,
                    "starts_on": visit["date"],
                    "responsible_role": "resp-soporte",
                    "details": {"unidad": visit["unit"], "tipo": kind, "fila": visit["n"]},
                }
            )
    return items


def _form_errors(exc: InvalidInput) -> InvalidInput:
    """The register's errors under the step's fields (``year`` → ``anio``, lines →
    ``cronograma``)."""
    errors: dict[str, list[str]] = {}
    for key, messages in exc.errors.items():
        field = "anio" if key == "year" else "cronograma"
        errors.setdefault(field, []).extend(messages)
    return InvalidInput(errors=errors)


def write_maintenance_cronograma(call: EffectCall) -> Outcome:
    year = int(call.data.get("anio") or 0)
    visits = check_cronograma_rows(call.data.get("cronograma"), year)
    try:
        plan = do_create_plan(
            actor=call.actor,
            procedure_code=call.instance.procedure_code,
            year=year,
            title=text(call.data.get("asunto"), 200)
            or f"Cronograma de mantenimiento de equipos de cómputo e impresoras {year}",
            approver_role="coord-infraestructura",
            items=_plan_items(visits),
            instance=call.instance,
        )
        # The coordinator "genera y aprueba" the plan in this same step: the signature.
        plan = do_approve_plan(plan, actor=call.actor, instance=call.instance)
    except InvalidInput as exc:
        raise _form_errors(exc) from exc
    return Outcome.applied(
        plan=plan.pk,
        status=plan.status,
        visits=len(visits),
        equipment=sorted({e.code for v in visits for e in v["equipment"]}),
    )


def record_planned_execution(call: EffectCall, equipment_code: str, day: dt.date) -> str:
    """Mark the planned date this visit fulfils (same equipment, due by ``day`` + 7 days) as
    executed; '' when the visit was not planned (a corrective visit on demand)."""
    occurrence = match_pending_occurrence(
        call.instance.procedure_code, day, equipment_code=equipment_code
    )
    if occurrence is None:
        return ""
    do_record_plan_execution(
        occurrence,
        actor=call.actor,
        executed_on=day,
        evidence=f"Expediente N° {call.instance.pk}",
    )
    return occurrence.due_on.isoformat()
