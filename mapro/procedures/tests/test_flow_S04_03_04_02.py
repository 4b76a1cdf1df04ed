"""S04.03.04.02 Atención de requerimientos de soporte técnico, walked path by path through API v1.

Paths (docs/procedures/S04.03.04.02.md): A 1-2-3-fin (no cumple requisitos), B 1-2-4-5-6-fin
(resuelto por soporte), C 1-2-4-5-7-8-fin (resuelto con apoyo de otro equipo), D
1-2-4-5-7-9-13-14-15-fin (equipo con garantía) and E 1-2-4-5-7-9-10-11-12-fin (sin garantía:
informe de baja). The requester (``personal``) works in a unit other than OGTIE, so the instance
belongs to that unit: activity 1 ("U.O.") is scoped to it, the OGTIE activities are not.
"""

from __future__ import annotations

from typing import Any

import pytest

from mapro.core.testing import ensure_unit, make_user
from mapro.procedures.testing import API, Act, Cast, Step, Walk, client_for, publish_ficha, run_path

CODE = "S04.03.04.02"
#: Roles granted on the requesting unit (the "U.O." of the instance), not on OGTIE.
REQUESTER_ROLES = {"personal", "director-uo"}


class SupportCast(Cast):
    """The walk's cast, with the requester and the unit's director in DGRRHH, not in OGTIE."""

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
        ("operador-mesa", "resp-soporte", "director-uo"),
        {
            "asunto": "La impresora no imprime",
            "descripcion": "La impresora de la oficina muestra error de fusor.",
            "equipo": "Impresora HP LaserJet M507, serie CNB1234567",
            "ubicacion": "Edificio principal, piso 3",
            "telefono": "Anexo 6120",
        },
    ),
    2: Act(
        ("operador-mesa",),
        ("personal", "resp-soporte", "coord-infraestructura"),
        {"numero_ticket": "MA-2025-004512"},
    ),
    3: Act(
        ("operador-mesa",),
        ("personal", "resp-soporte", "jefe-ogtie"),
        {
            "observaciones": "Indicar el equipo afectado y un anexo de contacto.",
            "fecha_devolucion": "2025-07-01",
        },
    ),
    4: Act(
        ("operador-mesa",),
        ("personal", "resp-soporte", "coord-infraestructura"),
        {
            "asignado_a": "Téc. Ramírez",
            "especialidad": "Impresoras",
            "categoria": "Hardware",
            "prioridad": "media",
        },
    ),
    5: Act(
        ("resp-soporte",),
        ("operador-mesa", "coord-infraestructura", "personal"),
        {
            "modalidad": "presencial",
            "diagnostico": "Fusor dañado.",
            "acciones_realizadas": "Limpieza y prueba de impresión.",
        },
    ),
    6: Act(
        ("resp-soporte",),
        ("operador-mesa", "jefe-ogtie", "personal"),
        {"solucion": "Se reinstaló el controlador.", "fecha_cierre": "2025-07-02"},
    ),
    7: Act(
        ("resp-soporte",),
        ("operador-mesa", "coord-infraestructura", "personal"),
        {
            "apoyos": [
                {
                    "equipo": "infraestructura",
                    "fecha_solicitud": "2025-07-02",
                    "respuesta": "Se revisó la cola de impresión del servidor.",
                }
            ],
        },
    ),
    8: Act(
        ("resp-soporte",),
        ("operador-mesa", "coord-innovacion", "personal"),
        {
            "conformidad_usuario": True,
            "fecha_validacion": "2025-07-03",
            "solucion": "El equipo de infraestructura reinició el servidor de impresión.",
        },
    ),
    9: Act(
        ("resp-soporte",),
        ("operador-mesa", "coord-infraestructura", "personal"),
        {
            "equipo": "Impresora HP LaserJet M507, serie CNB1234567",
            "encargado_patrimonial": "Lic. Torres",
        },
    ),
    10: Act(
        ("resp-soporte",),
        ("operador-mesa", "coord-infraestructura", "jefe-ogtie", "personal"),
        {
            "motivo_baja": "Fusor y tarjeta lógica dañados; reparación antieconómica.",
            "proyecto_informe": "adjunto-proyecto-informe-baja",
            "fecha_remision": "2025-07-04",
        },
    ),
    11: Act(
        ("coord-infraestructura",),
        ("resp-soporte", "jefe-ogtie", "coord-innovacion", "resp-infraestructura"),
        {
            "documento_sistradoc": "INFORME N° 00031-2025-MINDEF/SG-OGTIE",
            "fecha_remision": "2025-07-07",
            "informe_baja": "adjunto-informe-baja",
        },
    ),
    12: Act(
        ("jefe-ogtie",),
        ("coord-infraestructura", "resp-soporte", "director-uo"),
        {
            "documento_sistradoc": "OFICIO N° 00412-2025-MINDEF/SG-OGTIE",
            "fecha_remision": "2025-07-09",
        },
    ),
    13: Act(
        ("resp-soporte",),
        ("operador-mesa", "coord-infraestructura", "personal"),
        {
            "contratista": "Servicios Informáticos del Sur S.A.C.",
            "contrato": "Contrato N° 018-2024-MINDEF/SG",
            "fecha_solicitud": "2025-07-03",
            "fecha_hora_revision": "2025-07-08T10:00:00-05:00",
            "acceso_visita": "Visita 2025-1187",
        },
    ),
    14: Act(
        ("resp-soporte",),
        ("operador-mesa", "tecnico-especialista", "personal"),
        {
            "fecha_hora_ingreso": "2025-07-08T09:55:00-05:00",
            "tecnico_contratista": "Juan Quispe",
            "evaluacion": "Fusor defectuoso cubierto por la garantía.",
            "reparacion": "Reemplazo del fusor.",
        },
    ),
    15: Act(
        ("resp-soporte",),
        ("operador-mesa", "coord-infraestructura", "personal"),
        {
            "fecha_hora_salida": "2025-07-08T12:10:00-05:00",
            "solucion": "Equipo reparado en garantía por el contratista.",
        },
    ),
}

