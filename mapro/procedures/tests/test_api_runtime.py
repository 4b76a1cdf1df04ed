"""API v1 for procedures, instances and tasks: every status of design.md's table, each response
checked against the published OpenAPI schema."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from rest_framework.test import APIClient

from mapro.core.api.schema import SchemaGenerator
from mapro.procedures.models import Instance, TaskRecord, WorkItem, WorkItemState

from .runtime_helpers import FICHA, fresh

pytestmark = pytest.mark.django_db

API = "/api/v1"


# --- OpenAPI response checking ---------------------------------------------------------------


@pytest.fixture(scope="module")
def openapi() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _to_jsonschema(node: Any, components: dict[str, Any]) -> Any:
    """OpenAPI 3.0 schema → JSON Schema: inline $refs, turn ``nullable`` into a null type."""
    if isinstance(node, list):
        return [_to_jsonschema(n, components) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return _to_jsonschema(copy.deepcopy(components[name]), components)
    out = {k: _to_jsonschema(v, components) for k, v in node.items() if k != "nullable"}
    if node.get("nullable"):
        out = {"anyOf": [out, {"type": "null"}]}
    return out


def check_response(openapi: dict[str, Any], path: str, method: str, response: Any) -> None:
    """Assert the response's status is documented and its JSON body fits the documented schema."""
    operation = openapi["paths"][path][method]
    documented = operation["responses"]
    assert str(response.status_code) in documented, (path, method, response.status_code)
    content = documented[str(response.status_code)].get("content", {})
    if "application/json" not in content:
        return
    schema = _to_jsonschema(content["application/json"]["schema"], openapi["components"]["schemas"])
    errors = list(Draft202012Validator(schema).iter_errors(response.json()))
    assert not errors, [e.message for e in errors]


# --- helpers ---------------------------------------------------------------------------------


