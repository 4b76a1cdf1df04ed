"""Reference cronogramas loaded by ``mapro seed`` (idempotent).

The manual makes one procedure run by the calendar already: S04.03.01.02 activities 11 to 17,
the validation of altas y bajas of the whole MINDEF, "dos veces al año" (start
``conciliacion``). The seed registers its cronograma — the first business day of March and of
September, 09:00, for the infrastructure team (OGTIE, ``coord-infraestructura``) — as a
**draft**: a cronograma is approved by a person (the Jefe(a) de la OGTIE or a coordinator), on
the page ``/cronogramas/``. With ``--demo`` the demo Jefe(a) approves it, so the one-command
demo runs it. The months are the seed's choice (the manual names none); change them on the page
before approving.

The procedure must be published first (``mapro procedures publish``); if it is not, the seed
says so and registers nothing (run ``mapro seed`` again after publishing).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from mapro.organization.seeding import register_seed_step

from .actions.cronogramas import do_approve_schedule, do_create_schedule
from .choices import ScheduleStatus
from .models import Schedule
from .recurrence import zone

CONCILIACION = {
    "name": "Validación semestral de altas y bajas del MINDEF",
    "description": (
        "S04.03.01.02, actividades 11 a 17: conciliación de las altas y bajas de todo el MINDEF "
        "con la OGRH, dos veces al año."
    ),
    "procedure_code": "S04.03.01.02",
    "start_key": "conciliacion",
    "unit": "OGTIE",
    "role": "coord-infraestructura",
    # The first business day (Monday to Friday) of March and of September.
    "rrule": "FREQ=MONTHLY;BYMONTH=3,9;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1",
}


def seed_schedules(*, approve_as: str | None = None) -> str:
    """Register the reference cronogramas missing; approve drafts as ``approve_as`` (a
    username, the demo's) when given. Returns a one-line report."""
    from mapro.procedures.models import Procedure

    published = Procedure.objects.filter(
        code=CONCILIACION["procedure_code"], current_version__isnull=False
    ).exists()
    if not published:
        return "pendiente: publique los procedimientos (mapro procedures publish) y repita"
    schedule = Schedule.objects.filter(
        procedure__code=CONCILIACION["procedure_code"], start_key=CONCILIACION["start_key"]
    ).first()
    created = schedule is None
    if schedule is None:
        start = datetime.datetime(timezone.localdate().year, 1, 1, 9, 0, tzinfo=zone())
        fields: dict[str, Any] = {**CONCILIACION, "dtstart": start}
        schedule = do_create_schedule(actor=None, **fields)
    approved = False
    if approve_as and schedule.status == ScheduleStatus.DRAFT:
        approver = get_user_model().objects.filter(username=approve_as, is_active=True).first()
        if approver is not None:
            do_approve_schedule(schedule, actor=approver)
            approved = True
    return (
        f"{'1 nuevo' if created else '0 nuevos'}"
        f"{', aprobado por ' + str(approve_as) if approved else ''}"
    )


@register_seed_step(order=50)
def seed_step(*, demo: bool) -> str:
    """``mapro seed``'s cronogramas step (approved by the demo Jefe(a) with ``--demo``)."""
    return f"Cronogramas: {seed_schedules(approve_as='jefe-ogtie' if demo else None)}."


# --- demo cases (mapro.procedures.demo) ------------------------------------------------------

#: The line of the demo cronograma of each procedure that elaborates one in the register.
DEMO_PLAN_ITEMS: dict[str, dict[str, Any]] = {
    "S04.03.01.04": {
        "activity": "Revisión de logs de eventos (demostración)",
        "target": "Servidor de base de datos",
        "equipment_code": "SRV-BD-01",
        "rrule": "FREQ=MONTHLY;BYMONTHDAY=10",
        "responsible_role": "profesional-ogtie",
    },
    "S04.03.02.01": {
        "activity": "Copia de respaldo de base de datos (demostración)",
        "target": "Servidor de base de datos",
        "equipment_code": "SRV-BD-01",
        "rrule": "FREQ=MONTHLY;BYMONTHDAY=15",
        "responsible_role": "profesional-ogtie",
    },
    "S04.03.03.01": {
        "activity": "Respaldo de configuración de la central telefónica (demostración)",
        "target": "Central telefónica",
        "equipment_code": "CT-01",
        "rrule": "FREQ=MONTHLY;BYMONTHDAY=20",
        "responsible_role": "prof-redes",
    },
}


def demo_plan_values(instance: Any, n: int, data: dict[str, Any]) -> dict[str, Any]:
    """A demo case's step that elaborates the cronograma answers the number of a draft it
    writes in the register (for a year after the last one of the procedure), as the person of
    that step does before completing it; the signing step then signs it."""
    from mapro.procedures.actions import activity

    from .actions.plans import do_create_plan
    from .models import Plan
    from .procedure_effects import PLAN_FIELD, SIGNED_FIELD

    if PLAN_FIELD not in data or not isinstance(data[PLAN_FIELD], int):
        return {}
    code = instance.procedure_code
    ficha = instance.procedure_version.ficha
    roles = activity(ficha, n).get("roles") or []
    author = get_user_model().objects.filter(username__in=roles, is_active=True).first()
    signer = next(
        (
            act.get("roles", [""])[0]
            for act in ficha.get("activities", [])
            if (act.get("decision") or {}).get("field") == SIGNED_FIELD
        ),
        "coord-infraestructura",
    )
    last = Plan.objects.filter(procedure__code=code).order_by("-year").first()
    year = max(timezone.localdate().year, last.year if last else 0) + 1
    item = DEMO_PLAN_ITEMS.get(code)
    items = [{**item, "starts_on": datetime.date(year, 1, 10)}] if item else []
    plan = do_create_plan(
        actor=author,
        procedure_code=code,
        year=year,
        title=f"Cronograma anual de demostración {year}",
        approver_role=signer,
        items=items,
    )
    return {PLAN_FIELD: plan.pk}


def _register_demo_values() -> None:
    from mapro.procedures.demo import register_demo_values

    for code in DEMO_PLAN_ITEMS:
        register_demo_values(code, demo_plan_values)


_register_demo_values()
