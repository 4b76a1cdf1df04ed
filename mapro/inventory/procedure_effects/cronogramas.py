"""The cronograma of the maintenance plan (S04.03.04.03, actividad 1), checked and written.

Each row of the step's ``cronograma`` is a visit: a date inside the plan's year, a unit and the
equipment to attend (inventory codes; empty means every computer and printer of the unit still
in service). Every bad row is named (``Fila n, columna «fecha»: …``) and nothing is written.
The coordinator "genera y aprueba" the plan in this step, so the cronograma is written and
approved here, by the same person: each visit date later starts the procedure at its start
``visita`` (actividad 4).

Where it is written: the schedules app's cronograma (``mapro.schedules``), one date per visit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from mapro.core.exceptions import InvalidInput
from mapro.procedures.effects import EffectCall, Outcome
from mapro.schedules.actions.cronogramas import do_approve_schedule, do_create_schedule

from ..actions.common import parse_date, text
from ..actions.maintenance import retired_message
from ..choices import COMPUTING_KINDS
from ..models import Equipment

#: The hour a planned visit starts the procedure (Lima office hours).
VISIT_HOUR = dt.time(8, 30)


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


def _at(day: dt.date) -> str:
    when = dt.datetime.combine(day, VISIT_HOUR, tzinfo=timezone.get_current_timezone())
    return when.isoformat()


def write_maintenance_cronograma(call: EffectCall) -> Outcome:
    year = int(call.data.get("anio") or 0)
    visits = check_cronograma_rows(call.data.get("cronograma"), year)
    dates = sorted({_at(v["date"]) for v in visits})
    description = "\n".join(
        f"{v['date']:%d/%m/%Y} — {v['unit']} — {v['kind']}: "
        + ", ".join(e.code for e in v["equipment"])
        for v in visits
    )
    schedule = do_create_schedule(
        actor=call.actor,
        name=f"Cronograma de mantenimiento de equipos de cómputo e impresoras {year}",
        procedure_code=call.instance.procedure_code,
        start_key="visita",
        unit="OGTIE",
        role="resp-soporte",
        dtstart=dates[0],
        dates=dates,
        description=description,
    )
    upcoming = [d for d in dates if d >= timezone.localtime().isoformat()]
    if upcoming:
        do_approve_schedule(schedule, actor=call.actor)
    return Outcome.applied(
        schedule=schedule.pk,
        status=schedule.status if not upcoming else "approved",
        visits=len(visits),
        equipment=sorted({e.code for v in visits for e in v["equipment"]}),
    )
