"""Rows of the URL permission matrix for the run records."""

from __future__ import annotations

from mapro.core.tests.access_matrix import Row
from mapro.operations.access import READ_ROLES, RECORD_ROLES, TOKEN_ROLES
from mapro.operations.testing import evidence_run_kwargs, run_kwargs, token_kwargs

ROWS: dict[str, Row] = {
    "operations:run_list": Row("html", READ_ROLES),
    "operations:run_export": Row("html", READ_ROLES),
    "operations:run_detail": Row("html", READ_ROLES, kwargs=run_kwargs),
    "operations:run_evidence": Row("html", READ_ROLES, kwargs=evidence_run_kwargs),
    "operations:run_correct": Row(
        "html",
        RECORD_ROLES,
        method="post",
        kwargs=run_kwargs,
        data={"corrective_action": "Se re-ejecutó la copia."},
        ok=(302,),
    ),
    "operations-api:run-list": Row("api", READ_ROLES),
    "operations-api:run-detail": Row("api", READ_ROLES, kwargs=run_kwargs),
    "operations-api:run-evidence": Row("api", READ_ROLES, kwargs=evidence_run_kwargs),
    "operations-api:run-correction": Row(
        "api",
        RECORD_ROLES,
        method="post",
        kwargs=run_kwargs,
        data={"corrective_action": "Se re-ejecutó la copia."},
    ),
    "operations-api:token-list": Row("api", TOKEN_ROLES),
    "operations-api:token-revoke": Row("api", TOKEN_ROLES, method="post", kwargs=token_kwargs),
}
