"""``mapro seed``: the statistics datasets and tables; with ``--demo``, the demo representative
designated for the Ejército del Perú (EP) and this year's cronograma of submissions approved,
so that «Mis envíos estadísticos» can be tried by hand."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from mapro.organization.seeding import register_seed_step

from . import data


@register_seed_step(order=60)
@transaction.atomic
def seed_statistics(*, demo: bool = False) -> str:
    from mapro.organization.models import ExternalOrganization, Person

    from .actions import do_designate_representative, do_save_dataset
    from .models import Dataset, Designation, StatTable

    for spec in data.DATASETS:
        if not Dataset.objects.filter(code=spec["code"]).exists():
            do_save_dataset(actor=None, **spec)
    for spec in data.TABLES:
        fields = {k: v for k, v in spec.items() if k not in ("code", "dataset")}
        StatTable.objects.update_or_create(
            code=spec["code"],
            defaults={**fields, "dataset": Dataset.objects.get(code=spec["dataset"])},
        )
    line = f"estadística: {len(data.DATASETS)} conjuntos de datos, {len(data.TABLES)} cuadros"
    if demo:
        person = Person.objects.filter(user__username="resp-organo-estadistico").first()
        org = ExternalOrganization.objects.filter(code="EP").first()
        if person and org and not Designation.objects.filter(person=person).exists():
            do_designate_representative(
                organization=org,
                person=person,
                document="OFICIO N° 001-2026-EP/DIEST",
                valid_from=datetime.date(2026, 1, 1),
                actor=None,
            )
        from django.utils import timezone

        from .actions import do_approve_calendar, do_formulate_calendar
        from .models import SubmissionCalendar

        year = timezone.localdate().year
        if org and not SubmissionCalendar.objects.filter(year=year).exists():
            calendar = do_formulate_calendar(year, actor=None, organizations=[org])
            do_approve_calendar(calendar, actor=None)
        line += f"; representante de demostración designado para EP, cronograma {year} aprobado"
    return line


# --- demo cases (mapro.procedures.demo) ------------------------------------------------------

#: A valid file of the ``personal`` dataset (the demo organ's send at S04.05.00.01 activity 13).
DEMO_PERSONAL_CSV = (
    b"categoria,hombres,mujeres,total\r\n"
    b"OFICIALES,900,100,1000\r\nSUBOFICIALES,1800,200,2000\r\nTROPA,4500,500,5000\r\n"
)


def demo_submission_values(instance: Any, n: int, data: dict[str, Any]) -> dict[str, Any]:
    """What people do in the statistics register between the steps of a demo S04.05.00.01:
    before activity 13 the demo organ's representative sends its ``personal`` file for the
    case's cronograma (``do_submit``, «Mis envíos estadísticos»); before activity 15 the
    especialista accepts what was received (``do_evaluate_submission``). Nothing is answered
    in the step's form itself."""
    from django.contrib.auth import get_user_model

    from mapro.procedures.models import TaskRecord

    from .access import designated_organizations
    from .actions import do_evaluate_submission, do_submit
    from .choices import SubmissionStatus
    from .models import CalendarEntry, Submission

    if n not in (13, 15):
        return {}
    record = TaskRecord.objects.filter(instance=instance, n=9).order_by("-id").first()
    year = int((record.data or {}).get("anio_envio") or 0) if record is not None else 0
    users = get_user_model().objects.filter(is_active=True)
    if n == 13:
        sender = users.filter(username="resp-organo-estadistico").first()
        organs = designated_organizations(sender) if sender is not None else None
        entry = (
            CalendarEntry.objects.filter(
                calendar__year=year, dataset__code="personal", organization__in=organs
            )
            .select_related("dataset", "organization")
            .order_by("id")
            .first()
            if organs is not None
            else None
        )
        if entry is not None:
            do_submit(
                dataset=entry.dataset.code,
                organization=entry.organization.code,
                period=entry.period,
                content=DEMO_PERSONAL_CSV,
                filename="personal.csv",
                actor=sender,
            )
        return {}
    evaluator = users.filter(username="esp-estadistico").first()
    received = Submission.objects.filter(
        entry__calendar__year=year, status=SubmissionStatus.RECIBIDO
    )
    for submission in received.order_by("id"):
        do_evaluate_submission(submission, accept=True, actor=evaluator)
    return {}


def _register_demo_values() -> None:
    from mapro.procedures.demo import register_demo_values

    register_demo_values("S04.05.00.01", demo_submission_values)


_register_demo_values()
