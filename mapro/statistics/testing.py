"""Test helpers of the statistics registers: organs, designated representatives, datasets and
an approved cronograma, made through the app's actions as the product makes them."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

from mapro.core.testing import ensure_role, make_user
from mapro.organization.models import ExternalOrganization

from . import data
from .actions import do_approve_calendar, do_designate_representative, do_formulate_calendar
from .models import Dataset, StatTable, SubmissionCalendar

YEAR = 2026


def organ(code: str, name: str | None = None) -> ExternalOrganization:
    org, _ = ExternalOrganization.objects.get_or_create(
        code=code, defaults={"name": name or code, "kind": "organo_ejecutor"}
    )
    return org


def representative(code: str, *, username: str | None = None) -> Any:
    """A user designated today as titular representative of organ ``code`` (role granted)."""
    ensure_role("resp-organo-estadistico")
    user = make_user(username=username or f"rep-{code.lower()}")
    do_designate_representative(
        organization=organ(code),
        person=user.person,
        document=f"OFICIO N° 001-{YEAR}-{code}",
        valid_from=datetime.date(2020, 1, 1),
        actor=None,
    )
    return user


def datasets() -> list[Dataset]:
    """The seed's datasets and tables (reference data)."""
    from .seeding import seed_statistics

    seed_statistics(demo=False)
    return list(Dataset.objects.order_by("code"))


def approved_calendar(year: int = YEAR, organs: list[str] | None = None) -> SubmissionCalendar:
    orgs = [organ(c) for c in organs] if organs else None
    calendar = do_formulate_calendar(year, actor=None, organizations=orgs)
    return do_approve_calendar(calendar, actor=None)


def personal_csv(rows: list[list[Any]] | None = None, header: list[str] | None = None) -> bytes:
    """A CSV of the ``personal`` dataset (valid by default)."""
    rows = (
        rows
        if rows is not None
        else [
            ["OFICIALES", 900, 100, 1000],
            ["SUBOFICIALES", 1800, 200, 2000],
            ["TROPA", 4500, 500, 5000],
        ]
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header or ["categoria", "hombres", "mujeres", "total"])
    writer.writerows(rows)
    return out.getvalue().encode()


def operaciones_csv(n_regions: int = 3) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["region", "mes", "operaciones", "atendidos"])
    for region in data.REGIONS[:n_regions]:
        for month in range(1, 13):
            writer.writerow([region, month, 10 + month, 100 * month])
    return out.getvalue().encode()


__all__ = ["StatTable"]
