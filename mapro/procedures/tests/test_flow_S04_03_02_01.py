"""S04.03.02.01 Generación de copias de respaldo de la información, walked through API v1.

Paths (docs/procedures/S04.03.02.01.md): from «cronograma», A 1-2(obs.)-1-2-3(BD)-4(sin
error)-11, B 1-2-3(BD)-4(error)-5-11, C 1-2-3(común)-6(sin error)-11, D 1-2-3(común)-6-7(no
persiste)-11, E 1-2-3(común)-6-7(persiste)-8-9-10-11 (the support's visit in the data center's
register and logbook); from «requerimiento», F 3(BD)-4-11; from «informe-semestral», G
12-13(obs.)-12-13-14; and the correction path a failed backup posted by a backup server's token
opens: H «falla-copia-bd» 5-11, I «falla-copia-comun» 7-11.
"""

from __future__ import annotations

import base64
import datetime
from typing import Any

import pytest
import time_machine

from mapro.datacenter.models import LogbookEntry, Visit
from mapro.documents.models import Document
from mapro.inventory.testing import new_equipment
from mapro.operations.actions import do_issue_token
from mapro.operations.models import RunRecord
from mapro.procedures.models import Instance
from mapro.procedures.testing import API, Act, Cast, Walk, client_for, publish_ficha, run_path
from mapro.schedules.models import Plan, PlanOccurrence

CODE = "S04.03.02.01"
NOW = datetime.datetime(2026, 5, 20, 17, 0, tzinfo=datetime.UTC)  # 12:00 in Lima
WRONG_PROF = ("operador-mesa", "coord-infraestructura", "jefe-ogtie", "prof-redes")
WRONG_COORD = ("profesional-ogtie", "jefe-ogtie", "resp-infraestructura", "operador-mesa")


@pytest.fixture
def world(db):
    publish_ficha(CODE)
    cast = Cast()
    server = new_equipment("servidor", code="SRV-BD-01", name="Servidor de base de datos")
    storage = new_equipment("servidor", code="SRV-STO-01", name="Storage de respaldos")
    return {"cast": cast, "server": server, "storage": storage}


