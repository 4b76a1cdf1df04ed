"""``mapro seed``: the statistics datasets and tables; with ``--demo``, the demo representative
designated for the Ejército del Perú (EP) and this year's cronograma of submissions approved,
so that «Mis envíos estadísticos» can be tried by hand."""

from __future__ import annotations

import datetime

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
