"""Permission-matrix rows of the sector's statistics (see mapro/core/tests/access_matrix.py).

Team pages are the statistics team's (``access.TEAM_ROLES``); the representative's page is the
role's (a holder without a designation sees that they have none, and cannot send); a
submission is read by the team and its organ's representatives (anyone else: 404); the
dashboard is any signed-in user's; open data is public.
"""

from __future__ import annotations

from typing import Any

from mapro.core.tests.access_matrix import ANY_USER, PUBLIC, Row, roles
from mapro.statistics.access import (
    APPROVER_ROLES,
    CALENDAR_READERS,
    EVALUATOR_ROLES,
    MANAGER_ROLES,
    REPRESENTATIVE_ROLE,
    TEAM_ROLES,
)

TEAM = roles(*TEAM_ROLES)
READERS = roles(*CALENDAR_READERS)


def _seeded(user: Any = None) -> None:
    from mapro.statistics.testing import datasets

    datasets()


def _dataset_kwargs(user: Any) -> dict[str, Any]:
    _seeded()
    return {"code": "personal"}


def _template_kwargs(user: Any) -> dict[str, Any]:
    return {**_dataset_kwargs(user), "ext": "csv"}


def _table_kwargs(user: Any) -> dict[str, Any]:
    _seeded()
    return {"code": "personal-por-organo"}


def _submission_kwargs(user: Any) -> dict[str, Any]:
    from mapro.statistics.actions import do_submit
    from mapro.statistics.models import CalendarEntry
    from mapro.statistics.testing import approved_calendar, personal_csv, representative

    _seeded()
    if not CalendarEntry.objects.filter(organization__code="MATRIZ").exists():
        representative("MATRIZ", username="rep-matriz")
        approved_calendar(year=2031, organs=["MATRIZ"])
    from django.contrib.auth import get_user_model

    rep = get_user_model().objects.get(username="rep-matriz")
    sub = do_submit(
        dataset="personal",
        organization="MATRIZ",
        period="2031",
        content=personal_csv(),
        filename="p.csv",
        actor=rep,
    )
    return {"pk": sub.pk}


def _publication_kwargs(user: Any) -> dict[str, Any]:
    from mapro.statistics.models import Publication

    pub = Publication.objects.create(kind="boletin", title="Boletín de prueba", period="2031")
    return {"pk": pub.pk}


def _publication_file_kwargs(user: Any) -> dict[str, Any]:
    return {**_publication_kwargs(user), "ext": "pdf"}


def _published_kwargs(user: Any) -> dict[str, Any]:
    from django.utils import timezone

    from mapro.statistics.models import Publication, PublishedTable

    pub = Publication.objects.create(
        kind="anuario",
        title="Anuario de prueba",
        period="2031",
        status="publicado",
        published_at=timezone.now(),
    )
    PublishedTable.objects.create(
        publication=pub,
        code="cuadro-1",
        title="Cuadro 1",
        csv="fila,Total\nEP,1\n",
        schema={
            "fields": [{"name": "fila", "type": "string"}, {"name": "Total", "type": "number"}]
        },
    )
    return {"pk": pub.pk}


def _published_csv_kwargs(user: Any) -> dict[str, Any]:
    return {**_published_kwargs(user), "code": "cuadro-1"}


ROWS: dict[str, Row] = {
    "statistics:dashboard": Row("html", ANY_USER),
    "statistics:representative_home": Row("html", roles(REPRESENTATIVE_ROLE)),
    "statistics:team_home": Row("html", TEAM),
    "statistics:submission_detail": Row("html", TEAM, kwargs=_submission_kwargs, denied=404),
    "statistics:dataset_detail": Row("html", READERS, kwargs=_dataset_kwargs),
    "statistics:dataset_template": Row("html", READERS, kwargs=_template_kwargs),
    "statistics:publication_detail": Row("html", TEAM, kwargs=_publication_kwargs),
    "statistics:publication_file": Row("html", TEAM, kwargs=_publication_file_kwargs, ok=(400,)),
    "statistics:table_png": Row("html", ANY_USER, kwargs=_table_kwargs, ok=(200, 400)),
    "statistics:open_data": Row("html", PUBLIC, anonymous=200),
    "statistics:open_data_package": Row("html", PUBLIC, anonymous=200, kwargs=_published_kwargs),
    "statistics:open_data_csv": Row("html", PUBLIC, anonymous=200, kwargs=_published_csv_kwargs),
    "statistics-api:dataset-list": Row("api", READERS),
    "statistics-api:entry-list": Row("api", READERS),
    "statistics-api:calendar-formulate": Row(
        "api", roles(*MANAGER_ROLES), method="post", data={"year": 2032}, ok=(201, 400)
    ),
    "statistics-api:calendar-approve": Row(
        "api", roles(*APPROVER_ROLES), method="post", kwargs={"year": 2033}, ok=(404,)
    ),
    "statistics-api:submission-list": Row("api", READERS),
    "statistics-api:submission-detail": Row("api", TEAM, kwargs=_submission_kwargs, denied=404),
    "statistics-api:submission-evaluate": Row(
        "api",
        roles(*EVALUATOR_ROLES),
        method="post",
        kwargs=_submission_kwargs,
        data={"accept": False, "observations": "Revisar."},
        ok=(200,),
    ),
    "statistics-api:designation-list": Row("api", TEAM),
}
