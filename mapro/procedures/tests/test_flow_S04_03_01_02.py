"""S04.03.01.02 Eliminación de cuentas, accesos y privilegios, walked path by path through API v1.

Paths (docs/procedures/S04.03.01.02.md), one per way to start: A ``cuentas`` 1-2-3-4-fin; B
``vpn`` 5-6-8-9-10-fin (usuario VPN existente y activo) and C ``vpn`` 5-6-7-10-fin (no existe); D
``conciliacion`` 11-12-13-14-15-16-17-fin (la validación semestral de altas y bajas).
"""

from __future__ import annotations

from typing import Any

import pytest

from mapro.procedures.testing import API, Act, Cast, Step, Walk, client_for, publish_ficha, run_path

CODE = "S04.03.01.02"
REGISTER = "Registro de cuentas, accesos y privilegios"

ACTS: dict[int, Act] = {
    1: Act(
        ("profesional-ogtie",),
        ("operador-mesa", "resp-soporte", "coord-infraestructura"),
        {
            "nombres_apellidos": "Jorge Luis Paredes Ríos",
            "dni": "40125896",
            "fecha_cese": "2025-08-31",
            "origen": "dipec",
            "alerta": "RRHH-CESE-2025-0931",
        },
    ),
    2: Act(
        ("profesional-ogtie",),
        ("resp-soporte", "operador-mesa", "tecnico-especialista"),
        {
            "cuentas": [
                {"tipo": "red", "nombre_cuenta": "jparedes", "fecha": "2025-09-01"},
                {"tipo": "usb", "nombre_cuenta": "jparedes", "fecha": "2025-09-01"},
            ]
        },
    ),
    3: Act(
        ("resp-soporte",),
        ("profesional-ogtie", "operador-mesa", "resp-infraestructura"),
        {
            "buzon": "jparedes@mindef.gob.pe",
            "ubicacion_pst": r"\\NAS-02\pst\2025\jparedes.pst",
            "fecha_backup": "2025-09-01T16:20:00-05:00",
            "tamano_mb": 2150.5,
        },
    ),
    4: Act(
        ("resp-soporte",),
        ("profesional-ogtie", "operador-mesa"),
        {"cuenta_ad": "jparedes", "fecha_eliminacion": "2025-09-30"},
    ),
    5: Act(
        ("operador-mesa",),
        ("tecnico-especialista", "profesional-ogtie", "resp-soporte"),
        {
            "nombres_apellidos": "Jorge Luis Paredes Ríos",
            "fecha_cese": "2025-08-31",
            "usuario_vpn": "vpn.jparedes",
            "numero_ticket": "MA-2025-006001",
            "asignado_a": "Téc. Rojas",
        },
    ),
    6: Act(
        ("tecnico-especialista",),
        ("operador-mesa", "prof-redes", "coord-ciberseguridad"),
        {"observaciones": "Verificado en el inventario de VPN."},
    ),
    7: Act(
        ("tecnico-especialista",),
        ("operador-mesa", "prof-redes"),
        {"observaciones": "vpn.jparedes no figura en el inventario."},
    ),
    8: Act(
        ("tecnico-especialista",),
        ("operador-mesa", "prof-redes", "profesional-ogtie"),
        {
            "usuario_vpn": "vpn.jparedes",
            "fecha_eliminacion": "2025-09-01",
            "accion_realizada": "Usuario VPN eliminado del concentrador.",
        },
    ),
    9: Act(
        ("operador-mesa",),
        ("tecnico-especialista", "resp-soporte"),
        {
            "usuarios_vpn": [
                {
                    "usuario_vpn": "vpn.jparedes",
                    "nombre_completo": "Jorge Luis Paredes Ríos",
                    "fecha_eliminacion": "2025-09-01",
                }
            ]
        },
    ),
    10: Act(
        ("operador-mesa",),
        ("tecnico-especialista", "resp-soporte", "jefe-ogtie"),
        {"accion_realizada": "Atención concluida.", "fecha_cierre": "2025-09-02"},
    ),
    11: Act(
        ("coord-infraestructura",),
        ("jefe-ogtie", "profesional-ogtie", "resp-infraestructura"),
        {"periodo": "2025-II", "proyecto_oficio": "adjunto-proyecto-oficio"},
    ),
    12: Act(
        ("jefe-ogtie",),
        ("coord-infraestructura", "profesional-ogtie"),
        {"oficio": "OFICIO N° 00530-2025-MINDEF/SG-OGTIE", "fecha_remision": "2025-11-03"},
    ),
    13: Act(
        ("jefe-ogtie",),
        ("coord-infraestructura", "operador-mesa"),
        {
            "documento_dgrrhh": "OFICIO N° 01210-2025-MINDEF/VRD-DGRRHH",
            "fecha_recepcion": "2025-11-14",
            "listado": "adjunto-altas-bajas.xlsx",
        },
    ),
    14: Act(
        ("coord-infraestructura",),
        ("jefe-ogtie", "profesional-ogtie", "resp-soporte"),
        {
            "resultado_contraste": "Dos cuentas de personal cesado siguen activas.",
            "diferencias": [
                {
                    "nombres_apellidos": "Ana Torres Vega",
                    "dni": "41236587",
                    "fecha_baja": "2025-06-30",
                    "cuentas": "atorres (red y correo)",
                }
            ],
        },
    ),
    15: Act(
        ("profesional-ogtie",),
        ("coord-infraestructura", "resp-soporte", "jefe-ogtie"),
        {
            "eliminaciones": [
                {
                    "nombres_apellidos": "Ana Torres Vega",
                    "nombre_cuenta": "atorres",
                    "ubicacion_pst": r"\\NAS-02\pst\2025\atorres.pst",
                    "fecha_backup": "2025-11-18T10:00:00-05:00",
                    "fecha_eliminacion": "2025-11-18",
                }
            ]
        },
    ),
    16: Act(
        ("coord-infraestructura",),
        ("profesional-ogtie", "jefe-ogtie"),
        {"informe": "adjunto-informe-eliminacion", "numero_informe": "INFORME N° 045-2025"},
    ),
    17: Act(("jefe-ogtie",), ("coord-infraestructura", "profesional-ogtie"), {}),
}

