"""Inventory of telephone equipment through API v1 and its pages: every action with the right
role, a wrong role (403), anonymous (401), out of scope (404) and bad input (400, nothing
changed); a phone is never assigned twice at once and only its holder returns it."""

from __future__ import annotations

import pytest

from mapro.assets import testing
from mapro.assets.choices import DeviceStatus
from mapro.assets.models import PhoneAssignment, PhoneEquipment
from mapro.assets.selectors import PHONE_HEADERS, phone_rows, phones_for_user
from mapro.core.testing import make_user
from mapro.core.xlsx import read_xlsx

from .helpers import API, api, blank, errors, events, web

pytestmark = pytest.mark.django_db


@pytest.fixture
def redes():
    return make_user("prof-redes")


def test_register_a_phone(redes):
    body = {"kind": "ip", "serial": "FCH2233A1BC", "brand_model": "Cisco 8841", "extension": "6134"}
    assert api().post(f"{API}/phones/", body, format="json").status_code == 401
    assert (
        api(make_user("resp-soporte")).post(f"{API}/phones/", body, format="json").status_code
        == 403
    )
    response = api(redes).post(f"{API}/phones/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "disponible"
    assert [e["action"] for e in response.json()["history"]] == ["phone.register"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "ip"}, "serial"),
        ({"serial": "X1"}, "kind"),
        ({"kind": "fax", "serial": "X1"}, "kind"),
        ({"kind": "movil", "serial": "X1", "extension": "6134"}, "extension"),
        ({"kind": "ip", "serial": "X1", "line_number": "987654321"}, "line_number"),
    ],
)
def test_register_bad_input_names_the_field(redes, body, field):
    response = api(redes).post(f"{API}/phones/", body, format="json")
    assert response.status_code == 400
    assert field in errors(response)
    assert not PhoneEquipment.objects.exists()


def test_duplicate_serial_is_refused(redes):
    testing.new_phone()
    serial = PhoneEquipment.objects.get().serial
    response = api(redes).post(f"{API}/phones/", {"kind": "ip", "serial": serial}, format="json")
    assert response.status_code == 400
    assert "serial" in errors(response)
    assert PhoneEquipment.objects.count() == 1


