"""The procedures write the SGSI registers: S04.01.00.03 its documents (versions at 4 and 7,
observations at 10, approval with the Memorándum at 12, custody at 13) and its unexpected event
in the incident matrix SGSI-FOR-006; S04.03.03.02 activity 15 the inventory SGSI-FOR-002 and
its Formato N° 01. Walked through API v1 with the flow helpers."""

from __future__ import annotations

from typing import Any

import pytest

from mapro.incidents.models import Incident
from mapro.procedures.models import EffectOutcome
from mapro.procedures.testing import API, Cast, Walk, client_for, publish_ficha, run_path
from mapro.procedures.tests import test_flow_S04_01_00_03 as sgsi_flow
from mapro.sgsi.models import AssetChange, InformationAsset, SgsiDocument

pytestmark = pytest.mark.django_db
ACTS = sgsi_flow.ACTS


@pytest.fixture
def cast(db: Any) -> Cast:
    publish_ficha(sgsi_flow.CODE)
    return Cast()


def _head(cast: Cast) -> Walk:
    walk = Walk(sgsi_flow.CODE, cast, starter="coord-ciberseguridad")
    for n in (1, 2, 3):
        walk.complete(n, role=ACTS[n].roles[0], data=ACTS[n].data)
    return walk


def test_documentation_steps_write_the_register(cast: Cast) -> None:
    walk = _head(cast)
    # act. 4: a row without its file is a field error and nothing is written
    task = walk.task_id(4)
    row = {"codigo": "SGSI-POL-001", "documento": "Política de seguridad"}
    refused = client_for(cast["coord-ciberseguridad"]).post(
        f"{API}/tasks/{task}/complete/",
        {"data": {"cambios_efectuados": "x", "documentos_actualizados": [row]}},
        format="json",
    )
    assert refused.status_code == 400
    assert "documentos_actualizados.0.archivo" in refused.json()["errors"]
    # act. 1 registered the remitted document (its row had a code); no version was written
    assert SgsiDocument.objects.get().versions.count() == 0
    walk.complete(4, role="coord-ciberseguridad", data=ACTS[4].data)
    document = SgsiDocument.objects.get(code="SGSI-POL-001")
    assert document.owner_team == "ciberseguridad" and document.kind == "politica"
    assert [(v.number, v.status, v.file_name) for v in document.versions.all()] == [
        (1, "en_revision", "adjunto-1")
    ]
    walk.complete(5, role="esp-seguridad-info", data={"evento_inesperado": "no"})
    walk.complete(10, role="esp-seguridad-info", data=sgsi_flow.OBSERVATIONS)
    assert document.observations.get().text == "Falta el alcance."
    assert document.versions.get(number=1).status == "observada"
    walk.complete(4, role="coord-ciberseguridad", data=ACTS[4].data)
    walk.complete(5, role="esp-seguridad-info", data={"evento_inesperado": "no"})
    walk.complete(10, role="esp-seguridad-info", data={**ACTS[10].data, "aceptacion": "si"})
    walk.complete(11, role="coord-ciberseguridad", data=ACTS[11].data)
    walk.complete(12, role="jefe-ogtie", data={**ACTS[12].data, "proxima_revision": "2026-12-31"})
    document.refresh_from_db()
    current = document.current_version
    assert current is not None and current.number == 2 and document.status == "vigente"
    assert current.approval_document == ACTS[12].data["memorandum"]
    assert str(current.approved_on) == ACTS[12].data["fecha_memorandum"]
    assert current.approved_by == cast["jefe-ogtie"]
    assert str(document.next_review) == "2026-12-31"
    # the memorándum issued by the same step carries that same number (one number)
    from mapro.documents.models import Document

    memo = Document.objects.get(instance_id=walk.id, activity_n=12)
    assert memo.number == current.approval_document and memo.seq is None
    walk.complete(13, role="coord-ciberseguridad", data=ACTS[13].data)
    document.refresh_from_db()
    assert document.custody_location == ACTS[13].data["ubicacion_custodia"]
    walk.assert_completed([1, 2, 3, 4, 5, 10, 4, 5, 10, 11, 12, 13])