A_CUENTAS: list[Step] = [(1, {}, [2]), (2, {}, [3]), (3, {}, [4]), (4, {}, [])]
B_VPN_ACTIVO: list[Step] = [
    (5, {}, [6]),
    (6, {"usuario_vpn_activo": "si"}, [8]),
    (8, {}, [9]),
    (9, {}, [10]),
    (10, {}, []),
]
C_VPN_INEXISTENTE: list[Step] = [
    (5, {}, [6]),
    (6, {"usuario_vpn_activo": "no"}, [7]),
    (7, {}, [10]),
    (10, {}, []),
]
D_CONCILIACION: list[Step] = [
    (11, {}, [12]),
    (12, {}, [13]),
    (13, {}, [14]),
    (14, {}, [15]),
    (15, {}, [16]),
    (16, {}, [17]),
    (17, {}, []),
]

#: name: (start, first activity, path, ticket effects, register effects)
PATHS: dict[str, tuple[str, int, list[Step], list[str], list[str]]] = {
    "A-cuentas": ("cuentas", 1, A_CUENTAS, [], [REGISTER] * 3),
    "B-vpn-activo": (
        "vpn",
        5,
        B_VPN_ACTIVO,
        ["create", "assign", "annotate", "annotate", "close"],
        [REGISTER, "Inventario de usuarios VPN"],
    ),
    "C-vpn-inexistente": (
        "vpn",
        5,
        C_VPN_INEXISTENTE,
        ["create", "assign", "annotate", "close"],
        [],
    ),
    "D-conciliacion-semestral": (
        "conciliacion",
        11,
        D_CONCILIACION,
        [],
        ["Conciliación de altas y bajas", REGISTER],
    ),
}


@pytest.fixture
def cast(db: Any) -> Cast:
    publish_ficha(CODE)
    return Cast()


def _effects(history: list[dict[str, Any]], kind: str) -> list[Any]:
    return [e[kind] for step in history for e in step["effects"] if kind in e]


@pytest.mark.parametrize("name", list(PATHS))
def test_every_path_ends_completed(cast: Cast, name: str) -> None:
    start, first, path, tickets, registers = PATHS[name]
    walk = run_path(CODE, cast, ACTS, path, first=[first], start=start)
    detail = walk.detail()
    assert detail["start"] == start
    assert _effects(detail["history"], "ticket") == tickets
    assert _effects(detail["history"], "register") == registers


def test_the_pst_backup_is_recorded_before_the_account_is_deleted(cast: Cast) -> None:
    """Path A: 3 (backup PST: where and when) completes before 4 (deleted from the AD)."""
    detail = run_path(CODE, cast, ACTS, A_CUENTAS, first=[1], start="cuentas").detail()
    steps = {step["n"]: step for step in detail["history"]}
    assert [step["n"] for step in detail["history"]] == [1, 2, 3, 4]
    assert steps[3]["completed_by"]
    assert steps[3]["completed_at"] <= steps[4]["completed_at"]
    # The 2nd step notified soporte técnico of the removal, as the manual says.
    assert {"notify": ["resp-soporte"]} in steps[2]["effects"]


