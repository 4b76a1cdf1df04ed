"""S04.03.01.03 Control de accesos al centro de datos, walked path by path through API v1.

Paths (docs/procedures/S04.03.01.03.md), by way of start: A ``visita-sg`` 1-2-3-4-5-fin; B
``mantenimiento-ogtie`` 7-8-9-10-11-12-13-14-15-16-fin; C the same with the DIPEC's observations
(10-10, the decision added to activity 10); D ``mantenimiento-uo`` 6-14-15-16-fin. The Secretary
General works in SG and the director of the unit whose equipment is serviced in DGA.
"""

from __future__ import annotations

from typing import Any

import pytest

from mapro.core.testing import ensure_unit, make_user
from mapro.datacenter.models import LogbookEntry
from mapro.procedures.testing import API, Act, Cast, Step, Walk, client_for, publish_ficha, run_path

CODE = "S04.03.01.03"
LOGBOOK = "Bitácora de registro de ingresos al centro de datos"
QUESTION = "¿La DIPEC indica que la documentación está completa y correcta?"


class DataCenterCast(Cast):
    """The walk's cast: the Secretary General in SG, the U.O.'s director and staff in DGA."""

    def __init__(self) -> None:
        super().__init__()
        self.uo = ensure_unit("DGA", "Dirección General de Administración", parent=self.sg)

    def __getitem__(self, role: str) -> Any:
        if role not in self._users:
            if role == "secretario-general":
                self._users[role] = make_user(role, unit=self.sg)
            elif role in {"director-uo", "personal"}:
                self._users[role] = make_user(role, unit=self.uo)
        return super().__getitem__(role)


PERSONAL = [{"nombres_apellidos": "Luis Alberto Campos Díaz", "dni": "42563178"}]
DOCUMENTOS = [
    {"documento": "sctr", "vigente_hasta": "2025-12-31", "archivo": "adjunto-sctr"},
    {"documento": "contrato_orden", "archivo": "adjunto-orden-servicio"},
    {"documento": "procedimiento", "archivo": "adjunto-procedimiento"},
    {"documento": "capacitacion_sst", "archivo": "adjunto-capacitacion"},
    {"documento": "certificado_medico", "vigente_hasta": "2026-03-31", "archivo": "adjunto-cmo"},
]

