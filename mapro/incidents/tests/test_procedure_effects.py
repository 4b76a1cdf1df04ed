"""The procedure steps write the matrix: S04.04.00.03 (acts. 2 and 12) and S04.03.01.05
(acts. 4 and 12), walked through API v1 with the fichas' own test data."""

from __future__ import annotations

import datetime

import pytest
from django.utils.dateparse import parse_datetime

from mapro.core.testing import make_user
from mapro.incidents.choices import Kind, Origin, Phase, Status
from mapro.incidents.models import Incident
from mapro.incidents.selectors import minutes, timeline
from mapro.procedures.models import Instance
from mapro.procedures.testing import API, Cast, Walk, client_for, publish_ficha, run_path
from mapro.procedures.tests import test_flow_S04_03_01_05 as infra_flow
from mapro.procedures.tests import test_flow_S04_04_00_03 as security_flow


@pytest.fixture
def security_cast(db):
    publish_ficha(security_flow.CODE)
    return security_flow.IncidentCast()


@pytest.fixture
def infra_cast(db):
    publish_ficha(infra_flow.CODE)
    return Cast()


def _with_post_data(path, n, extra):
    return [(m, {**data, **extra} if m == n else data, after) for m, data, after in path]


def test_a_units_report_opens_the_row_at_activity_2(security_cast):
    walk = Walk(security_flow.CODE, security_cast, starter="personal", start="uo")
    for n in (1, 2):
        act = security_flow.ACTS[n]
        walk.complete(n, role=act.roles[0], data=act.data)
    incident = Incident.objects.get(instance_id=walk.id)
    assert incident.kind == Kind.SEGURIDAD and incident.status == Status.ABIERTO
    assert incident.origin == Origin.UNIDAD
    assert incident.reporting_unit.code == "DGRRHH"
    assert incident.detected_at == parse_datetime("2025-10-06T08:15:00-05:00")
    assert "PC-DGRRHH-0114" in incident.affected_assets
    assert [a.phase for a in incident.actions.all()] == [Phase.DETECCION, Phase.DETECCION]
    # The unit's director sees it in the register; the infrastructure side does not.
    director = security_cast["director-uo"]
    assert client_for(director).get(f"{API}/incidents/{incident.code}/").status_code == 200
    other = client_for(make_user("resp-infraestructura"))
    assert other.get(f"{API}/incidents/{incident.code}/").status_code == 404


