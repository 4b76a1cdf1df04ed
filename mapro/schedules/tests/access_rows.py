"""Rows of the URL permission matrix for the cronogramas."""

from __future__ import annotations

from mapro.core.tests.access_matrix import PUBLIC, Row
from mapro.schedules.actions.cronogramas import SCHEDULE_MANAGER_ROLES
from mapro.schedules.selectors import READ_ROLES
from mapro.schedules.testing import schedule_kwargs

MANAGERS = frozenset(SCHEDULE_MANAGER_ROLES)

ROWS: dict[str, Row] = {
    "schedules:schedule_list": Row("html", READ_ROLES),
    "schedules:schedule_new": Row("html", MANAGERS),
    "schedules:schedule_detail": Row("html", READ_ROLES, kwargs=schedule_kwargs),
    "schedules:schedule_edit": Row("html", MANAGERS, kwargs=schedule_kwargs),
    "schedules:schedule_approve": Row(
        "html", MANAGERS, method="post", kwargs=schedule_kwargs, ok=(302,)
    ),
    "schedules:schedule_retire": Row(
        "html",
        MANAGERS,
        method="post",
        data={"reason": "Prueba"},
        kwargs=schedule_kwargs,
        ok=(302,),
    ),
    "schedules:schedule_ical": Row("html", READ_ROLES, kwargs=schedule_kwargs),
    "schedules:feed_settings": Row("html", READ_ROLES),
    # The feed authenticates by its secret address: an unknown one is 404 for everyone.
    "schedules:feed": Row("html", PUBLIC, anonymous=404, ok=(404,), kwargs={"token": "x" * 43}),
    "schedules-api:schedule-list": Row("api", READ_ROLES),
    "schedules-api:schedule-detail": Row("api", READ_ROLES, kwargs=schedule_kwargs),
    "schedules-api:schedule-approve": Row("api", MANAGERS, method="post", kwargs=schedule_kwargs),
    "schedules-api:schedule-retire": Row(
        "api", MANAGERS, method="post", data={"reason": "Prueba"}, kwargs=schedule_kwargs
    ),
}
