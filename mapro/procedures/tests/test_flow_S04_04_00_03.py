"""S04.04.00.03 Gestión de incidentes de seguridad informática, walked path by path through API v1.

Paths (docs/procedures/S04.04.00.03.md): two starts, "uo" (1-2-4) and "ogtie" (3-4); the decision
of activity 4 (with the manual's targets swapped: "Sí" → 5-6, "No" → 7) and of activity 10 ("Sí"
→ 12, "No" → 11-12); then 12-13-14-fin. The expected paths are A uo/No/Sí, B uo/No/No, C
ogtie/Sí/Sí and D ogtie/Sí/No; the crossed combinations E (uo/Sí) and F (ogtie/No), which the
engine cannot forbid, are walked too: 8 paths in all. A unit's report (``personal``) belongs to
that unit; an OGTIE detection (``tecnico-especialista``) to OGTIE.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from mapro.core.testing import ensure_unit, make_user
from mapro.procedures.testing import API, Act, Cast, Step, Walk, client_for, publish_ficha, run_path

CODE = "S04.04.00.03"
REQUESTER_ROLES = {"personal", "director-uo"}
MATRIZ = {
    "register": "Matriz de registro de incidentes de seguridad de la información (SGSI-FOR-006)"
}
PHASES = ("tecnico-especialista", "coord-ciberseguridad")


class IncidentCast(Cast):
    """The walk's cast, with the reporting staff and the unit's director in DGRRHH."""

    def __init__(self) -> None:
        super().__init__()
        self.uo = ensure_unit("DGRRHH", "Dirección General de Recursos Humanos", parent=self.sg)

    def __getitem__(self, role: str) -> Any:
        if role in REQUESTER_ROLES and role not in self._users:
            self._users[role] = make_user(role, unit=self.uo)
        return super().__getitem__(role)


ACTS: dict[int, Act] = {
    1: Act(
        ("personal",),
        ("tecnico-especialista", "operador-mesa", "director-uo", "jefe-ogtie"),
        {
            "descripcion": "La PC muestra un mensaje de rescate y los archivos no abren.",
            "fecha_hora_deteccion": "2025-10-06T08:15:00-05:00",
            "equipo_servicio": "PC-DGRRHH-0114",
        },
    ),
    2: Act(
        ("operador-mesa",),
        ("tecnico-especialista", "personal", "coord-ciberseguridad"),
        {"numero_ticket": "MA-2025-007310", "asignado_a": "Equipo de ciberseguridad"},
    ),
    3: Act(
        ("tecnico-especialista",),
        ("operador-mesa", "coord-ciberseguridad", "esp-seguridad-info", "resp-soporte"),
        {
            "acciones_prevencion": [
                {"accion": "monitoreo-sistemas", "detalle": "Revisión de la consola del EDR."},
                {"accion": "monitoreo-fuentes-externas"},
            ]
        },
    ),
    4: Act(
        ("tecnico-especialista",),
        ("operador-mesa", "coord-ciberseguridad", "resp-soporte"),
        {
            "fuente": "alertas",
            "fecha_hora_deteccion": "2025-10-06T08:20:00-05:00",
            "descripcion": "Alerta de cifrado masivo de archivos en un equipo de DGRRHH.",
        },
    ),
    5: Act(
        ("tecnico-especialista",),
        ("operador-mesa", "coord-ciberseguridad", "resp-soporte"),
        {"detalle_solicitud": "Ransomware en PC-DGRRHH-0114."},
    ),
    6: Act(
        ("operador-mesa",),
        ("tecnico-especialista", "coord-ciberseguridad", "resp-soporte"),
        {"numero_ticket": "MA-2025-007311", "asignado_a": "Téc. Huamán"},
    ),
    7: Act(
        PHASES,
        ("operador-mesa", "esp-seguridad-info", "coord-infraestructura", "resp-soporte"),
        {
            "evaluacion": "Correlación con alertas del EDR; coincide con un artículo de la base.",
            "clasificacion": "codigo-malicioso",
            "prioridad": "alta",
            "activos_afectados": [{"activo": "PC-DGRRHH-0114", "impacto": "Archivos cifrados"}],
        },
    ),
    8: Act(
        PHASES,
        ("operador-mesa", "esp-seguridad-info", "resp-infraestructura"),
        {
            "acciones_contencion": "Aislamiento del equipo de la red.",
            "fecha_hora_contencion": "2025-10-06T08:40:00-05:00",
        },
    ),
    9: Act(
        PHASES,
        ("operador-mesa", "esp-seguridad-info", "jefe-ogtie"),
        {"acciones_erradicacion": "Formateo y reinstalación; eliminación del código malicioso."},
    ),
    10: Act(
        PHASES,
        ("operador-mesa", "coord-infraestructura", "resp-soporte"),
        {
            "acciones_recuperacion": "Restauración de archivos desde la copia de respaldo.",
            "sistemas_restaurados": "PC-DGRRHH-0114",
        },
    ),
    11: Act(
        ("tecnico-especialista",),
        ("coord-ciberseguridad", "operador-mesa", "resp-soporte"),
        {
            "proveedor": "Soporte del fabricante del EDR",
            "fecha_comunicacion": "2025-10-06T11:00:00-05:00",
            "apoyo_brindado": "Descifrador de la familia identificada.",
        },
    ),
    12: Act(
        ("tecnico-especialista",),
        ("coord-ciberseguridad", "operador-mesa", "esp-seguridad-info"),
        {
            "reporte": "adjunto-reporte-incidente",
            "solucion": "Equipo reinstalado y archivos restaurados.",
            "lecciones_aprendidas": "Bloquear macros en documentos recibidos por correo.",
            "articulo_base_conocimiento": "Respuesta ante ransomware en estaciones de trabajo",
        },
    ),
    13: Act(
        ("tecnico-especialista",),
        ("operador-mesa", "coord-ciberseguridad", "resp-soporte"),
        {"accion_realizada": "Incidente contenido, erradicado y recuperado."},
    ),
    14: Act(
        ("operador-mesa",),
        ("tecnico-especialista", "coord-ciberseguridad", "jefe-ogtie", "resp-soporte"),
        {"fecha_cierre": "2025-10-07"},
    ),
}


def incident_path(start: str, detected: str, resolved: str) -> list[Step]:
    """The steps of one path: ``start`` uo|ogtie, then the answers of activities 4 and 10."""
    steps: list[Step] = [(1, {}, [2]), (2, {}, [4])] if start == "uo" else [(3, {}, [4])]
    if detected == "si":
        steps += [(4, {"detectado_por_ciberseguridad": "si"}, [5]), (5, {}, [6]), (6, {}, [7])]
    else:
        steps += [(4, {"detectado_por_ciberseguridad": "no"}, [7])]
    steps += [(7, {}, [8]), (8, {}, [9]), (9, {}, [10])]
    if resolved == "si":
        steps += [(10, {"se_resolvio": "si"}, [12])]
    else:
        steps += [(10, {"se_resolvio": "no"}, [11]), (11, {}, [12])]
    return [*steps, (12, {}, [13]), (13, {}, [14]), (14, {}, [])]


#: name → (start, answer of 4, answer of 10, activities that create a ticket).
PATHS: dict[str, tuple[str, str, str, list[int]]] = {
    "A-uo-resuelto": ("uo", "no", "si", [2]),
    "B-uo-soporte-externo": ("uo", "no", "no", [2]),
    "C-ogtie-resuelto": ("ogtie", "si", "si", [6]),
    "D-ogtie-soporte-externo": ("ogtie", "si", "no", [6]),
    "E-uo-detectado-tambien-por-el-equipo": ("uo", "si", "si", [2, 6]),
    "E2-uo-detectado-tambien-soporte-externo": ("uo", "si", "no", [2, 6]),
    "F-ogtie-otra-fuente": ("ogtie", "no", "si", []),
    "F2-ogtie-otra-fuente-soporte-externo": ("ogtie", "no", "no", []),
}


@pytest.fixture
def cast(db: Any) -> IncidentCast:
    publish_ficha(CODE)
    return IncidentCast()


@pytest.mark.parametrize(("name", "rotate"), [(name, i) for i, name in enumerate(PATHS)])
def test_every_path_ends_completed(cast: IncidentCast, name: str, rotate: int) -> None:
    start, detected, resolved, creators = PATHS[name]
    path = incident_path(start, detected, resolved)
    walk = run_path(
        CODE, cast, ACTS, path, first=[1 if start == "uo" else 3], rotate=rotate, start=start
    )
    detail = walk.detail()
    assert detail["start"] == start
    assert detail["unit"] == ("DGRRHH" if start == "uo" else "OGTIE")
    history = detail["history"]
    tickets = {
        step["n"]: [e["ticket"] for e in step["effects"] if "ticket" in e] for step in history
    }
    assert [n for n, t in tickets.items() if "create" in t] == creators
    # The ticket is closed once, by the help desk, at the last activity (correction 2).
    assert [n for n, t in tickets.items() if "close" in t] == [14]
    assert tickets[13] == ["annotate"]
    matrix = [step["n"] for step in history if MATRIZ in step["effects"]]
    assert matrix == ([2, 12] if start == "uo" else [12])
    post = next(step for step in history if step["n"] == 12)
    assert {"register": "Base de conocimiento"} in post["effects"]


def test_the_expected_paths_have_exactly_one_ticket(cast: IncidentCast) -> None:
    """The corrected decision of 4: one ticket for a reported and for a self-detected incident."""
    for name in ("A-uo-resuelto", "C-ogtie-resuelto"):
        start, detected, resolved, creators = PATHS[name]
        assert len(creators) == 1
        walk = run_path(
            CODE,
            cast,
            ACTS,
            incident_path(start, detected, resolved),
            first=[1 if start == "uo" else 3],
            start=start,
        )
        effects = [e for step in walk.detail()["history"] for e in step["effects"]]
        assert effects.count({"ticket": "create"}) == 1
        assert effects.count({"ticket": "close"}) == 1


def test_the_paths_cover_every_activity_start_and_branch() -> None:
    paths = [incident_path(s, d, r) for s, d, r, _ in PATHS.values()]
    assert {n for path in paths for n, _, _ in path} == set(range(1, 15))
    assert {(s, d, r) for s, d, r, _ in PATHS.values()} == {
        (s, d, r) for s in ("uo", "ogtie") for d in ("si", "no") for r in ("si", "no")
    }


def test_the_timeline_shows_each_phase_with_who_and_when(cast: IncidentCast) -> None:
    walk = run_path(
        CODE, cast, ACTS, incident_path("ogtie", "si", "no"), first=[3], rotate=1, start="ogtie"
    )
    history = walk.detail()["history"]
    phases = {step["n"]: step for step in history}
    assert [step["n"] for step in history] == [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]
    names = {
        7: "Analizar el incidente",
        8: "Ejecutar acciones de contención del incidente",
        9: "Ejecutar acciones de erradicación del incidente",
        10: "Ejecutar acciones de recuperación",
        11: "Comunicar al proveedor o soporte externo",
        12: "Ejecutar las actividades post-incidentes",
    }
    times = []
    for n, name in names.items():
        assert phases[n]["name"] == name
        # rotate=1: the phases 7-10 were completed by the coordinator, the rest by the technician.
        expected = "coord-ciberseguridad" if n in (7, 8, 9, 10) else "tecnico-especialista"
        assert phases[n]["completed_by"].startswith(expected), phases[n]["completed_by"]
        times.append(datetime.fromisoformat(phases[n]["completed_at"]))
    assert times == sorted(times)
    assert phases[7]["data"]["clasificacion"] == "codigo-malicioso"
    assert phases[7]["data"]["prioridad"] == "alta"


def _open_at(cast: IncidentCast, start: str, steps: list[Step]) -> Walk:
    starter = "personal" if start == "uo" else "tecnico-especialista"
    walk = Walk(CODE, cast, starter=starter, start=start)
    for n, extra, _ in steps:
        walk.complete(n, role=ACTS[n].roles[0], data={**ACTS[n].data, **extra})
    return walk


@pytest.mark.parametrize(
    ("start", "steps", "n", "field", "question"),
    [
        (
            "ogtie",
            [(3, {}, [4])],
            4,
            "detectado_por_ciberseguridad",
            "¿El incidente fue detectado por el Equipo de Trabajo de Ciberseguridad?",
        ),
        (
            "uo",
            incident_path("uo", "no", "si")[:6],
            10,
            "se_resolvio",
            "¿Se logró resolver el incidente?",
        ),
    ],
)
def test_decisions_ask_the_manuals_questions(
    cast: IncidentCast, start: str, steps: list[Step], n: int, field: str, question: str
) -> None:
    walk = _open_at(cast, start, steps)
    walk.assert_open(n)
    history_before = walk.detail()["history"]
    task = walk.task_id(n)
    user = cast[ACTS[n].roles[0]]
    form = client_for(user).get(f"{API}/tasks/{task}/").json()["form"]
    assert form["properties"][field]["title"] == question
    assert [(o["const"], o["title"]) for o in form["properties"][field]["oneOf"]] == [
        ("si", "Sí"),
        ("no", "No"),
    ]
    response = client_for(user).post(
        f"{API}/tasks/{task}/complete/",
        {"data": {**ACTS[n].data, field: "tal-vez"}},
        format="json",
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    walk.assert_open(n)
    assert walk.detail()["history"] == history_before


def test_analysis_requires_classification_and_priority(cast: IncidentCast) -> None:
    walk = _open_at(cast, "uo", incident_path("uo", "no", "si")[:3])
    walk.assert_open(7)
    data = {k: v for k, v in ACTS[7].data.items() if k not in ("clasificacion", "prioridad")}
    response = client_for(cast["tecnico-especialista"]).post(
        f"{API}/tasks/{walk.task_id(7)}/complete/", {"data": data}, format="json"
    )
    assert response.status_code == 400
    assert {"clasificacion", "prioridad"} <= set(response.json()["errors"])
    walk.assert_open(7)


def test_a_units_report_is_scoped_to_it(cast: IncidentCast) -> None:
    walk = Walk(CODE, cast, starter="personal", start="uo")
    task = walk.task_id(1)
    for other in (cast.outsider("personal"), make_user("personal", unit=cast.ogtie)):
        response = client_for(other).post(
            f"{API}/tasks/{task}/complete/", {"data": ACTS[1].data}, format="json"
        )
        assert response.status_code == 404
    walk.assert_open(1)


def test_each_start_belongs_to_its_notifier(cast: IncidentCast) -> None:
    url = f"{API}/procedures/{CODE}/instances/"
    assert client_for(cast["personal"]).post(url, {}, format="json").status_code == 400
    for role in ("tecnico-especialista", "operador-mesa", "jefe-ogtie"):
        response = client_for(cast[role]).post(url, {"start": "uo"}, format="json")
        assert response.status_code == 403, role
    for role in ("personal", "operador-mesa", "coord-ciberseguridad", "jefe-ogtie"):
        response = client_for(cast[role]).post(url, {"start": "ogtie"}, format="json")
        assert response.status_code == 403, role
    assert client_for(cast["personal"]).post(url, {"start": "uo"}, format="json").status_code == 201
    ogtie = client_for(cast["tecnico-especialista"]).post(url, {"start": "ogtie"}, format="json")
    assert ogtie.status_code == 201
