"""The register of SGSI documents through API v1 and its pages: register, versions with their
file, observations, approval by the Jefe(a) with a Memorándum, filters, XLSX read back equal;
right and wrong roles; bad input is a field error that saves nothing."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from mapro.audit.models import AuditEvent
from mapro.core.testing import make_user
from mapro.core.xlsx import read_xlsx
from mapro.sgsi.models import SgsiDocument, SgsiDocumentVersion, SgsiObservation
from mapro.sgsi.selectors import DOCUMENT_HEADERS, document_rows

from .helpers import api, as_read_back

pytestmark = pytest.mark.django_db
API = "/api/v1/sgsi/documents/"
MEMO = "MEMORÁNDUM N° 045-2026-MINDEF/SG-OGTIE"


def _upload(client: Any, code: str, content: bytes = b"%PDF-1.4 contenido", **extra: Any) -> Any:
    body: dict[str, Any] = {"changes": "Se actualiza el alcance.", **extra}
    if content is not None:
        body["file"] = io.BytesIO(content)
    return client.post(f"{API}{code}/versions/", body, format="multipart")


@time_machine.travel(dt.datetime(2026, 3, 10, 15, 0, tzinfo=dt.UTC), tick=False)
def test_a_document_lives_through_versions_observations_and_approval() -> None:
    specialist = make_user("esp-seguridad-info")
    coordinator = make_user("coord-ciberseguridad")
    jefe = make_user("jefe-ogtie")
    # register: editors only
    body = {
        "code": "sgsi-pol-001",
        "title": "Política de seguridad de la información",
        "owner_team": "ciberseguridad",
    }
    assert api(jefe).post(API, body, format="json").status_code == 403
    created = api(coordinator).post(API, body, format="json")
    assert created.status_code == 201, created.content
    doc = created.json()
    assert (doc["code"], doc["kind"], doc["status"], doc["current_version"]) == (
        "SGSI-POL-001",
        "politica",
        "en_elaboracion",
        None,
    )
    code = "SGSI-POL-001"
    # a version without its file: field error, nothing saved
    events = AuditEvent.objects.count()
    missing = api(coordinator).post(f"{API}{code}/versions/", {"changes": "x"}, format="multipart")
    assert missing.status_code == 400 and "file" in missing.json()["errors"]
    assert not SgsiDocumentVersion.objects.exists() and AuditEvent.objects.count() == events
    # version 1 with its file; jefe may not present versions
    assert _upload(api(jefe), code).status_code == 403
    v1 = _upload(api(coordinator), code)
    assert (
        v1.status_code == 201 and v1.json()["number"] == 1 and v1.json()["status"] == "en_revision"
    )
    assert v1.json()["has_file"] and len(v1.json()["sha256"]) == 64
    # observation on version 1 (it becomes observada); the coordinator may not observe
    obs = {"text": "Falta el alcance del SGSI.", "version": 1}
    assert (
        api(coordinator).post(f"{API}{code}/observations/", obs, format="json").status_code == 403
    )
    assert api(specialist).post(f"{API}{code}/observations/", obs, format="json").status_code == 201
    empty = api(specialist).post(f"{API}{code}/observations/", {"text": "  "}, format="json")
    assert empty.status_code == 400 and "text" in empty.json()["errors"]
    assert SgsiObservation.objects.count() == 1
    # an observed version is not approved: 409; version 2 is presented and approved
    approve = {"approval_document": MEMO, "approved_on": "2026-03-09"}
    assert (
        api(jefe).post(f"{API}{code}/versions/1/approve/", approve, format="json").status_code
        == 409
    )
    assert _upload(api(coordinator), code, b"%PDF-1.4 v2").json()["number"] == 2
    url = f"{API}{code}/versions/2/approve/"
    assert api(specialist).post(url, approve, format="json").status_code == 403
    bad = api(jefe).post(url, {"approved_on": "2026-03-09", "approval_document": ""}, format="json")
    assert bad.status_code == 400 and "approval_document" in bad.json()["errors"]
    future = api(jefe).post(url, {**approve, "approved_on": "2026-04-01"}, format="json")
    assert future.status_code == 400 and "approved_on" in future.json()["errors"]
    ok = api(jefe).post(url, approve, format="json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["status"] == "aprobada" and ok.json()["approval_document"] == MEMO
    detail = api(specialist).get(f"{API}{code}/").json()
    assert detail["status"] == "vigente" and detail["current_version"] == 2
    assert detail["approved_by"] and detail["approved_on"] == "2026-03-09"
    assert detail["next_review"] == "2027-03-09"  # a year after the approval by default
    assert [(v["number"], v["status"]) for v in detail["versions"]] == [
        (2, "aprobada"),
        (1, "observada"),
    ]
    assert detail["observations"][0]["text"] == "Falta el alcance del SGSI."
    assert detail["observations"][0]["version"] == 1
    # version 3 approved later replaces version 2
    _upload(api(coordinator), code, b"%PDF-1.4 v3")
    api(jefe).post(
        f"{API}{code}/versions/3/approve/",
        {**approve, "approved_on": "2026-03-10", "next_review": "2026-09-30"},
        format="json",
    )
    detail = api(specialist).get(f"{API}{code}/").json()
    assert detail["current_version"] == 3 and detail["next_review"] == "2026-09-30"
    assert [(v["number"], v["status"]) for v in detail["versions"]][:2] == [
        (3, "aprobada"),
        (2, "reemplazada"),
    ]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "sgsi_document.create",
        "sgsi_document.add_version",
        "sgsi_document.observe",
        "sgsi_document.approve",
    } <= actions


def test_register_refuses_bad_input_and_outsiders() -> None:
    editor = make_user("coord-innovacion")
    bad = api(editor).post(API, {"code": "X", "title": "", "owner_team": "nadie"}, format="json")
    assert bad.status_code == 400
    assert {"title", "owner_team"} <= set(bad.json()["errors"])
    code = api(editor).post(
        API, {"code": "no vale!", "title": "T", "owner_team": "sgsi"}, format="json"
    )
    assert code.status_code == 400 and "code" in code.json()["errors"]
    api(editor).post(
        API,
        {"code": "SGSI-FOR-003", "title": "Matriz de riesgos", "owner_team": "sgsi"},
        format="json",
    )
    twice = api(editor).post(
        API, {"code": "sgsi-for-003", "title": "Otra", "owner_team": "sgsi"}, format="json"
    )
    assert twice.status_code == 400 and "Ya existe" in twice.json()["errors"]["code"][0]
    assert SgsiDocument.objects.count() == 1
    assert SgsiDocument.objects.get().kind == "formato"
    outsider = make_user("personal")
    assert api(outsider).get(API).status_code == 403
    assert api(outsider).get(f"{API}SGSI-FOR-003/").status_code == 403
    assert api(editor).get(f"{API}NO-EXISTE/").status_code == 404


def test_filters_and_xlsx_read_back_equal() -> None:
    from mapro.sgsi.testing import sgsi_document

    sgsi_document("SGSI-POL-001", approved=True)
    sgsi_document("SGSI-FOR-006")
    reader = make_user("oficial-seguridad-digital")
    rows = api(reader).get(API, {"kind": "politica"}).json()
    assert [r["code"] for r in rows] == ["SGSI-POL-001"]
    assert [r["code"] for r in api(reader).get(API, {"status": "en_elaboracion"}).json()] == [
        "SGSI-FOR-006"
    ]
    assert [r["code"] for r in api(reader).get(API, {"q": "for-006"}).json()] == ["SGSI-FOR-006"]
    bad = api(reader).get(API, {"kind": "novela"})
    assert bad.status_code == 400 and "kind" in bad.json()["errors"]
    client = Client()
    client.force_login(reader)
    export = client.get(reverse("sgsi:document_export"))
    assert export.status_code == 200
    headers, data = read_xlsx(export.content)
    assert headers == DOCUMENT_HEADERS
    expected = [as_read_back(r) for r in document_rows(SgsiDocument.objects.order_by("code"))]
    assert data == expected
    assert data[1][5] == 1 and data[1][8] == "MEMORÁNDUM N° 001-2026-MINDEF/SG-OGTIE"
    only = read_xlsx(client.get(reverse("sgsi:document_export"), {"kind": "formato"}).content)[1]
    assert [r[0] for r in only] == ["SGSI-FOR-006"]


def test_pages_show_versions_observations_and_refuse_a_version_without_file() -> None:
    from mapro.sgsi.testing import sgsi_document

    document = sgsi_document("SGSI-PRO-002")
    client = Client()
    client.force_login(make_user("esp-seguridad-info"))
    page = client.get(reverse("sgsi:document_detail", args=[document.code]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "v1.pdf" in html and "En revisión" in html and "Presentar nueva versión" in html
    assert "Aprobar versión" not in html  # not the Jefe(a)
    refused = client.post(
        reverse("sgsi:document_add_version", args=[document.code]), {"changes": "sin archivo"}
    )
    assert refused.status_code == 400
    assert "Adjunte el archivo de la nueva versión." in refused.content.decode()
    assert document.versions.count() == 1
    client.post(
        reverse("sgsi:document_observe", args=[document.code]),
        {"text": "Revisar la sección 4.", "version": "1"},
    )
    html = client.get(reverse("sgsi:document_detail", args=[document.code])).content.decode()
    assert "Revisar la sección 4." in html and "Observada" in html
    download = client.get(reverse("sgsi:version_file", args=[document.code, 1]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 v1"
    jefe = Client()
    jefe.force_login(make_user("jefe-ogtie"))
    listing = jefe.get(reverse("sgsi:document_list"), {"q": "PRO-002"}).content.decode()
    assert document.code in listing
    assert jefe.get(reverse("sgsi:document_new")).status_code == 403
