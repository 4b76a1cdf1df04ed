"""S04.03.01.05 Análisis de incidentes de infraestructura tecnológica, walked through API v1.

Paths (docs/procedures/S04.03.01.05.md), each from either start (``monitoreo`` or ``reporte``,
both at activity 1): A 1-2-3-fin (no detectado); B 1-2-4-5-6-7-12 (resuelto por
Infraestructura); C 1-2-4-5-6-7-10-11-12 (contratista); D 1-2-4-5-6-7-8-9-12 (otro equipo
resuelve); E 1-2-4-5-6-7-8-9-10-11-12 (otro equipo no resuelve: contratista); B to E end at 12
("sin informe", 1) or go on 12-13-14 ("con informe", 2).
"""

from __future__ import annotations

from typing import Any

import pytest

from mapro.procedures.testing import API, Act, Cast, Step, Walk, client_for, publish_ficha, run_path

CODE = "S04.03.01.05"
COORDS = ("coord-innovacion", "coord-infraestructura", "coord-ciberseguridad", "coord-estadistica")
# Activity 9: the manual names three teams, without infraestructura.
COORDS_9 = ("coord-innovacion", "coord-ciberseguridad", "coord-estadistica")
MATRIZ = "Matriz de registro de incidentes de seguridad de la información (SGSI-FOR-006)"

ACTS: dict[int, Act] = {
    1: Act(
        ("resp-infraestructura",),
        ("operador-mesa", "resp-soporte", "coord-infraestructura", "resp-bd"),
        {
            "fuente": "usuario",
            "medio": "telefono",
            "reportado_por": "Sr. Paredes, DGRRHH",
            "fecha_hora_alerta": "2025-08-04T08:40:00-05:00",
            "descripcion": "El sistema de planillas no responde.",
            "severidad": "alta",
        },
    ),
    2: Act(
        ("resp-infraestructura",),
        ("operador-mesa", "coord-infraestructura", "jefe-ogtie"),
        {"fuentes_generadoras": "Alerta de CPU al 100 % en el servidor de aplicaciones."},
    ),
    3: Act(
        ("resp-infraestructura",),
        ("operador-mesa", "resp-soporte", "coord-infraestructura"),
        {"accion_registrada": "Falsa alarma: pico de carga del respaldo nocturno."},
    ),
    4: Act(
        ("resp-infraestructura",),
        ("operador-mesa", "resp-bd", "coord-infraestructura"),
        {
            "fecha_hora_deteccion": "2025-08-04T08:55:00-05:00",
            "descripcion_incidente": "Caída del servidor de aplicaciones de planillas.",
            "categoria": "caida",
            "activos_afectados": "SRV-APP-07",
            "servicios_afectados": "Sistema de planillas",
        },
    ),
    5: Act(
        ("operador-mesa",),
        ("resp-infraestructura", "resp-soporte", "tecnico-especialista"),
        {"asignado_a": "Ing. Salazar"},
    ),
    6: Act(
        ("resp-infraestructura",),
        ("operador-mesa", "coord-infraestructura", "resp-bd"),
        {
            "componentes_revisados": [
                {"componente": "servicios", "resultado": "Servicio de aplicaciones detenido."},
                {"componente": "backup", "resultado": "Último respaldo correcto."},
            ],
            "analisis": "Memoria agotada en el servidor de aplicaciones.",
        },
    ),
    7: Act(
        ("resp-infraestructura",),
        ("operador-mesa", "coord-infraestructura", "resp-soporte"),
        {"acciones_recuperacion": "Reinicio del servicio y ampliación de memoria."},
    ),
    8: Act(
        COORDS,
        ("coord-gobierno-ti", "resp-infraestructura", "jefe-ogtie"),
        {
            "atencion": "Corrección de la consulta que agotaba la memoria.",
            "modificacion_produccion": "Despliegue coordinado con Infraestructura.",
            "fecha_modificacion": "2025-08-05",
        },
    ),
    9: Act(
        COORDS_9,
        ("coord-infraestructura", "coord-gobierno-ti", "resp-infraestructura"),
        {"reporte": "Se corrigió la consulta del módulo de planillas."},
    ),
    10: Act(
        ("resp-soporte",),
        ("resp-infraestructura", "operador-mesa", "coord-infraestructura"),
        {
            "proveedor": "Redes Andinas S.A.C.",
            "contrato": "Contrato N° 031-2025-MINDEF/SG",
            "fecha_comunicacion": "2025-08-05",
            "fecha_hora_visita": "2025-08-06T09:00:00-05:00",
        },
    ),
    11: Act(
        ("resp-soporte",),
        ("resp-infraestructura", "operador-mesa", "prof-redes"),
        {
            "fecha_hora_ingreso": "2025-08-06T08:58:00-05:00",
            "tecnico_contratista": "Luis Huamán",
            "solucion_contratista": "Reemplazo del módulo de memoria defectuoso.",
            "fecha_hora_salida": "2025-08-06T11:30:00-05:00",
        },
    ),
    12: Act(
        ("resp-infraestructura",),
        ("operador-mesa", "coord-infraestructura", "resp-soporte"),
        {
            "reporte": "Servicio de planillas restablecido.",
            "destinatarios": "DGRRHH; equipo de infraestructura",
            "acciones_tomadas": "Reinicio, ampliación de memoria y monitoreo reforzado.",
            "fecha_hora_solucion": "2025-08-06T12:00:00-05:00",
            "riesgos": [
                {
                    "activo": "Servidor de planillas",
                    "amenaza": "Agotamiento de memoria",
                    "vulnerabilidad": "Sin alertas de capacidad",
                    "probabilidad": 3,
                    "impacto": 4,
                    "tratamiento": "mitigar",
                    "responsable": "Responsable de infraestructura tecnológica",
                }
            ],
        },
    ),
    13: Act(
        COORDS,
        ("coord-gobierno-ti", "resp-infraestructura", "jefe-ogtie"),
        {
            "informe": "adjunto-informe-analisis",
            "documento_sistradoc": "INFORME N° 0021-2025-MINDEF/SG-OGTIE",
            "fecha_remision": "2025-08-08",
        },
    ),
    14: Act(
        ("jefe-ogtie",),
        ("coord-infraestructura", "resp-infraestructura", "coord-innovacion"),
        {},
    ),
}

