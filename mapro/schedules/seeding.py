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
