"""Rows of the URL permission matrix for the cronogramas."""

from __future__ import annotations

from mapro.core.tests.access_matrix import PUBLIC, Row
from mapro.schedules.actions.cronogramas import SCHEDULE_MANAGER_ROLES
from mapro.schedules.selectors import READ_ROLES
from mapro.schedules.testing import schedule_kwargs
from mapro.schedules.testing_plans import approved_plan_kwargs, occurrence_kwargs, plan_kwargs

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
    "schedules-api:plan-list": Row("api", READ_ROLES),
    "schedules-api:plan-calendar": Row("api", READ_ROLES),
    "schedules-api:plan-detail": Row("api", READ_ROLES, kwargs=plan_kwargs),
    "schedules-api:plan-items": Row(
        "api",
        READ_ROLES,
        method="post",
        kwargs=plan_kwargs,
        ok=(201,),
        data={
            "activity": "Revisión",
            "target": "SRV-01",
            "starts_on": "2026-05-05",
            "responsible_role": "jefe-ogtie",
        },
    ),
    # The plan names the role that signs it: the coordinator of infrastructure only.
    "schedules-api:plan-approve": Row(
        "api", frozenset({"coord-infraestructura"}), method="post", kwargs=plan_kwargs
    ),
    "schedules-api:plan-new-version": Row(
        "api", READ_ROLES, method="post", kwargs=approved_plan_kwargs, ok=(201,)
    ),
    "schedules-api:plan-occurrence-execute": Row(
        "api",
        READ_ROLES,
        method="post",
        kwargs=occurrence_kwargs,
        data={"executed_on": "2026-01-05", "evidence": "Prueba"},
    ),
    "schedules:plan_list": Row("html", READ_ROLES),
    "schedules:plan_export": Row("html", READ_ROLES),
    "schedules:plan_calendar": Row("html", READ_ROLES),
    "schedules:plan_detail": Row("html", READ_ROLES, kwargs=plan_kwargs),
    "schedules:plan_dates_export": Row("html", READ_ROLES, kwargs=approved_plan_kwargs),
    "schedules:plan_approve": Row(
        "html", frozenset({"coord-infraestructura"}), method="post", kwargs=plan_kwargs, ok=(302,)
    ),
    "schedules:plan_new_version": Row(
        "html", READ_ROLES, method="post", kwargs=approved_plan_kwargs, ok=(302,)
    ),
}
