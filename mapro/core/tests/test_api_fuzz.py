"""Schemathesis over every operation of ``/api/v1/schema/`` (issue 13), bounded to stay fast.

Each operation gets a few generated requests (fixed seed: the same cases at every run, so a
failure is never a fluke of one CI run) sent in-process to the WSGI application by a user who
holds the OGTIE head's role and is a superuser (the widest access, so the most code runs).
Every answer must be no server error and conform to the schema: status code documented,
content type and body as documented. ``KNOWN`` lists what it found that is not fixed yet,
with the reason; docs/api.md records them.

Run on PostgreSQL only (``one_database``: CI's SQLite leg leaves it out): the contract under
random input is checked against the production database, the stricter of the two (integer
ranges, string lengths, encodings), and it is the suite's most expensive test.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.signals import request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from mapro.accounts.actions import do_issue_api_token
from mapro.core.testing import make_user
from mapro.wsgi import application

#: What is checked: no 5xx, and status code, content type, headers and body as documented.
#: Not "a schema-valid request is accepted": a body can match the schema and still be refused
#: with a documented 400 (a DNI of 8 digits that names no person, a unit code that does not
#: exist, an end date before the start), which is the API doing its job.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

#: (method, path) → why it is left out of the run for now (found by this test, 2026-12-07).
KNOWN: dict[tuple[str, str], str] = {}

pytestmark = pytest.mark.one_database


@pytest.fixture(scope="module")
def api_schema(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), transaction.atomic():
        client = APIClient()
        client.force_authenticate(make_user("jefe-ogtie"))
        response = client.get("/api/v1/schema/", {"format": "json"})
        transaction.set_rollback(True)
    assert response.status_code == 200
    loaded = schemathesis.openapi.from_dict(response.json())
    loaded.app = application
    return loaded.exclude(
        func=lambda ctx: (ctx.operation.method.upper(), ctx.operation.path) in KNOWN
    )


@pytest.fixture
def token(db: Any, settings: Any) -> str:
    settings.HR_WEBHOOK_SECRET = "secreto-de-prueba"  # else the webhook is 503 by design
    user = make_user("jefe-ogtie", is_superuser=True)
    return do_issue_api_token(user, actor=user)[1]


def _run(operation: Any, headers: dict[str, str]) -> None:
    @given(operation.as_strategy())
    @hypothesis_settings(
        max_examples=3,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def each(case: Any) -> None:
        # Every case in a savepoint rolled back: cases never see each other's rows, and a
        # database error in one cannot abort the test's transaction.
        case.headers = {**(case.headers or {}), **headers}
        case.cookies = {}
        with transaction.atomic():
            case.call_and_validate(checks=CHECKS)
            transaction.set_rollback(True)

    each()


@pytest.fixture
def keep_connection() -> Any:
    """Keep the test's database connection across the in-process requests.

    The WSGI application runs Django's ``close_old_connections`` on every request; inside the
    test's transaction (autocommit off) that closes the connection, and on PostgreSQL the next
    query fails ("the connection is closed"). Django's test client unhooks it the same way.
    """
    request_started.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)


def test_every_operation_answers_without_server_error_and_as_documented(
    api_schema, token, keep_connection
):
    failures: dict[str, str] = {}
    for result in api_schema.get_all_operations():
        operation = result.ok()
        try:
            _run(operation, {"Authorization": f"Token {token}"})
        except (Exception, BaseExceptionGroup) as exc:  # each operation's failure, all reported
            failures[f"{operation.method.upper()} {operation.path}"] = str(exc)[:2000]
    assert failures == {}, "\n\n".join(f"{k}: {v}" for k, v in failures.items())
