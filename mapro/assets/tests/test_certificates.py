"""Inventory of devices for the digital certificate through API v1: assignment needs the
declaración jurada and RENIEC's registration and approval; never two holders at once; only
the holder returns a device; the Jefe(a) gives the conformity to the return."""

from __future__ import annotations

import pytest

from mapro.assets import testing
from mapro.assets.models import CertAssignment, CertDevice
from mapro.assets.selectors import CERT_HEADERS, cert_devices_for_user, cert_rows
from mapro.core.testing import make_user
from mapro.core.xlsx import read_xlsx

from .helpers import API, api, blank, errors, events, web

pytestmark = pytest.mark.django_db

ASSIGN = {
    "declaracion_jurada": "DJ-firmada.pdf",
    "reniec_registered_on": "2025-08-04",
    "reniec_approved_on": "2025-08-06",
    "acta_entrega": "Acta de entrega N° 12",
}


@pytest.fixture
def soporte():
    return make_user("resp-soporte")


def test_register_a_device(soporte):
    body = {"kind": "lector-tarjetas", "serial": "LT-004415"}
    assert api().post(f"{API}/certificate-devices/", body, format="json").status_code == 401
    assert (
        api(make_user("prof-redes")).post(f"{API}/certificate-devices/", body, format="json")
    ).status_code == 403
    created = api(soporte).post(f"{API}/certificate-devices/", body, format="json")
    assert created.status_code == 201, created.content
    bad = api(soporte).post(f"{API}/certificate-devices/", {"kind": "usb"}, format="json")
    assert bad.status_code == 400 and {"kind", "serial"} <= set(errors(bad))
    assert CertDevice.objects.count() == 1


@pytest.mark.parametrize(
    "missing", ["declaracion_jurada", "reniec_registered_on", "reniec_approved_on"]
)
def test_assignment_requires_the_sworn_statement_and_reniec(soporte, missing):
    device = testing.new_cert_device()
    holder = testing.person("40000011")
    body = {**ASSIGN, "holder": holder.pk}
    del body[missing]
    response = api(soporte).post(
        f"{API}/certificate-devices/{device.pk}/assign/", body, format="json"
    )
    assert response.status_code == 400
    assert list(errors(response)) == [missing]
    assert not CertAssignment.objects.exists()
    device.refresh_from_db()
    assert device.status == "disponible"


def test_assignment_without_anything_names_every_missing_item(soporte):
    device = testing.new_cert_device()
    response = api(soporte).post(
        f"{API}/certificate-devices/{device.pk}/assign/", {}, format="json"
    )
    assert response.status_code == 400
    assert set(errors(response)) == {
        "holder",
        "declaracion_jurada",
        "reniec_registered_on",
        "reniec_approved_on",
    }


