"""API v1 for tickets: status codes, field errors, multipart creation, the OpenAPI schema."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from rest_framework.test import APIClient

from mapro.core.api.schema import SchemaGenerator
from mapro.helpdesk.models import Ticket
from mapro.helpdesk.testing import ticket_in_status

from .helpers import PDF_BYTES, category, requester_user, staff_user, upload

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.fixture(scope="module")
def openapi() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _to_jsonschema(node: Any, components: dict[str, Any]) -> Any:
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


def check(openapi: dict[str, Any], path: str, method: str, response: Any) -> None:
    """The status is documented and the JSON body fits the documented schema."""
    documented = openapi["paths"][path][method]["responses"]
    assert str(response.status_code) in documented, (path, method, response.status_code)
    content = documented[str(response.status_code)].get("content", {})
    if "application/json" not in content:
        return
    schema = _to_jsonschema(content["application/json"]["schema"], openapi["components"]["schemas"])
    errors = list(Draft202012Validator(schema).iter_errors(response.json()))
    assert not errors, [e.message for e in errors]


def client(user: Any) -> APIClient:
    api = APIClient()
    api.force_login(user)
    return api


def test_schema_documents_every_ticket_endpoint(openapi):
    paths = openapi["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/tickets/"])
    for action in [
        "assign",
        "start",
        "hold",
        "return",
        "add-information",
        "comment",
        "resolve",
        "confirm",
        "reject",
        "close",
        "reopen",
    ]:
        assert "post" in paths[f"/api/v1/tickets/{{number}}/{action}/"], action
    assert "/api/v1/tickets/{number}/attachments/{id}/download/" in paths
    params = {p["name"] for p in paths["/api/v1/tickets/"]["get"]["parameters"]}
    assert {"q", "status", "category", "priority", "team", "assignee", "unit", "overdue"} <= params
    assert "cursor" in params


def test_create_json_201_and_detail(org, openapi):
    user = requester_user()
    body = {
        "category": "soporte-tecnico",
        "subject": "No enciende la PC",
        "description": "La PC de la oficina 204 no enciende.",
        "impact": "medio",
        "urgency": "alta",
        "data": {"ubicacion": "Oficina 204"},
    }
    response = client(user).post(f"{API}/tickets/", body, format="json")
    check(openapi, "/api/v1/tickets/", "post", response)
    assert response.status_code == 201
    created = response.json()
    assert created["status"] == "registrado" and created["priority"] == "alta"
    assert created["actions"][0]["kind"] == "created"
    detail = client(user).get(f"{API}/tickets/{created['number']}/")
    check(openapi, "/api/v1/tickets/{number}/", "get", detail)
    assert detail.json()["number"] == created["number"]


def test_create_multipart_with_required_files(org):
    user = requester_user()
    response = client(user).post(
        f"{API}/tickets/",
        {
            "category": "certificado-digital",
            "subject": "Certificado digital",
            "description": "Solicito mi certificado.",
            "data": json.dumps({}),
            "declaracion_jurada": upload("dj.pdf"),
            "archivos": [upload("dni.pdf")],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    files = {a["field"]: a for a in response.json()["attachments"]}
    assert set(files) == {"declaracion_jurada", ""}
    download = client(user).get(files["declaracion_jurada"]["download_url"])
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_create_without_requirements_is_400_naming_them(org, openapi):
    user = requester_user()
    response = client(user).post(
        f"{API}/tickets/",
        {"category": "cuentas-vpn", "subject": "VPN", "description": "Necesito VPN."},
        format="json",
    )
    check(openapi, "/api/v1/tickets/", "post", response)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"cuenta", "acta", "cibersoldado"}
    assert "Falta «Acta de aceptación de riesgos" in errors["acta"][0]
    assert Ticket.objects.count() == 0


def test_transitions_answer_200_400_403_404_409(org, openapi):
    requester, stranger = requester_user(), requester_user()
    desk, tech = staff_user("operador-mesa"), staff_user("resp-soporte")
    ticket = ticket_in_status(
        requester.person, category=category("soporte-tecnico"), data={"ubicacion": "P1"}
    )
    base = f"{API}/tickets/{ticket.number}"
    path = "/api/v1/tickets/{number}/%s/"

    r = client(stranger).post(f"{base}/assign/", {"team": "OGTIE"}, format="json")
    check(openapi, path % "assign", "post", r)
    assert r.status_code == 404
    r = client(requester).post(f"{base}/assign/", {"team": "OGTIE"}, format="json")
    check(openapi, path % "assign", "post", r)
    assert r.status_code == 403
    r = client(desk).post(f"{base}/assign/", {}, format="json")
    assert r.status_code == 400 and "team" in r.json()["errors"]
    r = client(desk).post(f"{base}/assign/", {"assignee": tech.username}, format="json")
    check(openapi, path % "assign", "post", r)
    assert r.status_code == 200 and r.json()["assignee"]["username"] == tech.username

    r = client(tech).post(f"{base}/hold/", {"reason": "x"}, format="json")
    check(openapi, path % "hold", "post", r)
    assert r.status_code == 409 and "asignado" in r.json()["detail"]
    r = client(tech).post(f"{base}/start/", {}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "en_atencion"
    r = client(tech).post(f"{base}/hold/", {"reason": ""}, format="json")
    assert r.status_code == 400
    r = client(tech).post(f"{base}/hold/", {"reason": "¿Número de anexo?"}, format="json")
    assert r.status_code == 200 and r.json()["paused"] is True
    r = client(requester).post(f"{base}/add-information/", {"body": "Anexo 4567"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "en_atencion"
    r = client(tech).post(
        f"{base}/comment/", {"body": "Diagnóstico", "internal": True}, format="json"
    )
    assert r.status_code == 200
    r = client(tech).post(f"{base}/resolve/", {"solution": "Cambio de cable."}, format="json")
    check(openapi, path % "resolve", "post", r)
    assert r.status_code == 200 and r.json()["status"] == "resuelto"
    r = client(requester).post(f"{base}/reject/", {"reason": "Sigue sin red."}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "en_atencion"
    assert all(not a["internal"] for a in r.json()["actions"])  # the note stays hidden
    client(tech).post(f"{base}/resolve/", {"solution": "Se cambió el switch."}, format="json")
    r = client(requester).post(f"{base}/confirm/", {}, format="json")
    check(openapi, path % "confirm", "post", r)
    assert r.status_code == 200 and r.json()["status"] == "cerrado"
    r = client(tech).post(f"{base}/comment/", {"body": "¿Todo bien?"}, format="json")
    assert r.status_code == 409
    r = client(requester).post(f"{base}/reopen/", {"reason": "Falla de nuevo."}, format="json")
    check(openapi, path % "reopen", "post", r)
    assert r.status_code == 200 and r.json()["status"] == "asignado"


def test_list_is_a_keyset_page_in_schema(org, openapi):
    desk = staff_user("operador-mesa")
    person = requester_user().person
    for _ in range(3):
        ticket_in_status(person)
    r = client(desk).get(f"{API}/tickets/", {"limit": 2})
    check(openapi, "/api/v1/tickets/", "get", r)
    assert len(r.json()) == 2 and r["X-Next-Cursor"]
    assert f"cursor={r['X-Next-Cursor']}" in r["Link"] and "limit=2" in r["Link"]
    r = client(desk).get(f"{API}/tickets/", {"limit": 2, "cursor": r["X-Next-Cursor"]})
    assert len(r.json()) == 1 and "Link" not in r
    r = client(desk).get(f"{API}/tickets/", {"status": "nada"})
    check(openapi, "/api/v1/tickets/", "get", r)
    assert r.status_code == 400 and "status" in r.json()["errors"]


def test_bulk_assign_is_all_or_nothing(org):
    desk = staff_user("operador-mesa")
    person = requester_user().person
    ok = ticket_in_status(person)
    closed = ticket_in_status(person, "cerrado")
    body = {"numbers": [ok.number, closed.number], "team": "OGTIE-INFRAESTRUCTURA"}
    r = client(desk).post(f"{API}/tickets/bulk-assign/", body, format="json")
    assert r.status_code == 409
    ok.refresh_from_db()
    assert ok.status == "registrado"
    body["numbers"] = [ok.number]
    r = client(desk).post(f"{API}/tickets/bulk-assign/", body, format="json")
    assert r.status_code == 200 and r.json()[0]["team"]["code"] == "OGTIE-INFRAESTRUCTURA"


def test_categories_list_their_requirements(org):
    r = client(requester_user()).get(f"{API}/ticket-categories/")
    assert r.status_code == 200
    vpn = next(c for c in r.json() if c["code"] == "cuentas-vpn")
    assert vpn["parent"] == "cuentas" and vpn["procedure_code"] == "S04.03.01.01"
    assert set(vpn["requirements"]["required"]) == {"cuenta", "acta", "cibersoldado"}
