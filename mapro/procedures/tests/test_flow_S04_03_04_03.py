"""S04.03.04.03 Mantenimiento preventivo y/o correctivo de equipos de cómputo e impresoras,
walked through API v1.

Paths (docs/procedures/S04.03.04.03.md): A plan 1-2-3-fin (the cronograma, signed at 1);
B visita 4-5-6(sí)-7-fin; C visita 4-5-6(no)-8(no)-9-10-11-fin (oficio de baja); D visita
4-5-6(no)-8(sí)-12-13-fin (informe situacional, cambio por garantía); E informe anual
14-15-fin. Each walk asserts what the steps wrote in the inventory's registers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from mapro.core.testing import ensure_unit
from mapro.helpdesk.seeding import seed_categories
from mapro.inventory.choices import EquipmentState, MaintenanceOutcome, WarrantyDecision
from mapro.inventory.models import Equipment, Maintenance
from mapro.inventory.testing import new_equipment
from mapro.organization.seeding import load_organization
from mapro.procedures.testing import API, Act, Cast, Step, Walk, client_for, publish_ficha, run_path
from mapro.schedules.models import Plan, PlanOccurrence

CODE = "S04.03.04.03"
LIMA = ZoneInfo("America/Lima")
NOW = dt.datetime(2026, 1, 12, 10, tzinfo=LIMA)

ACTS: dict[int, Act] = {
    1: Act(
        ("coord-infraestructura",),
        ("resp-soporte", "jefe-ogtie", "operador-mesa"),
        {
            "anio": 2026,
            "asunto": "Plan de mantenimiento de equipos de cómputo 2026",
            "cronograma": [
                {"fecha": "2026-03-10", "unidad": "DGA", "tipo": "preventivo", "equipos": "IMP-A"},
                {"fecha": "2026-09-15", "unidad": "DGA", "tipo": "preventivo", "equipos": ""},
            ],
        },
    ),
    2: Act(("jefe-ogtie",), ("coord-infraestructura", "resp-soporte"), {"observaciones": "Ok"}),
    3: Act(("resp-soporte",), ("jefe-ogtie", "operador-mesa"), {"revisado": True}),
    4: Act(
        ("resp-soporte",),
        ("operador-mesa", "coord-infraestructura", "jefe-ogtie"),
        {
            "unidad": "DGA",
            "tipo": "correctivo",
            "fecha_visita": "2026-01-12",
            "equipos": [{"codigo": "IMP-A"}, {"codigo": "PC-A"}],
            "contacto": "Sra. Vega",
        },
    ),
    5: Act(
        ("operador-mesa",),
        ("resp-soporte", "coord-infraestructura"),
        {"asunto": "Mantenimiento correctivo DGA", "asignado_a": "Téc. Salas"},
    ),
    6: Act(
        ("resp-soporte",),
        ("operador-mesa", "coord-infraestructura"),
        {"fecha_ejecucion": "2026-01-12"},
    ),
    7: Act(("resp-soporte",), ("operador-mesa", "jefe-ogtie"), {"accion_realizada": "Limpieza"}),
    8: Act(
        ("resp-soporte",),
        ("operador-mesa", "coord-infraestructura"),
        {"codigo": "IMP-A", "encargado_digepat": "Sr. Quispe (DIGEPAT)"},
    ),
    9: Act(
        ("resp-soporte",),
        ("coord-infraestructura", "jefe-ogtie"),
        {"asunto": "Baja de impresora IMP-A", "motivo_baja": "Tarjeta lógica dañada."},
    ),
    10: Act(("coord-infraestructura",), ("resp-soporte", "jefe-ogtie"), {"sistradoc": "E-1"}),
    11: Act(
        ("jefe-ogtie",),
        ("coord-infraestructura", "resp-soporte"),
        {"asunto": "Baja de impresora IMP-A", "sistradoc": "E-2"},
    ),
    12: Act(
        ("resp-soporte",),
        ("coord-infraestructura", "jefe-ogtie"),
        {
            "asunto": "Informe situacional IMP-A",
            "problema": "No imprime.",
            "acciones_tomadas": "Diagnóstico.",
            "recomendaciones": "Cambio por garantía.",
        },
    ),
    13: Act(
        ("coord-infraestructura",),
        ("resp-soporte", "jefe-ogtie"),
        {"asunto": "Informe situacional IMP-A", "correo_area_usuaria": "dga@mindef.gob.pe"},
    ),
    14: Act(
        ("resp-soporte",),
        ("coord-infraestructura", "operador-mesa"),
        {"anio": 2025, "asunto": "Informe técnico de mantenimiento 2025"},
    ),
    15: Act(("coord-infraestructura",), ("resp-soporte", "jefe-ogtie"), {"actualizaciones": []}),
}

SOLVED = [
    {"codigo": "IMP-A", "accion": "Limpieza", "solucionado": True},
    {"codigo": "PC-A", "accion": "Cambio de RAM", "solucionado": True},
]
UNSOLVED = [
    {"codigo": "IMP-A", "problema": "No imprime", "solucionado": False},
    {"codigo": "PC-A", "accion": "Limpieza", "solucionado": True},
]
VISIT: list[Step] = [(4, {}, [5]), (5, {}, [6])]
PATHS: dict[str, tuple[str, list[Step], list[int]]] = {
    "A-plan": ("plan", [(1, {}, [2]), (2, {}, [3]), (3, {}, [])], [1]),
    "B-solucionado": (
        "visita",
        [*VISIT, (6, {"se_dio_solucion": "si", "resultados": SOLVED}, [7]), (7, {}, [])],
        [4],
    ),
    "C-sin-garantia-baja": (
        "visita",
        [
            *VISIT,
            (6, {"se_dio_solucion": "no", "resultados": UNSOLVED}, [8]),
            (8, {"tiene_garantia": "no"}, [9]),
            (9, {}, [10]),
            (10, {}, [11]),
            (11, {}, []),
        ],
        [4],
    ),
    "D-con-garantia": (
        "visita",
        [
            *VISIT,
            (6, {"se_dio_solucion": "no", "resultados": UNSOLVED}, [8]),
            (8, {"tiene_garantia": "si"}, [12]),
            (12, {}, [13]),
            (13, {}, []),
        ],
        [4],
    ),
    "E-informe-anual": ("informe-anual", [(14, {}, [15]), (15, {}, [])], [14]),
}


@pytest.fixture
def cast(db: Any) -> Iterator[Cast]:
    with time_machine.travel(NOW, tick=False):
        publish_ficha(CODE)
        load_organization()
        seed_categories()
        cast = Cast()
        dga = ensure_unit("DGA", "Dirección General de Administración", parent=cast.sg)
        new_equipment("impresora", dga, code="IMP-A", warranty_end="2027-06-30")
        new_equipment("computadora", dga, code="PC-A")
        yield cast


def _eq(code: str) -> Equipment:
    return Equipment.objects.get(code=code)


@pytest.mark.parametrize("name", list(PATHS))
def test_every_path_ends_completed_and_writes_the_registers(cast: Cast, name: str) -> None:
    start, path, first = PATHS[name]
    walk = run_path(CODE, cast, ACTS, path, first=first, start=start)
    detail = walk.detail()
    assert detail["start"] == start
    mnts = Maintenance.objects.filter(instance_id=walk.id).select_related("equipment")
    if name == "A-plan":
        plan = Plan.objects.get()
        assert (plan.status, plan.year, plan.instance_id) == ("approved", 2026, walk.id)
        assert plan.approved_by == cast["coord-infraestructura"]
        # Row 1 names IMP-A; row 2 (no codes) means every computer and printer of DGA.
        lines = sorted(
            (o.due_on.isoformat(), o.item.equipment_code)
            for o in PlanOccurrence.objects.select_related("item")
        )
        assert lines == [
            ("2026-03-10", "IMP-A"),
            ("2026-09-15", "IMP-A"),
            ("2026-09-15", "PC-A"),
        ]
        assert not mnts.exists()
    elif name == "B-solucionado":
        assert {m.equipment.code: m.outcome for m in mnts} == {
            "IMP-A": MaintenanceOutcome.SOLUCIONADO,
            "PC-A": MaintenanceOutcome.SOLUCIONADO,
        }
        assert all(m.ticket and m.performed_on == dt.date(2026, 1, 12) for m in mnts)
        assert _eq("IMP-A").state == EquipmentState.OPERATIVO
    elif name == "C-sin-garantia-baja":
        printer = mnts.get(equipment__code="IMP-A")
        assert printer.warranty == WarrantyDecision.SIN_GARANTIA
        assert printer.baja_reason == "Tarjeta lógica dañada."
        assert printer.oficio is not None and printer.oficio.number.startswith("OFICIO N°")
        assert printer.oficio.kind == "Oficio de baja de equipo"
        assert _eq("IMP-A").state == EquipmentState.BAJA_EN_TRAMITE
        assert _eq("PC-A").state == EquipmentState.OPERATIVO
    elif name == "D-con-garantia":
        printer = mnts.get(equipment__code="IMP-A")
        assert printer.warranty == WarrantyDecision.CON_GARANTIA
        assert printer.informe is not None and printer.informe.number.startswith("INFORME N°")
        assert printer.oficio is None
        assert _eq("IMP-A").state == EquipmentState.GARANTIA
    tickets = [e["ticket"] for s in detail["history"] for e in s["effects"] if "ticket" in e]
    expected = {"B-solucionado": 4, "C-sin-garantia-baja": 4, "D-con-garantia": 4}
    assert len(tickets) == expected.get(name, 0)


def test_the_paths_cover_every_activity_start_and_branch() -> None:
    visited = {n for _, path, _ in PATHS.values() for n, _, _ in path}
    assert visited == set(range(1, 16))
    assert {start for start, _, _ in PATHS.values()} == {"plan", "visita", "informe-anual"}
    answers = {
        (n, extra[k])
        for _, path, _ in PATHS.values()
        for n, extra, _ in path
        for k in ("se_dio_solucion", "tiene_garantia")
        if k in extra
    }
    assert answers == {(6, "si"), (6, "no"), (8, "si"), (8, "no")}


def _refused(walk: Walk, n: int, role: str, data: dict[str, Any]) -> dict[str, Any]:
    before = walk.detail()["history"]
    response = client_for(walk.cast[role]).post(
        f"{API}/tasks/{walk.task_id(n)}/complete/", {"data": data}, format="json"
    )
    assert response.status_code == 400, response.content
    walk.assert_open(n)
    assert walk.detail()["history"] == before
    return response.json()["errors"]  # type: ignore[no-any-return]


def test_a_plan_item_outside_the_plans_year_names_row_and_column(cast: Cast) -> None:
    with time_machine.travel(NOW, tick=False):
        walk = Walk(CODE, cast, starter="coord-infraestructura", start="plan")
        rows = [
            {"fecha": "2026-03-10", "unidad": "DGA", "tipo": "preventivo", "equipos": "IMP-A"},
            {"fecha": "2027-01-05", "unidad": "DGA", "tipo": "preventivo", "equipos": "NOPE"},
        ]
        errors = _refused(walk, 1, "coord-infraestructura", {**ACTS[1].data, "cronograma": rows})
    assert errors["cronograma"] == [
        "Fila 2, columna «fecha»: el 05/01/2027 está fuera del año del plan (2026).",
        "Fila 2, columna «equipos»: no hay un equipo «NOPE».",
    ]
    assert not Plan.objects.exists()


def test_a_visit_to_equipment_dado_de_baja_is_refused_and_nothing_saved(cast: Cast) -> None:
    from mapro.inventory.actions import do_change_equipment_state

    do_change_equipment_state(
        _eq("PC-A"), state="dado-de-baja", reason="Obsoleto", actor=None, check=False
    )
    with time_machine.travel(NOW, tick=False):
        walk = Walk(CODE, cast, starter="resp-soporte", start="visita")
        errors = _refused(walk, 4, "resp-soporte", ACTS[4].data)
    assert errors == {
        "equipos": [
            "Fila 2: El equipo PC-A está «Dado de baja»: no se registran mantenimientos de un "
            "equipo dado de baja."
        ]
    }
    assert not Maintenance.objects.exists()
    assert _eq("IMP-A").state == EquipmentState.OPERATIVO


def test_the_decision_must_agree_with_the_results(cast: Cast) -> None:
    with time_machine.travel(NOW, tick=False):
        walk = Walk(CODE, cast, starter="resp-soporte", start="visita")
        for n, role in ((4, "resp-soporte"), (5, "operador-mesa")):
            walk.complete(n, role=role, data=ACTS[n].data)
        data = {**ACTS[6].data, "resultados": UNSOLVED, "se_dio_solucion": "si"}
        errors = _refused(walk, 6, "resp-soporte", data)
    assert list(errors) == ["se_dio_solucion"]
    assert set(Maintenance.objects.values_list("outcome", flat=True)) == {"pendiente"}


def test_inventory_update_names_each_bad_row(cast: Cast) -> None:
    with time_machine.travel(NOW, tick=False):
        walk = Walk(CODE, cast, starter="resp-soporte", start="informe-anual")
        walk.complete(14, role="resp-soporte", data=ACTS[14].data)
        rows = [
            {"codigo": "PC-A", "estado": "inoperativo", "motivo": "Falla"},
            {"codigo": "ZZZ", "estado": "operativo"},
        ]
        errors = _refused(walk, 15, "coord-infraestructura", {"actualizaciones": rows})
    assert errors["actualizaciones"] == [
        "Fila 2: no hay en el inventario un equipo con el código «ZZZ»."
    ]
    assert _eq("PC-A").state == EquipmentState.OPERATIVO


@pytest.mark.parametrize(
    ("steps", "n", "field", "question"),
    [
        ([(4, {}, [5]), (5, {}, [6])], 6, "se_dio_solucion", "¿Se dio solución?"),
    ],
)
def test_decisions_ask_the_manuals_questions(
    cast: Cast, steps: list[Step], n: int, field: str, question: str
) -> None:
    with time_machine.travel(NOW, tick=False):
        walk = Walk(CODE, cast, starter="resp-soporte", start="visita")
        for m, extra, _ in steps:
            walk.complete(m, role=ACTS[m].roles[0], data={**ACTS[m].data, **extra})
        form = client_for(cast["resp-soporte"]).get(f"{API}/tasks/{walk.task_id(n)}/").json()
    assert form["form"]["properties"][field]["title"] == question
    assert [o["const"] for o in form["form"]["properties"][field]["oneOf"]] == ["si", "no"]


def test_a_visit_marks_its_planned_dates_executed(cast: Cast) -> None:
    """Planned against executed: the visit of 08/03 fulfils IMP-A's date of 10/03 (within a
    week); PC-A, not planned before September, stays pending."""
    run_path(CODE, cast, ACTS, PATHS["A-plan"][1], first=[1], start="plan")
    with time_machine.travel(dt.datetime(2026, 3, 8, 10, tzinfo=LIMA), tick=False):
        data6 = {
            **ACTS[6].data,
            "fecha_ejecucion": "2026-03-08",
            "se_dio_solucion": "si",
            "resultados": SOLVED,
        }
        walk = Walk(CODE, cast, starter="resp-soporte", start="visita")
        walk.complete(4, role="resp-soporte", data={**ACTS[4].data, "fecha_visita": "2026-03-08"})
        walk.complete(5, role="operador-mesa", data=ACTS[5].data)
        walk.complete(6, role="resp-soporte", data=data6)
    done = {
        (o.due_on.isoformat(), o.item.equipment_code): (o.status, o.executed_on)
        for o in PlanOccurrence.objects.select_related("item")
    }
    assert done[("2026-03-10", "IMP-A")] == ("done", dt.date(2026, 3, 8))
    assert done[("2026-09-15", "PC-A")][0] == "pending"
    assert done[("2026-09-15", "IMP-A")][0] == "pending"
