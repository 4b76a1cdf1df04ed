"""S04.03.01.01 Creación y modificación de cuentas, accesos y privilegios, walked through API v1.

Paths (docs/procedures/S04.03.01.01.md): A 1-2-3-fin (no cumple requisitos), B
1-2-4-5-6-19-20-fin (modificación), C 1-2-4-7-9-10-18-19-20-fin (creación de cuentas), D
1-2-4-7-8-3-fin (datos incorrectos), E 1-2-4-7-11-12-13-15-16-17-18-19-20-fin (VPN nuevo) and F
1-2-4-7-11-12-13-14-3-fin (el usuario VPN ya existe). The requester (``personal``) works in a unit
other than OGTIE, so the instance belongs to that unit: activity 1 ("U.O.") is scoped to it.
"""

from __future__ import annotations

from typing import Any

import pytest

from mapro.core.testing import ensure_unit, make_user
from mapro.procedures.testing import API, Act, Cast, Step, Walk, client_for, publish_ficha, run_path

CODE = "S04.03.01.01"
REQUESTER_ROLES = {"personal", "director-uo"}


class AccountsCast(Cast):
    """The walk's cast, with the requester and the unit's director in DGA, not in OGTIE."""

    def __init__(self) -> None:
        super().__init__()
        self.uo = ensure_unit("DGA", "Dirección General de Administración", parent=self.sg)

    def __getitem__(self, role: str) -> Any:
        if role in REQUESTER_ROLES and role not in self._users:
            self._users[role] = make_user(role, unit=self.uo)
        return super().__getitem__(role)


