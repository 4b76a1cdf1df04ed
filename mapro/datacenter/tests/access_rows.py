"""Permission-matrix rows of the data-center register (see mapro/core/tests/access_matrix.py).

Readers are ``access.ALL_READERS`` (director-uo within their unit: the visits here are in
OGTIE, their unit in the matrix); entries and exits ``ENTRY_ROLES``; people, documents and
DIPEC checks ``MANAGER_ROLES``. The POSTs on the list URLs (create an entry, create a visit) and
the out-of-scope cases are in mapro/datacenter/tests/test_api.py and test_pages.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from mapro.core.tests.access_matrix import Row
from mapro.datacenter import access
from mapro.datacenter.testing import contractor_visit, next_dni, open_entry

READERS = frozenset(access.ALL_READERS)
ENTRY = frozenset(access.ENTRY_ROLES)
MANAGERS = frozenset(access.MANAGER_ROLES)

LIMA = dt.timezone(dt.timedelta(hours=-5))
ENTERED = dt.datetime(2026, 1, 5, 8, 0, tzinfo=LIMA)
EXITED = "2026-01-05T09:30:00-05:00"


def _visit_kwargs(user: Any) -> dict[str, Any]:
    return {"pk": contractor_visit().pk}


def _entry_kwargs(user: Any) -> dict[str, Any]:
    return {"pk": open_entry(entered_at=ENTERED).pk}


ROWS: dict[str, Row] = {
    "datacenter:logbook_list": Row("html", READERS),
    "datacenter:logbook_export": Row("html", READERS),
    "datacenter:open_entries": Row("html", READERS),
    "datacenter:visit_list": Row("html", READERS),
    "datacenter:entry_detail": Row("html", READERS, kwargs=_entry_kwargs),
    "datacenter:visit_detail": Row("html", READERS, kwargs=_visit_kwargs),
    "datacenter:entry_exit": Row(
        "html", ENTRY, method="post", kwargs=_entry_kwargs, data={"exited_at": EXITED}, ok=(302,)
    ),
    # The visit's person has a new DNI each time; this form names none: 400 for the keepers.
    "datacenter:visit_entry": Row(
        "html",
        ENTRY,
        method="post",
        kwargs=_visit_kwargs,
        data={"escort": "Ing. Vargas"},
        ok=(400,),
    ),
    "datacenter:visit_document": Row(
        "html",
        MANAGERS,
        method="post",
        kwargs=_visit_kwargs,
        data={"kind": "procedimiento", "reference": "procedimiento-v2.pdf"},
        ok=(302,),
    ),
    "datacenter:visit_check": Row(
        "html",
        MANAGERS,
        method="post",
        kwargs=_visit_kwargs,
        data={"kind": "induccion", "outcome": "conforme", "on": "2026-01-05"},
        ok=(302,),
    ),
    "datacenter-api:entry-list": Row("api", READERS),
    "datacenter-api:entry-open": Row("api", READERS),
    "datacenter-api:entry-detail": Row("api", READERS, kwargs=_entry_kwargs),
    "datacenter-api:entry-exit": Row(
        "api", ENTRY, method="post", kwargs=_entry_kwargs, data={"exited_at": EXITED}, ok=(200,)
    ),
    "datacenter-api:visit-list": Row("api", READERS),
    "datacenter-api:visit-detail": Row("api", READERS, kwargs=_visit_kwargs),
    "datacenter-api:visit-people": Row(
        "api",
        MANAGERS,
        method="post",
        kwargs=_visit_kwargs,
        data={"full_name": "Ana Ríos Paz", "dni": next_dni()},
        ok=(201,),
    ),
    "datacenter-api:visit-documents": Row(
        "api",
        MANAGERS,
        method="post",
        kwargs=_visit_kwargs,
        data={"kind": "procedimiento", "reference": "procedimiento-v2.pdf"},
        ok=(201,),
    ),
    "datacenter-api:visit-checks": Row(
        "api",
        MANAGERS,
        method="post",
        kwargs=_visit_kwargs,
        data={"kind": "revision", "outcome": "conforme", "on": "2026-01-05"},
        ok=(201,),
    ),
}
