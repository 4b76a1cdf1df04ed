"""S04.03.01.03's steps write the bitácora (``procedure_effects``), and are refused like the
API: a refused entry or exit leaves the task open and nothing written (no visit, no line).

The walks reuse the flow test's valid data (``test_flow_S04_03_01_03.ACTS``) and change what
each case needs.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from mapro.datacenter.choices import CheckKind, CheckOutcome, DocumentKind
from mapro.datacenter.models import LogbookEntry, Visit
from mapro.procedures.models import EffectOutcome
from mapro.procedures.testing import API, Walk, client_for, publish_ficha
from mapro.procedures.tests.test_flow_S04_03_01_03 import (
    ACTS,
    CODE,
    DOCUMENTOS,
    PERSONAL,
    DataCenterCast,
)

HEAD = (7, 8, 9)


@pytest.fixture
def cast(db: Any) -> DataCenterCast:
    publish_ficha(CODE)
    return DataCenterCast()


def _data(n: int, **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(ACTS[n].data)
    data.update(changes)
    return data


def _walk_to_14(cast: DataCenterCast, changes: dict[int, dict[str, Any]] | None = None) -> Walk:
    """Path B up to the entry (14), with ``changes`` to the steps' data."""
    changes = changes or {}
    walk = Walk(CODE, cast, starter="coord-infraestructura", start="mantenimiento-ogtie")
    for n in (*HEAD, 10, 11, 12, 13):
        extra = {"documentacion_conforme": "si"} if n == 10 else {}
        walk.complete(
            n,
            role=ACTS[n].roles[0],
            data={**_data(n, **extra), **changes.get(n, {})},
            current=walk.known(),
        )
    walk.assert_open(14)
    return walk


def _post(walk: Walk, cast: DataCenterCast, n: int, data: dict[str, Any]) -> Any:
    user = cast[ACTS[n].roles[0]]
    return client_for(user).post(
        f"{API}/tasks/{walk.task_id(n)}/complete/", {"data": data}, format="json"
    )


def test_the_maintenance_path_builds_the_visit(cast: DataCenterCast) -> None:
    walk = _walk_to_14(cast)
    walk.complete(14, role="resp-infraestructura", data=_data(14), current=walk.known())
    visit = Visit.objects.get(instance_id=walk.id)
    assert (visit.kind, visit.company, visit.unit.code) == (
        "mantenimiento-ogtie",
        "Energía Continua S.A.",
        "OGTIE",
    )
    assert visit.ticket_number  # the help desk's ticket, or the number typed at 9
    assert [(p.full_name, p.dni) for p in visit.people.all()] == [
        (PERSONAL[0]["nombres_apellidos"], PERSONAL[0]["dni"])
    ]
    kinds = [d.kind for d in visit.documents.order_by("id")]
    assert kinds == [DocumentKind.SCTR] + [d["documento"] for d in DOCUMENTOS]
    assert [(c.kind, c.outcome) for c in visit.checks.order_by("id")] == [
        (CheckKind.REVISION, CheckOutcome.CONFORME),
        (CheckKind.INDUCCION, CheckOutcome.CONFORME),
    ]
    entry = LogbookEntry.objects.get(visit=visit)
    assert (entry.escort_name, entry.purpose, entry.activity) == (
        "Ing. Vargas (infraestructura)",
        "Cambio de baterías del UPS.",
        14,
    )
    assert entry.entry_recorded_by == cast["resp-infraestructura"]
    outcome = EffectOutcome.objects.get(record__instance_id=walk.id, record__n=14, kind="register")
    assert (outcome.status, outcome.detail) == (
        "applied",
        {"visit": visit.pk, "entries": [entry.pk]},
    )
    walk.complete(15, role="resp-infraestructura", data=_data(15), current=walk.known())
    walk.complete(16, role="resp-infraestructura", data=_data(16), current=walk.known())
    entry.refresh_from_db()
    assert not entry.is_open and entry.exit_recorded_by == cast["resp-infraestructura"]


def test_observed_reviews_are_kept_in_order(cast: DataCenterCast) -> None:
    walk = Walk(CODE, cast, starter="coord-infraestructura", start="mantenimiento-ogtie")
    for n in HEAD:
        walk.complete(n, role=ACTS[n].roles[0], data=_data(n), current=walk.known())
    observed = _data(10, documentacion_conforme="no", observaciones_dipec="CMO vencido.")
    walk.complete(10, role="coord-infraestructura", data=observed, current=walk.known())
    for n in (10, 11, 12, 13, 14):
        extra = {"documentacion_conforme": "si"} if n == 10 else {}
        walk.complete(n, role=ACTS[n].roles[0], data=_data(n, **extra), current=walk.known())
    visit = Visit.objects.get(instance_id=walk.id)
    reviews = visit.checks.filter(kind=CheckKind.REVISION).order_by("id")
    assert [(c.outcome, c.observations) for c in reviews] == [
        (CheckOutcome.OBSERVADA, "CMO vencido."),
        (CheckOutcome.CONFORME, ""),
    ]