def _draft_plan(cast: Cast, year: int) -> int:
    body = {
        "procedure": CODE,
        "year": year,
        "title": f"Cronograma anual de respaldo {year}",
        "items": [
            {
                "activity": "Copia de base de datos",
                "target": "SRV-BD-01",
                "equipment_code": "SRV-BD-01",
                "starts_on": f"{year}-01-15",
                "rrule": "FREQ=MONTHLY;BYMONTHDAY=15",
                "responsible_role": "profesional-ogtie",
            }
        ],
    }
    response = client_for(cast["profesional-ogtie"]).post(f"{API}/plans/", body, format="json")
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def acts(plan: int) -> dict[int, Act]:
    return {
        1: Act(("profesional-ogtie",), WRONG_PROF, {"cronograma": plan}),
        2: Act(("coord-infraestructura",), WRONG_COORD, {}),
        3: Act(("profesional-ogtie",), WRONG_PROF, {"programacion": "BD diaria 23:00"}),
        4: Act(
            ("profesional-ogtie",),
            WRONG_PROF,
            {
                "equipo": "SRV-BD-01",
                "sistema": "SIGA_PRD",
                "fecha_hora": "2026-05-15T23:30:00-05:00",
                "tamano_bytes": 52428800,
            },
        ),
        5: Act(
            ("profesional-ogtie",),
            WRONG_PROF,
            {
                "accion_correctiva": "Se liberó espacio y se re-ejecutó la copia.",
                "copia_manual_ok": True,
            },
        ),
        6: Act(
            ("profesional-ogtie",),
            WRONG_PROF,
            {"equipo": "SRV-STO-01", "fecha_hora": "2026-05-15T23:30:00-05:00"},
        ),
        7: Act(
            ("profesional-ogtie",),
            WRONG_PROF,
            {
                "accion_correctiva": "Se corrigió la ruta y se re-ejecutó la tarea.",
                "contrato_vigente": True,
            },
        ),
        8: Act(
            ("coord-infraestructura",),
            WRONG_COORD,
            {"empresa": "Backup Perú SAC", "fecha_hora_visita": "2026-05-19T09:00:00-05:00"},
        ),
        9: Act(
            ("coord-infraestructura",),
            WRONG_COORD,
            {
                "personal": [{"nombres_apellidos": "Luis Soporte", "dni": "41234567"}],
                "trabajos": "Corrección del agente de respaldo.",
                "documentos": [
                    {"documento": "sctr", "vigente_hasta": "2026-12-31"},
                    {"documento": "contrato_orden", "referencia": "OS-123"},
                    {"documento": "procedimiento"},
                    {"documento": "capacitacion_sst"},
                    {"documento": "certificado_medico", "vigente_hasta": "2026-12-31"},
                ],
            },
        ),
        10: Act(
            ("coord-infraestructura",),
            WRONG_COORD,
            {
                "ingresos": [
                    {
                        "nombres_apellidos": "Luis Soporte",
                        "dni": "41234567",
                        "fecha_hora_ingreso": "2026-05-20T09:05:00-05:00",
                        "acompanante": "Coordinador de infraestructura",
                    }
                ],
                "salidas": [
                    {
                        "nombres_apellidos": "Luis Soporte",
                        "dni": "41234567",
                        "fecha_hora_salida": "2026-05-20T11:40:00-05:00",
                    }
                ],
                "solucion": "Se reinstaló el agente y se validó la copia.",
            },
        ),
        11: Act(("profesional-ogtie",), WRONG_PROF, {"estatus": "Respaldos al día."}),
        12: Act(
            ("profesional-ogtie",),
            WRONG_PROF,
            {"anio": 2026, "semestre": "1", "acciones_ejecutadas": "180 copias, 2 fallas."},
        ),
        13: Act(("coord-infraestructura",), WRONG_COORD, {}),
        14: Act(("jefe-ogtie",), ("profesional-ogtie", "coord-infraestructura"), {}),
    }


def _instance_of_plan(plan_id: int) -> Instance:
    plan = Plan.objects.get(pk=plan_id)
    assert plan.instance_id is not None
    return Instance.objects.get(pk=plan.instance_id)


@time_machine.travel(NOW, tick=False)
def test_path_a_observations_then_signed_database_copy_without_error(world):
    cast = world["cast"]
    plan = _draft_plan(cast, 2026)
    path: list[Any] = [
        (1, {}, [2]),
        (2, {"cronograma_firmado": "no", "observaciones": "Falta la BD de planillas."}, [1]),
        (1, {}, [2]),
        (2, {"cronograma_firmado": "si"}, [3]),
        (3, {"tipo_copia": "base-datos"}, [4]),
        (4, {"existe_error": "no"}, [11]),
        (11, {}, []),
    ]
    run_path(CODE, cast, acts(plan), path, first=[1], start="cronograma")
    signed = Plan.objects.get(pk=plan)
    assert signed.status == "approved" and signed.approved_by == cast["coord-infraestructura"]
    assert PlanOccurrence.objects.filter(plan=signed).count() == 12
    run = RunRecord.objects.get()
    assert (run.kind, run.outcome, run.source) == ("backup-bd", "ok", "procedure")
    # The run fulfils the May date of the cronograma.
    assert run.plan_occurrence.due_on == datetime.date(2026, 5, 15)
    assert run.plan_occurrence.status == "done"


@time_machine.travel(NOW, tick=False)
def test_path_b_database_copy_error_is_corrected(world):
    cast = world["cast"]
    plan = _draft_plan(cast, 2027)
    path: list[Any] = [
        (1, {}, [2]),
        (2, {"cronograma_firmado": "si"}, [3]),
        (3, {"tipo_copia": "base-datos"}, [4]),
        (4, {"existe_error": "si", "detalle": "Disco local lleno"}, [5]),
        (5, {}, [11]),
        (11, {}, []),
    ]
    walk = run_path(CODE, cast, acts(plan), path, first=[1], start="cronograma")
    run = RunRecord.objects.get()
    assert run.outcome == "failed" and run.instance_id == walk.id
    assert run.correction_state == "done"
    assert run.corrective_action == "Se liberó espacio y se re-ejecutó la copia."


