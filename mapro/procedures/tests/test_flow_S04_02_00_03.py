"""S04.02.00.03 Bajas de sistemas de información, walked path by path through API v1.

Paths (docs/procedures/S04.02.00.03.md): 1-2-3-4-5, then 6 and 7 in parallel (either order),
joining at 8, then 9-fin. After 5 both 6 and 7 are open; after only one of them, 8 is not.
"""

from __future__ import annotations

from typing import Any

import pytest

from mapro.procedures.testing import API, Act, Cast, Step, Walk, client_for, publish_ficha, run_path

CODE = "S04.02.00.03"
SISTEMAS = [
    {"nombre": "Sistema de Control de Asistencia", "version": "2.1", "motivo": "fin-vida-util"},
    {"nombre": "Intranet antigua", "version": "1.0", "motivo": "obsolescencia"},
    {"nombre": "Módulo de viáticos", "version": "3.4", "motivo": "seguridad-legalidad"},
]

ACTS: dict[int, Act] = {
    1: Act(
        ("coord-innovacion",),
        ("coord-infraestructura", "jefe-ogtie", "analista-programador"),
        {"proyecto_oficio": "Registro 2025-000812"},
    ),
    2: Act(
        ("jefe-ogtie",),
        ("coord-innovacion", "director-uo"),
        {"oficio": "OFICIO N° 00210-2025-MINDEF/SG-OGTIE", "fecha_oficio": "2025-06-02"},
    ),
    3: Act(
        ("director-uo",),
        ("jefe-ogtie", "coord-innovacion"),
        {
            "oficio": "OFICIO N° 00077-2025-MINDEF/SG-DIGEP",
            "fecha_oficio": "2025-06-10",
            "sistemas": SISTEMAS,
        },
    ),
    4: Act(
        ("jefe-ogtie",),
        ("coord-innovacion", "director-uo"),
        {"fecha_derivacion": "2025-06-11"},
    ),
    5: Act(
        ("coord-innovacion", "coord-infraestructura"),
        ("jefe-ogtie", "coord-ciberseguridad", "resp-infraestructura", "analista-programador"),
        {"responsable_infraestructura": "Ing. Pérez", "analista_programador": "Bach. Soto"},
    ),
    6: Act(
        ("resp-infraestructura",),
        ("coord-infraestructura", "analista-programador", "resp-bd"),
        {
            "ubicacion_backup_bd": "NAS-01:/backups/asistencia",
            "fecha_backup_bd": "2025-06-15",
            "fecha_baja": "2025-06-16",
            "recursos_liberados": [{"recurso": "VM app-asistencia", "ubicacion_backup": "NAS-01"}],
        },
    ),
    7: Act(
        ("analista-programador",),
        ("coord-innovacion", "resp-infraestructura", "resp-analisis-sistemas"),
        {
            "ubicacion_backup_codigo": "git.mindef.gob.pe/archivo/asistencia",
            "fecha_backup_codigo": "2025-06-15",
            "matriz_actualizada": True,
        },
    ),
    8: Act(
        ("coord-innovacion", "coord-infraestructura"),
        ("jefe-ogtie", "resp-infraestructura", "analista-programador"),
        {"acciones_realizadas": "Backups realizados y recursos liberados."},
    ),
    9: Act(
        ("jefe-ogtie",),
        ("coord-innovacion", "coord-infraestructura"),
        {"oficio": "OFICIO N° 00260-2025-MINDEF/SG-OGTIE", "fecha_oficio": "2025-06-20"},
    ),
}

HEAD: list[Step] = [(1, {}, [2]), (2, {}, [3]), (3, {}, [4]), (4, {}, [5]), (5, {}, [6, 7])]
TAIL: list[Step] = [(8, {}, [9]), (9, {}, [])]
PATH_A: list[Step] = [*HEAD, (6, {}, [7]), (7, {}, [8]), *TAIL]
PATH_B: list[Step] = [*HEAD, (7, {}, [6]), (6, {}, [8]), *TAIL]


@pytest.fixture
def cast(db: Any) -> Cast:
    publish_ficha(CODE)
    return Cast()


@pytest.mark.parametrize(
    ("path", "rotate"),
    [(PATH_A, 0), (PATH_B, 1)],
    ids=["A-baja-antes-que-backup-de-codigo", "B-backup-de-codigo-antes-que-baja"],
)
def test_every_path_ends_completed(cast: Cast, path: list[Step], rotate: int) -> None:
    walk = run_path(CODE, cast, ACTS, path, first=[1], rotate=rotate)
    history = {step["n"]: step for step in walk.detail()["history"]}
    assert history[3]["data"]["sistemas"] == SISTEMAS
    assert {"register": "Matriz de gestión de cambios de sistemas y aplicaciones"} in (
        history[7]["effects"]
    )


def test_reasons_for_retirement_are_the_manuals_three(cast: Cast) -> None:
    walk = Walk(CODE, cast, starter="coord-innovacion")
    for n, _, _ in HEAD[:2]:
        walk.complete(n, role=ACTS[n].roles[0], data=ACTS[n].data)
    task = walk.task_id(3)
    director = cast["director-uo"]
    form = client_for(director).get(f"{API}/tasks/{task}/").json()["form"]
    motivo = form["properties"]["sistemas"]["items"]["properties"]["motivo"]
    assert [o["title"] for o in motivo["oneOf"]] == [
        "Fin de su vida útil",
        "Obsolescencia tecnológica",
        "Problemas de seguridad o legalidad",
    ]
    bad = {**ACTS[3].data, "sistemas": [{"nombre": "X", "version": "1", "motivo": "capricho"}]}
    response = client_for(director).post(
        f"{API}/tasks/{task}/complete/", {"data": bad}, format="json"
    )
    assert response.status_code == 400
    missing = {**ACTS[3].data, "sistemas": [{"nombre": "X", "motivo": "obsolescencia"}]}
    response = client_for(director).post(
        f"{API}/tasks/{task}/complete/", {"data": missing}, format="json"
    )
    assert response.status_code == 400
    walk.assert_open(3)


def test_system_owner_of_another_unit_cannot_answer(cast: Cast) -> None:
    """Activity 3 ("U.O.", director-uo) is scoped to the instance's unit."""
    walk = Walk(CODE, cast, starter="coord-innovacion")
    for n, _, _ in HEAD[:2]:
        walk.complete(n, role=ACTS[n].roles[0], data=ACTS[n].data)
    task = walk.task_id(3)
    response = client_for(cast.outsider("director-uo")).post(
        f"{API}/tasks/{task}/complete/", {"data": ACTS[3].data}, format="json"
    )
    assert response.status_code == 404
    walk.assert_open(3)


def test_join_waits_for_both_branches(cast: Cast) -> None:
    walk = Walk(CODE, cast, starter="coord-innovacion")
    for n, _, _ in HEAD:
        walk.complete(n, role=ACTS[n].roles[0], data=ACTS[n].data)
    walk.assert_open(6, 7)
    walk.complete(6, role="resp-infraestructura", data=ACTS[6].data)
    walk.assert_open(7)
    inbox = client_for(cast["coord-infraestructura"]).get(f"{API}/tasks/").json()
    assert [t["n"] for t in inbox if t["instance"] == walk.id] == []
    walk.complete(7, role="analista-programador", data=ACTS[7].data)
    walk.assert_open(8)