DETECTED: list[Step] = [
    (1, {}, [2]),
    (2, {"incidente_detectado": "si"}, [4]),
    (4, {}, [5]),
    (5, {}, [6]),
    (6, {}, [7]),
]
CONTRACTOR: list[Step] = [(10, {}, [11]), (11, {}, [12])]
NO_INFORME: list[Step] = [(12, {"corresponde_informe": "no"}, [])]
INFORME: list[Step] = [(12, {"corresponde_informe": "si"}, [13]), (13, {}, [14]), (14, {}, [])]
TO_12 = {
    "B": [*DETECTED, (7, {"atencion_infraestructura": "resuelto"}, [12])],
    "C": [*DETECTED, (7, {"atencion_infraestructura": "no_resuelto"}, [10]), *CONTRACTOR],
    "D": [
        *DETECTED,
        (7, {"atencion_infraestructura": "no"}, [8]),
        (8, {}, [9]),
        (9, {"se_logro_resolver": "si"}, [12]),
    ],
    "E": [
        *DETECTED,
        (7, {"atencion_infraestructura": "no"}, [8]),
        (8, {}, [9]),
        (9, {"se_logro_resolver": "no"}, [10]),
        *CONTRACTOR,
    ],
}
PATHS: dict[str, list[Step]] = {
    "A-no-detectado": [(1, {}, [2]), (2, {"incidente_detectado": "no"}, [3]), (3, {}, [])],
    **{f"{k}1-sin-informe": [*v, *NO_INFORME] for k, v in TO_12.items()},
    **{f"{k}2-con-informe": [*v, *INFORME] for k, v in TO_12.items()},
}
STARTS = ("monitoreo", "reporte")


@pytest.fixture
def cast(db: Any) -> Cast:
    publish_ficha(CODE)
    return Cast()


def _tickets(history: list[dict[str, Any]]) -> list[tuple[int, str]]:
    return [(step["n"], e["ticket"]) for step in history for e in step["effects"] if "ticket" in e]


@pytest.mark.parametrize(
    ("name", "start"),
    [(name, STARTS[i % 2]) for i, name in enumerate(PATHS)] + [("A-no-detectado", "reporte")],
)
def test_every_path_ends_completed(cast: Cast, name: str, start: str) -> None:
    path = PATHS[name]
    walk = run_path(CODE, cast, ACTS, path, first=[1], rotate=len(name), start=start)
    detail = walk.detail()
    assert detail["start"] == start
    assert detail["unit"] == "OGTIE"
    tickets = _tickets(detail["history"])
    if name.startswith("A"):
        # Correction 1: no ticket exists before activity 4, so activity 3 closes none.
        assert tickets == []
        return
    # Created at 4, assigned at 5, closed once, at 12 (correction 2: 9 only annotates).
    assert tickets[0] == (4, "create")
    assert tickets[1] == (5, "assign")
    assert [t for t in tickets if t[1] == "close"] == [(12, "close")]
    history = {step["n"]: step for step in detail["history"]}
    assert {"register": MATRIZ} in history[4]["effects"]
    assert {"register": MATRIZ} in history[12]["effects"]
    assert {"register": "Matriz de riesgos (SGSI-FOR-003)"} in history[12]["effects"]
    # Activity 12 writes the risk the incident revealed into the matrix SGSI-FOR-003.
    from mapro.govdigital.models import Risk

    risk = Risk.objects.get(instance_id=walk.id)
    assert (risk.source, risk.inherent, risk.threat) == ("incidente", 12, "Agotamiento de memoria")
    if 13 in history:
        assert {
            "document": "Informe de análisis de incidentes de infraestructura tecnológica"
        } in history[13]["effects"]