@time_machine.travel(NOW, tick=False)
def test_path_c_and_d_common_information(world):
    cast = world["cast"]
    plan = _draft_plan(cast, 2028)
    run_path(
        CODE,
        cast,
        acts(plan),
        [
            (1, {}, [2]),
            (2, {"cronograma_firmado": "si"}, [3]),
            (3, {"tipo_copia": "comun"}, [6]),
            (6, {"hay_error": "no"}, [11]),
            (11, {}, []),
        ],
        first=[1],
        start="cronograma",
    )
    plan = _draft_plan(cast, 2029)
    run_path(
        CODE,
        cast,
        acts(plan),
        [
            (1, {}, [2]),
            (2, {"cronograma_firmado": "si"}, [3]),
            (3, {"tipo_copia": "comun"}, [6]),
            (6, {"hay_error": "si"}, [7]),
            (7, {"persiste_error": "no"}, [11]),
            (11, {}, []),
        ],
        first=[1],
        start="cronograma",
    )
    runs = list(RunRecord.objects.order_by("id"))
    assert [(r.kind, r.outcome, r.correction_state) for r in runs] == [
        ("backup-comun", "ok", "none"),
        ("backup-comun", "failed", "done"),
    ]


@time_machine.travel(NOW, tick=False)
def test_path_e_specialised_support_visit_in_the_data_center_logbook(world):
    cast = world["cast"]
    plan = _draft_plan(cast, 2030)
    steps = acts(plan)
    # Walk by hand up to 10: the entry needs the DIPEC's review and induction first.
    walk = Walk(CODE, cast, starter="profesional-ogtie", start="cronograma")
    for n, extra in (
        (1, {}),
        (2, {"cronograma_firmado": "si"}),
        (3, {"tipo_copia": "comun"}),
        (6, {"hay_error": "si"}),
        (7, {"persiste_error": "si"}),
        (8, {}),
        (9, {}),
    ):
        act = steps[n]
        walk.complete(
            n, role=act.roles[0], data={**act.data, **extra}, wrong=[cast[r] for r in act.wrong]
        )
    walk.assert_open(10)
    visit = Visit.objects.get(instance_id=walk.id)
    assert visit.kind == "mantenimiento-ogtie" and visit.company == "Backup Perú SAC"
    assert visit.documents.count() == 5
    # Without the DIPEC's review and induction the entry is refused and nothing is kept.
    coord = client_for(cast["coord-infraestructura"])
    task = walk.task_id(10)
    refused = coord.post(f"{API}/tasks/{task}/complete/", {"data": steps[10].data}, format="json")
    assert refused.status_code == 400, refused.content
    assert "ingresos.0" in refused.json()["errors"]
    assert not LogbookEntry.objects.exists()
    walk.assert_open(10)
    for kind in ("revision", "induccion"):
        response = coord.post(
            f"{API}/datacenter/visits/{visit.pk}/checks/",
            {"kind": kind, "outcome": "conforme", "on": "2026-05-19"},
            format="json",
        )
        assert response.status_code == 201, response.content
    walk.complete(10, role="coord-infraestructura", data=steps[10].data)
    walk.complete(11, role="profesional-ogtie", data=steps[11].data)
    walk.assert_completed([1, 2, 3, 6, 7, 8, 9, 10, 11])
    entry = LogbookEntry.objects.get()
    assert entry.visit_id == visit.pk and entry.dni == "41234567"
    assert entry.exited_at is not None and entry.activity == 10
    run = RunRecord.objects.get()
    assert run.correction_state == "done"
    assert "Soporte especializado (Backup Perú SAC)" in run.corrective_action


@time_machine.travel(NOW, tick=False)
def test_path_f_request_of_a_unit(world):
    cast = world["cast"]
    run_path(
        CODE,
        cast,
        acts(1),
        [(3, {"tipo_copia": "base-datos"}, [4]), (4, {"existe_error": "no"}, [11]), (11, {}, [])],
        first=[3],
        start="requerimiento",
    )


