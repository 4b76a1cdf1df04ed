"""Every API list endpoint, found in the published schema, follows docs/api.md "Lists":

- answers a JSON array that fits the schema, pages with ``limit``/``cursor`` and
  ``Link: rel="next"`` (following the links yields every row once);
- answers a bad filter value, a bad ``limit`` or ``cursor`` and an unknown parameter with 400
  naming the parameter, in the one error body, also checked against the schema.

The endpoints are read from the schema (every GET answering a JSON array), so a list added later
is tested without touching this file; ``test_every_list_endpoint_is_covered`` fails if one has
no reader here, or, for a list under one object (``/tickets/{number}/attachments/``), no way to
reach one in ``NESTED``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import jsonschema
import pytest
from django.db import transaction
from rest_framework.test import APIClient

from mapro.core.testing import ensure_unit, make_user

pytestmark = pytest.mark.django_db

# A role that reads each list (the first that answers 200 is used).
READERS = (
    "jefe-ogtie",
    "coord-infraestructura",
    "coord-ciberseguridad",
    "operador-mesa",
    "resp-soporte",
    "prof-redes",
)
# Lists whose rows are a role's own (the inbox).
OWN_READER = {"/api/v1/tasks/": ("coord-innovacion",)}
# Lists that are short catalogues (no keyset page); they still refuse unknown parameters.
CATALOGUES = {
    "/api/v1/procedures/",
    "/api/v1/ticket-categories/",
    "/api/v1/datacenter/entries/open/",
    "/api/v1/knowledge/suggestions/",
    "/api/v1/statistics/datasets/",
    "/api/v1/statistics/designations/",
    "/api/v1/ticket-surveys/report/",
    "/api/v1/plans/calendar/",
    "/api/v1/tickets/{number}/attachments/",
}


def _ticket_attachments() -> str:
    """A ticket with two attachments (its requester's own), the URL of its list."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mapro.helpdesk.actions import do_attach_file
    from mapro.helpdesk.testing import ticket_in_status

    ticket = ticket_in_status(make_user("personal").person)
    files = [SimpleUploadedFile(f"nota{n}.txt", b"Detalle.\n", "text/plain") for n in (1, 2)]
    do_attach_file(ticket, actor=None, files=files)
    return f"/api/v1/tickets/{ticket.number}/attachments/"


# Lists under one object (a path parameter): how to reach one that has rows.
NESTED = {"/api/v1/tickets/{number}/attachments/": _ticket_attachments}
# A value each kind of parameter cannot take.
BAD_BY_TYPE = {"integer": "uno", "boolean": "quizas", "date": "2026-13-45"}


def _nullable(node: Any) -> Any:
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


@pytest.fixture(scope="module")
def schema(django_db_setup: Any, django_db_blocker: Any) -> dict[str, Any]:
    # Outside any test's transaction: roll back what it writes (the user) so that no row
    # outlives this module in the worker's database.
    with django_db_blocker.unblock(), transaction.atomic():
        client = APIClient()
        client.force_authenticate(make_user("jefe-ogtie"))
        response = client.get("/api/v1/schema/", {"format": "json"})
        transaction.set_rollback(True)
    assert response.status_code == 200
    return _nullable(response.json())  # type: ignore[no-any-return]


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _list_paths(schema: dict[str, Any]) -> list[str]:
    found = []
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if get is None:
            continue
        body = get["responses"].get("200", {}).get("content", {}).get("application/json")
        if body and _resolve(schema, body["schema"]).get("type") == "array":
            found.append(path)
    return sorted(found)


def _url(path: str) -> str:
    """Where to ask for the list ``path`` (a nested list: one of an object made now)."""
    return NESTED[path]() if "{" in path else path


def check(schema: dict[str, Any], path: str, response: Any) -> None:
    """The answer is documented for its status and fits the documented body."""
    operation = schema["paths"][path]["get"]
    status = str(response.status_code)
    assert status in operation["responses"], (path, status, response.content[:300])
    body = operation["responses"][status]["content"]["application/json"]["schema"]
    jsonschema.validate(response.json(), {**schema, **body})


@pytest.fixture
def rows(settings: Any, tmp_path: Any) -> None:
    """Two rows (at least) in every list, made through the product's own actions."""
    from mapro.assets import testing as assets
    from mapro.datacenter.testing import contractor_visit, open_entry
    from mapro.documents.testing import issued_oficio, started_instance
    from mapro.govdigital import testing as govdigital
    from mapro.helpdesk.seeding import seed_categories
    from mapro.helpdesk.testing import ticket_in_status
    from mapro.hr.testing import make_reconciliation, receive_alert
    from mapro.iam.testing import make_account, make_person
    from mapro.incidents.testing import make_incident
    from mapro.knowledge.testing import make_article
    from mapro.organization.seeding import load_organization
    from mapro.schedules.testing import make_schedule

    settings.MEDIA_ROOT = tmp_path / "media"
    load_organization()
    seed_categories()
    requester = make_person("Rosa", "Quispe Mamani", dni="41000011")
    for n in range(3):
        ticket_in_status(requester)
        make_incident(detected_at=dt.datetime(2026, 3, 1 + n, 9, tzinfo=dt.UTC))
        make_article(title=f"Impresora {n} no imprime")
        make_account(make_person("Ana", f"Rojas{n} Vela", dni=f"4200000{n}"))
        open_entry(contractor_visit(company=f"Empresa {n} S.A.C."))
        assets.new_phone()
        assets.new_cert_device()
        assets.restore_request(ensure_unit("DGA"))
        assets.block_entry(f"phish-{n}.example")
        make_schedule(name=f"Cronograma {n}")
    make_reconciliation(period="2026-I")
    make_reconciliation(period="2026-II")
    for n in range(2):
        receive_alert(event_id=f"evt-{n}")
        issued_oficio()
        started_instance()  # an open task of coord-innovacion
        govdigital.make_plan()  # a plan and its project
        govdigital.make_risk()
        govdigital.session_kwargs(None)
    statistics_rows()
    inventory_rows()
    systems_rows()
    operations_rows()
    sgsi_rows()


def sgsi_rows() -> None:
    """Two SGSI documents (each with a version) and two information assets."""
    from mapro.sgsi.testing import information_asset, sgsi_document

    for n in range(2):
        sgsi_document(f"SGSI-POL-00{n + 1}")
        information_asset(f"SN-000{n + 1}")


def inventory_rows() -> None:
    """Two equipment of the inventory, each with a maintenance."""
    from mapro.inventory.actions import do_record_maintenance
    from mapro.inventory.testing import new_equipment

    for n in range(2):
        printer = new_equipment("impresora", ensure_unit("DGA"), code=f"IMP-L{n}")
        do_record_maintenance(
            printer,
            kind="preventivo",
            scheduled_on=dt.date(2026, 3, 1 + n),
            actor=None,
            check=False,
        )


def systems_rows() -> None:
    """Two systems, each with a release, a matrix row and a quality report; two gates."""
    from mapro.systems import actions as systems
    from mapro.systems.testing import make_change, make_report, make_system

    for code in ("SIGEDOC", "SIGA"):
        system = make_system(code, unit=ensure_unit("DGA"))
        systems.do_register_release(system, version="1.0", actor=None, check=False)
        make_change(system)
        make_report(system, "zap-report.json")
    coord = make_user("coord-innovacion")
    for tool in ("sonarqube", "zap"):
        systems.do_set_quality_gate(team="", tool=tool, thresholds={}, actor=coord)


def operations_rows() -> None:
    """Two annual cronogramas, two run records and two run tokens."""
    from mapro.operations.testing import make_run, token_kwargs
    from mapro.schedules.testing_plans import make_plan

    for n in range(2):
        make_plan(year=2030 + n, approved=False)
        make_run(outcome="ok")
        token_kwargs(None)


def statistics_rows() -> None:
    """Two cronograma entries and two submissions of the sector's statistics."""
    from mapro.statistics.actions import do_submit
    from mapro.statistics.testing import approved_calendar, datasets, personal_csv, representative

    datasets()
    rep = representative("EP")
    approved_calendar(organs=["EP"])
    for _ in range(2):
        do_submit(
            dataset="personal",
            organization="EP",
            period="2026",
            content=personal_csv(),
            filename="p.csv",
            actor=rep,
        )


def _reader(path: str, cache: dict[str, APIClient]) -> APIClient | None:
    for role in (*OWN_READER.get(path, ()), *READERS):
        client = cache.get(role)
        if client is None:
            client = cache[role] = APIClient()
            client.force_authenticate(make_user(role))
        if client.get(path).status_code == 200:
            return client
    return None


@pytest.fixture
def readers() -> Any:
    cache: dict[str, APIClient] = {}
    return lambda path: _reader(path, cache)


def test_every_list_endpoint_is_covered(schema, readers):
    paths = _list_paths(schema)
    assert "/api/v1/tickets/" in paths and "/api/v1/incidents/" in paths, paths
    assert [p for p in paths if "{" in p and p not in NESTED] == [], "add it to NESTED"
    assert [p for p in paths if readers(_url(p)) is None] == []


def test_every_list_fits_the_schema_and_pages_by_link(schema, rows, readers):
    problems = []
    for path in _list_paths(schema):
        start = _url(path)
        client = readers(start)
        whole = client.get(start, {"limit": 200} if path not in CATALOGUES else {})
        check(schema, path, whole)
        everything = whole.json()
        if path in CATALOGUES:
            assert "Link" not in whole, path
            continue
        if len(everything) < 2:
            problems.append(f"{path}: {len(everything)} rows, cannot test its pages")
            continue
        seen, url, params = [], start, {"limit": 1}
        for _ in range(len(everything) + 1):
            page = client.get(url, params)
            check(schema, path, page)
            assert len(page.json()) == 1, (path, page.json())
            seen += page.json()
            if "Link" not in page:
                break
            match = re.fullmatch(r'<http://testserver(\S+)>; rel="next"', page["Link"])
            assert match, page["Link"]
            url, params = match.group(1), {}
            assert f"cursor={page['X-Next-Cursor']}" in url
        if seen != everything:
            problems.append(f"{path}: pages by Link differ from one page of all rows")
    assert problems == [], problems


def _bad_values(schema: dict[str, Any], path: str) -> dict[str, str]:
    """One bad value for each parameter that can be wrong by its type or its choices."""
    bad = {"zzz_desconocido": "1"}
    for parameter in schema["paths"][path]["get"].get("parameters", []):
        if parameter["in"] != "query":
            continue
        name, node = parameter["name"], parameter["schema"]
        item = node.get("items", node)
        if name == "cursor":
            bad[name] = "no-es-un-cursor"
        elif name == "limit":
            bad[name] = "0"
        elif "enum" in item:
            bad[name] = "valor-inexistente"
        elif item.get("format") == "date":
            bad[name] = BAD_BY_TYPE["date"]
        elif item.get("type") in BAD_BY_TYPE:
            bad[name] = BAD_BY_TYPE[item["type"]]
        elif name in {"unit", "team", "category", "categoria", "procedimiento", "rol"}:
            bad[name] = "NO-EXISTE"
    return bad


def test_every_list_answers_a_bad_parameter_with_400_naming_it(schema, readers):
    ensure_unit("DGA")
    problems = []
    for path in _list_paths(schema):
        url = _url(path)
        client = readers(url)
        for name, value in _bad_values(schema, path).items():
            response = client.get(url, {name: value})
            if response.status_code != 400 or name not in response.json().get("errors", {}):
                problems.append(f"{path}?{name}={value}: {response.status_code}")
                continue
            check(schema, path, response)
    assert problems == [], problems


SEVEN = [
    "/api/v1/phones/",
    "/api/v1/certificate-devices/",
    "/api/v1/block-list/",
    "/api/v1/datacenter/entries/",
    "/api/v1/hr/reconciliations/",
    "/api/v1/knowledge/articles/",
    "/api/v1/tickets/bulk-assign/",
]


@pytest.mark.parametrize("path", SEVEN)
def test_role_is_checked_before_the_body(path):
    client = APIClient()
    client.force_authenticate(make_user("personal"))
    response = client.post(path, {}, format="json")
    assert response.status_code == 403, response.content
    assert set(response.json()) == {"detail"}


def test_a_nul_byte_in_any_parameter_is_400_naming_it(schema, readers):
    """PostgreSQL refuses NUL in text: it must be refused before it reaches a query."""
    problems = []
    for path in _list_paths(schema):
        url = _url(path)
        client = readers(url)
        for parameter in schema["paths"][path]["get"].get("parameters", []):
            if parameter["in"] != "query":
                continue
            name = parameter["name"]
            response = client.get(url, {name: "a\x00b"})
            if response.status_code != 400 or name not in response.json().get("errors", {}):
                problems.append(f"{path}?{name}=%00: {response.status_code}")
    assert problems == [], problems
