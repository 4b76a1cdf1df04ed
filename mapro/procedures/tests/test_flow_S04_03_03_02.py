"""S04.03.03.02 Atención de requerimientos de equipos telefónicos, walked through API v1.

Paths (docs/procedures/S04.03.03.02.md): A 1-2-3-4-5-6-7-8-fin (no hay disponibilidad: oficio de
respuesta negativa) and B 1-2-3-4-5-6-9-10-11-12-13-14-15-fin (disponibilidad: oficio
afirmativo, entrega, configuración IP y móvil, acta de entrega y acta de asignación de bienes con
sus cuatro firmas). The requester (``director-uo``) heads DGRRHH, so the instance belongs to it.
"""

from __future__ import annotations

from typing import Any

import pytest

from mapro.core.testing import ensure_unit, make_user
from mapro.procedures.testing import API, Act, Cast, Step, Walk, client_for, publish_ficha, run_path

CODE = "S04.03.03.02"
REQUESTER_ROLES = {"personal", "director-uo"}
SIGNATURES = (
    "firma_usuario",
    "firma_director_uo",
    "firma_coord_infraestructura",
    "firma_director_digep",
)
#: Who signs (name) beside each signature's date: both are required.
SIGNERS = tuple(f"{s}_nombre" for s in SIGNATURES)


class PhoneCast(Cast):
    """The walk's cast, with the requesting director (and staff) in DGRRHH, not in OGTIE."""

    def __init__(self) -> None:
        super().__init__()
        self.uo = ensure_unit("DGRRHH", "Dirección General de Recursos Humanos", parent=self.sg)

    def __getitem__(self, role: str) -> Any:
        if role in REQUESTER_ROLES and role not in self._users:
            self._users[role] = make_user(role, unit=self.uo)
        return super().__getitem__(role)


ACTS: dict[int, Act] = {
    1: Act(
        ("director-uo",),
        ("operador-mesa", "coord-infraestructura", "prof-redes", "jefe-ogtie"),
        {
            "oficio": "OFICIO N° 00231-2025-MINDEF/SG-DGRRHH",
            "equipos": [
                {"cantidad": 1, "tipo": "ip", "usuario": "Ana Rojas"},
                {"cantidad": 1, "tipo": "movil", "usuario": "Carlos Díaz"},
            ],
        },
    ),
    2: Act(
        ("jefe-ogtie",),
        ("coord-infraestructura", "prof-redes", "director-uo"),
        {"expediente": "EXP-2025-014523", "fecha_asignacion": "2025-09-01"},
    ),
    3: Act(
        ("coord-infraestructura",),
        ("jefe-ogtie", "prof-redes", "operador-mesa"),
        {"asignado_a": "Téc. Medina"},
    ),
    4: Act(
        ("prof-redes",),
        ("operador-mesa", "coord-infraestructura", "resp-soporte"),
        {"asunto": "Entrega de 2 equipos telefónicos a DGRRHH (EXP-2025-014523)"},
    ),
    5: Act(
        ("operador-mesa",),
        ("prof-redes", "coord-infraestructura", "director-uo"),
        {"asignado_a": "Téc. Medina"},
    ),
    6: Act(
        ("prof-redes",),
        ("operador-mesa", "coord-infraestructura", "resp-infraestructura"),
        {
            "evaluacion": "Requerimiento conforme: un equipo IP y un móvil.",
            "fecha_consulta_dirab": "2025-09-02",
            "respuesta_dirab": "Almacén informa stock.",
            "equipos_disponibles": [
                {"tipo": "ip", "cantidad": 4},
                {"tipo": "movil", "cantidad": 2},
            ],
        },
    ),
    7: Act(
        ("coord-infraestructura",),
        ("prof-redes", "jefe-ogtie", "director-uo"),
        {"proyecto_oficio": "adjunto-proyecto-negativo", "documento_sistradoc": "HE-2025-0301"},
    ),
    8: Act(
        ("jefe-ogtie",),
        ("coord-infraestructura", "prof-redes", "director-uo"),
        {"oficio": "OFICIO N° 00520-2025-MINDEF/SG-OGTIE", "fecha_remision": "2025-09-04"},
    ),
    9: Act(
        ("coord-infraestructura",),
        ("prof-redes", "jefe-ogtie", "director-uo"),
        {"proyecto_oficio": "adjunto-proyecto-afirmativo", "documento_sistradoc": "HE-2025-0302"},
    ),
    10: Act(
        ("jefe-ogtie",),
        ("coord-infraestructura", "prof-redes", "director-uo"),
        {"oficio": "OFICIO N° 00521-2025-MINDEF/SG-OGTIE", "fecha_remision": "2025-09-04"},
    ),
    11: Act(
        ("prof-redes",),
        ("coord-infraestructura", "operador-mesa", "director-uo"),
        {
            "fecha_recepcion": "2025-09-05",
            "responsable_almacen": "Sr. Chávez (almacén DIRAB)",
            "equipos_recibidos": [
                {"tipo": "ip", "marca_modelo": "Cisco 8841", "serie": "FCH2233A1BC"},
                {"tipo": "movil", "marca_modelo": "Samsung A35", "serie": "R58W21XYZ"},
            ],
            "documento_entrega": "adjunto-documento-entrega",
        },
    ),
    12: Act(
        ("prof-redes",),
        ("coord-infraestructura", "jefe-ogtie", "director-uo"),
        {
            "encargado_digep": "Lic. Poma",
            "medio": "correo",
            "fecha_recojo": "2025-09-05",
            "numero_acta": "AAB-2025-0912",
        },
    ),
    13: Act(
        ("prof-redes",),
        ("coord-infraestructura", "operador-mesa", "resp-soporte"),
        {
            "equipos_configurados": [
                {
                    "tipo": "ip",
                    "serie": "FCH2233A1BC",
                    "usuario": "Ana Rojas",
                    "anexo": "6134",
                    "registrado_call_manager": True,
                },
                {
                    "tipo": "movil",
                    "serie": "R58W21XYZ",
                    "usuario": "Carlos Díaz",
                    "numero_linea": "987654321",
                },
            ],
            "acta_entrega": "adjunto-acta-entrega",
        },
    ),
    14: Act(
        ("prof-redes",),
        ("coord-infraestructura", "operador-mesa", "director-uo"),
        {"fecha_entrega": "2025-09-08", "recibido_por": "Ana Rojas; Carlos Díaz"},
    ),
    15: Act(
        ("prof-redes",),
        ("coord-infraestructura", "jefe-ogtie", "director-uo"),
        {
            "firma_usuario_nombre": "Ana Rojas; Carlos Díaz",
            "firma_usuario": "2025-09-08",
            "firma_director_uo_nombre": "Dr. Julio Paredes (DGRRHH)",
            "firma_director_uo": "2025-09-09",
            "firma_coord_infraestructura_nombre": "Ing. Marta Salas",
            "firma_coord_infraestructura": "2025-09-09",
            "firma_director_digep_nombre": "Lic. Rosa Quispe (DIGEP)",
            "firma_director_digep": "2025-09-10",
            "acta_asignacion": "adjunto-acta-asignacion",
            "fecha_entrega_originales": "2025-09-11",
            "fecha_copia_dirab": "2025-09-11",
        },
    ),
}