A_DEVUELTO: list[Step] = [(1, {}, [2]), (2, {"cumple_requisitos": "no"}, [3]), (3, {}, [])]
VALID: list[Step] = [(1, {}, [2]), (2, {"cumple_requisitos": "si"}, [4]), (4, {}, [5])]
B_RESUELTO: list[Step] = [*VALID, (5, {"se_dio_solucion": "si"}, [6]), (6, {}, [])]
SIN_SOLUCION: list[Step] = [*VALID, (5, {"se_dio_solucion": "no"}, [7])]
C_APOYO: list[Step] = [*SIN_SOLUCION, (7, {"se_dio_solucion": "si"}, [8]), (8, {}, [])]
A_GARANTIA: list[Step] = [*SIN_SOLUCION, (7, {"se_dio_solucion": "no"}, [9])]
D_GARANTIA: list[Step] = [
    *A_GARANTIA,
    (9, {"tiene_garantia": "si", "vigencia_garantia": "2026-03-31"}, [13]),
    (13, {}, [14]),
    (14, {}, [15]),
    (15, {}, []),
]
E_BAJA: list[Step] = [
    *A_GARANTIA,
    (9, {"tiene_garantia": "no"}, [10]),
    (10, {}, [11]),
    (11, {}, [12]),
    (12, {}, []),
]

PATHS = {
    "A-no-cumple-requisitos": (A_DEVUELTO, ["create", "close"]),
    "B-resuelto-por-soporte": (B_RESUELTO, ["create", "assign", "annotate", "annotate", "close"]),
    "C-resuelto-con-apoyo": (C_APOYO, ["create", "assign", "annotate", "annotate", "close"]),
    "D-con-garantia": (D_GARANTIA, ["create", "assign", "annotate", "close"]),
    "E-sin-garantia-baja": (E_BAJA, ["create", "assign", "annotate", "close"]),
}


@pytest.fixture
def cast(db: Any) -> SupportCast:
    publish_ficha(CODE)
    return SupportCast()


def _ticket_effects(history: list[dict[str, Any]]) -> list[str]:
    return [e["ticket"] for step in history for e in step["effects"] if "ticket" in e]


@pytest.mark.parametrize("name", list(PATHS))
def test_every_path_ends_completed(cast: SupportCast, name: str) -> None:
    path, tickets = PATHS[name]
    walk = run_path(CODE, cast, ACTS, path, first=[1])
    detail = walk.detail()
    # The instance belongs to the requester's unit (the API takes the starter's unit).
    assert detail["unit"] == "DGRRHH"
    assert detail["start"] == "requerimiento"
    # Every path creates the help-desk ticket once and closes it once, at its last activity.
    assert _ticket_effects(detail["history"]) == tickets
    assert detail["history"][-1]["effects"][-1] == {"ticket": "close"}


