"""``Server-Timing`` (``SERVER_TIMING=1``): server time and the SQL statements of a request,
what ``bench/bench_pages.py`` reads over HTTP; off by default."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mapro.core.testing import make_user

pytestmark = pytest.mark.django_db


def test_off_by_default(client):
    client.force_login(make_user("operador-mesa"))
    response = client.get("/tareas/")
    assert response.status_code == 200
    assert "Server-Timing" not in response


def test_reports_server_time_and_every_statement(settings):
    settings.SERVER_TIMING = True
    client = Client()  # a new handler: the middleware reads the setting when it is built
    client.force_login(make_user("operador-mesa"))
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/tareas/")
    assert response.status_code == 200
    match = re.fullmatch(
        r'app;dur=(\d+\.\d\d), db;dur=(\d+\.\d\d);desc="(\d+)", cpu;dur=(\d+\.\d\d)',
        response["Server-Timing"],
    )
    assert match, response["Server-Timing"]
    app, db, statements = float(match[1]), float(match[2]), int(match[3])
    assert statements == len(captured.captured_queries) > 0
    assert 0 < db <= app
    assert float(match[4]) > 0
