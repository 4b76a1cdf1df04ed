"""API v1 of the register: list with filters and pages, detail, roles and scope, schema."""

import pytest
from rest_framework.test import APIClient

from mapro.core.testing import ensure_unit, make_user
from mapro.iam.actions import do_remove_account
from mapro.iam.testing import make_account, make_person

pytestmark = pytest.mark.django_db

URL = "/api/v1/accounts/"


def _client(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def accounts():
    dga = ensure_unit("DGA")
    ana = make_person("Ana", "Rojas Vela", dni="41000001")
    luis = make_person("Luis", "Soto Paz", unit=dga, dni="41000002")
    red = make_account(ana)
    vpn = make_account(luis, kind="vpn")
    do_remove_account(vpn, actor=None, reason="Cese")
    return {"red": red, "vpn": vpn, "dga": dga}


def test_list_and_filters(accounts):
    client = _client(make_user("coord-ciberseguridad"))
    response = client.get(URL)
    body = response.json()
    assert len(body) == 2 and "Link" not in response
    assert {r["account_name"] for r in body} == {"arojas", "lsoto"}
    removed = client.get(URL, {"status": "eliminada"}).json()
    assert [(r["account_name"], r["kind"], r["removal_reason"]) for r in removed] == [
        ("lsoto", "vpn", "Cese")
    ]
    assert removed[0]["person"] == {"name": "Luis Soto Paz", "dni": "41000002", "unit": "DGA"}
    assert len(client.get(URL, {"dni": "41000001"}).json()) == 1


def test_bad_filter_is_400_with_the_field():
    response = _client(make_user("jefe-ogtie")).get(URL, {"dni": "x", "status": "rara"})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"dni", "status"}


def test_detail_and_scope(accounts):
    red = accounts["red"]
    body = _client(make_user("prof-redes")).get(f"{URL}{red.pk}/").json()
    assert body["account_name"] == "arojas" and body["status_label"] == "Activa"
    director = make_user("director-uo", unit=accounts["dga"])
    assert _client(director).get(f"{URL}{red.pk}/").status_code == 404
    assert _client(director).get(f"{URL}{accounts['vpn'].pk}/").status_code == 200
    assert len(_client(director).get(URL).json()) == 1


def test_wrong_role_and_anonymous(accounts):
    assert _client(make_user("personal")).get(URL).status_code == 403
    assert _client(make_user("resp-calidad")).get(f"{URL}{accounts['red'].pk}/").status_code == 403
    assert _client().get(URL).status_code == 401


def test_endpoints_are_in_the_schema():
    schema = _client(make_user("jefe-ogtie")).get("/api/v1/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/accounts/" in paths and "/api/v1/accounts/{id}/" in paths


def test_list_query_count_does_not_grow(accounts, django_assert_num_queries):
    client = _client(make_user("jefe-ogtie"))
    client.get(URL)  # reads the user's grants once
    with django_assert_num_queries(3):  # page, tickets and instances prefetched
        client.get(URL)
    for n in range(6):
        make_account(make_person("Pedro", f"Luna{n} Paz"))
    with django_assert_num_queries(3):
        assert len(client.get(URL).json()) == 8


def _nullable(node):
    """OpenAPI 3.0 ``nullable: true`` as JSON Schema."""
    if isinstance(node, list):
        return [_nullable(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: _nullable(v) for k, v in node.items()}
    if node.pop("nullable", False):
        if "type" in node:
            node["type"] = [node["type"], "null"]
        else:
            return {"anyOf": [node, {"type": "null"}]}
    return node


def test_answers_match_the_published_schema(accounts):
    import jsonschema

    client = _client(make_user("jefe-ogtie"))
    schema = _nullable(client.get("/api/v1/schema/", {"format": "json"}).json())

    def check(path, response):
        operation = schema["paths"][path]["get"]
        status = str(response.status_code)
        assert status in operation["responses"], (path, status)
        body = operation["responses"][status]["content"]["application/json"]["schema"]
        jsonschema.validate(response.json(), {**schema, **body})

    check("/api/v1/accounts/", client.get(URL))
    check("/api/v1/accounts/", client.get(URL, {"dni": "x"}))
    check("/api/v1/accounts/{id}/", client.get(f"{URL}{accounts['vpn'].pk}/"))
    check("/api/v1/accounts/{id}/", client.get(f"{URL}999999/"))
    check("/api/v1/accounts/", _client(make_user("personal")).get(URL))