def client_for(user: Any | None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(fresh(user))
    return client


def start(people: Any, user: Any = None, body: Any = None) -> Any:
    payload = {"start": "solicitud", "data": {}} if body is None else body
    return client_for(user or people.requester).post(
        f"{API}/procedures/T.01/instances/", payload, format="json"
    )


def open_item(instance_id: int, n: int) -> WorkItem:
    return WorkItem.objects.get(instance_id=instance_id, n=n, state=WorkItemState.OPEN)


# --- procedures ------------------------------------------------------------------------------


def test_anonymous_gets_401_everywhere(people, t01):
    client = APIClient()
    for method, url in [
        ("get", f"{API}/procedures/"),
        ("get", f"{API}/procedures/T.01/"),
        ("get", f"{API}/procedures/T.01/bpmn/"),
        ("post", f"{API}/procedures/T.01/instances/"),
        ("get", f"{API}/instances/1/"),
        ("get", f"{API}/tasks/"),
        ("get", f"{API}/tasks/1/"),
        ("post", f"{API}/tasks/1/complete/"),
    ]:
        assert getattr(client, method)(url).status_code == 401, url


def test_procedure_list(people, t01, openapi):
    response = client_for(people.requester).get(f"{API}/procedures/")
    assert response.status_code == 200
    check_response(openapi, "/api/v1/procedures/", "get", response)
    [row] = response.json()
    assert row["code"] == "T.01"
    assert row["name"] == FICHA["name"]
    assert row["process"] == {"level1": "S04.01", "level2": None}
    assert row["version"] == "1"
    assert row["activities"][0] == {
        "n": 1,
        "name": "Registrar solicitud",
        "unit": "U.O.",
        "roles": ["personal"],
    }


def test_procedure_detail_and_404(people, t01, openapi):
    client = client_for(people.requester)
    response = client.get(f"{API}/procedures/T.01/")
    assert response.status_code == 200
    check_response(openapi, "/api/v1/procedures/{code}/", "get", response)
    body = response.json()
    assert [(s["key"], s["label"]) for s in body["starts"]] == [
        ("solicitud", "Solicitud del personal"),
        ("oficio", "Oficio de una unidad"),
    ]
    assert [(a["n"], a["roles"]) for a in body["activities"]] == [
        (a["n"], a["roles"]) for a in FICHA["activities"]
    ]
    assert body["activities"][1]["decision"]["field"] == "procede"
    assert body["objective"] == FICHA["objective"]
    missing = client.get(f"{API}/procedures/X.99/")
    assert missing.status_code == 404
    check_response(openapi, "/api/v1/procedures/{code}/", "get", missing)


def test_procedure_bpmn(people, t01):
    client = client_for(people.requester)
    response = client.get(f"{API}/procedures/T.01/bpmn/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert response.content.decode() == t01.bpmn_xml
    assert b'id="Process_T_01"' in response.content
    assert client.get(f"{API}/procedures/X.99/bpmn/").status_code == 404


# --- instances -------------------------------------------------------------------------------


def test_start_instance_201(people, t01, openapi):
    response = start(people, body={"start": "solicitud", "data": {"asunto": "VPN"}})
    assert response.status_code == 201, response.json()
    check_response(openapi, "/api/v1/procedures/{code}/instances/", "post", response)
    body = response.json()
    instance = Instance.objects.get(pk=body["id"])
    assert body["procedure"] == "T.01"
    assert body["status"] == "running"
    assert body["unit"] == "DIGEP"
    assert [(t["n"], t["roles"]) for t in body["tasks"]] == [(1, ["personal"])]
    assert body["history"] == []
    assert instance.started_by_id == people.requester.pk


@pytest.mark.parametrize(
    "body",
    [
        {"data": {}},  # two starts: the key is required
        {"start": "no-existe", "data": {}},
        {"start": "solicitud", "data": "texto"},
        {"start": "solicitud", "data": [1, 2]},
    ],
)
def test_start_instance_400(people, t01, openapi, body):
    response = start(people, body=body)
    assert response.status_code == 400
    check_response(openapi, "/api/v1/procedures/{code}/instances/", "post", response)
    assert response.json()["errors"]
    assert not Instance.objects.exists()


def test_start_instance_malformed_json_400(people, t01):
    response = client_for(people.requester).post(
        f"{API}/procedures/T.01/instances/", "{no es json", content_type="application/json"
    )
    assert response.status_code == 400
    assert not Instance.objects.exists()


def test_start_instance_403_and_404(people, t01, openapi):
    forbidden = start(people, user=people.requester, body={"start": "oficio"})
    assert forbidden.status_code == 403
    check_response(openapi, "/api/v1/procedures/{code}/instances/", "post", forbidden)
    missing = client_for(people.requester).post(
        f"{API}/procedures/X.99/instances/", {"data": {}}, format="json"
    )
    assert missing.status_code == 404
    assert not Instance.objects.exists()


def test_instance_detail_visibility(people, t01, openapi):
    instance_id = start(people).json()["id"]
    url = f"{API}/instances/{instance_id}/"
    for user in (people.requester, people.director, people.operador, people.jefe):
        response = client_for(user).get(url)
        assert response.status_code == 200, user.username
        check_response(openapi, "/api/v1/instances/{id}/", "get", response)
    for user in (people.outsider, people.director_otra, people.nobody):
        response = client_for(user).get(url)
        assert response.status_code == 404, user.username
    assert client_for(people.jefe).get(f"{API}/instances/999999/").status_code == 404


# --- tasks -----------------------------------------------------------------------------------


def test_task_list_is_the_callers_inbox(people, t01, openapi):
    mine = start(people).json()["id"]
    start(people, user=people.outsider)
    response = client_for(people.requester).get(f"{API}/tasks/")
    assert response.status_code == 200
    check_response(openapi, "/api/v1/tasks/", "get", response)
    assert [(t["instance"], t["n"], t["procedure"]) for t in response.json()] == [(mine, 1, "T.01")]
    assert client_for(people.operador).get(f"{API}/tasks/").json() == []


def test_task_list_query_count_is_constant(people, t01, django_assert_num_queries):
    for _ in range(8):
        start(people, user=people.operador, body={"start": "oficio"})
    client = client_for(people.operador)
    # forced auth: grants + inbox + the page's tickets (one batched query), nothing per row
    with django_assert_num_queries(3):
        response = client.get(f"{API}/tasks/")
    assert len(response.json()) == 8


def _next_link(response: Any) -> str | None:
    link = response.headers.get("Link")
    if link is None:
        return None
    assert link.endswith('>; rel="next"'), link
    return str(link[1 : link.index(">")])


def test_task_list_pages_with_a_next_link(people, t01, openapi):
    started = [start(people, user=people.operador, body={"start": "oficio"}).json()["id"]
               for _ in range(7)]  # fmt: skip
    client = client_for(people.operador)
    whole = client.get(f"{API}/tasks/")
    assert [t["instance"] for t in whole.json()] == started  # under the default 50: one page
    assert "Link" not in whole.headers and "X-Next-Cursor" not in whole.headers
    seen: list[int] = []
    url: str | None = f"{API}/tasks/?limit=3"
    pages = 0
    while url is not None:
        response = client.get(url)
        assert response.status_code == 200
        check_response(openapi, "/api/v1/tasks/", "get", response)
        seen += [t["instance"] for t in response.json()]
        pages += 1
        url = _next_link(response)
        if url is not None:
            assert url.startswith("http://testserver/api/v1/tasks/?")
            assert "limit=3" in url
            assert f"cursor={response.headers['X-Next-Cursor']}" in url
    assert (pages, seen) == (3, started)


def test_task_list_limit_and_cursor_are_checked(people, t01, openapi):
    for _ in range(3):
        start(people, user=people.operador, body={"start": "oficio"})
    client = client_for(people.operador)
    for query, field in [("limit=0", "limit"), ("limit=abc", "limit"), ("cursor=nada", "cursor")]:
        response = client.get(f"{API}/tasks/?{query}")
        assert response.status_code == 400, query
        check_response(openapi, "/api/v1/tasks/", "get", response)
        assert list(response.json()["errors"]) == [field]
    assert len(client.get(f"{API}/tasks/?limit=100000").json()) == 3  # at most 200 a page


def test_task_list_page_after_a_cursor_costs_the_same(people, t01, django_assert_num_queries):
    for _ in range(8):
        start(people, user=people.operador, body={"start": "oficio"})
    client = client_for(people.operador)
    cursor = client.get(f"{API}/tasks/?limit=5").headers["X-Next-Cursor"]
    client = client_for(people.operador)
    with django_assert_num_queries(3):  # forced auth: grants + the page + its tickets
        response = client.get(f"{API}/tasks/?limit=5&cursor={cursor}")
    assert len(response.json()) == 3
    assert "Link" not in response.headers


def test_task_detail_with_form(people, t01, openapi):
    instance_id = start(people, user=people.operador, body={"start": "oficio"}).json()["id"]
    item = open_item(instance_id, 2)
    response = client_for(people.operador).get(f"{API}/tasks/{item.pk}/")
    assert response.status_code == 200
    check_response(openapi, "/api/v1/tasks/{id}/", "get", response)
    body = response.json()
    assert (body["id"], body["instance"], body["n"], body["roles"]) == (
        item.pk,
        instance_id,
        2,
        ["operador-mesa"],
    )
    assert body["form"]["required"] == ["procede"]
    assert [o["const"] for o in body["form"]["properties"]["procede"]["oneOf"]] == ["si", "no"]
    # out of scope (a requester of another unit) and unknown: 404
    assert client_for(people.outsider).get(f"{API}/tasks/{item.pk}/").status_code == 404
    assert client_for(people.operador).get(f"{API}/tasks/999999/").status_code == 404


def test_complete_task_200_and_next_task(people, t01, openapi):
    instance_id = start(people).json()["id"]
    item = open_item(instance_id, 1)
    response = client_for(people.requester).post(
        f"{API}/tasks/{item.pk}/complete/", {"data": {"detalle": "Sin correo"}}, format="json"
    )
    assert response.status_code == 200, response.json()
    check_response(openapi, "/api/v1/tasks/{id}/complete/", "post", response)
    body = response.json()
    assert [t["n"] for t in body["tasks"]] == [2]
    assert [(h["n"], h["data"]) for h in body["history"]] == [(1, {"detalle": "Sin correo"})]
    assert body["history"][0]["completed_by"].startswith(people.requester.username)


def test_complete_task_400_with_field_errors_changes_nothing(people, t01, openapi):
    instance_id = start(people).json()["id"]
    item = open_item(instance_id, 1)
    version = Instance.objects.get(pk=instance_id).version
    response = client_for(people.requester).post(
        f"{API}/tasks/{item.pk}/complete/",
        {"data": {"detalle": "", "otro": 1}},
        format="json",
    )
    assert response.status_code == 400
    check_response(openapi, "/api/v1/tasks/{id}/complete/", "post", response)
    errors = response.json()["errors"]
    assert set(errors) == {"detalle", "otro"}
    assert Instance.objects.get(pk=instance_id).version == version
    item.refresh_from_db()
    assert item.state == WorkItemState.OPEN
    assert not TaskRecord.objects.exists()


@pytest.mark.parametrize("payload", ['{"data": ', "[1, 2]", '{"data": "texto"}'])
def test_complete_task_malformed_body_400(people, t01, payload):
    instance_id = start(people).json()["id"]
    item = open_item(instance_id, 1)
    response = client_for(people.requester).post(
        f"{API}/tasks/{item.pk}/complete/", payload, content_type="application/json"
    )
    assert response.status_code == 400
    item.refresh_from_db()
    assert item.state == WorkItemState.OPEN


def test_complete_task_403_404_409(people, t01, openapi):
    instance_id = start(people).json()["id"]
    item = open_item(instance_id, 1)
    url = f"{API}/tasks/{item.pk}/complete/"
    body = {"data": {"detalle": "x"}}
    wrong_role = client_for(people.operador).post(url, body, format="json")
    assert wrong_role.status_code == 403
    check_response(openapi, "/api/v1/tasks/{id}/complete/", "post", wrong_role)
    out_of_scope = client_for(people.outsider).post(url, body, format="json")
    assert out_of_scope.status_code == 404
    check_response(openapi, "/api/v1/tasks/{id}/complete/", "post", out_of_scope)
    unknown = client_for(people.requester).post(
        f"{API}/tasks/999999/complete/", body, format="json"
    )
    assert unknown.status_code == 404
    assert client_for(people.requester).post(url, body, format="json").status_code == 200
    again = client_for(people.requester).post(url, body, format="json")
    assert again.status_code == 409
    check_response(openapi, "/api/v1/tasks/{id}/complete/", "post", again)
    assert TaskRecord.objects.count() == 1


def test_schema_documents_the_v1_endpoints(people, openapi):
    paths = openapi["paths"]
    for path, method in [
        ("/api/v1/procedures/", "get"),
        ("/api/v1/procedures/{code}/", "get"),
        ("/api/v1/procedures/{code}/bpmn/", "get"),
        ("/api/v1/procedures/{code}/instances/", "post"),
        ("/api/v1/instances/{id}/", "get"),
        ("/api/v1/tasks/", "get"),
        ("/api/v1/tasks/{id}/", "get"),
        ("/api/v1/tasks/{id}/complete/", "post"),
    ]:
        assert method in paths[path], path
    complete = paths["/api/v1/tasks/{id}/complete/"]["post"]["responses"]
    assert {"200", "400", "403", "404", "409"} <= set(complete)
    assert (
        "application/xml"
        in paths["/api/v1/procedures/{code}/bpmn/"]["get"]["responses"]["200"]["content"]
    )
    response = client_for(people.requester).get(f"{API}/schema/")
    assert response.status_code == 200


def test_response_check_catches_a_wrong_body(openapi):
    class Fake:
        status_code = 200

        @staticmethod
        def json():
            return [{"code": 1}]

    with pytest.raises(AssertionError):
        check_response(openapi, "/api/v1/procedures/", "get", Fake())
    Fake.status_code = 418
    with pytest.raises(AssertionError):
        check_response(openapi, "/api/v1/procedures/", "get", Fake())