ACTS: dict[int, Act] = {
    1: Act(
        ("personal",),
        ("operador-mesa", "profesional-ogtie", "director-uo"),
        {
            "tipo_solicitud": "creacion",
            "nombres_apellidos": "María Elena Quispe Huamán",
            "dni": "45871236",
            "cargo": "Especialista administrativo",
            "oficina": "Dirección General de Administración",
            "regimen": "orden_servicio",
            "fecha_inicio_vigencia": "2025-07-01",
            "fecha_fin_vigencia": "2025-09-30",
            "accesos": [{"tipo": "red"}, {"tipo": "correo"}],
            "copia_orden_servicio": "adjunto-orden-servicio",
            "acta_aceptacion_riesgos": "adjunto-acta-sgsi-for-027",
            # Paths B and E grant privilegios no comunes (USB, VPN): the register refuses them
            # without the cibersoldado evidence (mapro.iam.requirements).
            "evidencia_cibersoldado": "adjunto-cibersoldado",
        },
    ),
    2: Act(
        ("operador-mesa",),
        ("personal", "profesional-ogtie", "resp-soporte"),
        {"numero_ticket": "MA-2025-005120"},
    ),
    3: Act(
        ("operador-mesa",),
        ("personal", "profesional-ogtie", "tecnico-especialista"),
        {
            "observaciones": "Falta el acta de aceptación de riesgos (Formato N° 01).",
            "fecha_devolucion": "2025-07-02",
        },
    ),
    4: Act(
        ("operador-mesa",),
        ("personal", "profesional-ogtie", "coord-infraestructura"),
        {"asignado_a": "Ing. Salazar"},
    ),
    5: Act(
        ("profesional-ogtie",),
        ("operador-mesa", "resp-soporte", "coord-ciberseguridad"),
        {
            "resultado_verificacion": "Datos y anexos conformes.",
            "incluye_privilegios_no_comunes": True,
            "autorizacion_sg": "adjunto-autorizacion-sg",
        },
    ),
    6: Act(
        ("profesional-ogtie",),
        ("operador-mesa", "resp-soporte", "coord-infraestructura"),
        {
            "cambios": [
                {"tipo": "usb", "nombre_cuenta": "mquispe", "resultado": "actualizado"},
                {
                    "tipo": "redes_sociales",
                    "nombre_cuenta": "mquispe",
                    "resultado": "no_otorgado",
                    "motivo": "Sin autorización firmada del Secretario General.",
                },
            ]
        },
    ),
    7: Act(
        ("profesional-ogtie",),
        ("operador-mesa", "prof-redes", "tecnico-especialista"),
        {"acta_firmada_director_usuario": True, "adjunto_cibersoldado": True},
    ),
    8: Act(
        ("profesional-ogtie",),
        ("operador-mesa", "resp-soporte"),
        {
            "observaciones": "El DNI no coincide con la orden de servicio.",
            "fecha_devolucion": "2025-07-03",
        },
    ),
    9: Act(
        ("profesional-ogtie",),
        ("operador-mesa", "coord-infraestructura", "resp-soporte"),
        {
            "cuentas": [
                {"tipo": "red", "nombre_cuenta": "mquispe"},
                {"tipo": "correo", "nombre_cuenta": "mquispe@mindef.gob.pe"},
            ],
            "contrasena_generada": True,
            "fecha_alta": "2025-07-01",
            "fecha_baja": "2025-09-30",
        },
    ),
    10: Act(
        ("coord-infraestructura",),
        ("profesional-ogtie", "operador-mesa", "resp-infraestructura"),
        {
            "datos_atencion": "Cuenta de red y correo creadas.",
            "unidades_informadas": [{"unidad": "OGSP", "accesos": "Entrega de fotocheck"}],
            "fecha_correo": "2025-07-03",
        },
    ),
    11: Act(
        ("prof-redes",),
        ("profesional-ogtie", "tecnico-especialista", "operador-mesa"),
        {"fecha_solicitud": "2025-07-03", "observaciones": "Solicitud VPN revisada."},
    ),
    12: Act(
        ("operador-mesa",),
        ("prof-redes", "tecnico-especialista", "personal"),
        {"numero_ticket_vpn": "MA-2025-005133", "asignado_a": "Téc. Rojas"},
    ),
    13: Act(
        ("tecnico-especialista",),
        ("prof-redes", "operador-mesa", "coord-ciberseguridad"),
        {"usuario_vpn": "vpn.mquispe"},
    ),
    14: Act(
        ("tecnico-especialista",),
        ("operador-mesa", "prof-redes"),
        {"usuario_vpn": "vpn.mquispe", "observaciones": "Usuario activo desde 2024."},
    ),
    15: Act(
        ("tecnico-especialista",),
        ("prof-redes", "profesional-ogtie", "operador-mesa"),
        {
            "nombre_completo": "María Elena Quispe Huamán",
            "oficina": "Dirección General de Administración",
            "modalidad_contrato": "cas",
            "usuario_red": "mquispe",
            "usuario_vpn": "vpn.mquispe",
        },
    ),
    16: Act(
        ("tecnico-especialista",),
        ("operador-mesa", "prof-redes"),
        {"accion_realizada": "Usuario VPN creado y entregado.", "fecha_entrega": "2025-07-04"},
    ),
    17: Act(
        ("operador-mesa",),
        ("tecnico-especialista", "resp-soporte"),
        {
            "usuarios_vpn": [
                {
                    "usuario_vpn": "vpn.mquispe",
                    "nombre_completo": "María Elena Quispe Huamán",
                    "fecha_creacion": "2025-07-04",
                }
            ]
        },
    ),
    18: Act(
        ("operador-mesa",),
        ("resp-soporte", "profesional-ogtie", "personal"),
        {"informacion": "Cuentas listas para entrega.", "asignado_a": "Téc. Ramírez"},
    ),
    19: Act(
        ("resp-soporte",),
        ("operador-mesa", "profesional-ogtie", "personal"),
        {
            "requisitos_minimos_vpn": True,
            "configuracion_realizada": "Perfil de correo y cliente VPN configurados.",
            "cambio_contrasena": True,
            "cuentas_dadas_de_alta": True,
            "fecha_entrega": "2025-07-05",
            "datos_atencion": "Cuentas entregadas al usuario.",
        },
    ),
    20: Act(
        ("operador-mesa",),
        ("resp-soporte", "personal", "jefe-ogtie"),
        {"fecha_cierre": "2025-07-05"},
    ),
}

ACCEPTED: list[Step] = [(1, {}, [2]), (2, {"cumple_requisitos": "si"}, [4])]
NUEVA: list[Step] = [*ACCEPTED, (4, {"tipo_ticket": "creacion"}, [7])]
DELIVERY: list[Step] = [(18, {}, [19]), (19, {}, [20]), (20, {}, [])]
VPN: list[Step] = [
    *NUEVA,
    (7, {"datos_correctos": "si_vpn"}, [11]),
    (11, {}, [12]),
    (12, {}, [13]),
]