HEAD: list[Step] = [(1, {}, [2]), (2, {}, [3]), (3, {}, [4]), (4, {}, [5]), (5, {}, [6])]
A_SIN_DISPONIBILIDAD: list[Step] = [
    *HEAD,
    (6, {"hay_disponibilidad": "no"}, [7]),
    (7, {}, [8]),
    (8, {}, []),
]
AFIRMATIVA: list[Step] = [*HEAD, (6, {"hay_disponibilidad": "si"}, [9]), (9, {}, [10])]
B_ENTREGA: list[Step] = [
    *AFIRMATIVA,
    (10, {}, [11]),
    (11, {}, [12]),
    (12, {}, [13]),
    (13, {}, [14]),
    (14, {}, [15]),
    (15, {}, []),
]
PATHS = {
    "A-sin-disponibilidad": (A_SIN_DISPONIBILIDAD, [(4, "create"), (5, "assign"), (8, "close")]),
    "B-entrega": (B_ENTREGA, [(4, "create"), (5, "assign"), (14, "close")]),
}


@pytest.fixture
def cast(db: Any) -> PhoneCast:
    publish_ficha(CODE)
    return PhoneCast()


def _tickets(history: list[dict[str, Any]]) -> list[tuple[int, str]]:
    return [(step["n"], e["ticket"]) for step in history for e in step["effects"] if "ticket" in e]


@pytest.mark.parametrize("name", list(PATHS))
def test_every_path_ends_completed(cast: PhoneCast, name: str) -> None:
    path, tickets = PATHS[name]
    walk = run_path(CODE, cast, ACTS, path, first=[1])
    detail = walk.detail()
    assert detail["unit"] == "DGRRHH"
    assert detail["start"] == "requerimiento"
    # Correction 1: the negative path closes its ticket too (at 8), once.
    assert _tickets(detail["history"]) == tickets


