"""The incident and knowledge answers fit the OpenAPI schema the project publishes."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from mapro.core.api.schema import SchemaGenerator
from mapro.core.testing import make_user
from mapro.helpdesk.tests.test_api import check
from mapro.incidents.choices import Kind
from mapro.incidents.testing import make_incident
from mapro.knowledge.testing import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def openapi() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_incident_answers_fit_the_schema(units, openapi):
    incident = make_incident(Kind.SEGURIDAD)
    client = api(make_user("coord-ciberseguridad"))
    check(openapi, "/api/v1/incidents/", "get", client.get("/api/v1/incidents/"))
    path = "/api/v1/incidents/{code}/"
    check(openapi, path, "get", client.get(f"/api/v1/incidents/{incident.code}/"))
    action = client.post(
        f"/api/v1/incidents/{incident.code}/actions/",
        {"phase": "contencion", "description": "Aislamiento."},
        format="json",
    )
    assert action.status_code == 200
    check(openapi, "/api/v1/incidents/{code}/actions/", "post", action)
    bad = client.post(f"/api/v1/incidents/{incident.code}/close/", {}, format="json")
    assert bad.status_code == 400
    check(openapi, "/api/v1/incidents/{code}/close/", "post", bad)
    created = client.post(
        "/api/v1/incidents/",
        {
            "kind": "seguridad",
            "title": "Phishing dirigido",
            "description": "Correo con enlace falso al personal de DGA.",
            "origin": "ogtie",
            "detection_source": "alerta_seguridad",
            "detected_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
        },
        format="json",
    )
    assert created.status_code == 201
    check(openapi, "/api/v1/incidents/", "post", created)
    missing = api(make_user("resp-infraestructura")).get(f"/api/v1/incidents/{incident.code}/")
    assert missing.status_code == 404
    check(openapi, path, "get", missing)


def test_knowledge_answers_fit_the_schema(units, openapi):
    article = make_article()
    client = api(make_user("personal"))
    check(openapi, "/api/v1/knowledge/articles/", "get", client.get("/api/v1/knowledge/articles/"))
    check(
        openapi,
        "/api/v1/knowledge/articles/{id}/",
        "get",
        client.get(f"/api/v1/knowledge/articles/{article.pk}/"),
    )
    check(
        openapi,
        "/api/v1/knowledge/suggestions/",
        "get",
        client.get("/api/v1/knowledge/suggestions/?q=impresora"),
    )
    draft = make_article(published=False, title="Borrador")
    published = api(make_user("jefe-ogtie")).post(f"/api/v1/knowledge/articles/{draft.pk}/publish/")
    assert published.status_code == 200
    check(openapi, "/api/v1/knowledge/articles/{id}/publish/", "post", published)


def test_a_ticket_out_of_reach_in_the_body_is_a_documented_400(units, openapi):
    """Not the undocumented 404 Schemathesis found (issue #13, item 9)."""
    client = api(make_user("coord-ciberseguridad"))
    response = client.post(
        "/api/v1/incidents/",
        {
            "kind": "seguridad",
            "title": "Phishing",
            "description": "Correo con enlace falso.",
            "origin": "ogtie",
            "detection_source": "alerta_seguridad",
            "detected_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
            "ticket": "MA-2026-999999",
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"ticket"}
    check(openapi, "/api/v1/incidents/", "post", response)
