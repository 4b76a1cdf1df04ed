"""Pages and API list of the leaver alerts received: roles, filters, history, export, queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from mapro.core.testing import make_user
from mapro.core.xlsx import read_xlsx
from mapro.hr.testing import receive_alert
from mapro.iam.testing import make_account, make_person

pytestmark = pytest.mark.django_db


def _alerts(n: int) -> list[Any]:
    events = []
    for _ in range(n):
        person = make_person()
        make_account(person, kind="red")
        events.append(receive_alert(person))
    return events


def test_list_detail_and_export(published, client):
    events = _alerts(2)
    client.force_login(make_user("profesional-ogtie"))
    page = client.get("/recursos-humanos/alertas/")
    assert page.status_code == 200
    for event in events:
        assert event.event_id in page.content.decode()
    filtered = client.get(f"/recursos-humanos/alertas/?dni={events[0].dni}")
    assert events[1].event_id not in filtered.content.decode()
    detail = client.get(f"/recursos-humanos/alertas/{events[0].pk}/")
    text = detail.content.decode()
    assert "Historial de cambios" in text and "Cese recibido" in text
    export = client.get(f"/recursos-humanos/alertas/exportar/?dni={events[0].dni}")
    headers, rows = read_xlsx(export.content)
    assert headers[0] == "Id del evento"
    assert [(r[0], r[2], r[5], r[8]) for r in rows] == [
        (events[0].event_id, events[0].dni, "Cuentas", events[0].instance_id)
    ]
    assert client.get("/recursos-humanos/alertas/999999/").status_code == 404


def test_list_page_queries_do_not_grow_with_rows(published, client):
    _alerts(2)
    client.force_login(make_user("jefe-ogtie"))
    with CaptureQueriesContext(connection) as few:
        assert client.get("/recursos-humanos/alertas/").status_code == 200
    _alerts(4)
    with CaptureQueriesContext(connection) as more:
        assert client.get("/recursos-humanos/alertas/").status_code == 200
    assert len(more.captured_queries) == len(few.captured_queries)


def test_roles(published, client):
    event = _alerts(1)[0]
    client.force_login(make_user("personal"))
    assert client.get("/recursos-humanos/alertas/").status_code == 403
    assert client.get(f"/recursos-humanos/alertas/{event.pk}/").status_code == 403
    api = APIClient()
    api.force_authenticate(make_user("operador-mesa"))
    listed = api.get(f"/api/v1/hr/leaver-events/?dni={event.dni}")
    assert [e["event_id"] for e in listed.json()] == [event.event_id]
    api.force_authenticate(make_user("director-uo"))
    assert api.get("/api/v1/hr/leaver-events/").status_code == 403


def test_lists_are_paged_keeping_the_filters(published, client, monkeypatch):
    from mapro.hr import paging

    events = _alerts(3)
    client.force_login(make_user("jefe-ogtie"))
    monkeypatch.setattr(paging, "PAGE_SIZE", 2)
    first = client.get("/recursos-humanos/alertas/?kind=cuentas")
    second = client.get("/recursos-humanos/alertas/?kind=cuentas&pagina=2")
    assert "Página 1 de 2" in first.content.decode()
    assert "kind=cuentas&amp;pagina=2" in first.content.decode()
    shown = [e.event_id for e in events if e.event_id in second.content.decode()]
    assert shown == [events[0].event_id]  # newest first: the oldest is on page 2
