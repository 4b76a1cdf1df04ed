"""S04.03.01.04 Administración de eventos y log de sistemas, walked through API v1.

Paths (docs/procedures/S04.03.01.04.md), from «anual»: A 1-2-3(obs.)-2-3-4-5-6(no)-11-12-13,
B 1-2-3-4-5-6(sí)-7-8-9-10-11-12(obs.)-11-12-13 (the Jefe's request for the analysis of an
event, its report and informe). The log reviews of 5 go to the run records; the informes are
numbered documents; the cronograma is signed at 3.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine

from mapro.documents.models import Document
from mapro.inventory.testing import new_equipment
from mapro.operations.models import RunRecord
from mapro.procedures.testing import API, Act, Cast, Walk, client_for, publish_ficha, run_path
from mapro.schedules.models import Plan

CODE = "S04.03.01.04"
NOW = datetime.datetime(2026, 5, 20, 17, 0, tzinfo=datetime.UTC)
WRONG_PROF = ("operador-mesa", "coord-infraestructura", "jefe-ogtie", "prof-redes")
WRONG_COORD = ("profesional-ogtie", "jefe-ogtie", "resp-infraestructura")
WRONG_JEFE = ("profesional-ogtie", "coord-infraestructura", "esp-seguridad-info")


@pytest.fixture
def world(db):
    publish_ficha(CODE)
    new_equipment("servidor", code="SRV-AD-01", name="Directorio activo")
    new_equipment("servidor", code="SRV-MAIL-01", name="Correo institucional")
    return Cast()


def _draft_plan(cast: Cast, year: int) -> int:
    body = {
        "procedure": CODE,
        "year": year,
        "title": f"Cronograma de revisión de logs {year}",
        "items": [
            {
                "activity": "Revisión y copia de logs de seguridad",
                "target": "Directorio activo",
                "equipment_code": "SRV-AD-01",
                "starts_on": f"{year}-01-20",
                "rrule": "FREQ=MONTHLY;BYMONTHDAY=20",
                "responsible_role": "profesional-ogtie",
                "details": {
                    "tipo": "Seguridad",
                    "frecuencia": "Mensual",
                    "ruta": "C:/Windows/System32/winevt/Logs",
                    "nombre_file": "Security.evtx",
                    "destino": "\\\\storage\\logs",
                },
            }
        ],
    }
    response = client_for(cast["profesional-ogtie"]).post(f"{API}/plans/", body, format="json")
    assert response.status_code == 201, response.content
    return int(response.json()["id"])


def acts(plan: int) -> dict[int, Act]:
    return {
        1: Act(
            ("profesional-ogtie",),
            WRONG_PROF,
            {
                "servidores": [
                    {"equipo": "SRV-AD-01", "sistema": "directorio-activo"},
                    {"equipo": "SRV-MAIL-01", "sistema": "correo"},
                ]
            },
        ),
        2: Act(("profesional-ogtie",), WRONG_PROF, {"cronograma": plan}),
        3: Act(("coord-infraestructura",), WRONG_COORD, {}),
        4: Act(
            ("profesional-ogtie",),
            WRONG_PROF,
            {
                "configuraciones": [
                    {
                        "equipo": "SRV-AD-01",
                        "log_seguridad": True,
                        "log_sistema": True,
                        "programado_para": "2026-05-20T02:00:00-05:00",
                    }
                ]
            },
        ),
        5: Act(
            ("profesional-ogtie",),
            WRONG_PROF,
            {
                "revisiones": [
                    {
                        "equipo": "SRV-AD-01",
                        "fecha_hora": "2026-05-20T02:05:00-05:00",
                        "resultado": "ok",
                        "elementos": 15230,
                        "tamano_bytes": 73400320,
                        "observaciones": "Restauración de prueba correcta.",
                    },
                    {
                        "equipo": "SRV-MAIL-01",
                        "fecha_hora": "2026-05-20T02:10:00-05:00",
                        "resultado": "partial",
                        "observaciones": "Sin capacidad: se movió a otro punto.",
                    },
                ]
            },
        ),
        6: Act(
            ("profesional-ogtie",),
            WRONG_PROF,
            {
                "activacion_logs": "Activos en 2 servidores.",
                "configuracion_backup": "Diario 02:00.",
                "monitoreo_eventos": "Sin anomalías mayores.",
                "accesos_no_permitidos": "3 intentos fallidos de administrador.",
            },
        ),
        7: Act(
            ("jefe-ogtie",),
            WRONG_JEFE,
            {"evento": "Intentos fallidos de administrador", "servicio": "Directorio activo"},
        ),
        8: Act(("profesional-ogtie",), WRONG_PROF, {"evidencias": "IP 10.1.2.3, 3 eventos 4625."}),
        9: Act(("coord-infraestructura",), WRONG_COORD, {"conclusiones": "Bloqueo de la IP."}),
        10: Act(("jefe-ogtie",), WRONG_JEFE, {"acciones": "Se dispone el bloqueo."}),
        11: Act(
            ("profesional-ogtie",),
            WRONG_PROF,
            {"anio": 2026, "acciones_ejecutadas": "Copias diarias de log; un análisis."},
        ),
        12: Act(("coord-infraestructura",), WRONG_COORD, {}),
        13: Act(("jefe-ogtie",), WRONG_JEFE, {}),
    }


@time_machine.travel(NOW, tick=False)
def test_path_a_without_analysis(world):
    plan = _draft_plan(world, 2026)
    run_path(
        CODE,
        world,
        acts(plan),
        [
            (1, {}, [2]),
            (2, {}, [3]),
            (3, {"cronograma_firmado": "no", "observaciones": "Falte el correo."}, [2]),
            (2, {}, [3]),
            (3, {"cronograma_firmado": "si"}, [4]),
            (4, {}, [5]),
            (5, {}, [6]),
            (6, {"solicita_analisis": "no"}, [11]),
            (11, {}, [12]),
            (12, {"hay_observaciones": "no"}, [13]),
            (13, {}, []),
        ],
        first=[1],
        start="anual",
    )
    signed = Plan.objects.get(pk=plan)
    assert signed.status == "approved" and signed.occurrences.count() == 12
    runs = list(RunRecord.objects.order_by("id"))
    assert [(r.kind, r.equipment.code, r.outcome) for r in runs] == [
        ("log", "SRV-AD-01", "ok"),
        ("log", "SRV-MAIL-01", "partial"),
    ]
    assert runs[0].items == 15230 and runs[1].correction_state == "pending"
    # The May review fulfils the May date of the signed cronograma.
    assert runs[0].plan_occurrence.due_on == datetime.date(2026, 5, 20)
    report = Document.objects.get(kind="Informe sobre la copia de eventos y log de sistemas")
    assert report.number


@time_machine.travel(NOW, tick=False)
def test_path_b_the_jefe_requests_an_analysis(world):
    plan = _draft_plan(world, 2027)
    run_path(
        CODE,
        world,
        acts(plan),
        [
            (1, {}, [2]),
            (2, {}, [3]),
            (3, {"cronograma_firmado": "si"}, [4]),
            (4, {}, [5]),
            (5, {}, [6]),
            (6, {"solicita_analisis": "si"}, [7]),
            (7, {}, [8]),
            (8, {}, [9]),
            (9, {}, [10]),
            (10, {}, [11]),
            (11, {}, [12]),
            (12, {"hay_observaciones": "si", "observaciones": "Añada el análisis."}, [11]),
            (11, {}, [12]),
            (12, {"hay_observaciones": "no"}, [13]),
            (13, {}, []),
        ],
        first=[1],
        start="anual",
    )
    kinds = list(Document.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == [
        "Reporte de evidencias del análisis de eventos log",
        "Informe del análisis de eventos log",
        "Informe sobre la copia de eventos y log de sistemas",
        "Informe sobre la copia de eventos y log de sistemas",
    ]


@time_machine.travel(NOW, tick=False)
def test_a_server_not_in_the_inventory_is_a_field_error(world):
    walk = Walk(CODE, world, starter="profesional-ogtie", start="anual")
    client = client_for(world["profesional-ogtie"])
    data: dict[str, Any] = {"servidores": [{"equipo": "SRV-X-99", "sistema": "otro"}]}
    response = client.post(
        f"{API}/tasks/{walk.task_id(1)}/complete/", {"data": data}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "servidores.0.equipo": ["El equipo 'SRV-X-99' no está en el inventario."]
    }
    walk.assert_open(1)
    # A review of equipment not in the inventory names the row and column; nothing is kept.
    plan = _draft_plan(world, 2028)
    steps = acts(plan)
    for n, extra in ((1, {}), (2, {}), (3, {"cronograma_firmado": "si"}), (4, {})):
        walk.complete(n, role=steps[n].roles[0], data={**steps[n].data, **extra})
    bad = {"revisiones": [{**steps[5].data["revisiones"][0], "equipo": "NOPE"}]}
    response = client.post(f"{API}/tasks/{walk.task_id(5)}/complete/", {"data": bad}, format="json")
    assert response.status_code == 400
    assert "revisiones.0.equipo" in response.json()["errors"]
    assert not RunRecord.objects.exists()