def test_the_reconciliation_reports_to_the_chief(cast: Cast) -> None:
    detail = run_path(CODE, cast, ACTS, D_CONCILIACION, first=[11], start="conciliacion").detail()
    steps = {step["n"]: step for step in detail["history"]}
    assert {"document": "Informe de eliminación de cuentas"} in steps[16]["effects"]
    assert {"notify": ["jefe-ogtie"]} in steps[16]["effects"]


def test_the_paths_cover_every_activity_start_and_branch(cast: Cast) -> None:
    visited = {n for _, _, path, _, _ in PATHS.values() for n, _, _ in path}
    assert visited == set(range(1, 18))
    assert {start for start, *_ in PATHS.values()} == {"cuentas", "vpn", "conciliacion"}
    answers = {
        (n, value)
        for _, _, path, _, _ in PATHS.values()
        for n, extra, _ in path
        for value in extra.values()
    }
    assert {(6, "si"), (6, "no")} <= answers
    ficha = client_for(cast["jefe-ogtie"]).get(f"{API}/procedures/{CODE}/").json()
    assert [(s["key"], s["label"]) for s in ficha["starts"]] == [
        ("cuentas", "Eliminación de cuentas, otros accesos o privilegios"),
        ("vpn", "Eliminación de accesos VPN"),
        ("conciliacion", "Validación de las altas y bajas de todo el MINDEF (2 veces al año)"),
    ]
    assert ficha["code"] == CODE


def test_vpn_decision_asks_the_manuals_question(cast: Cast) -> None:
    walk = Walk(CODE, cast, starter="operador-mesa", start="vpn")
    walk.complete(5, role="operador-mesa", data=ACTS[5].data)
    task = walk.task_id(6)
    user = cast["tecnico-especialista"]
    form = client_for(user).get(f"{API}/tasks/{task}/").json()["form"]
    field = form["properties"]["usuario_vpn_activo"]
    assert field["title"] == "¿Es un usuario VPN existente y activo?"
    assert [(o["const"], o["title"]) for o in field["oneOf"]] == [("si", "Sí"), ("no", "No")]
    assert "usuario_vpn_activo" in form["required"]
    before = walk.detail()["history"]
    response = client_for(user).post(
        f"{API}/tasks/{task}/complete/",
        {"data": {"usuario_vpn_activo": "quizas"}},
        format="json",
    )
    assert response.status_code == 400
    assert "usuario_vpn_activo" in response.json()["errors"]
    walk.assert_open(6)
    assert walk.task_id(6) == task
    assert walk.detail()["history"] == before


def test_every_start_needs_its_first_activitys_role(cast: Cast) -> None:
    url = f"{API}/procedures/{CODE}/instances/"
    starters = {"cuentas": "profesional-ogtie", "vpn": "operador-mesa"}
    starters["conciliacion"] = "coord-infraestructura"
    for start, right in starters.items():
        for role in {"profesional-ogtie", "operador-mesa", "coord-infraestructura"} - {right}:
            response = client_for(cast[role]).post(url, {"start": start}, format="json")
            assert response.status_code == 403, (start, role)
        for role in ("personal", "jefe-ogtie"):
            response = client_for(cast[role]).post(url, {"start": start}, format="json")
            assert response.status_code == 403, (start, role)
        response = client_for(cast[right]).post(url, {"start": start}, format="json")
        assert response.status_code == 201, (start, right)
    # Three ways to start: the start must be named.
    response = client_for(cast["profesional-ogtie"]).post(url, {}, format="json")
    assert response.status_code == 400
    assert "start" in response.json()["errors"]


def test_pst_backup_fields_are_required(cast: Cast) -> None:
    walk = Walk(CODE, cast, starter="profesional-ogtie", start="cuentas")
    walk.complete(1, role="profesional-ogtie", data=ACTS[1].data)
    walk.complete(2, role="profesional-ogtie", data=ACTS[2].data)
    url = f"{API}/tasks/{walk.task_id(3)}/complete/"
    response = client_for(cast["resp-soporte"]).post(
        url, {"data": {"buzon": "jparedes@mindef.gob.pe"}}, format="json"
    )
    assert response.status_code == 400
    assert {"ubicacion_pst", "fecha_backup"} <= set(response.json()["errors"])
    walk.assert_open(3)