@time_machine.travel(NOW, tick=False)
def test_path_g_semiannual_report_is_a_numbered_document(world):
    cast = world["cast"]
    run_path(
        CODE,
        cast,
        acts(1),
        [
            (12, {}, [13]),
            (13, {"hay_observaciones": "si", "observaciones": "Detalle las fallas."}, [12]),
            (12, {}, [13]),
            (13, {"hay_observaciones": "no"}, [14]),
            (14, {}, []),
        ],
        first=[12],
        start="informe-semestral",
    )
    documents = list(Document.objects.filter(kind="Informe de copia de respaldo").order_by("id"))
    assert len(documents) == 2 and documents[0].number != documents[1].number


def _post_failed(token: str, kind: str, equipment: str, external_id: str) -> Any:
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client.post(
        f"{API}/operations/runs/",
        {
            "kind": kind,
            "equipment": equipment,
            "ran_at": "2026-05-20T02:00:00-05:00",
            "outcome": "failed",
            "message": "ORA-19502: write error on file",
            "external_id": external_id,
            "evidence": {
                "name": "rman.log",
                "content_base64": base64.b64encode(b"RMAN-03009: failure").decode(),
            },
        },
        format="json",
    )


@time_machine.travel(NOW, tick=False)
def test_path_h_and_i_a_failed_backup_posted_by_the_api_opens_the_correction(world):
    cast = world["cast"]
    _, token = do_issue_token(
        actor=cast["coord-infraestructura"],
        name="Servidor de respaldo",
        kinds=["backup-bd", "backup-comun"],
    )
    posted = _post_failed(token, "backup-bd", "SRV-BD-01", "job-1")
    assert posted.status_code == 201, posted.content
    body = posted.json()
    assert body["correction_state"] == "pending" and body["source"] == "api"
    assert body["evidence"]["name"] == "rman.log"
    instance = Instance.objects.get(pk=body["instance"])
    assert instance.start_key == "falla-copia-bd" and instance.procedure_code == CODE
    # A retry of the same job returns the same record and opens nothing more.
    again = _post_failed(token, "backup-bd", "SRV-BD-01", "job-1")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Instance.objects.count() == 1

    walk = Walk.of(CODE, cast, instance.pk)
    walk.assert_open(5)
    steps = acts(1)
    walk.complete(
        5, role="profesional-ogtie", data=steps[5].data, wrong=[cast[r] for r in WRONG_PROF]
    )
    walk.complete(11, role="profesional-ogtie", data=steps[11].data)
    walk.assert_completed([5, 11])
    run = RunRecord.objects.get(pk=body["id"])
    assert run.correction_state == "done"
    assert run.corrective_action == steps[5].data["accion_correctiva"]

    posted = _post_failed(token, "backup-comun", "SRV-STO-01", "job-2")
    assert posted.status_code == 201, posted.content
    other = Instance.objects.get(pk=posted.json()["instance"])
    assert other.start_key == "falla-copia-comun"
    walk = Walk.of(CODE, cast, other.pk)
    walk.assert_open(7)
    walk.complete(7, role="profesional-ogtie", data={**steps[7].data, "persiste_error": "no"})
    walk.complete(11, role="profesional-ogtie", data=steps[11].data)
    walk.assert_completed([7, 11])
    assert RunRecord.objects.get(pk=posted.json()["id"]).correction_state == "done"


@time_machine.travel(NOW, tick=False)
def test_signing_needs_a_draft_of_this_procedure(world):
    cast = world["cast"]
    walk = Walk(CODE, cast, starter="profesional-ogtie", start="cronograma")
    task = walk.task_id(1)
    client = client_for(cast["profesional-ogtie"])
    response = client.post(
        f"{API}/tasks/{task}/complete/", {"data": {"cronograma": 999}}, format="json"
    )
    assert response.status_code == 400
    assert "cronograma" in response.json()["errors"]
    walk.assert_open(1)