ACTS: dict[int, Act] = {
    1: Act(
        ("secretario-general",),
        ("jefe-ogtie", "coord-infraestructura"),
        {
            "visitantes": [
                {
                    "nombres_apellidos": "Carlos Mendoza Ruiz",
                    "dni": "09876543",
                    "cargo_entidad": "Viceministro de Recursos para la Defensa",
                }
            ],
            "fecha_hora_visita": "2025-08-12T10:00:00-05:00",
            "motivo": "Visita de inspección al centro de datos.",
        },
    ),
    2: Act(
        ("jefe-ogtie",),
        ("coord-infraestructura", "resp-infraestructura", "secretario-general"),
        {"fecha_autorizacion": "2025-08-11"},
    ),
    3: Act(
        ("coord-infraestructura",),
        ("jefe-ogtie", "resp-infraestructura", "operador-mesa"),
        {
            "ingresos": [
                {
                    "nombres_apellidos": "Carlos Mendoza Ruiz",
                    "dni": "09876543",
                    "entidad": "VRD",
                    "fecha_hora_ingreso": "2025-08-12T10:05:00-05:00",
                    "acompanante": "Jefe(a) de la OGTIE",
                    "firma_registrada": True,
                }
            ]
        },
    ),
    4: Act(
        ("jefe-ogtie",),
        ("coord-infraestructura", "resp-infraestructura"),
        {"observaciones": "Recorrido por las salas de servidores."},
    ),
    5: Act(
        ("coord-infraestructura",),
        ("jefe-ogtie", "resp-infraestructura"),
        {
            "salidas": [
                {
                    "nombres_apellidos": "Carlos Mendoza Ruiz",
                    "dni": "09876543",
                    "fecha_hora_salida": "2025-08-12T10:40:00-05:00",
                }
            ]
        },
    ),
    6: Act(
        ("director-uo",),
        ("coord-infraestructura", "resp-infraestructura", "jefe-ogtie"),
        {
            "empresa": "Climatización Andina S.A.C.",
            "personal": PERSONAL,
            "trabajos": "Mantenimiento del aire acondicionado de precisión de la DGA.",
            "fecha_hora_ingreso": "2025-08-20T09:00:00-05:00",
            "gestiones_previas": DOCUMENTOS,
        },
    ),
    7: Act(
        ("coord-infraestructura",),
        ("resp-infraestructura", "jefe-ogtie", "operador-mesa"),
        {
            "trabajos": "Cambio de baterías del UPS del centro de datos.",
            "fecha_hora_trabajos": "2025-08-25T08:00:00-05:00",
            "encargado": "Ing. Vargas (infraestructura)",
        },
    ),
    8: Act(
        ("coord-infraestructura",),
        ("resp-infraestructura", "operador-mesa"),
        {
            "empresa": "Energía Continua S.A.",
            "contacto": "Sra. Paz, 987654321",
            "pautas": "Ingreso por la puerta 2; EPP completo.",
            "sctr": "adjunto-sctr",
            "sctr_vigente_hasta": "2025-12-31",
        },
    ),
    9: Act(
        ("operador-mesa",),
        ("coord-infraestructura", "resp-infraestructura", "resp-soporte"),
        {
            "numero_ticket": "MA-2025-007300",
            "empresa": "Energía Continua S.A.",
            "personal": PERSONAL,
            "categoria": "Trabajos en el centro de datos",
            "asignado_a": "Ing. Vargas",
        },
    ),
    10: Act(
        ("coord-infraestructura",),
        ("resp-infraestructura", "operador-mesa", "jefe-ogtie"),
        {
            "correo_dipec": "dipec.sst@mindef.gob.pe",
            "documentos": DOCUMENTOS,
            "fecha_remision": "2025-08-15",
        },
    ),
    11: Act(
        ("coord-infraestructura",),
        ("resp-infraestructura", "operador-mesa"),
        {
            "fecha_hora_ingreso": "2025-08-25T08:00:00-05:00",
            "equipos_herramientas": "Baterías, multímetro, herramientas aisladas.",
            "fecha_comunicacion_dipec": "2025-08-19",
            "correo_dipec": "dipec.sst@mindef.gob.pe",
        },
    ),
    12: Act(
        ("coord-infraestructura",),
        ("resp-infraestructura", "jefe-ogtie"),
        {
            "registro_visita": "VIS-2025-08-0412",
            "fecha_registro": "2025-08-20",
            "verificacion_ogsp": True,
        },
    ),
    13: Act(
        ("coord-infraestructura",),
        ("resp-infraestructura", "operador-mesa"),
        {
            "fecha_induccion": "2025-08-25",
            "epps_herramientas_revisados": True,
            "medidas_seguridad": "Desenergizar el banco antes de la intervención.",
            "fecha_visto_bueno": "2025-08-25",
        },
    ),
    14: Act(
        ("resp-infraestructura",),
        ("coord-infraestructura", "operador-mesa", "resp-soporte"),
        {
            "requisitos_seguridad_validados": True,
            "ingresos": [
                {
                    **PERSONAL[0],
                    "empresa": "Energía Continua S.A.",
                    "fecha_hora_ingreso": "2025-08-25T08:30:00-05:00",
                    "acompanante": "Ing. Vargas (infraestructura)",
                    "motivo": "Cambio de baterías del UPS.",
                }
            ],
        },
    ),
    15: Act(
        ("resp-infraestructura",),
        ("coord-infraestructura", "coord-ciberseguridad", "operador-mesa"),
        {
            "tipo_trabajo": "infraestructura",
            "supervisores": "Ing. Vargas",
            "trabajos_realizados": "Se reemplazaron 16 baterías; UPS en línea.",
        },
    ),
    16: Act(
        ("resp-infraestructura",),
        ("coord-infraestructura", "operador-mesa", "jefe-ogtie"),
        {
            "salidas": [
                {**PERSONAL[0], "fecha_hora_salida": "2025-08-25T12:15:00-05:00"},
            ]
        },
    ),
}