def test_a_security_incidents_timeline_shows_each_phase_with_who_and_when(security_cast):
    path = _with_post_data(
        security_flow.incident_path("ogtie", "si", "no"),
        12,
        {"fecha_hora_resolucion": "2025-10-06T14:20:00-05:00"},
    )
    walk = run_path(
        security_flow.CODE,
        security_cast,
        security_flow.ACTS,
        path,
        first=[3],
        rotate=1,
        start="ogtie",
    )
    incident = Incident.objects.get(instance_id=walk.id)
    assert incident.status == Status.CERRADO
    assert incident.origin == Origin.OGTIE and incident.detection_source == "alerta_seguridad"
    assert (incident.category, incident.priority, incident.severity) == (
        "codigo-malicioso",
        "alta",
        "alta",
    )
    assert incident.resolution == "Equipo reinstalado y archivos restaurados."
    assert incident.lessons_learned == "Bloquear macros en documentos recibidos por correo."
    assert "Soporte del fabricante del EDR" in incident.external_support
    # Detected 08:20 (act. 4), contained 08:40 (act. 8), resolved 14:20 (act. 12).
    assert minutes(incident.time_to_contain) == 20
    assert minutes(incident.time_to_resolve) == 6 * 60
    history = {r.n: r for r in Instance.objects.get(pk=walk.id).history.all()}
    blocks = {b.phase: b for b in timeline(incident)}
    expected = {
        Phase.DETECCION: [3, 4, 5, 6],
        Phase.ANALISIS: [7],
        Phase.CONTENCION: [8],
        Phase.ERRADICACION: [9],
        Phase.RECUPERACION: [10, 11],
        Phase.POST_INCIDENTE: [12],
    }
    for phase, numbers in expected.items():
        shown = blocks[phase].actions
        assert sorted(a.record.n for a in shown) == numbers, phase
        # Within a phase, by when each action was done (a declared time wins: act. 4's
        # "fecha y hora de detección" of the ficha's data is older than act. 3's completion).
        assert [a.performed_at for a in shown] == sorted(a.performed_at for a in shown)
        for action in shown:
            record = history[action.record.n]
            assert action.performed_by == record.completed_by
            assert action.performed_by_name == record.completed_by_name
    # rotate=1: the coordinator completed 7-10, the technician the rest.
    coord, tech = security_cast["coord-ciberseguridad"], security_cast["tecnico-especialista"]
    assert blocks[Phase.ANALISIS].actions[0].performed_by == coord
    assert blocks[Phase.POST_INCIDENTE].actions[0].performed_by == tech
    assert blocks[Phase.CONTENCION].actions[0].performed_at == parse_datetime(
        "2025-10-06T08:40:00-05:00"
    )
    assert "Aislamiento del equipo de la red." in blocks[Phase.CONTENCION].actions[0].description
    # The API gives the same timeline.
    body = (
        client_for(make_user("oficial-seguridad-digital"))
        .get(f"{API}/incidents/{incident.code}/")
        .json()
    )
    assert [p["phase"] for p in body["timeline"]] == [p.value for p in Phase]
    assert [len(p["actions"]) for p in body["timeline"]] == [4, 1, 1, 1, 2, 1]


def test_a_units_report_keeps_one_row_through_the_end(security_cast):
    walk = run_path(
        security_flow.CODE,
        security_cast,
        security_flow.ACTS,
        security_flow.incident_path("uo", "no", "si"),
        first=[1],
        start="uo",
    )
    incident = Incident.objects.get(instance_id=walk.id)
    assert Incident.objects.count() == 1
    assert incident.status == Status.CERRADO
    numbers = [a.record.n for a in incident.actions.all()]
    assert sorted(numbers) == [1, 2, 4, 7, 8, 9, 10, 12]
    assert len(numbers) == len(set(numbers))  # each step once, though two steps register


def test_an_infrastructure_incident_from_activity_4_to_12(infra_cast):
    path = infra_flow.PATHS["C1-sin-informe"]
    walk = run_path(infra_flow.CODE, infra_cast, infra_flow.ACTS, path, first=[1], start="reporte")
    incident = Incident.objects.get(instance_id=walk.id)
    assert incident.kind == Kind.INFRAESTRUCTURA and incident.status == Status.CERRADO
    assert incident.origin == Origin.UNIDAD and incident.reported_by == "Sr. Paredes, DGRRHH"
    assert (incident.category, incident.severity) == ("caida", "alta")
    assert incident.detected_at == parse_datetime("2025-08-04T08:55:00-05:00")
    assert incident.resolved_at == parse_datetime("2025-08-06T12:00:00-05:00")
    assert incident.time_to_resolve == datetime.timedelta(days=2, hours=3, minutes=5)
    assert incident.time_to_contain is None
    assert "Proveedor" in incident.external_support
    assert "Solución del contratista" in incident.external_support
    assert incident.resolution
    phases = {b.phase: sorted(a.record.n for a in b.actions) for b in timeline(incident)}
    assert phases[Phase.DETECCION] == [1, 2, 4, 5]
    assert phases[Phase.ANALISIS] == [6]
    assert phases[Phase.RECUPERACION] == [7, 10, 11]
    assert phases[Phase.POST_INCIDENTE] == [12]


def test_an_undetected_infrastructure_event_leaves_no_row(infra_cast):
    run_path(
        infra_flow.CODE,
        infra_cast,
        infra_flow.ACTS,
        infra_flow.PATHS["A-no-detectado"],
        first=[1],
        start="monitoreo",
    )
    assert not Incident.objects.exists()
