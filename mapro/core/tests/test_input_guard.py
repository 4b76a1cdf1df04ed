"""NUL bytes and other invalid characters in any query parameter: 400 naming it, on the API and
the pages alike (issue 13, item 7), instead of a 500 from the database."""

from __future__ import annotations

import pytest

from mapro.core.testing import make_user

pytestmark = pytest.mark.django_db

API_CASES = [
    ("/api/v1/documents/?q=%00", "q"),
    ("/api/v1/documents/?tipo=a%00b", "tipo"),
    ("/api/v1/documents/?procedimiento=%00", "procedimiento"),
    ("/api/v1/hr/leaver-events/?dni=%00", "dni"),
    ("/api/v1/knowledge/suggestions/?categoria=%00", "categoria"),
    ("/api/v1/tickets/?search=%01x", "search"),
    ("/api/v1/tickets/?q=%FF%FE", "q"),  # not UTF-8
]


@pytest.mark.parametrize(("url", "field"), API_CASES)
def test_api_answers_400_naming_the_parameter(client, url, field):
    client.force_login(make_user("jefe-ogtie"))
    response = client.get(url)
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["errors"] == {field: ["Contiene caracteres no válidos (p. ej. un byte nulo)."]}
    assert field in body["detail"]


def test_pages_answer_400_naming_the_parameter(client):
    client.force_login(make_user("jefe-ogtie"))
    response = client.get("/documentos/?q=%00&estado=ok")
    assert response.status_code == 400
    text = response.content.decode()
    assert "Solicitud no válida" in text and "q: Contiene caracteres no válidos" in text
    assert "estado:" not in text  # only the bad parameter is named


def test_ordinary_text_tabs_and_accents_pass(client):
    client.force_login(make_user("jefe-ogtie"))
    assert client.get("/api/v1/documents/?q=caf%C3%A9%09a%0Ab").status_code == 200
    assert client.get("/documentos/?q=Resoluci%C3%B3n").status_code == 200


def test_anonymous_requests_are_refused_the_same_way(client):
    response = client.get("/api/v1/documents/?q=%00")
    assert response.status_code == 400