A_DEVUELTO: list[Step] = [(1, {}, [2]), (2, {"cumple_requisitos": "no"}, [3]), (3, {}, [])]
B_MODIFICACION: list[Step] = [
    *ACCEPTED,
    (4, {"tipo_ticket": "modificacion"}, [5]),
    (5, {}, [6]),
    (6, {}, [19]),
    (19, {}, [20]),
    (20, {}, []),
]
C_CREACION: list[Step] = [
    *NUEVA,
    (7, {"datos_correctos": "si_cuentas"}, [9]),
    (9, {}, [10]),
    (10, {}, [18]),
    *DELIVERY,
]
D_DATOS_INCORRECTOS: list[Step] = [
    *NUEVA,
    (7, {"datos_correctos": "no"}, [8]),
    (8, {}, [3]),
    (3, {}, []),
]
E_VPN_NUEVO: list[Step] = [
    *VPN,
    (13, {"usuario_vpn_existe": "no"}, [15]),
    (15, {}, [16]),
    (16, {}, [17]),
    (17, {}, [18]),
    *DELIVERY,
]
F_VPN_EXISTE: list[Step] = [
    *VPN,
    (13, {"usuario_vpn_existe": "si"}, [14]),
    (14, {}, [3]),
    (3, {}, []),
]

PATHS = {
    "A-no-cumple-requisitos": (A_DEVUELTO, ["create", "close"]),
    "B-modificacion": (
        B_MODIFICACION,
        ["create", "assign", "annotate", "assign", "annotate", "assign", "close"],
    ),
    "C-creacion-de-cuentas": (
        C_CREACION,
        [
            "create", "assign",  # 1, 4
            "annotate", "assign",  # 10: derived to the operator
            "annotate", "assign",  # 18: assigned to soporte técnico
            "annotate", "assign",  # 19: derived back to the operator
            "close",  # 20
        ],
    ),
    "D-datos-incorrectos": (D_DATOS_INCORRECTOS, ["create", "assign", "close"]),
    "E-vpn-nuevo": (
        E_VPN_NUEVO,
        [
            "create", "assign",  # 1, 4: the request's ticket
            "create", "assign",  # 12: the VPN user's ticket
            "annotate", "close",  # 16: the VPN ticket closed
            "annotate", "assign", "annotate", "assign",  # 18, 19
            "close",  # 20: the request's ticket closed
        ],
    ),
    "F-vpn-ya-existe": (F_VPN_EXISTE, ["create", "assign", "create", "assign", "close"]),
}  # fmt: skip


@pytest.fixture
def cast(db: Any) -> AccountsCast:
    publish_ficha(CODE)
    return AccountsCast()


def _effects(history: list[dict[str, Any]], kind: str) -> list[Any]:
    return [e[kind] for step in history for e in step["effects"] if kind in e]


@pytest.mark.parametrize("name", list(PATHS))
def test_every_path_ends_completed(cast: AccountsCast, name: str) -> None:
    path, tickets = PATHS[name]
    walk = run_path(CODE, cast, ACTS, path, first=[1])
    detail = walk.detail()
    assert detail["unit"] == "DGA"
    assert detail["start"] == "requerimiento"
    assert _effects(detail["history"], "ticket") == tickets
    assert detail["history"][-1]["effects"][-1] == {"ticket": "close"}


def test_registers_are_updated_where_the_manual_says(cast: AccountsCast) -> None:
    detail = run_path(CODE, cast, ACTS, E_VPN_NUEVO, first=[1]).detail()
    assert _effects(detail["history"], "register") == [
        "Registro de cuentas, accesos y privilegios",  # 2: requirements checked against its rule
        "Registro de cuentas, accesos y privilegios",  # 15: the VPN account
        "Inventario de usuarios VPN",  # 17
    ]
    detail = run_path(CODE, cast, ACTS, C_CREACION, first=[1]).detail()
    assert _effects(detail["history"], "register") == [
        "Registro de cuentas, accesos y privilegios",  # 2
        "Registro de cuentas, accesos y privilegios",  # 9
    ]


def test_the_paths_cover_every_activity_and_branch() -> None:
    visited = {n for path, _ in PATHS.values() for n, _, _ in path}
    assert visited == set(range(1, 21))
    answers = {
        (n, value) for path, _ in PATHS.values() for n, extra, _ in path for value in extra.values()
    }
    assert {(2, "si"), (2, "no")} <= answers
    assert {(4, "creacion"), (4, "modificacion")} <= answers
    assert {(7, "si_vpn"), (7, "si_cuentas"), (7, "no")} <= answers
    assert {(13, "si"), (13, "no")} <= answers