A_VISITA_SG: list[Step] = [(1, {}, [2]), (2, {}, [3]), (3, {}, [4]), (4, {}, [5]), (5, {}, [])]
HEAD_OGTIE: list[Step] = [(7, {}, [8]), (8, {}, [9]), (9, {}, [10])]
TAIL_OGTIE: list[Step] = [
    (10, {"documentacion_conforme": "si"}, [11]),
    (11, {}, [12]),
    (12, {}, [13]),
    (13, {}, [14]),
    (14, {}, [15]),
    (15, {}, [16]),
    (16, {}, []),
]
B_MANTENIMIENTO_OGTIE: list[Step] = [*HEAD_OGTIE, *TAIL_OGTIE]
OBSERVED: list[Step] = [
    (
        10,
        {
            "documentacion_conforme": "no",
            "observaciones_dipec": "El certificado médico ocupacional está vencido.",
        },
        [10],
    )
]
C_OBSERVADA: list[Step] = [*HEAD_OGTIE, *OBSERVED, *TAIL_OGTIE]
D_MANTENIMIENTO_UO: list[Step] = [(6, {}, [14]), (14, {}, [15]), (15, {}, [16]), (16, {}, [])]

#: name: (start, first activity, path, ticket effects, logbook entries and exits)
PATHS: dict[str, tuple[str, int, list[Step], list[str], int]] = {
    "A-visita-sg": ("visita-sg", 1, A_VISITA_SG, [], 2),
    "B-mantenimiento-ogtie": (
        "mantenimiento-ogtie",
        7,
        B_MANTENIMIENTO_OGTIE,
        ["create", "assign", "close"],
        2,
    ),
    "C-documentacion-observada": (
        "mantenimiento-ogtie",
        7,
        C_OBSERVADA,
        ["create", "assign", "close"],
        2,
    ),
    "C2-dos-rondas-de-observaciones": (
        "mantenimiento-ogtie",
        7,
        [*HEAD_OGTIE, *OBSERVED, *OBSERVED, *TAIL_OGTIE],
        ["create", "assign", "close"],
        2,
    ),
    "D-mantenimiento-uo": ("mantenimiento-uo", 6, D_MANTENIMIENTO_UO, ["close"], 2),
}


@pytest.fixture
def cast(db: Any) -> DataCenterCast:
    publish_ficha(CODE)
    return DataCenterCast()


def _effects(history: list[dict[str, Any]], kind: str) -> list[Any]:
    return [e[kind] for step in history for e in step["effects"] if kind in e]


@pytest.mark.parametrize("name", list(PATHS))
def test_every_path_ends_completed(cast: DataCenterCast, name: str) -> None:
    start, first, path, tickets, logbook = PATHS[name]
    walk = run_path(CODE, cast, ACTS, path, first=[first], start=start)
    detail = walk.detail()
    assert detail["start"] == start
    assert _effects(detail["history"], "ticket") == tickets
    assert _effects(detail["history"], "register") == [LOGBOOK] * logbook
    # The bitácora (mapro.datacenter) holds the entry and the exit of the one person.
    entries = LogbookEntry.objects.filter(visit__instance_id=walk.id)
    dni = "09876543" if start == "visita-sg" else PERSONAL[0]["dni"]
    assert [(e.dni, e.exited_at is not None) for e in entries] == [(dni, True)]
    assert entries[0].visit.kind == start


@pytest.mark.parametrize(
    ("start", "unit"),
    [("visita-sg", "SG"), ("mantenimiento-ogtie", "OGTIE"), ("mantenimiento-uo", "DGA")],
)
def test_each_instance_belongs_to_its_starters_unit(
    cast: DataCenterCast, start: str, unit: str
) -> None:
    first = {"visita-sg": 1, "mantenimiento-ogtie": 7, "mantenimiento-uo": 6}[start]
    walk = Walk(CODE, cast, starter=ACTS[first].roles[0], start=start)
    assert walk.detail()["unit"] == unit
    walk.assert_open(first)


def test_the_paths_cover_every_activity_start_and_branch(cast: DataCenterCast) -> None:
    visited = {n for _, _, path, _, _ in PATHS.values() for n, _, _ in path}
    assert visited == set(range(1, 17))
    assert {start for start, *_ in PATHS.values()} == {
        "visita-sg",
        "mantenimiento-ogtie",
        "mantenimiento-uo",
    }
    answers = {
        (n, value)
        for _, _, path, _, _ in PATHS.values()
        for n, extra, _ in path
        for key, value in extra.items()
        if key == "documentacion_conforme"
    }
    assert answers == {(10, "si"), (10, "no")}
    ficha = client_for(cast["jefe-ogtie"]).get(f"{API}/procedures/{CODE}/").json()
    assert [(s["key"], s["label"]) for s in ficha["starts"]] == [
        ("visita-sg", "Visitas autorizadas por la SG"),
        ("mantenimiento-ogtie", "Mantenimiento de equipos de OGTIE"),
        (
            "mantenimiento-uo",
            "Mantenimiento de equipos de otras unidades de organización del MINDEF",
        ),
    ]


