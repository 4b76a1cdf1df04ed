"""The asset inventory SGSI-FOR-002 through API v1 and its pages: register, change (each change
a Formato N° 01 row with before/after), filters, XLSX read back equal, roles, bad input."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from mapro.core.testing import ensure_unit, make_user
from mapro.core.xlsx import read_xlsx
from mapro.sgsi.models import AssetChange, InformationAsset
from mapro.sgsi.selectors import ASSET_HEADERS, asset_rows

from .helpers import api, as_read_back

pytestmark = pytest.mark.django_db
API = "/api/v1/sgsi/assets/"


def _create(user: Any, **extra: Any) -> Any:
    body = {
        "name": "Servidor de base de datos",
        "asset_type": "hardware",
        "serial": "SRV-01",
        "confidentiality": 3,
        "integrity": 3,
        "availability": 2,
        "classification": "confidencial",
        **extra,
    }
    return api(user).post(API, body, format="json")


@time_machine.travel(dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC), tick=False)
def test_register_change_and_log() -> None:
    ensure_unit("DIGEP", "Dirección de Gestión Patrimonial")
    keeper = make_user("resp-infraestructura")
    assert _create(make_user("jefe-ogtie")).status_code == 403  # reads, does not keep
    created = _create(keeper, owner_unit="OGTIE")
    assert created.status_code == 201, created.content
    asset = created.json()
    assert asset["code"].startswith("ACT-") and asset["criticality"] == 3
    assert [c["change_type"] for c in asset["changes"]] == ["alta"]
    # the same serial of the same type twice: field error, nothing saved
    again = _create(keeper)
    assert again.status_code == 400 and "serial" in again.json()["errors"]
    assert InformationAsset.objects.count() == 1
    url = f"{API}{asset['code']}/changes/"
    assigned = api(keeper).post(
        url,
        {
            "change_type": "asignacion",
            "change_description": "Asignado a la DIGEP.",
            "assigned_to": "Lic. Rosa Quispe",
            "owner_unit": "DIGEP",
            "support_document": "Acta de asignación de bienes AAB-2026-0001",
        },
        format="json",
    )
    assert assigned.status_code == 201, assigned.content
    change = assigned.json()
    assert change["before"] == {"owner_unit": "OGTIE", "assigned_to": "", "status": "disponible"}
    assert change["after"] == {
        "owner_unit": "DIGEP",
        "assigned_to": "Lic. Rosa Quispe",
        "status": "asignado",
    }
    bad = api(keeper).post(
        url,
        {"change_type": "modificacion", "change_description": "x", "integrity": 7},
        format="json",
    )
    assert bad.status_code == 400 and "integrity" in bad.json()["errors"]
    unknown_unit = api(keeper).post(
        url,
        {"change_type": "modificacion", "change_description": "x", "owner_unit": "NOEXISTE"},
        format="json",
    )
    assert unknown_unit.status_code == 400 and "owner_unit" in unknown_unit.json()["errors"]
    assert AssetChange.objects.count() == 2
    assert (
        api(make_user("tecnico-especialista"))
        .post(url, {"change_type": "baja", "change_description": "x"}, format="json")
        .status_code
        == 403
    )
    retired = api(keeper).post(
        url, {"change_type": "baja", "change_description": "Obsoleto."}, format="json"
    )
    assert retired.status_code == 201
    after = api(keeper).post(
        url,
        {"change_type": "modificacion", "change_description": "x", "location": "Sala 2"},
        format="json",
    )
    assert after.status_code == 409
    detail = api(make_user("tecnico-especialista")).get(f"{API}{asset['code']}/").json()
    assert detail["status"] == "dado_de_baja"
    assert [c["change_type"] for c in detail["changes"]] == ["baja", "asignacion", "alta"]
    assert {c["changed_on"] for c in detail["changes"]} == {"2026-03-02"}
    assert api(make_user("personal")).get(API).status_code == 403


def test_filters_pages_and_xlsx_read_back_equal() -> None:
    keeper = make_user("esp-seguridad-info")
    _create(keeper, serial="A-1", owner_unit="OGTIE")
    _create(
        keeper,
        name="Teléfono IP",
        asset_type="telefono_ip",
        serial="FCH1",
        classification="uso_interno",
    )
    rows = api(keeper).get(API, {"asset_type": "telefono_ip"}).json()
    assert [r["serial"] for r in rows] == ["FCH1"]
    assert [r["serial"] for r in api(keeper).get(API, {"unit": "OGTIE"}).json()] == ["A-1"]
    assert api(keeper).get(API, {"asset_type": "nave"}).status_code == 400
    client = Client()
    client.force_login(keeper)
    headers, data = read_xlsx(client.get(reverse("sgsi:asset_export")).content)
    assert headers == ASSET_HEADERS
    assert data == [as_read_back(r) for r in asset_rows(InformationAsset.objects.order_by("code"))]
    code = InformationAsset.objects.get(serial="A-1").code
    page = client.get(reverse("sgsi:asset_detail", args=[code])).content.decode()
    assert "Formato N° 01" in page and "Alta en el inventario" in page
    listing = client.get(reverse("sgsi:asset_list"), {"q": "FCH1"}).content.decode()
    assert "Teléfono IP" in listing and "A-1" not in listing