def _open_at(cast: AccountsCast, steps: list[Step]) -> Walk:
    walk = Walk(CODE, cast, starter="personal")
    for n, extra, _ in steps:
        walk.complete(n, role=ACTS[n].roles[0], data={**ACTS[n].data, **extra})
    return walk


@pytest.mark.parametrize(
    ("steps", "n", "field", "question", "branches"),
    [
        (
            [(1, {}, [2])],
            2,
            "cumple_requisitos",
            "¿Cumple con los requisitos?",
            [("si", "Sí"), ("no", "No")],
        ),
        (
            ACCEPTED,
            4,
            "tipo_ticket",
            "Tipo de ticket de atención",
            [
                ("creacion", "Creación de cuenta de usuario nuevo"),
                (
                    "modificacion",
                    "Modificación o actualización de cuentas de usuarios, accesos y privilegios",
                ),
            ],
        ),
        (
            NUEVA,
            7,
            "datos_correctos",
            "¿Datos correctos?",
            [
                ("si_vpn", "Sí: Solicitud de acceso a VPN"),
                ("si_cuentas", "Sí: Solicitud de creación de cuentas, otros accesos o privilegios"),
                ("no", "No"),
            ],
        ),
        (
            VPN,
            13,
            "usuario_vpn_existe",
            "¿El usuario VPN ya existe?",
            [("si", "Sí"), ("no", "No")],
        ),
    ],
)
def test_decisions_ask_the_manuals_questions(
    cast: AccountsCast,
    steps: list[Step],
    n: int,
    field: str,
    question: str,
    branches: list[tuple[str, str]],
) -> None:
    walk = _open_at(cast, steps)
    task = walk.task_id(n)
    user = cast[ACTS[n].roles[0]]
    form = client_for(user).get(f"{API}/tasks/{task}/").json()["form"]
    assert form["properties"][field]["title"] == question
    assert [(o["const"], o["title"]) for o in form["properties"][field]["oneOf"]] == branches
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


def test_no_form_asks_for_a_password_or_credentials() -> None:
    """Passwords and VPN credentials are delivered by a one-time link, never typed in a form."""
    from pathlib import Path

    import yaml
    from django.conf import settings

    ficha = yaml.safe_load((Path(settings.BASE_DIR) / "procedures" / f"{CODE}.yaml").read_text())
    names: list[str] = []

    def walk_props(props: dict[str, Any]) -> None:
        for name, prop in props.items():
            names.append(name)
            if prop.get("type") == "array":
                walk_props(prop["items"].get("properties", {}))

    for act in ficha["activities"]:
        walk_props(act.get("form", {}).get("properties", {}))
    assert not [n for n in names if "password" in n or n in {"contrasena", "clave", "credenciales"}]
    assert "contrasena_generada" in names  # only the fact that it was generated


def test_request_is_entered_by_staff_of_the_requesting_unit_only(cast: AccountsCast) -> None:
    walk = Walk(CODE, cast, starter="personal")
    task = walk.task_id(1)
    url = f"{API}/tasks/{task}/complete/"
    for other in (cast.outsider("personal"), make_user("personal", unit=cast.ogtie)):
        response = client_for(other).post(url, {"data": ACTS[1].data}, format="json")
        assert response.status_code == 404
    walk.assert_open(1)


def test_required_fields_are_enforced(cast: AccountsCast) -> None:
    walk = Walk(CODE, cast, starter="personal")
    url = f"{API}/tasks/{walk.task_id(1)}/complete/"
    data = {k: v for k, v in ACTS[1].data.items() if k not in {"regimen", "accesos"}}
    response = client_for(cast["personal"]).post(url, {"data": data}, format="json")
    assert response.status_code == 400
    assert {"regimen", "accesos"} <= set(response.json()["errors"])
    walk.assert_open(1)


def test_only_staff_may_start(cast: AccountsCast) -> None:
    url = f"{API}/procedures/{CODE}/instances/"
    for role in ("operador-mesa", "profesional-ogtie", "jefe-ogtie"):
        assert client_for(cast[role]).post(url, {}, format="json").status_code == 403
    assert client_for(cast["personal"]).post(url, {}, format="json").status_code == 201