def test_a_device_is_not_assigned_twice_at_once(soporte):
    device = testing.new_cert_device()
    url = f"{API}/certificate-devices/{device.pk}/assign/"
    first = testing.person("40000012")
    second = testing.person("40000013")
    ok = api(soporte).post(url, {**ASSIGN, "holder": first.pk}, format="json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["assignments"][0]["holder_name"] == first.full_name
    before = events("cert_device.assign")
    clash = api(soporte).post(url, {**ASSIGN, "holder_dni": second.dni}, format="json")
    assert clash.status_code == 409
    assert f"ya está asignado a {first.full_name}" in clash.json()["detail"]
    assert CertAssignment.objects.filter(device=device).count() == 1
    assert events("cert_device.assign") == before


def test_only_the_holder_returns_the_device_then_the_jefe_gives_conformity(soporte):
    holder = testing.person("40000014")
    other = testing.person("40000015")
    device = testing.held_cert_device(holder)
    url = f"{API}/certificate-devices/{device.pk}"
    jefe = make_user("jefe-ogtie")
    early = api(jefe).post(f"{url}/conformity/", {}, format="json")
    assert early.status_code == 409  # nothing returned yet
    refused = api(soporte).post(
        f"{url}/return/", {"holder": other.pk, "leaving_reason": "renuncia"}, format="json"
    )
    assert refused.status_code == 400
    assert "no está asignado a" in errors(refused)["holder"][0]
    assert CertAssignment.objects.get(device=device).returned_on is None
    no_reason = api(soporte).post(f"{url}/return/", {"holder": holder.pk}, format="json")
    assert no_reason.status_code == 400 and "leaving_reason" in errors(no_reason)
    ok = api(soporte).post(
        f"{url}/return/",
        {"holder": holder.pk, "leaving_reason": "baja-militar", "returned_on": "2026-02-27"},
        format="json",
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["status"] == "disponible"
    # The conformity is the Jefe(a)'s alone.
    assert api(soporte).post(f"{url}/conformity/", {}, format="json").status_code == 403
    signed = api(jefe).post(f"{url}/conformity/", {"conformity_on": "2026-02-28"}, format="json")
    assert signed.status_code == 200, signed.content
    last = signed.json()["assignments"][0]
    assert last["conformity_on"] == "2026-02-28" and last["leaving_reason"] == "baja-militar"
    assert api(jefe).post(f"{url}/conformity/", {}, format="json").status_code == 409
    actions = [e["action"] for e in signed.json()["history"]]
    assert actions == [
        "cert_device.register",
        "cert_device.assign",
        "cert_device.return",
        "cert_device.conformity",
    ]


def test_wrong_roles_and_scope(soporte):
    unit = testing.other_unit()
    mine = testing.held_cert_device(testing.person("40000016", unit))
    theirs = testing.held_cert_device(testing.person("40000017", testing.far_unit()))
    director = make_user("director-uo", unit=unit)
    listed = api(director).get(f"{API}/certificate-devices/").json()
    assert [d["serial"] for d in listed] == [mine.serial]
    assert api(director).get(f"{API}/certificate-devices/{theirs.pk}/").status_code == 404
    body = {"holder_dni": "40000016", "leaving_reason": "renuncia"}
    url = f"{API}/certificate-devices/{mine.pk}/return/"
    assert api(director).post(url, body, format="json").status_code == 403
    assert api(make_user("operador-mesa")).post(url, body, format="json").status_code == 403
    assert api().post(url, body, format="json").status_code == 401
    out = f"{API}/certificate-devices/{theirs.pk}/return/"
    assert api(director).post(out, body, format="json").status_code == 404
    assert CertAssignment.objects.filter(returned_on__isnull=False).count() == 0


def test_export_reads_back_equal_and_pages_render(soporte):
    testing.held_cert_device(testing.person("40000018"))
    testing.new_cert_device(kind="lector-tarjetas")
    client = web(soporte)
    response = client.get("/inventarios/certificado-digital/exportar/")
    headers, rows = read_xlsx(response.content)
    assert headers == CERT_HEADERS
    assert [[blank(v) for v in r] for r in rows] == list(cert_rows(cert_devices_for_user(soporte)))
    assert len(rows) == 2
    page = client.get("/inventarios/certificado-digital/", {"status": "asignado"})
    assert page.status_code == 200 and "TC-" in page.content.decode()
    device = CertDevice.objects.filter(status="asignado").get()
    detail = client.get(f"/inventarios/certificado-digital/{device.pk}/").content.decode()
    assert "DJ-firmada.pdf" in detail and "Historial de cambios" in detail


def test_retire_a_device(soporte):
    held = testing.held_cert_device(testing.person("40000019"))
    busy = api(soporte).post(
        f"{API}/certificate-devices/{held.pk}/retire/", {"reason": "Extraviado."}, format="json"
    )
    assert busy.status_code == 409
    free = testing.new_cert_device()
    url = f"{API}/certificate-devices/{free.pk}/retire/"
    assert api(make_user("jefe-ogtie")).post(url, {"reason": "x"}, format="json").status_code == 403
    assert api(soporte).post(url, {}, format="json").status_code == 400
    done = api(soporte).post(url, {"reason": "Tarjeta dañada."}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "baja"
    body = {**ASSIGN, "holder_dni": testing.person("40000020").dni}
    refused = api(soporte).post(f"{API}/certificate-devices/{free.pk}/assign/", body, format="json")
    assert refused.status_code == 409 and "dado de baja" in refused.json()["detail"]
