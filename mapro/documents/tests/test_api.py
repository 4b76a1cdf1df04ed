"""Documents API v1: list with filters (OGTIE staff), detail (staff and the instance's
starter), 400 naming the bad filter, 403/404/401 for the others; in the OpenAPI schema."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from mapro.core.testing import make_user
from mapro.documents.models import Document

pytestmark = pytest.mark.django_db
API = "/api/v1/documents/"


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_list_and_filters(oficio: Document) -> None:
    staff = client_for(make_user("coord-infraestructura"))
    body = staff.get(API).json()
    assert len(body) == 2  # the draft and the oficio
    numbers = {d["number"] for d in body}
    assert numbers == {"", oficio.number}
    only = staff.get(API, {"tipo": "Oficio", "procedimiento": "S04.02.00.03"}).json()
    assert [d["id"] for d in only] == [oficio.pk]
    assert only[0]["procedure"] == "S04.02.00.03"
    assert only[0]["body"][0] == ["N° de oficio (SISTRADOC)", oficio.body[0][1]]
    bad = staff.get(API, {"anio": "dos mil"})
    assert bad.status_code == 400
    assert "anio" in bad.json()["errors"]
    unknown = staff.get(API, {"procedimiento": "S99.99"})
    assert unknown.status_code == 400 and "procedimiento" in unknown.json()["errors"]


def test_list_forbidden_and_anonymous(own: Document, starter: Any) -> None:
    assert client_for(starter).get(API).status_code == 403
    assert client_for(make_user()).get(API).status_code == 403
    assert APIClient().get(API).status_code == 401


def test_detail_for_staff_and_starter_404_for_others(
    own: Document, oficio: Document, starter: Any
) -> None:
    url = f"{API}{own.pk}/"
    mine = client_for(starter).get(url)
    assert mine.status_code == 200
    assert mine.json()["number"] == own.number
    assert mine.json()["status"] == "emitido"
    assert mine.json()["kind"] == "Oficio de solicitud de equipos telefónicos"
    assert client_for(starter).get(f"{API}{oficio.pk}/").status_code == 404
    assert client_for(make_user("operador-mesa")).get(url).status_code == 200
    assert client_for(make_user("director-uo", unit=own.instance.unit)).get(url).status_code == 404
    assert client_for(make_user("personal")).get(url).status_code == 404
    assert APIClient().get(url).status_code == 401


def test_endpoints_are_in_the_schema() -> None:
    schema = client_for(make_user("jefe-ogtie")).get("/api/v1/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/documents/" in paths
    assert "/api/v1/documents/{id}/" in paths


def test_list_queries_do_not_grow_with_rows(oficio: Document) -> None:
    """The list (with each row's ``signed``) costs the same for 2 documents as for 6."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mapro.documents.testing import issued_oficio

    staff = client_for(make_user("coord-infraestructura"))
    staff.get(API)  # per-request caches (the caller's grants) warmed alike in both rounds
    with CaptureQueriesContext(connection) as few:
        assert len(staff.get(API).json()) == 2
    issued_oficio()
    issued_oficio()
    staff.get(API)
    with CaptureQueriesContext(connection) as more:
        assert len(staff.get(API).json()) == 6
    assert len(more.captured_queries) == len(few.captured_queries)