def test_the_paths_cover_every_activity_and_branch() -> None:
    visited = {n for path in PATHS.values() for n, _, _ in path}
    assert visited == set(range(1, 15))
    answers = {(n, v) for path in PATHS.values() for n, extra, _ in path for v in extra.values()}
    assert answers == {
        (2, "si"),
        (2, "no"),
        (7, "no"),
        (7, "resuelto"),
        (7, "no_resuelto"),
        (9, "si"),
        (9, "no"),
        (12, "si"),
        (12, "no"),
    }


def _open_at(cast: Cast, steps: list[Step]) -> Walk:
    walk = Walk(CODE, cast, starter="resp-infraestructura", start="monitoreo")
    for n, extra, _ in steps:
        walk.complete(n, role=ACTS[n].roles[0], data={**ACTS[n].data, **extra})
    return walk


YES_NO = [("si", "Sí"), ("no", "No")]


@pytest.mark.parametrize(
    ("steps", "n", "field", "question", "options"),
    [
        ([(1, {}, [2])], 2, "incidente_detectado", "¿El incidente fue detectado?", YES_NO),
        (
            DETECTED,
            7,
            "atencion_infraestructura",
            "¿El incidente corresponde a Infraestructura tecnológica? "
            "¿Se logró resolver el incidente?",
            [
                ("no", "No corresponde a Infraestructura tecnológica"),
                ("resuelto", "Sí corresponde, y se logró resolver el incidente"),
                ("no_resuelto", "Sí corresponde, y no se logró resolver el incidente"),
            ],
        ),
        (TO_12["D"][:-1], 9, "se_logro_resolver", "¿Se logró resolver el incidente?", YES_NO),
        (
            TO_12["B"],
            12,
            "corresponde_informe",
            "¿Corresponde elaborar informe de atención de incidentes?",
            YES_NO,
        ),
    ],
)
def test_decisions_ask_the_manuals_questions(
    cast: Cast, steps: list[Step], n: int, field: str, question: str, options: list[Any]
) -> None:
    walk = _open_at(cast, steps)
    task = walk.task_id(n)
    user = cast[ACTS[n].roles[0]]
    form = client_for(user).get(f"{API}/tasks/{task}/").json()["form"]
    assert form["properties"][field]["title"] == question
    assert [(o["const"], o["title"]) for o in form["properties"][field]["oneOf"]] == options
    assert field in form["required"]
    before = walk.detail()["history"]
    response = client_for(user).post(
        f"{API}/tasks/{task}/complete/",
        {"data": {**ACTS[n].data, field: "tal-vez"}},
        format="json",
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    walk.assert_open(n)
    assert walk.task_id(n) == task
    assert walk.detail()["history"] == before


def test_severity_is_required_when_the_alert_is_reviewed(cast: Cast) -> None:
    walk = Walk(CODE, cast, starter="resp-infraestructura", start="reporte")
    data = {k: v for k, v in ACTS[1].data.items() if k != "severidad"}
    response = client_for(cast["resp-infraestructura"]).post(
        f"{API}/tasks/{walk.task_id(1)}/complete/", {"data": data}, format="json"
    )
    assert response.status_code == 400
    assert "severidad" in response.json()["errors"]
    walk.assert_open(1)


def test_activity_13_is_open_to_the_infrastructure_coordinator(cast: Cast) -> None:
    """Correction 3: the informe de análisis may be elevated by coord-infraestructura."""
    walk = _open_at(cast, [*TO_12["B"], (12, {"corresponde_informe": "si"}, [13])])
    task = client_for(cast["coord-infraestructura"]).get(f"{API}/tasks/{walk.task_id(13)}/")
    assert task.status_code == 200
    assert task.json()["roles"] == list(COORDS)


def test_both_starts_begin_at_the_review_and_only_infrastructure_may_start(cast: Cast) -> None:
    url = f"{API}/procedures/{CODE}/instances/"
    for start in STARTS:
        for role in ("operador-mesa", "coord-infraestructura", "personal", "jefe-ogtie"):
            response = client_for(cast[role]).post(url, {"start": start}, format="json")
            assert response.status_code == 403
        walk = Walk(CODE, cast, starter="resp-infraestructura", start=start)
        walk.assert_open(1)
        assert walk.detail()["start"] == start
    # With two ways to start, the start must be named.
    response = client_for(cast["resp-infraestructura"]).post(url, {}, format="json")
    assert response.status_code == 400