def test_presenting_a_document_without_a_version_under_review_is_refused(cast: Cast) -> None:
    walk = _head(cast)
    walk.complete(4, role="coord-ciberseguridad", data=ACTS[4].data)
    walk.complete(5, role="esp-seguridad-info", data={"evento_inesperado": "no"})
    walk.complete(10, role="esp-seguridad-info", data={**ACTS[10].data, "aceptacion": "si"})
    task = walk.task_id(11)
    other = [{"codigo": "SGSI-PLA-009", "documento": "Plan sin versión"}]
    answer = client_for(cast["coord-ciberseguridad"]).post(
        f"{API}/tasks/{task}/complete/", {"data": {"documentos": other}}, format="json"
    )
    assert answer.status_code == 400
    assert "documentos.0.codigo" in answer.json()["errors"]
    walk.assert_open(11)


def test_an_unexpected_event_is_recorded_in_the_incident_matrix(cast: Cast) -> None:
    walk = _head(cast)
    walk.complete(4, role="coord-ciberseguridad", data=ACTS[4].data)
    walk.complete(5, role="esp-seguridad-info", data={"evento_inesperado": "si"})
    assert not Incident.objects.exists()
    walk.complete(
        6,
        role="personal",
        data={**ACTS[6].data, "sistemas_afectados": "Correo"},
        wrong=[cast["esp-seguridad-info"]],
    )
    incident = Incident.objects.get(instance_id=walk.id)
    assert incident.kind == "seguridad" and incident.status != "cerrado"
    assert incident.description.startswith("Caída del servicio de correo.")
    assert incident.affected_services == "Correo"
    for n in (7, 8):
        walk.complete(n, role=ACTS[n].roles[0], data=ACTS[n].data)
    walk.complete(9, role="jefe-ogtie", data={})
    incident.refresh_from_db()
    assert incident.status == "cerrado"
    assert "Servicio restablecido." in incident.resolution
    assert [a.phase for a in incident.actions.order_by("id")][-4:] == [
        "deteccion",
        "analisis",
        "recuperacion",
        "post_incidente",
    ]
    outcome = EffectOutcome.objects.get(instance_id=walk.id, record__n=6, kind="register")
    assert outcome.detail["incident"] == incident.code


def test_phone_delivery_writes_the_inventory_and_its_change_log(db: Any) -> None:
    from mapro.procedures.tests import test_flow_S04_03_03_02 as phone

    publish_ficha(phone.CODE)
    walk = run_path(phone.CODE, phone.PhoneCast(), phone.ACTS, phone.B_ENTREGA, first=[1])
    assets = {a.serial: a for a in InformationAsset.objects.all()}
    assert set(assets) == {"FCH2233A1BC", "R58W21XYZ"}
    ip = assets["FCH2233A1BC"]
    assert (ip.asset_type, ip.brand_model, ip.assigned_to, ip.status) == (
        "telefono_ip",
        "Cisco 8841",
        "Ana Rojas",
        "asignado",
    )
    assert ip.owner_unit is not None and ip.owner_unit.code == walk.unit
    changes = list(AssetChange.objects.filter(asset=ip).order_by("id"))
    assert [c.change_type for c in changes] == ["alta", "asignacion"]
    assert str(changes[0].changed_on) == "2025-09-05"  # received from DIRAB
    assert str(changes[1].changed_on) == "2025-09-08"  # the user's signature of the acta
    assert changes[1].support_document == "Acta de asignación de bienes AAB-2025-0912"
    assert all(c.instance_id == walk.id for c in changes)
    log = EffectOutcome.objects.get(
        instance_id=walk.id, value="Gestión de cambios de los activos de información"
    )
    assert log.status == "applied" and len(log.detail["changes"]) == 4