def test_the_delivery_path_leaves_both_actas_and_the_inventory(cast: PhoneCast) -> None:
    walk = run_path(CODE, cast, ACTS, B_ENTREGA, first=[1], rotate=1)
    history = {step["n"]: step for step in walk.detail()["history"]}
    assert {"document": "Oficio de respuesta afirmativa"} in history[10]["effects"]
    assert {"document": "Acta de entrega de equipos telefónicos – OGTIE"} in history[13]["effects"]
    assert history[15]["effects"] == [
        {"document": "Acta de asignación de bienes"},
        {
            "register": "Matriz de inventario de activos de infraestructura y activos de "
            "información (SGSI-FOR-002)"
        },
        {"register": "Gestión de cambios de los activos de información"},
    ]
    configured = history[13]["data"]["equipos_configurados"]
    assert [(e["tipo"], e.get("anexo"), e.get("registrado_call_manager")) for e in configured] == [
        ("ip", "6134", True),
        ("movil", None, None),
    ]
    assert {history[15]["data"][s] for s in SIGNATURES} == {
        "2025-09-08",
        "2025-09-09",
        "2025-09-10",
    }


def test_the_paths_cover_every_activity_and_branch() -> None:
    paths = [p for p, _ in PATHS.values()]
    assert {n for path in paths for n, _, _ in path} == set(range(1, 16))
    answers = {(n, v) for path in paths for n, extra, _ in path for v in extra.values()}
    assert answers == {(6, "si"), (6, "no")}


def _open_at(cast: PhoneCast, steps: list[Step]) -> Walk:
    walk = Walk(CODE, cast, starter="director-uo")
    for n, extra, _ in steps:
        walk.complete(n, role=ACTS[n].roles[0], data={**ACTS[n].data, **extra})
    return walk


def test_availability_asks_the_manuals_question(cast: PhoneCast) -> None:
    walk = _open_at(cast, HEAD)
    task = walk.task_id(6)
    user = cast["prof-redes"]
    form = client_for(user).get(f"{API}/tasks/{task}/").json()["form"]
    field = form["properties"]["hay_disponibilidad"]
    assert field["title"] == "¿Hay disponibilidad?"
    assert [(o["const"], o["title"]) for o in field["oneOf"]] == [("no", "No"), ("si", "Sí")]
    assert "hay_disponibilidad" in form["required"]
    before = walk.detail()["history"]
    response = client_for(user).post(
        f"{API}/tasks/{task}/complete/",
        {"data": {**ACTS[6].data, "hay_disponibilidad": "tal-vez"}},
        format="json",
    )
    assert response.status_code == 400
    assert "hay_disponibilidad" in response.json()["errors"]
    walk.assert_open(6)
    assert walk.task_id(6) == task
    assert walk.detail()["history"] == before


@pytest.mark.parametrize("missing", SIGNATURES + SIGNERS)
def test_the_acta_de_asignacion_needs_its_four_signatures(cast: PhoneCast, missing: str) -> None:
    walk = _open_at(cast, B_ENTREGA[:-1])
    task = walk.task_id(15)
    data = {k: v for k, v in ACTS[15].data.items() if k != missing}
    response = client_for(cast["prof-redes"]).post(
        f"{API}/tasks/{task}/complete/", {"data": data}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [missing]
    walk.assert_open(15)


def test_the_request_names_at_least_one_phone(cast: PhoneCast) -> None:
    walk = Walk(CODE, cast, starter="director-uo")
    url = f"{API}/tasks/{walk.task_id(1)}/complete/"
    director = client_for(cast["director-uo"])
    empty = {**ACTS[1].data, "equipos": []}
    assert director.post(url, {"data": empty}, format="json").status_code == 400
    no_user = {**ACTS[1].data, "equipos": [{"cantidad": 1, "tipo": "ip"}]}
    assert director.post(url, {"data": no_user}, format="json").status_code == 400
    fax = {**ACTS[1].data, "equipos": [{"cantidad": 1, "tipo": "fax", "usuario": "X"}]}
    assert director.post(url, {"data": fax}, format="json").status_code == 400
    walk.assert_open(1)
    assert walk.detail()["history"] == []


def test_the_request_is_the_requesting_directors_only(cast: PhoneCast) -> None:
    """Activity 1 ("U.O.", director-uo) is scoped to the instance's unit."""
    walk = Walk(CODE, cast, starter="director-uo")
    task = walk.task_id(1)
    for other in (cast.outsider("director-uo"), make_user("director-uo", unit=cast.ogtie)):
        response = client_for(other).post(
            f"{API}/tasks/{task}/complete/", {"data": ACTS[1].data}, format="json"
        )
        assert response.status_code == 404
    walk.assert_open(1)


def test_only_a_director_may_start(cast: PhoneCast) -> None:
    url = f"{API}/procedures/{CODE}/instances/"
    for role in ("personal", "prof-redes", "coord-infraestructura", "jefe-ogtie"):
        assert client_for(cast[role]).post(url, {}, format="json").status_code == 403
    assert client_for(cast["director-uo"]).post(url, {}, format="json").status_code == 201
