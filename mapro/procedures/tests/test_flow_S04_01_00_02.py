"""S04.01.00.02 Seguimiento de la implementación del PGD, walked path by path through API v1.

Paths (docs/procedures/S04.01.00.02.md): A 1-2-3-4-5-fin ("No"), B 1-…-5-6-7-8-9-10-fin ("Sí",
with the manual's "Ir a la actividad 7" corrected to 6).
"""

from __future__ import annotations

from typing import Any

import pytest

from mapro.govdigital.actions import plans as pa
from mapro.procedures.testing import API, Act, Cast, Step, Walk, client_for, publish_ficha, run_path

CODE = "S04.01.00.02"
COORDS = ("coord-innovacion", "coord-infraestructura", "coord-ciberseguridad", "coord-estadistica")

ACTS: dict[int, Act] = {
    1: Act(
        ("resp-mejora-gd",),
        ("esp-gobierno-digital", "jefe-ogtie", "coord-innovacion"),
        {"fecha_solicitud": "2025-03-03", "periodo": "Primer trimestre 2025"},
    ),
    2: Act(
        COORDS,
        ("coord-gobierno-ti", "resp-mejora-gd", "jefe-ogtie"),
        {"reporte": "adjunto-1", "fecha_envio": "2025-03-10"},
    ),
    3: Act(
        ("resp-mejora-gd",),
        ("esp-gobierno-digital", "coord-infraestructura"),
        {"proyecto_informe": "adjunto-3", "logros": "Se implementó la mesa de partes digital."},
    ),
    4: Act(
        ("jefe-ogtie",),
        ("resp-mejora-gd", "coord-ciberseguridad"),
        {
            "documento_sistradoc": "OFICIO N° 00123-2025-MINDEF/SG-OGTIE",
            "fecha_remision": "2025-03-20",
            "informe_seguimiento": "adjunto-4",
        },
    ),
    5: Act(
        ("cgd",),
        ("jefe-ogtie", "resp-mejora-gd"),
        {"documento_sistradoc": "MEMO N° 010-2025-CGD", "fecha_remision": "2025-04-02"},
    ),
    6: Act(
        ("resp-mejora-gd",),
        ("esp-gobierno-digital", "jefe-ogtie"),
        {"fecha_solicitud": "2025-04-03"},
    ),
    7: Act(
        COORDS,
        ("coord-gobierno-ti", "resp-mejora-gd"),
        {"fichas_proyectos": [{"proyecto": "Firma digital", "ficha": "adjunto-7"}]},
    ),
    8: Act(
        ("resp-mejora-gd",),
        ("coord-estadistica", "jefe-ogtie"),
        {
            "portafolio_consolidado": "adjunto-8",
            "proyectos_priorizados": [{"proyecto": "Firma digital", "prioridad": 1}],
        },
    ),
    9: Act(
        ("jefe-ogtie",),
        ("resp-mejora-gd", "coord-innovacion"),
        {"oficio": "OFICIO N° 00150-2025-MINDEF/SG-OGTIE", "fecha_oficio": "2025-04-20"},
    ),
    10: Act(
        ("cgd",),
        ("jefe-ogtie", "resp-mejora-gd"),
        {"fecha_conocimiento": "2025-04-25"},
    ),
}

PATH_A: list[Step] = [
    (1, {}, [2]),
    (2, {}, [3]),
    (3, {}, [4]),
    (4, {}, [5]),
    (5, {"actualiza_portafolio": "no"}, []),
]
PATH_B: list[Step] = [
    (1, {}, [2]),
    (2, {}, [3]),
    (3, {}, [4]),
    (4, {}, [5]),
    (
        5,
        {
            "actualiza_portafolio": "si",
            "acuerdo": "Se aprueban las modificaciones.",
            "votos_a_favor": 1,
        },
        [6],
    ),
    (6, {}, [7]),
    (7, {}, [8]),
    (8, {}, [9]),
    (9, {}, [10]),
    (10, {}, []),
]


