"""S04.03.04.01 Entrega y recepción de dispositivos del certificado digital, walked through API v1.

Paths (docs/procedures/S04.03.04.01.md): A 1-2-3-fin (no cumple requisitos), B
1-2-4-5-6-7-8-9-10-fin (entrega; sigue en el MINDEF), C 1-…-10-11-12-13-fin (entrega y
desvinculación conocida al cerrar), and D 11-12-13-fin from the added start ``devolucion`` (the
person leaves long after the delivery). The requester (``personal``) works in a unit other than
OGTIE, so the instance belongs to that unit: activities 1, 6, 9 and 11 ("U.O.") are scoped to it.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from mapro.core.testing import ensure_unit, make_user
from mapro.procedures.ficha.compiler import form_schema
from mapro.procedures.testing import API, Act, Cast, Step, Walk, client_for, publish_ficha, run_path

CODE = "S04.03.04.01"
#: Roles granted on the requesting unit (the "U.O." of the instance), not on OGTIE.
REQUESTER_ROLES = {"personal", "director-uo"}
REGISTER = {"register": "Inventario de dispositivos para el uso del certificado digital"}


class RequesterCast(Cast):
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
        ("operador-mesa", "resp-soporte", "director-uo", "jefe-ogtie"),
        {
            "asunto": "Certificado digital para firma de documentos",
            "descripcion": "Requiero certificado digital para firmar en SISTRADOC.",
            "declaracion_jurada": "adjunto-declaracion-jurada",
            "telefono": "Anexo 6120",
        },
    ),
    2: Act(
        ("operador-mesa",),
        ("personal", "resp-soporte", "coord-infraestructura"),
        {"numero_ticket": "MA-2025-005120"},
    ),
    3: Act(
        ("operador-mesa",),
        ("personal", "resp-soporte", "jefe-ogtie"),
        {
            "observaciones": "La declaración jurada no está firmada.",
            "fecha_devolucion": "2025-08-01",
        },
    ),
    4: Act(
        ("operador-mesa",),
        ("personal", "resp-soporte", "jefe-ogtie"),
        {"asignado_a": "Téc. Salas"},
    ),
    5: Act(
        ("resp-soporte",),
        ("operador-mesa", "personal", "coord-infraestructura"),
        {
            "datos_validados": True,
            "dni": "40123456",
            "fecha_registro_reniec": "2025-08-04",
            "numero_solicitud_reniec": "RENIEC-SOL-778812",
        },
    ),
    6: Act(
        ("personal",),
        ("resp-soporte", "operador-mesa", "director-uo"),
        {"fecha_aprobacion_reniec": "2025-08-06", "fecha_reenvio": "2025-08-06"},
    ),
    7: Act(
        ("resp-soporte",),
        ("operador-mesa", "personal", "jefe-ogtie"),
        {
            "fecha_instalacion": "2025-08-07",
            "equipo": "PC-DGRRHH-0231",
            "vigencia_certificado": "2027-08-06",
            "resultado_pruebas": "Firma de prueba en PDF verificada con el usuario.",
        },
    ),
    8: Act(
        ("resp-soporte",),
        ("operador-mesa", "personal", "tecnico-especialista"),
        {
            "tarjeta_criptografica": "TC-000812",
            "lector_tarjetas": "LT-004415",
            "credenciales_entregadas": True,
            "fecha_entrega": "2025-08-07",
            "acta_entrega": "adjunto-acta-entrega",
        },
    ),
    9: Act(
        ("personal",),
        ("resp-soporte", "jefe-ogtie", "director-uo"),
        {
            "acta_firmada": "adjunto-acta-firmada",
            "visado_jefatura": True,
            "jefatura": "Director General de Recursos Humanos",
            "fecha_firma": "2025-08-08",
        },
    ),
    10: Act(
        ("resp-soporte",),
        ("operador-mesa", "personal", "jefe-ogtie"),
        {"accion_realizada": "TC-000812 y LT-004415 asignados.", "fecha_cierre": "2025-08-08"},
    ),
    11: Act(
        ("personal",),
        ("resp-soporte", "operador-mesa", "director-uo", "jefe-ogtie"),
        {
            "motivo": "renuncia",
            "dispositivos": [
                {"tipo": "tarjeta-criptografica", "serie": "TC-000812"},
                {"tipo": "lector-tarjetas", "serie": "LT-004415"},
            ],
            "fecha_entrega": "2026-02-27",
            "formato_entrega": "adjunto-formato-entrega",
        },
    ),
    12: Act(
        ("resp-soporte",),
        ("operador-mesa", "personal", "jefe-ogtie"),
        {
            "fecha_recepcion": "2026-02-27",
            "dispositivos_recibidos": [
                {"tipo": "tarjeta-criptografica", "serie": "TC-000812"},
                {"tipo": "lector-tarjetas", "serie": "LT-004415"},
            ],
            "estado_dispositivos": "Ambos en buen estado.",
        },
    ),
    13: Act(
        ("jefe-ogtie",),
        ("resp-soporte", "operador-mesa", "personal", "director-uo"),
        {"conformidad": True, "formato_firmado": "adjunto-formato-firmado"},
    ),
}

A_DEVUELTO: list[Step] = [(1, {}, [2]), (2, {"cumple_requisitos": "no"}, [3]), (3, {}, [])]
ENTREGA: list[Step] = [
    (1, {}, [2]),
    (2, {"cumple_requisitos": "si"}, [4]),
    (4, {}, [5]),
    (5, {}, [6]),
    (6, {}, [7]),
    (7, {}, [8]),
    (8, {}, [9]),
    (9, {}, [10]),
]
B_ENTREGA: list[Step] = [*ENTREGA, (10, {"deja_de_trabajar": "no"}, [])]
DEVOLUCION: list[Step] = [(11, {}, [12]), (12, {}, [13]), (13, {}, [])]
C_ENTREGA_Y_DEVOLUCION: list[Step] = [*ENTREGA, (10, {"deja_de_trabajar": "si"}, [11]), *DEVOLUCION]

PATHS: dict[str, tuple[str, list[Step], list[int]]] = {
    "A-no-cumple-requisitos": ("requerimiento", A_DEVUELTO, [1]),
    "B-entrega": ("requerimiento", B_ENTREGA, [1]),
    "C-entrega-y-desvinculacion": ("requerimiento", C_ENTREGA_Y_DEVOLUCION, [1]),
    "D-devolucion-posterior": ("devolucion", DEVOLUCION, [11]),
}
TICKETS = {
    "A-no-cumple-requisitos": ["create", "close"],
    "B-entrega": ["create", "assign", "annotate", "annotate", "annotate", "close"],
    "C-entrega-y-desvinculacion": ["create", "assign", "annotate", "annotate", "annotate", "close"],
    "D-devolucion-posterior": [],
}
#: Activities that record the delivery (10) and the return (12) in the devices' inventory.
INVENTORY = {
    "A-no-cumple-requisitos": [],
    "B-entrega": [10],
    "C-entrega-y-desvinculacion": [10, 12],
    "D-devolucion-posterior": [12],
}


@pytest.fixture
def cast(db: Any) -> RequesterCast:
    publish_ficha(CODE)
    return RequesterCast()


def _effects(history: list[dict[str, Any]], kind: str) -> list[Any]:
    return [e[kind] for step in history for e in step["effects"] if kind in e]


def _devices_already_held(cast: RequesterCast) -> None:
    """Path D: the person leaving got the devices long ago (an earlier, finished instance)."""
    import datetime as dt

    from mapro.assets.actions import do_assign_cert_device, do_register_cert_device

    holder = cast["personal"].person
    for kind, serial in (("tarjeta-criptografica", "TC-000812"), ("lector-tarjetas", "LT-004415")):
        device = do_register_cert_device(kind=kind, serial=serial, actor=cast["resp-soporte"])
        do_assign_cert_device(
            device,
            holder=holder,
            declaracion_jurada="adjunto-declaracion-jurada",
            reniec_registered_on=dt.date(2025, 8, 4),
            reniec_approved_on=dt.date(2025, 8, 6),
            assigned_on=dt.date(2025, 8, 7),
            actor=cast["resp-soporte"],
        )


@pytest.mark.parametrize("name", list(PATHS))
def test_every_path_ends_completed(cast: RequesterCast, name: str) -> None:
    start, path, first = PATHS[name]
    if start == "devolucion":
        _devices_already_held(cast)
    walk = run_path(CODE, cast, ACTS, path, first=first, start=start)
    detail = walk.detail()
    assert detail["unit"] == "DGRRHH"
    assert detail["start"] == start
    assert _effects(detail["history"], "ticket") == TICKETS[name]
    inventory = [step["n"] for step in detail["history"] if REGISTER in step["effects"]]
    assert inventory == INVENTORY[name]


def test_the_paths_cover_every_activity_start_and_branch() -> None:
    visited = {n for _, path, _ in PATHS.values() for n, _, _ in path}
    assert visited == set(range(1, 14))
    assert {start for start, _, _ in PATHS.values()} == {"requerimiento", "devolucion"}
    answers = {
        (n, value)
        for _, path, _ in PATHS.values()
        for n, extra, _ in path
        for value in extra.values()
    }
    assert answers == {(2, "si"), (2, "no"), (10, "si"), (10, "no")}


def _open_at(cast: RequesterCast, steps: list[Step]) -> Walk:
    walk = Walk(CODE, cast, starter="personal", start="requerimiento")
    for n, extra, _ in steps:
        walk.complete(n, role=ACTS[n].roles[0], data={**ACTS[n].data, **extra})
    return walk


@pytest.mark.parametrize(
    ("steps", "n", "field", "question"),
    [
        ([(1, {}, [2])], 2, "cumple_requisitos", "¿Cumple con los requisitos?"),
        (ENTREGA, 10, "deja_de_trabajar", "¿Personal deja de trabajar en el MINDEF?"),
    ],
)
def test_decisions_ask_the_manuals_questions(
    cast: RequesterCast, steps: list[Step], n: int, field: str, question: str
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
    before = walk.detail()["history"]
    response = client_for(user).post(
        f"{API}/tasks/{task}/complete/",
        {"data": {**ACTS[n].data, field: "tal-vez"}},
        format="json",
    )
    assert response.status_code == 400
    assert field in response.json()["errors"]
    walk.assert_open(n)
    assert walk.detail()["history"] == before


def test_a_request_without_the_sworn_statement_is_refused(cast: RequesterCast) -> None:
    """The declaración jurada is required: without it nothing is recorded, no ticket created."""
    walk = Walk(CODE, cast, starter="personal", start="requerimiento")
    data = {k: v for k, v in ACTS[1].data.items() if k != "declaracion_jurada"}
    response = client_for(cast["personal"]).post(
        f"{API}/tasks/{walk.task_id(1)}/complete/", {"data": data}, format="json"
    )
    assert response.status_code == 400
    assert "declaracion_jurada" in response.json()["errors"]
    walk.assert_open(1)
    assert walk.detail()["history"] == []


def test_no_form_asks_for_a_password(db: Any) -> None:
    """The RENIEC credentials travel by institutional mail only; no task form records them."""
    ficha = publish_ficha(CODE).ficha
    secret = re.compile(r"contrase|password|\bclave\b", re.IGNORECASE)
    for act in ficha["activities"]:
        form = form_schema(ficha, act["n"])
        for name, prop in form["properties"].items():
            assert not secret.search(name), (act["n"], name)
            assert not secret.search(prop["title"]), (act["n"], name, prop["title"])


def test_the_requesting_units_activities_are_scoped_to_it(cast: RequesterCast) -> None:
    """Activities 1, 6, 9 and 11 ("U.O.", personal): staff of other units see nothing."""
    walk = _open_at(cast, ENTREGA[:4])
    task = walk.task_id(6)
    for other in (cast.outsider("personal"), make_user("personal", unit=cast.ogtie)):
        response = client_for(other).post(
            f"{API}/tasks/{task}/complete/", {"data": ACTS[6].data}, format="json"
        )
        assert response.status_code == 404
    walk.assert_open(6)


def test_starting_requires_the_way_and_staff(cast: RequesterCast) -> None:
    url = f"{API}/procedures/{CODE}/instances/"
    personal = client_for(cast["personal"])
    response = personal.post(url, {"data": {}}, format="json")
    assert response.status_code == 400
    assert "start" in response.json()["errors"]
    for start in ("requerimiento", "devolucion"):
        for role in ("resp-soporte", "operador-mesa", "jefe-ogtie"):
            response = client_for(cast[role]).post(url, {"start": start}, format="json")
            assert response.status_code == 403, (start, role)
        assert personal.post(url, {"start": start}, format="json").status_code == 201