def test_the_paths_cover_every_activity_and_branch() -> None:
    visited = {n for path, _ in PATHS.values() for n, _, _ in path}
    assert visited == set(range(1, 16))
    answers = {
        (n, value) for path, _ in PATHS.values() for n, extra, _ in path for value in extra.values()
    }
    for n, field in ((2, "cumple_requisitos"), (5, "se_dio_solucion"), (7, "se_dio_solucion")):
        assert {(n, "si"), (n, "no")} <= answers, field
    assert {(9, "si"), (9, "no")} <= answers


def _open_at(cast: SupportCast, steps: list[Step]) -> Walk:
    walk = Walk(CODE, cast, starter="personal")
    for n, extra, _ in steps:
        walk.complete(n, role=ACTS[n].roles[0], data={**ACTS[n].data, **extra})
    return walk


@pytest.mark.parametrize(
    ("steps", "n", "field", "question"),
    [
        ([(1, {}, [2])], 2, "cumple_requisitos", "¿Cumple con los requisitos?"),
        (VALID, 5, "se_dio_solucion", "¿Se dio solución?"),
        (SIN_SOLUCION, 7, "se_dio_solucion", "¿Se dio solución?"),
        (A_GARANTIA, 9, "tiene_garantia", "¿Equipo tiene garantía?"),
    ],
)
def test_decisions_ask_the_manuals_questions(
    cast: SupportCast, steps: list[Step], n: int, field: str, question: str
) -> None:
    walk = _open_at(cast, steps)
    task = walk.task_id(n)
    user = cast[ACTS[n].roles[0]]
    form = client_for(user).get(f"{API}/tasks/{task}/").json()["form"]
    assert form["properties"][field]["title"] == question
    assert [(o["const"], o["title"]) for o in form["properties"][field]["oneOf"]] == [
        ("si", "Sí"),
        ("no", "No"),
    ]
    assert field in form["required"]
    response = client_for(user).post(
        f"{API}/tasks/{task}/complete/",
        {"data": {**ACTS[n].data, field: "tal-vez"}},
        format="json",
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    walk.assert_open(n)


def test_ticket_is_entered_by_staff_of_the_requesting_unit_only(cast: SupportCast) -> None:
    """Activity 1 ("U.O.", personal) is scoped to the instance's unit: other units see nothing."""
    walk = Walk(CODE, cast, starter="personal")
    task = walk.task_id(1)
    url = f"{API}/tasks/{task}/complete/"
    for other in (cast.outsider("personal"), make_user("personal", unit=cast.ogtie)):
        response = client_for(other).post(url, {"data": ACTS[1].data}, format="json")
        assert response.status_code == 404
        inbox = client_for(other).get(f"{API}/tasks/").json()
        assert task not in {t["id"] for t in inbox}
    walk.assert_open(1)
    walk.complete(1, role="personal", data=ACTS[1].data)
    walk.assert_open(2)


def test_the_help_desk_activities_are_in_ogtie(cast: SupportCast) -> None:
    """After the requester, the tasks are OGTIE's: in the inbox of OGTIE roles, not the unit's."""
    walk = _open_at(cast, [(1, {}, [2])])
    task = client_for(cast["jefe-ogtie"]).get(f"{API}/tasks/{walk.task_id(2)}/").json()
    assert task["unit"] == "OGTIE"
    assert task["roles"] == ["operador-mesa"]
    inbox = client_for(cast["personal"]).get(f"{API}/tasks/").json()
    assert walk.task_id(2) not in {t["id"] for t in inbox}


def test_required_fields_are_enforced(cast: SupportCast) -> None:
    walk = Walk(CODE, cast, starter="personal")
    url = f"{API}/tasks/{walk.task_id(1)}/complete/"
    response = client_for(cast["personal"]).post(
        url, {"data": {"asunto": "Sin detalle"}}, format="json"
    )
    assert response.status_code == 400
    assert "descripcion" in response.json()["errors"]
    walk.assert_open(1)


def test_only_staff_may_start(cast: SupportCast) -> None:
    url = f"{API}/procedures/{CODE}/instances/"
    for role in ("operador-mesa", "resp-soporte", "jefe-ogtie"):
        assert client_for(cast[role]).post(url, {}, format="json").status_code == 403
    assert client_for(cast["personal"]).post(url, {}, format="json").status_code == 201