def test_dipec_review_decision(cast: DataCenterCast) -> None:
    walk = Walk(CODE, cast, starter="coord-infraestructura", start="mantenimiento-ogtie")
    for n, _, _ in HEAD_OGTIE:
        walk.complete(n, role=ACTS[n].roles[0], data=ACTS[n].data)
    task = walk.task_id(10)
    user = cast["coord-infraestructura"]
    form = client_for(user).get(f"{API}/tasks/{task}/").json()["form"]
    field = form["properties"]["documentacion_conforme"]
    assert field["title"] == QUESTION
    assert [(o["const"], o["title"]) for o in field["oneOf"]] == [
        ("si", "Sí"),
        (
            "no",
            "No: la DIPEC comunica observaciones (se solicita al proveedor la subsanación y se "
            "remite de nuevo)",
        ),
    ]
    assert "documentacion_conforme" in form["required"]
    before = walk.detail()["history"]
    response = client_for(user).post(
        f"{API}/tasks/{task}/complete/",
        {"data": {**ACTS[10].data, "documentacion_conforme": "pendiente"}},
        format="json",
    )
    assert response.status_code == 400
    assert "documentacion_conforme" in response.json()["errors"]
    walk.assert_open(10)
    assert walk.task_id(10) == task
    assert walk.detail()["history"] == before


def test_contractor_documents_are_required(cast: DataCenterCast) -> None:
    """8 needs the SCTR and its validity; 10 needs each document's file; 13 the DIPEC's OK."""
    walk = Walk(CODE, cast, starter="coord-infraestructura", start="mantenimiento-ogtie")
    walk.complete(7, role="coord-infraestructura", data=ACTS[7].data)
    user = client_for(cast["coord-infraestructura"])
    response = user.post(
        f"{API}/tasks/{walk.task_id(8)}/complete/",
        {"data": {"empresa": "Energía Continua S.A."}},
        format="json",
    )
    assert response.status_code == 400
    assert {"sctr", "sctr_vigente_hasta"} <= set(response.json()["errors"])
    walk.assert_open(8)
    walk.complete(8, role="coord-infraestructura", data=ACTS[8].data)
    walk.complete(9, role="operador-mesa", data=ACTS[9].data)
    response = user.post(
        f"{API}/tasks/{walk.task_id(10)}/complete/",
        {
            "data": {
                "correo_dipec": "dipec.sst@mindef.gob.pe",
                "documentos": [{"documento": "sctr"}],
                "fecha_remision": "2025-08-15",
                "documentacion_conforme": "si",
            }
        },
        format="json",
    )
    assert response.status_code == 400
    walk.assert_open(10)


def test_the_units_director_communicates_only_for_their_unit(cast: DataCenterCast) -> None:
    """Activity 6 ("U.O.", director-uo) is scoped: another unit's director cannot see it."""
    walk = Walk(CODE, cast, starter="director-uo", start="mantenimiento-uo")
    task = walk.task_id(6)
    other = client_for(cast.outsider("director-uo")).post(
        f"{API}/tasks/{task}/complete/", {"data": ACTS[6].data}, format="json"
    )
    assert other.status_code == 404
    walk.assert_open(6)


def test_every_start_needs_its_first_activitys_role(cast: DataCenterCast) -> None:
    url = f"{API}/procedures/{CODE}/instances/"
    starters = {
        "visita-sg": "secretario-general",
        "mantenimiento-ogtie": "coord-infraestructura",
        "mantenimiento-uo": "director-uo",
    }
    for start, right in starters.items():
        for role in {*starters.values(), "jefe-ogtie", "resp-infraestructura"} - {right}:
            response = client_for(cast[role]).post(url, {"start": start}, format="json")
            assert response.status_code == 403, (start, role)
        response = client_for(cast[right]).post(url, {"start": start}, format="json")
        assert response.status_code == 201, (start, right)
