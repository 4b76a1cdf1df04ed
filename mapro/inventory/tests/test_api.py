"""The inventory's API v1 and pages: create, filters, export read back, import (all or nothing,
errors naming row and column), maintenance of equipment dado de baja, scope by unit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from mapro.audit.models import AuditEvent
from mapro.core.xlsx import build_xlsx, read_xlsx
from mapro.inventory.actions import do_change_equipment_state
from mapro.inventory.models import Equipment, Maintenance
from mapro.inventory.selectors import EQUIPMENT_HEADERS
from mapro.inventory.testing import InventoryWorld, make_inventory_world, new_equipment

pytestmark = pytest.mark.django_db
API = "/api/v1"


def api(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def web(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def w() -> InventoryWorld:
    return make_inventory_world()


PRINTER = {
    "code": "IMP-0100",
    "kind": "impresora",
    "name": "HP LaserJet",
    "serial": "CNB1234",
    "unit": "DGA",
    "warranty_end": "2027-01-31",
}


def test_create_right_role_wrong_role_and_bad_input(w: InventoryWorld) -> None:
    assert api(w.redes).post(f"{API}/equipment/", PRINTER, format="json").status_code == 403
    assert api(w.jefe).post(f"{API}/equipment/", PRINTER, format="json").status_code == 403
    bad = {**PRINTER, "ip_address": "300.1.1.1", "unit": "NOPE", "holder": "99999999"}
    response = api(w.soporte).post(f"{API}/equipment/", bad, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"ip_address", "unit", "holder"}
    assert not Equipment.objects.exists()
    response = api(w.soporte).post(f"{API}/equipment/", PRINTER, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["code"], body["unit"], body["state"]) == ("IMP-0100", "DGA", "operativo")
    assert body["history"][0]["action"] == "equipment.register"


def test_list_filters_shared_with_the_page(w: InventoryWorld) -> None:
    new_equipment("impresora", w.unit, code="IMP-1", warranty_end=dt.date(2099, 1, 1))
    new_equipment("impresora", w.unit, code="IMP-2", warranty_end=dt.date(2000, 1, 1))
    new_equipment("servidor", code="SRV-1", criticality="alta")
    client = api(w.jefe)
    codes = lambda r: sorted(e["code"] for e in r.json())  # noqa: E731
    assert codes(client.get(f"{API}/equipment/", {"kind": "impresora"})) == ["IMP-1", "IMP-2"]
    assert codes(client.get(f"{API}/equipment/", {"warranty": "vencida"})) == ["IMP-2"]
    assert codes(client.get(f"{API}/equipment/", {"criticality": "alta"})) == ["SRV-1"]
    bad = client.get(f"{API}/equipment/", {"kind": "tostadora"})
    assert bad.status_code == 400 and "kind" in bad.json()["errors"]
    page = web(w.jefe).get("/inventario-de-equipos/", {"warranty": "vencida"})
    assert page.status_code == 200
    assert b"IMP-2" in page.content and b"IMP-1" not in page.content


def test_a_director_sees_only_their_units_equipment(w: InventoryWorld) -> None:
    mine = new_equipment("impresora", w.unit, code="IMP-MINE")
    other = new_equipment("impresora", w.other_unit, code="IMP-OTHER")
    client = api(w.director)
    assert [e["code"] for e in client.get(f"{API}/equipment/").json()] == ["IMP-MINE"]
    assert client.get(f"{API}/equipment/{mine.pk}/").status_code == 200
    assert client.get(f"{API}/equipment/{other.pk}/").status_code == 404
    assert api(w.outsider).get(f"{API}/equipment/").status_code == 403


def test_export_reads_back_and_imports_back_unchanged(w: InventoryWorld) -> None:
    new_equipment(
        "impresora", w.unit, code="IMP-1", holder=w.person, warranty_end=dt.date(2027, 5, 1)
    )
    new_equipment("computadora", w.unit, code="PC-1", serial="S-9")
    response = web(w.coord).get("/inventario-de-equipos/exportar/", {"unit": "DGA"})
    assert response.status_code == 200
    headers, rows = read_xlsx(response.content)
    assert tuple(headers) == EQUIPMENT_HEADERS
    by_code = {row[0]: dict(zip(headers, row, strict=True)) for row in rows}
    assert set(by_code) == {"IMP-1", "PC-1"}
    assert by_code["IMP-1"]["titular_dni"] == w.person.dni
    assert by_code["IMP-1"]["fin_garantia"].date() == dt.date(2027, 5, 1)
    assert by_code["PC-1"]["serie"] == "S-9"
    events = AuditEvent.objects.count()
    upload = SimpleUploadedFile("inventario.xlsx", response.content)
    result = api(w.coord).post(f"{API}/equipment/import/", {"file": upload}, format="multipart")
    assert result.status_code == 200, result.content
    assert result.json() == {"created": 0, "updated": 0}
    assert AuditEvent.objects.count() == events


def _xlsx(headers: list[str], rows: list[list[Any]]) -> SimpleUploadedFile:
    return SimpleUploadedFile("equipos.xlsx", build_xlsx(headers, rows))


def test_import_with_a_wrong_column_names_it_and_saves_nothing(w: InventoryWorld) -> None:
    upload = _xlsx(["codigo", "tipo", "nombre", "color"], [["IMP-9", "impresora", "X", "rojo"]])
    response = api(w.coord).post(f"{API}/equipment/import/", {"file": upload}, format="multipart")
    assert response.status_code == 400
    errors = response.json()["errors"]["columns"]
    assert errors[0] == "Columna D: «color» no es una columna del inventario."
    assert not Equipment.objects.exists()


def test_import_bad_values_name_row_and_column_and_save_nothing(w: InventoryWorld) -> None:
    new_equipment("impresora", w.unit, code="IMP-OLD", serial="DUP")
    headers = ["codigo", "tipo", "nombre", "unidad", "serie", "fin_garantia", "criticidad"]
    rows = [
        ["PC-1", "computadora", "PC uno", "DGA", "S1", "2027-01-01", ""],
        ["PC-2", "computadora", "PC dos", "NOPE", "S2", "31/02/2027", ""],
        ["SRV-1", "servidor", "srv", "", "DUP", "", ""],
        ["PC-3", "computadora", "PC tres", "DGA", "S1", "", ""],
    ]
    response = api(w.coord).post(
        f"{API}/equipment/import/", {"file": _xlsx(headers, rows)}, format="multipart"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["rows.3.unidad"] == ["Fila 3, columna «unidad»: No existe esa unidad (sigla)."]
    assert errors["rows.3.fin_garantia"][0].startswith("Fila 3, columna «fin_garantia»:")
    assert errors["rows.4.criticidad"][0].startswith("Fila 4, columna «criticidad»: Indique")
    assert errors["rows.4.serie"] == [
        "Fila 4, columna «serie»: Ya hay un equipo con ese N° de serie."
    ]
    assert errors["rows.5.serie"] == ["Fila 5, columna «serie»: repite el valor de la fila 2."]
    assert "rows.2.codigo" not in errors
    assert list(Equipment.objects.values_list("code", flat=True)) == ["IMP-OLD"]


def test_import_csv_creates_and_updates_with_the_right_roles(w: InventoryWorld) -> None:
    new_equipment("impresora", w.unit, code="IMP-1", location="Piso 1")
    content = (
        b"codigo;tipo;nombre;unidad;ubicacion\n"
        b"IMP-1;impresora;HP;DGA;Piso 2\n"
        b"PC-7;computadora;Lenovo;DGA;Piso 2\n"
    )
    upload = SimpleUploadedFile("equipos.csv", content)
    wrong = api(w.redes).post(f"{API}/equipment/import/", {"file": upload}, format="multipart")
    assert wrong.status_code == 400
    assert wrong.json()["errors"]["rows.2.tipo"][0].startswith("Fila 2, columna «tipo»: su rol")
    upload = SimpleUploadedFile("equipos.csv", content)
    ok = api(w.soporte).post(f"{API}/equipment/import/", {"file": upload}, format="multipart")
    assert ok.json() == {"created": 1, "updated": 1}
    assert Equipment.objects.get(code="IMP-1").location == "Piso 2"
    assert api(w.jefe).post(f"{API}/equipment/import/", {}, format="multipart").status_code == 403


def test_import_page_shows_the_errors(w: InventoryWorld) -> None:
    upload = _xlsx(["codigo", "tipo"], [["X", "impresora"]])
    response = web(w.soporte).post("/inventario-de-equipos/importar/", {"file": upload})
    assert response.status_code == 400
    assert "Falta la columna «nombre».".encode() in response.content
    assert not Equipment.objects.exists()


def test_maintenance_of_equipment_dado_de_baja_is_a_field_error(w: InventoryWorld) -> None:
    printer = new_equipment("impresora", w.unit, code="IMP-1")
    do_change_equipment_state(printer, state="dado-de-baja", reason="Obsoleta", actor=w.soporte)
    events = AuditEvent.objects.count()
    body = {"equipment": "IMP-1", "kind": "correctivo", "outcome": "solucionado"}
    response = api(w.soporte).post(
        f"{API}/maintenances/", {**body, "performed_on": "2026-01-05"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "equipment": [
            "El equipo IMP-1 está «Dado de baja»: no se registran mantenimientos de un "
            "equipo dado de baja."
        ]
    }
    assert not Maintenance.objects.exists()
    assert AuditEvent.objects.count() == events


def test_maintenance_flow_by_api_and_the_register(w: InventoryWorld) -> None:
    new_equipment("impresora", w.unit, code="IMP-1")
    body = {"equipment": "IMP-1", "kind": "preventivo", "scheduled_on": "2026-01-05"}
    assert api(w.redes).post(f"{API}/maintenances/", body, format="json").status_code == 403
    created = api(w.soporte).post(f"{API}/maintenances/", body, format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert Equipment.objects.get(code="IMP-1").state == "en-mantenimiento"
    outcome = {"outcome": "no-solucionado", "performed_on": "2026-01-05"}
    response = api(w.soporte).post(f"{API}/maintenances/{pk}/outcome/", outcome, format="json")
    assert response.json()["outcome"] == "no-solucionado"
    again = api(w.soporte).post(f"{API}/maintenances/{pk}/outcome/", outcome, format="json")
    assert again.status_code == 409
    warranty = {"warranty": "con-garantia", "checked_with": "DIGEPAT"}
    response = api(w.soporte).post(f"{API}/maintenances/{pk}/warranty/", warranty, format="json")
    assert response.json()["state_after"] == "en-garantia"
    listed = api(w.jefe).get(f"{API}/maintenances/", {"warranty": "con-garantia"}).json()
    assert [m["id"] for m in listed] == [pk]
    export = web(w.jefe).get("/inventario-de-equipos/mantenimientos/exportar/")
    headers, rows = read_xlsx(export.content)
    assert rows[0][headers.index("Garantía")] == "Con garantía"


def test_detail_page_records_a_maintenance_and_refuses_a_baja(w: InventoryWorld) -> None:
    printer = new_equipment("impresora", w.unit, code="IMP-1")
    url = f"/inventario-de-equipos/{printer.pk}/"
    page = web(w.soporte).get(url)
    assert "Registrar un mantenimiento" in page.content.decode()
    assert "Registrar un mantenimiento" not in web(w.jefe).get(url).content.decode()
    data = {"kind": "correctivo", "outcome": "solucionado", "performed_on": "2026-01-05"}
    assert web(w.redes).post(f"{url}mantenimiento/", data).status_code == 403
    response = web(w.soporte).post(f"{url}mantenimiento/", data)
    assert response.status_code == 302
    assert Maintenance.objects.get().outcome == "solucionado"
    bad = web(w.soporte).post(f"{url}estado/", {"state": "operativo"})
    assert bad.status_code == 400 and "Indique el motivo" in bad.content.decode()
    web(w.soporte).post(f"{url}estado/", {"state": "dado-de-baja", "reason": "Obsoleta"})
    refused = web(w.soporte).post(f"{url}mantenimiento/", data)
    assert refused.status_code == 400
    assert "no se registran mantenimientos de un equipo dado de baja" in refused.content.decode()
    assert Maintenance.objects.count() == 1
