"""The assets API answers what its published OpenAPI schema says (successes and errors)."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from django.db import transaction

from mapro.assets import testing
from mapro.core.testing import make_user

from .helpers import API, api

pytestmark = pytest.mark.django_db


def _nullable(node: Any) -> Any:
    """OpenAPI 3.0 ``nullable: true`` as JSON Schema (``type: [t, "null"]`` / ``anyOf``)."""
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


@pytest.fixture(scope="module")
def schema(django_db_setup: Any, django_db_blocker: Any) -> dict[str, Any]:
    with django_db_blocker.unblock(), transaction.atomic():  # leaves no row behind
        response = api().get(f"{API}/schema/", {"format": "json"})
        transaction.set_rollback(True)
    assert response.status_code == 200
    return _nullable(response.json())  # type: ignore[no-any-return]


def _check(schema: dict[str, Any], path: str, method: str, response: Any) -> None:
    operation = schema["paths"][path][method]
    status = str(response.status_code)
    assert status in operation["responses"], (path, method, status)
    body_schema = operation["responses"][status]["content"]["application/json"]["schema"]
    document = {**schema, **body_schema}
    jsonschema.validate(response.json(), document)


def test_phone_endpoints_match_the_schema(schema):
    redes = make_user("prof-redes")
    created = api(redes).post(f"{API}/phones/", {"kind": "ip", "serial": "S-1"}, format="json")
    _check(schema, "/api/v1/phones/", "post", created)
    pk = created.json()["id"]
    testing.other_unit()
    assigned = api(redes).post(
        f"{API}/phones/{pk}/assign/", {"holder_name": "Ana", "unit": "DGRRHH"}, format="json"
    )
    _check(schema, "/api/v1/phones/{id}/assign/", "post", assigned)
    clash = api(redes).post(
        f"{API}/phones/{pk}/assign/", {"holder_name": "Otro", "unit": "DGRRHH"}, format="json"
    )
    assert clash.status_code == 409
    _check(schema, "/api/v1/phones/{id}/assign/", "post", clash)
    bad = api(redes).post(f"{API}/phones/{pk}/return/", {}, format="json")
    assert bad.status_code == 400
    _check(schema, "/api/v1/phones/{id}/return/", "post", bad)
    _check(schema, "/api/v1/phones/", "get", api(redes).get(f"{API}/phones/"))
    _check(schema, "/api/v1/phones/{id}/", "get", api(redes).get(f"{API}/phones/{pk}/"))


def test_other_registers_match_the_schema(schema):
    soporte, jefe = make_user("resp-soporte"), make_user("jefe-ogtie")
    device = testing.returned_cert_device(testing.person("40000041"))
    _check(
        schema,
        "/api/v1/certificate-devices/{id}/",
        "get",
        api(soporte).get(f"{API}/certificate-devices/{device.pk}/"),
    )
    _check(
        schema,
        "/api/v1/certificate-devices/{id}/conformity/",
        "post",
        api(jefe).post(f"{API}/certificate-devices/{device.pk}/conformity/", {}, format="json"),
    )
    _check(
        schema,
        "/api/v1/certificate-devices/",
        "get",
        api(soporte).get(f"{API}/certificate-devices/"),
    )
    profesional = make_user("profesional-ogtie")
    restore = testing.restore_request(testing.other_unit())
    _check(
        schema,
        "/api/v1/restore-requests/{id}/outcome/",
        "post",
        api(profesional).post(
            f"{API}/restore-requests/{restore.pk}/outcome/",
            {"outcome": "fallida", "result": "Respaldo corrupto."},
            format="json",
        ),
    )
    _check(
        schema,
        "/api/v1/restore-requests/",
        "get",
        api(profesional).get(f"{API}/restore-requests/"),
    )
    tecnico = make_user("tecnico-especialista")
    created = api(tecnico).post(
        f"{API}/block-list/", {"kind": "ip", "value": "185.220.101.9", "ticket": "T"}, format="json"
    )
    _check(schema, "/api/v1/block-list/", "post", created)
    _check(
        schema,
        "/api/v1/block-list/{id}/deactivate/",
        "post",
        api(tecnico).post(
            f"{API}/block-list/{created.json()['id']}/deactivate/", {"reason": "x"}, format="json"
        ),
    )
    _check(schema, "/api/v1/block-list/", "get", api(tecnico).get(f"{API}/block-list/"))
