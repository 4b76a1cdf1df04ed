"""S04.03.03.01 Generación de respaldo de configuración de equipos de conmutación y de central
telefónica, walked through API v1.

Paths (docs/procedures/S04.03.03.01.md): «cronograma» A 1-2(obs.)-1-2-3; «respaldo» B
4-5-6-7-8-9 (the start-of-activity ticket, the device verified, the elements, the bitácora
entries as run records, the ticket closed). The cronograma's «respaldo» start is what the
schedule register starts on each date.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine

from mapro.helpdesk.models import Ticket
from mapro.inventory.testing import new_equipment
from mapro.operations.models import RunRecord
from mapro.procedures.testing import API, Act, Cast, Walk, client_for, publish_ficha, run_path
from mapro.schedules.models import Plan

CODE = "S04.03.03.01"
NOW = datetime.datetime(2026, 5, 20, 17, 0, tzinfo=datetime.UTC)
WRONG_REDES = ("profesional-ogtie", "operador-mesa", "coord-infraestructura", "jefe-ogtie")


@pytest.fixture
def world(db):
    from mapro.core.testing import ensure_unit
    from mapro.helpdesk.models import Category

    publish_ficha(CODE)
    # The category mapped to S04.03.03.01 (helpdesk/data.py), so the ticket can be created.
    Category.objects.get_or_create(
        code="respaldo-configuracion",
        defaults={
            "name": "Respaldo de configuración",
            "team": ensure_unit("OGTIE"),
            "procedure_code": CODE,
        },
    )
    new_equipment("central-telefonica", code="CT-01", name="Central telefónica")
    new_equipment("switch", code="SW-CORE-01", name="Switch core")
    return Cast()


def acts(plan: int = 0) -> dict[int, Act]:
    return {
        1: Act(("prof-redes",), WRONG_REDES, {"cronograma": plan}),
        2: Act(("coord-infraestructura",), ("prof-redes", "jefe-ogtie"), {}),
        3: Act(("jefe-ogtie",), ("prof-redes", "coord-infraestructura"), {}),
        4: Act(("prof-redes",), WRONG_REDES, {"asunto": "Respaldo de configuración mayo"}),
        5: Act(("operador-mesa",), ("prof-redes", "coord-infraestructura"), {}),
        6: Act(
            ("prof-redes",),
            WRONG_REDES,
            {"equipo": "CT-01", "disponible": True, "operativo": True},
        ),
        7: Act(
            ("prof-redes",),
            WRONG_REDES,
            {"elementos": [{"elemento": "Plan de numeración"}], "ruta_red": "\\\\nas\\config"},
        ),
        8: Act(
            ("prof-redes",),
            WRONG_REDES,
            {
                "respaldos": [
                    {
                        "equipo": "CT-01",
                        "fecha_hora": "2026-05-20T09:00:00-05:00",
                        "archivos": "ct01-20260520.tar",
                        "resultado": "ok",
                    },
                    {
                        "equipo": "SW-CORE-01",
                        "fecha_hora": "2026-05-20T09:20:00-05:00",
                        "archivos": "sw-core-running.cfg",
                        "resultado": "ok",
                    },
                ]
            },
        ),
        9: Act(("prof-redes",), WRONG_REDES, {}),
    }


@time_machine.travel(NOW, tick=False)
def test_path_a_cronograma_signed_and_known_by_the_jefe(world):
    body = {
        "procedure": CODE,
        "year": 2026,
        "title": "Cronograma de respaldo de configuración 2026",
        "items": [
            {
                "activity": "Respaldo de configuración",
                "target": "Central telefónica",
                "equipment_code": "CT-01",
                "starts_on": "2026-05-20",
                "rrule": "FREQ=MONTHLY;INTERVAL=3",
                "responsible_role": "prof-redes",
            }
        ],
    }
    created = client_for(world["prof-redes"]).post(f"{API}/plans/", body, format="json")
    assert created.status_code == 201, created.content
    plan = created.json()["id"]
    run_path(
        CODE,
        world,
        acts(plan),
        [
            (1, {}, [2]),
            (2, {"cronograma_firmado": "no", "observaciones": "Añada los switches."}, [1]),
            (1, {}, [2]),
            (2, {"cronograma_firmado": "si"}, [3]),
            (3, {}, []),
        ],
        first=[1],
        start="cronograma",
    )
    signed = Plan.objects.get(pk=plan)
    assert signed.status == "approved"
    assert [o.due_on.month for o in signed.occurrences.order_by("due_on")] == [5, 8, 11]


@time_machine.travel(NOW, tick=False)
def test_path_b_a_backup_with_its_ticket_and_bitacora(world):
    walk = run_path(
        CODE,
        world,
        acts(),
        [(4, {}, [5]), (5, {}, [6]), (6, {}, [7]), (7, {}, [8]), (8, {}, [9]), (9, {}, [])],
        first=[4],
        start="respaldo",
    )
    ticket = Ticket.objects.get(instance_id=walk.id)
    assert ticket.status == "cerrado"
    runs = list(RunRecord.objects.order_by("id"))
    assert [(r.kind, r.equipment.code, r.files) for r in runs] == [
        ("config", "CT-01", "ct01-20260520.tar"),
        ("config", "SW-CORE-01", "sw-core-running.cfg"),
    ]


@time_machine.travel(NOW, tick=False)
def test_a_device_not_in_the_inventory_is_refused(world):
    walk = Walk(CODE, world, starter="prof-redes", start="respaldo")
    for n in (4, 5):
        walk.complete(n, role=acts()[n].roles[0], data=acts()[n].data)
    response = client_for(world["prof-redes"]).post(
        f"{API}/tasks/{walk.task_id(6)}/complete/",
        {"data": {"equipo": "CT-99", "disponible": True, "operativo": True}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"equipo": ["El equipo 'CT-99' no está en el inventario."]}
    walk.assert_open(6)
