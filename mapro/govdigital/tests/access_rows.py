"""Rows of the URL permission matrix for the digital-government registers."""

from __future__ import annotations

from mapro.core.tests.access_matrix import Row
from mapro.govdigital.access import (
    PLAN_EDITORS,
    PLAN_VIEWERS,
    RISK_EDITORS,
    RISK_VIEWERS,
    SESSION_EDITORS,
    SESSION_VIEWERS,
)
from mapro.govdigital.testing import (
    period_kwargs,
    plan_kwargs,
    project_kwargs,
    risk_kwargs,
    session_kwargs,
)

PLANS = frozenset(PLAN_VIEWERS)
SESSIONS = frozenset(SESSION_VIEWERS)
RISKS = frozenset(RISK_VIEWERS)

ROWS: dict[str, Row] = {
    "govdigital:plan_list": Row("html", PLANS),
    "govdigital:plan_detail": Row("html", PLANS, kwargs=plan_kwargs),
    "govdigital:project_list": Row("html", PLANS),
    "govdigital:project_export": Row("html", PLANS),
    "govdigital:project_detail": Row("html", PLANS, kwargs=project_kwargs),
    "govdigital:period_detail": Row("html", PLANS, kwargs=period_kwargs),
    "govdigital:session_list": Row("html", SESSIONS),
    "govdigital:session_export": Row("html", SESSIONS),
    "govdigital:session_detail": Row("html", SESSIONS, kwargs=session_kwargs),
    "govdigital:risk_list": Row("html", RISKS),
    "govdigital:risk_export": Row("html", RISKS),
    "govdigital:risk_detail": Row("html", RISKS, kwargs=risk_kwargs),
    "govdigital:risk_new": Row("html", frozenset(RISK_EDITORS)),
    "govdigital-api:plan-list": Row("api", PLANS),
    "govdigital-api:plan-detail": Row("api", PLANS, kwargs=plan_kwargs),
    # Adding a project: the editors (a viewer who is not one gets 403 too).
    "govdigital-api:plan-add-project": Row(
        "api",
        frozenset(PLAN_EDITORS),
        method="post",
        data={"name": "Interoperabilidad con RENIEC", "team": "innovacion"},
        kwargs=plan_kwargs,
        ok=(201,),
    ),
    "govdigital-api:project-list": Row("api", PLANS),
    "govdigital-api:project-detail": Row("api", PLANS, kwargs=project_kwargs),
    "govdigital-api:period-detail": Row("api", PLANS, kwargs=period_kwargs),
    "govdigital-api:period-progress": Row(
        "api",
        frozenset(PLAN_EDITORS),
        method="post",
        data={"project": "", "percent": "10", "state": "en_plazo"},
        kwargs=period_kwargs,
        ok=(400,),  # the project named is not of the plan: the editor gets a field error
    ),
    "govdigital-api:session-list": Row("api", SESSIONS),
    "govdigital-api:session-detail": Row("api", SESSIONS, kwargs=session_kwargs),
    "govdigital-api:session-add-agreement": Row(
        "api",
        frozenset(SESSION_EDITORS),
        method="post",
        data={"text": "Se aprueba.", "votes_for": "1"},
        kwargs=session_kwargs,
        ok=(201,),
    ),
    "govdigital-api:risk-list": Row("api", RISKS),
    "govdigital-api:risk-heat-map": Row("api", RISKS),
    "govdigital-api:risk-detail": Row("api", RISKS, kwargs=risk_kwargs),
    "govdigital-api:risk-update": Row(
        "api",
        frozenset(RISK_EDITORS),
        method="post",
        data={"status": "en_tratamiento"},
        kwargs=risk_kwargs,
    ),
}