def test_assign_then_a_second_assignment_is_refused(redes):
    phone = testing.new_phone()
    url = f"{API}/phones/{phone.pk}/assign/"
    body = {"holder_name": "Ana Rojas", "unit": "DGRRHH", "acta_entrega": "ACTA-1"}
    testing.other_unit()
    response = api(redes).post(url, body, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "asignado" and data["holder_unit"] == "DGRRHH"
    assert data["assignments"][0]["holder_name"] == "Ana Rojas"
    before = events("phone.assign")
    again = api(redes).post(url, {**body, "holder_name": "Carlos Díaz"}, format="json")
    assert again.status_code == 409
    assert "ya está asignado a Ana Rojas" in again.json()["detail"]
    assert PhoneAssignment.objects.filter(equipment=phone).count() == 1
    assert events("phone.assign") == before


def test_the_database_refuses_a_second_open_assignment():
    """The partial unique index, without the action's check (the concurrency backstop)."""
    from django.db import IntegrityError, transaction

    phone = testing.assigned_phone(testing.other_unit())
    with pytest.raises(IntegrityError), transaction.atomic():
        PhoneAssignment.objects.create(
            equipment=phone,
            holder_name="Otro",
            unit=testing.other_unit(),
            assigned_on=phone.assignments.get().assigned_on,
        )


@pytest.mark.parametrize(
    ("body", "field"),
    [({"unit": "OGTIE"}, "holder_name"), ({"holder_name": "Ana", "unit": "NOEXISTE"}, "unit")],
)
def test_assign_bad_input(redes, body, field):
    phone = testing.new_phone()
    response = api(redes).post(f"{API}/phones/{phone.pk}/assign/", body, format="json")
    assert response.status_code == 400
    assert field in errors(response)
    phone.refresh_from_db()
    assert phone.status == DeviceStatus.DISPONIBLE
    assert not phone.assignments.exists()


def test_assign_wrong_role_and_anonymous(redes):
    phone = testing.new_phone()
    url = f"{API}/phones/{phone.pk}/assign/"
    body = {"holder_name": "Ana Rojas", "unit": "OGTIE"}
    assert api().post(url, body, format="json").status_code == 401
    for role in ("jefe-ogtie", "resp-soporte", "personal"):
        assert api(make_user(role)).post(url, body, format="json").status_code == 403, role
    assert not phone.assignments.exists()


def test_return_by_the_holder_and_refusals(redes):
    phone = testing.assigned_phone(testing.other_unit(), holder_name="Ana Rojas")
    url = f"{API}/phones/{phone.pk}/return/"
    wrong = api(redes).post(url, {"holder_name": "Carlos Díaz", "reason": "Cambio"}, format="json")
    assert wrong.status_code == 400
    assert "no está asignado a Carlos Díaz" in errors(wrong)["holder"][0]
    assert phone.assignments.get().returned_on is None
    missing = api(redes).post(url, {"holder_name": "Ana Rojas"}, format="json")
    assert missing.status_code == 400 and "reason" in errors(missing)
    ok = api(redes).post(url, {"holder_name": "ana  ROJAS", "reason": "Cambio"}, format="json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["status"] == "disponible"
    assert ok.json()["assignments"][0]["returned_on"]
    again = api(redes).post(url, {"holder_name": "Ana Rojas", "reason": "Cambio"}, format="json")
    assert again.status_code == 409
    # Once returned it can be assigned again: the history keeps both periods.
    body = {"holder_name": "Carlos Díaz", "unit": "DGRRHH"}
    assert (
        api(redes).post(f"{API}/phones/{phone.pk}/assign/", body, format="json").status_code == 200
    )
    assert phone.assignments.count() == 2


def test_acta_de_asignacion_four_signatures(redes):
    phone = testing.assigned_phone(testing.other_unit())
    url = f"{API}/phones/{phone.pk}/acta/"
    signatures = {
        "usuario": {"name": "Ana Rojas", "date": "2025-09-08"},
        "director_uo": {"name": "Dr. Paredes", "date": "2025-09-09"},
        "coord_infraestructura": {"name": "Ing. Salas", "date": "2025-09-09"},
    }
    response = api(redes).post(
        url, {"acta_asignacion": "AAB-1", "signatures": signatures}, format="json"
    )
    assert response.status_code == 200, response.content
    assignment = response.json()["assignments"][0]
    assert assignment["signatures_complete"] is False
    assert assignment["signatures"]["director_digep"] is None
    bad = api(redes).post(
        url, {"signatures": {"director_digep": {"name": "Lic. Quispe"}}}, format="json"
    )
    assert bad.status_code == 400
    assert "signatures.director_digep.date" in errors(bad)
    unknown = api(redes).post(
        url, {"signatures": {"notario": {"name": "X", "date": "2025-09-09"}}}, format="json"
    )
    assert unknown.status_code == 400 and "signatures.notario" in errors(unknown)
    last = {"director_digep": {"name": "Lic. Quispe", "date": "2025-09-10"}}
    done = api(redes).post(url, {"signatures": last}, format="json")
    assignment = done.json()["assignments"][0]
    assert assignment["signatures_complete"] is True
    assert assignment["signatures"]["usuario"] == {"name": "Ana Rojas", "date": "2025-09-08"}


def test_director_reads_only_the_phones_of_their_unit():
    testing.other_unit()
    mine = testing.assigned_phone(testing.other_unit())
    theirs = testing.assigned_phone(testing.far_unit())
    director = make_user("director-uo", unit=testing.other_unit())
    listed = api(director).get(f"{API}/phones/").json()
    assert [p["serial"] for p in listed] == [mine.serial]
    assert api(director).get(f"{API}/phones/{theirs.pk}/").status_code == 404
    assert api(director).get(f"{API}/phones/{mine.pk}/").status_code == 200
    body = {"holder_name": "Ana Rojas", "reason": "Cambio"}
    # Out of scope is 404 even for an action; in scope, a reader's action is 403.
    assert (
        api(director).post(f"{API}/phones/{theirs.pk}/return/", body, format="json").status_code
        == 404
    )
    assert (
        api(director).post(f"{API}/phones/{mine.pk}/return/", body, format="json").status_code
        == 403
    )
    assert web(director).get(f"/inventarios/equipos-telefonicos/{theirs.pk}/").status_code == 404
    assert web(make_user("personal")).get("/inventarios/equipos-telefonicos/").status_code == 403


def test_list_filters_and_export_reads_back_equal(redes):
    ip = testing.assigned_phone(testing.other_unit(), holder_name="=Ana Rojas")
    movil = testing.new_phone(kind="movil")
    client = web(redes)
    page = client.get("/inventarios/equipos-telefonicos/", {"kind": "ip"})
    assert page.status_code == 200
    assert ip.serial in page.content.decode() and movil.serial not in page.content.decode()
    response = client.get("/inventarios/equipos-telefonicos/exportar/", {"status": "asignado"})
    assert response.status_code == 200
    headers, rows = read_xlsx(response.content)
    assert headers == PHONE_HEADERS
    expected = list(phone_rows(phones_for_user(redes).filter(status="asignado")))
    assert [[blank(v) for v in row] for row in rows] == expected
    assert rows[0][8] == "=Ana Rojas"  # formula-looking text escaped and read back equal
    assert api(redes).get(f"{API}/phones/", {"status": "nada"}).status_code == 400


def test_detail_page_shows_signatures_and_history(redes):
    phone = testing.assigned_phone(testing.other_unit())
    page = web(redes).get(f"/inventarios/equipos-telefonicos/{phone.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Director(a) de la DIGEP" in text and "Historial de cambios" in text
    assert "Teléfono asignado" in text


def test_retire_a_phone(redes):
    held = testing.assigned_phone(testing.other_unit())
    url = f"{API}/phones/{held.pk}/retire/"
    busy = api(redes).post(url, {"reason": "Pantalla rota."}, format="json")
    assert busy.status_code == 409 and "registre primero su devolución" in busy.json()["detail"]
    free = testing.new_phone()
    url = f"{API}/phones/{free.pk}/retire/"
    assert api(make_user("jefe-ogtie")).post(url, {"reason": "x"}, format="json").status_code == 403
    assert api().post(url, {"reason": "x"}, format="json").status_code == 401
    no_reason = api(redes).post(url, {}, format="json")
    assert no_reason.status_code == 400 and "reason" in errors(no_reason)
    done = api(redes).post(url, {"reason": "Pantalla rota."}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "baja"
    assign = api(redes).post(
        f"{API}/phones/{free.pk}/assign/", {"holder_name": "Ana", "unit": "OGTIE"}, format="json"
    )
    assert assign.status_code == 409 and "dado de baja" in assign.json()["detail"]
    assert api(redes).post(url, {"reason": "otra"}, format="json").status_code == 409