@pytest.fixture
def cast(db: Any) -> Cast:
    publish_ficha(CODE)
    # The follow-up is of the vigente PGD: one approved by RM must be registered.
    plan = pa.do_open_plan(actor=None, start_year=2024, end_year=2026)
    pa.do_approve_by_rm(plan, actor=None, rm_number="RM N° 0100-2024-DE", rm_date="2024-03-01")
    return Cast()


def _with_session(cast: Cast, extra: dict[str, Any]) -> dict[str, Any]:
    """Activity 5's "Sí" is an agreement of a CGD session: its date and members present."""
    if extra.get("actualiza_portafolio") != "si":
        return extra
    return {
        **extra,
        "fecha_sesion": "2025-04-01",
        "miembros_presentes": [{"miembro": cast["cgd"].username}],
    }


@pytest.mark.parametrize(
    ("path", "rotate"),
    [(PATH_A, 0), (PATH_B, 1), (PATH_B, 3)],
    ids=["A-no-actualiza", "B-actualiza-infraestructura", "B-actualiza-estadistica"],
)
def test_every_path_ends_completed(cast: Cast, path: list[Step], rotate: int) -> None:
    path = [(n, _with_session(cast, extra), after) for n, extra, after in path]
    run_path(CODE, cast, ACTS, path, first=[1], rotate=rotate)


def test_decision_is_asked_as_the_manual_asks(cast: Cast) -> None:
    for role in COORDS:
        cast[role]
    walk = Walk(CODE, cast, starter="resp-mejora-gd")
    for n, _, _ in PATH_A[:4]:
        if n == 2:
            walk.complete_each(n, data=ACTS[n].data)
        else:
            walk.complete(n, role=ACTS[n].roles[0], data=ACTS[n].data)
    task = walk.task_id(5)
    form = client_for(cast["cgd"]).get(f"{API}/tasks/{task}/").json()["form"]
    field = form["properties"]["actualiza_portafolio"]
    assert field["title"] == "¿Se actualiza o modifica el portafolio del PGD?"
    assert field["oneOf"] == [{"const": "si", "title": "Sí"}, {"const": "no", "title": "No"}]
    assert "actualiza_portafolio" in form["required"]
    # Without the answer the step is refused with a field error and stays open.
    response = client_for(cast["cgd"]).post(
        f"{API}/tasks/{task}/complete/", {"data": ACTS[5].data}, format="json"
    )
    assert response.status_code == 400
    assert "actualiza_portafolio" in response.json()["errors"]
    walk.assert_open(5)


def test_only_the_first_activitys_role_may_start(cast: Cast) -> None:
    url = f"{API}/procedures/{CODE}/instances/"
    assert client_for(cast["jefe-ogtie"]).post(url, {}, format="json").status_code == 403
    assert client_for(cast["cgd"]).post(url, {}, format="json").status_code == 403
    anonymous = client_for(None).post(url, {}, format="json")
    assert anonymous.status_code in (401, 403)


def test_each_coordination_remits_its_own_report_and_the_flow_waits_for_all(cast: Cast) -> None:
    """Activity 2 ("Responsables de las coordinaciones de la OGTIE"): one task per coordinator,
    each with its own report; activity 3 opens once the four have remitted."""
    for role in COORDS:
        cast[role]
    walk = Walk(CODE, cast, starter="resp-mejora-gd")
    walk.complete(1, role="resp-mejora-gd", data=ACTS[1].data)
    tasks = [t for t in walk.detail()["tasks"] if t["n"] == 2]
    assert sorted(t["item"]["user"] for t in tasks) == sorted(cast[r].username for r in COORDS)
    by_user = {cast[r].username: cast[r] for r in COORDS}
    for i, task in enumerate(tasks):
        walk.assert_open(*[2] * (len(tasks) - i))
        user = by_user[task["item"]["user"]]
        data = {"reporte": f"reporte-{user.username}"}
        response = client_for(user).post(
            f"{API}/tasks/{task['id']}/complete/", {"data": data}, format="json"
        )
        assert response.status_code == 200, response.content
    walk.assert_open(3)
    reports = {h["item"]["user"]: h["data"]["reporte"] for h in walk.detail()["history"][1:]}
    assert reports == {name: f"reporte-{name}" for name in by_user}
