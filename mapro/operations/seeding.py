"""Demo data of the run records (``mapro seed --demo`` only; idempotent).

The year's backup cronograma of S04.03.02.01 (monthly copy of the SIGA database on SRV-BD-01,
the 15th), signed by the demo coordinator of infrastructure, and the copies of the months
already past: all correct but one failed and corrected, and the last one failed and still
pending, which opens S04.03.02.01 at «falla-copia-bd» (its correction path) as a failure posted
by the backup server would. Needs the demo inventory (order 70) and the published procedures.
"""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from mapro.organization.seeding import register_seed_step

from .models import RunRecord

SERVER = "SRV-BD-01"
PROCEDURE = "S04.03.02.01"


@transaction.atomic
def seed_demo_runs() -> str:
    from mapro.procedures.models import Procedure
    from mapro.schedules.actions.plans import do_approve_plan, do_create_plan
    from mapro.schedules.models import Plan

    from .actions import do_record_run, equipment_problem

    if RunRecord.objects.exists():
        return "ya cargado"
    if equipment_problem(SERVER):
        return "pendiente: cargue el inventario de demostración"
    if not Procedure.objects.filter(code=PROCEDURE, current_version__isnull=False).exists():
        return "pendiente: publique los procedimientos (mapro procedures publish) y repita"
    users = get_user_model().objects
    prof = users.filter(username="profesional-ogtie", is_active=True).first()
    coord = users.filter(username="coord-infraestructura", is_active=True).first()
    if prof is None or coord is None:
        return "pendiente: faltan los usuarios de demostración"
    today = timezone.localdate()
    if not Plan.objects.filter(procedure__code=PROCEDURE, year=today.year).exists():
        plan = do_create_plan(
            actor=prof,
            procedure_code=PROCEDURE,
            year=today.year,
            title=f"Cronograma anual de respaldo de la información {today.year}",
            items=[
                {
                    "activity": "Copia de respaldo de base de datos (SIGA)",
                    "target": "Servidor de base de datos",
                    "equipment_code": SERVER,
                    "starts_on": datetime.date(today.year, 1, 15),
                    "rrule": "FREQ=MONTHLY;BYMONTHDAY=15",
                    "responsible_role": "profesional-ogtie",
                    "details": {"tipo": "Base de datos", "destino": "Storage de contingencia"},
                }
            ],
        )
        do_approve_plan(plan, actor=coord)
    months = [m for m in range(1, today.month + 1) if datetime.date(today.year, m, 15) < today]
    for i, month in enumerate(months):
        ran_at = timezone.make_aware(datetime.datetime(today.year, month, 15, 2, 0))
        last, corrected = i == len(months) - 1, i == len(months) - 3
        do_record_run(
            actor=prof,
            kind="backup-bd",
            equipment=SERVER,
            system="SIGA_PRD",
            ran_at=ran_at,
            outcome="failed" if (last or corrected) else "ok",
            size_bytes=None if (last or corrected) else 48_000_000_000 + month * 250_000_000,
            destination="\\\\storage\\respaldos\\siga",
            message="ORA-19502: write error on file" if (last or corrected) else "",
            # Recorded with its correction (as a person does after fixing it): no instance.
            corrective_action="Se liberó espacio en disco y se re-ejecutó." if corrected else "",
        )
    return f"{len(months)} ejecución(es) de demostración"


@register_seed_step(order=90)
def seed_step(*, demo: bool) -> str:
    """``mapro seed``'s run records step: demo data only with ``--demo``."""
    if not demo:
        return "Registro de ejecuciones: sin datos de referencia."
    return f"Registro de ejecuciones: {seed_demo_runs()}."