def test_an_expired_sctr_keeps_step_14_open_and_writes_nothing(cast: DataCenterCast) -> None:
    expired = [
        {**d, "vigente_hasta": "2025-08-01"} if d["documento"] == "sctr" else d for d in DOCUMENTOS
    ]
    walk = _walk_to_14(cast, {8: {"sctr_vigente_hasta": "2025-08-01"}, 10: {"documentos": expired}})
    response = _post(walk, cast, 14, _data(14))
    assert response.status_code == 400, response.content
    messages = response.json()["errors"]["ingresos"]
    assert messages == [
        "Luis Alberto Campos Díaz (DNI 42563178): Documento vencido: SCTR (vigente hasta "
        "01/08/2025)."
    ]
    walk.assert_open(14)
    assert not Visit.objects.exists() and not LogbookEntry.objects.exists()


def test_high_risk_work_without_the_cv_is_refused(cast: DataCenterCast) -> None:
    walk = _walk_to_14(cast, {7: {"alto_riesgo": True}})
    response = _post(walk, cast, 14, _data(14))
    assert response.status_code == 400
    assert "CV de prevencionista" in response.json()["errors"]["ingresos"][0]
    walk.assert_open(14)
    assert not LogbookEntry.objects.exists()


def test_the_units_maintenance_needs_its_documents(cast: DataCenterCast) -> None:
    walk = Walk(CODE, cast, starter="director-uo", start="mantenimiento-uo")
    only_sctr = [d for d in DOCUMENTOS if d["documento"] == "sctr"]
    walk.complete(
        6, role="director-uo", data=_data(6, gestiones_previas=only_sctr), current=walk.known()
    )
    response = _post(walk, cast, 14, _data(14))
    assert response.status_code == 400
    assert len(response.json()["errors"]["ingresos"]) == 4
    walk.assert_open(14)
    assert not Visit.objects.exists()


def test_unvalidated_security_requirements_refuse_the_entry(cast: DataCenterCast) -> None:
    walk = _walk_to_14(cast)
    response = _post(walk, cast, 14, _data(14, requisitos_seguridad_validados=False))
    assert response.status_code == 400
    assert "requisitos_seguridad_validados" in response.json()["errors"]
    walk.assert_open(14)


def test_someone_not_listed_cannot_enter(cast: DataCenterCast) -> None:
    walk = _walk_to_14(cast)
    stranger = {**_data(14)["ingresos"][0], "dni": "11112222"}
    response = _post(walk, cast, 14, _data(14, ingresos=[stranger]))
    assert response.status_code == 400
    assert "no figura" in response.json()["errors"]["ingresos.0.dni"][0]
    walk.assert_open(14)


def test_an_exit_before_the_entry_keeps_step_16_open(cast: DataCenterCast) -> None:
    walk = _walk_to_14(cast)
    for n in (14, 15):
        walk.complete(n, role="resp-infraestructura", data=_data(n), current=walk.known())
    early = {**PERSONAL[0], "fecha_hora_salida": "2025-08-25T08:00:00-05:00"}
    response = _post(walk, cast, 16, _data(16, salidas=[early]))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "no puede ser anterior al ingreso" in errors["salidas.0.fecha_hora_salida"][0]
    walk.assert_open(16)
    assert LogbookEntry.objects.get().is_open


def test_an_exit_of_someone_who_never_entered_is_refused(cast: DataCenterCast) -> None:
    walk = Walk(CODE, cast, starter="secretario-general", start="visita-sg")
    for n in (1, 2, 3, 4):
        walk.complete(n, role=ACTS[n].roles[0], data=_data(n), current=walk.known())
    other = {"nombres_apellidos": "Otra Persona", "dni": "55556666"}
    exit_row = {**other, "fecha_hora_salida": "2025-08-12T10:40:00-05:00"}
    response = _post(walk, cast, 5, _data(5, salidas=[exit_row]))
    assert response.status_code == 400
    assert "no tiene un ingreso sin salida" in response.json()["errors"]["salidas.0.dni"][0]
    walk.assert_open(5)
