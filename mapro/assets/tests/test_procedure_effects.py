"""The procedure steps write the inventories and registers (procedure_effects.py), through
API v1 as the flow tests walk them; a step whose register refuses the data is a 400/409 that
leaves the task open and writes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mapro.assets import testing
from mapro.assets.models import (
    BlockEntry,
    CertAssignment,
    CertDevice,
    PhoneAssignment,
    PhoneEquipment,
    RestoreRequest,
)
from mapro.procedures.testing import API, Walk, client_for, publish_ficha
from mapro.procedures.tests import test_flow_S04_03_02_02 as restore_flow
from mapro.procedures.tests import test_flow_S04_03_03_02 as phone_flow
from mapro.procedures.tests import test_flow_S04_03_04_01 as cert_flow
from mapro.procedures.tests import test_flow_S04_04_00_02 as mail_flow

pytestmark = pytest.mark.django_db


def _walk(module: Any, cast: Any, steps: list[Any], *, start: str | None = None) -> Walk:
    first = steps[0][0]
    walk = Walk(module.CODE, cast, starter=module.ACTS[first].roles[0], start=start)
    for n, extra, _ in steps:
        # The instance as the previous completion answered it (nothing else changed it).
        walk.complete(
            n,
            role=module.ACTS[n].roles[0],
            data={**module.ACTS[n].data, **extra},
            current=walk.known(),
        )
    return walk


def _try(walk: Walk, module: Any, n: int, data: dict[str, Any]) -> Any:
    user = walk.cast[module.ACTS[n].roles[0]]
    return client_for(user).post(
        f"{API}/tasks/{walk.task_id(n)}/complete/", {"data": data}, format="json"
    )


# --- S04.03.04.01 ---------------------------------------------------------------------------


@pytest.fixture
def cert_cast() -> Any:
    publish_ficha(cert_flow.CODE)
    return cert_flow.RequesterCast()


def test_delivery_assigns_both_devices_with_sworn_statement_and_reniec(cert_cast):
    walk = _walk(cert_flow, cert_cast, cert_flow.B_ENTREGA, start="requerimiento")
    holder = cert_cast["personal"].person
    rows = CertAssignment.objects.select_related("device").order_by("device__serial")
    assert [(a.device.serial, a.device.kind) for a in rows] == [
        ("LT-004415", "lector-tarjetas"),
        ("TC-000812", "tarjeta-criptografica"),
    ]
    for a in rows:
        assert a.holder == holder and a.unit.code == "DGRRHH" and a.is_open
        assert a.declaracion_jurada == "adjunto-declaracion-jurada"
        assert a.reniec_registered_on == dt.date(2025, 8, 4)
        assert a.reniec_approved_on == dt.date(2025, 8, 6)
        assert a.reniec_request == "RENIEC-SOL-778812"
        assert a.acta_entrega == "adjunto-acta-firmada"
        assert a.assigned_on == dt.date(2025, 8, 7)
        assert a.instance_id == walk.id
        assert a.device.status == "asignado"


def test_delivery_of_a_device_held_by_someone_else_is_refused(cert_cast):
    other = testing.person("40000021", testing.far_unit())
    device = testing.new_cert_device()
    CertDevice.objects.filter(pk=device.pk).update(serial="TC-000812")
    device.refresh_from_db()
    from mapro.assets.actions import do_assign_cert_device

    do_assign_cert_device(
        device,
        holder=other,
        declaracion_jurada="DJ",
        reniec_registered_on=dt.date(2025, 1, 2),
        reniec_approved_on=dt.date(2025, 1, 3),
        actor=None,
        check=False,
    )
    walk = _walk(cert_flow, cert_cast, cert_flow.ENTREGA, start="requerimiento")
    response = _try(walk, cert_flow, 10, {**cert_flow.ACTS[10].data, "deja_de_trabajar": "no"})
    assert response.status_code == 409
    assert "ya está asignado" in response.json()["detail"]
    walk.assert_open(10)
    assert CertAssignment.objects.count() == 1  # the other person's only
    assert not CertDevice.objects.filter(serial="LT-004415").exists()  # rolled back too


def test_leaving_returns_the_devices_and_the_jefe_gives_conformity(cert_cast):
    _walk(cert_flow, cert_cast, cert_flow.C_ENTREGA_Y_DEVOLUCION, start="requerimiento")
    rows = CertAssignment.objects.all()
    assert len(rows) == 2
    for a in rows:
        assert a.returned_on == dt.date(2026, 2, 27)
        assert a.leaving_reason == "renuncia"
        assert a.conformity_on is not None
        assert a.conformity_by == cert_cast["jefe-ogtie"]
    assert set(CertDevice.objects.values_list("status", flat=True)) == {"disponible"}


def test_a_return_of_devices_the_person_does_not_hold_is_refused(cert_cast):
    other = testing.person("40000022", testing.far_unit())
    for kind, serial in (("tarjeta-criptografica", "TC-000812"), ("lector-tarjetas", "LT-004415")):
        device = testing.held_cert_device(other)
        CertDevice.objects.filter(pk=device.pk).update(serial=serial, kind=kind)
    walk = _walk(cert_flow, cert_cast, cert_flow.DEVOLUCION[:1], start="devolucion")
    response = _try(walk, cert_flow, 12, cert_flow.ACTS[12].data)
    assert response.status_code == 400
    message = response.json()["errors"]["dispositivos_recibidos"][0]
    assert "TC-000812 no está asignado a" in message
    walk.assert_open(12)
    assert not CertAssignment.objects.filter(returned_on__isnull=False).exists()
    missing = {k: v for k, v in cert_flow.ACTS[12].data.items() if k != "dispositivos_recibidos"}
    response = _try(walk, cert_flow, 12, missing)
    assert response.status_code == 400 and "dispositivos_recibidos" in response.json()["errors"]


# --- S04.03.02.02 ---------------------------------------------------------------------------


@pytest.fixture
def restore_cast() -> Any:
    publish_ficha(restore_flow.CODE)
    return restore_flow.RequesterCast()


@pytest.mark.parametrize(
    ("steps", "outcome"),
    [(restore_flow.B_RESTAURADA, "restaurada"), (restore_flow.A_DEVUELTA, "rechazada")],
)
def test_the_request_and_its_outcome_are_logged(restore_cast, steps, outcome):
    walk = _walk(restore_flow, restore_cast, steps, start="requerimiento")
    request = RestoreRequest.objects.get()
    assert request.instance_id == walk.id
    assert request.system == "BD del sistema de legajos (LEGAJOS_PRD)"
    assert request.period == "Registros del 1 al 15 de marzo de 2025"
    assert request.information_kind == "base_datos"
    assert request.requester == restore_cast["personal"].person
    assert request.unit.code == "DGRRHH"
    assert request.outcome == outcome
    if outcome == "restaurada":
        assert request.action == "restauracion"
        assert request.closed_on == dt.date(2025, 3, 19)
        assert request.restored_by == restore_cast["profesional-ogtie"]
        assert request.backup_used == "Respaldo completo 2025-03-16"
    else:
        assert request.result.startswith("El periodo solicitado")
        assert request.closed_on == dt.date(2025, 3, 18)


def test_a_request_without_system_or_period_creates_nothing(restore_cast):
    walk = Walk(restore_flow.CODE, restore_cast, starter="personal", start="requerimiento")
    data = {k: v for k, v in restore_flow.ACTS[15].data.items() if k not in ("origen", "periodo")}
    response = _try(walk, restore_flow, 15, data)
    assert response.status_code == 400
    assert {"origen", "periodo"} <= set(response.json()["errors"])
    walk.assert_open(15)
    assert walk.detail()["history"] == []
    assert not RestoreRequest.objects.exists()


# --- S04.04.00.02 ---------------------------------------------------------------------------


@pytest.fixture
def mail_cast() -> Any:
    publish_ficha(mail_flow.CODE)
    return mail_flow.ReporterCast()


def test_spam_blocks_enter_the_list_with_their_case(mail_cast):
    walk = _walk(mail_flow, mail_cast, mail_flow.A_SPAM)
    entries = {(e.kind, e.value) for e in BlockEntry.objects.all()}
    assert entries == {
        ("cuenta", "soporte@mindef-gob.pe.example"),
        ("dominio", "mindef-gob.pe.example"),
        ("enlace", "https://mindef-gob.pe.example/login"),
        ("ip", "185.220.101.45"),
    }
    assert set(BlockEntry.objects.values_list("instance_id", "case_kind")) == {(walk.id, "spam")}
    # A second case blocking the same values keeps the first entries (no duplicates).
    _walk(mail_flow, mail_cast, mail_flow.B_NO_CONCRETADO)
    assert BlockEntry.objects.count() == 4


@pytest.mark.parametrize(
    ("tipo", "valor"),
    [("ip", "10.0.0.7"), ("ip", "203.0.113.45"), ("cuenta", "no-es-correo"), ("enlace", "ftp://x")],
)
def test_an_invalid_block_is_refused_naming_the_row(mail_cast, tipo, valor):
    walk = _walk(mail_flow, mail_cast, mail_flow.A_SPAM[:5])
    data = {
        "bloqueos": [{"tipo": "dominio", "valor": "ok.example"}, {"tipo": tipo, "valor": valor}]
    }
    response = _try(walk, mail_flow, 6, data)
    assert response.status_code == 400
    assert response.json()["errors"]["bloqueos"][0].startswith("Fila 2")
    walk.assert_open(6)
    assert not BlockEntry.objects.exists()


# --- S04.03.03.02 ---------------------------------------------------------------------------


@pytest.fixture
def phone_cast() -> Any:
    publish_ficha(phone_flow.CODE)
    return phone_flow.PhoneCast()


def test_delivery_fills_the_phone_inventory_with_the_four_signatures(phone_cast):
    walk = _walk(phone_flow, phone_cast, phone_flow.B_ENTREGA)
    ip = PhoneEquipment.objects.get(serial="FCH2233A1BC")
    movil = PhoneEquipment.objects.get(serial="R58W21XYZ")
    assert (ip.kind, ip.brand_model, ip.extension, ip.call_manager_registered) == (
        "ip",
        "Cisco 8841",
        "6134",
        True,
    )
    assert (movil.kind, movil.line_number, movil.extension) == ("movil", "987654321", "")
    a = PhoneAssignment.objects.get(equipment=ip)
    assert (a.holder_name, a.unit.code, a.instance_id) == ("Ana Rojas", "DGRRHH", walk.id)
    assert a.acta_entrega == "adjunto-acta-entrega"
    assert a.acta_asignacion == "AAB-2025-0912"
    assert a.delivered_on == dt.date(2025, 9, 8) and a.received_by == "Ana Rojas; Carlos Díaz"
    assert a.signatures_complete
    assert (a.firma_director_digep_nombre, a.firma_director_digep_fecha) == (
        "Lic. Rosa Quispe (DIGEP)",
        dt.date(2025, 9, 10),
    )
    assert PhoneAssignment.objects.get(equipment=movil).holder_name == "Carlos Díaz"


def _at_13(phone_cast: Any) -> Walk:
    return _walk(phone_flow, phone_cast, phone_flow.B_ENTREGA[:-3])


def test_an_ip_phone_without_extension_or_call_manager_is_refused(phone_cast):
    walk = _at_13(phone_cast)
    data = phone_flow.ACTS[13].data
    rows = [dict(r) for r in data["equipos_configurados"]]
    rows[0].pop("anexo")
    rows[0]["registrado_call_manager"] = False
    response = _try(walk, phone_flow, 13, {**data, "equipos_configurados": rows})
    assert response.status_code == 400
    messages = response.json()["errors"]["equipos_configurados"]
    assert any("anexo" in m for m in messages) and any("Call manager" in m for m in messages)
    walk.assert_open(13)
    assert not PhoneEquipment.objects.exists()


def test_a_phone_already_assigned_is_not_delivered_again(phone_cast):
    phone = testing.assigned_phone(testing.far_unit(), holder_name="Otra Persona")
    PhoneEquipment.objects.filter(pk=phone.pk).update(serial="FCH2233A1BC")
    walk = _at_13(phone_cast)
    response = _try(walk, phone_flow, 13, phone_flow.ACTS[13].data)
    assert response.status_code == 400
    assert "ya está asignado a Otra Persona" in response.json()["errors"]["equipos_configurados"][0]
    walk.assert_open(13)
    assert PhoneAssignment.objects.count() == 1
