"""S04.03.02.02 Atención de requerimiento de copia de restauración, walked through API v1.

The manual numbers the activities 15 to 22 and its "go to"s say 3 and 4: the ficha keeps the
numbers and reads them as 17 and 18. Paths (docs/procedures/S04.03.02.02.md): from the starts
``requerimiento`` (a unit's employee) and ``necesidad`` (an OGTIE employee), A 15-16-17-fin
(devuelta) and B 15-16-18-19-fin (restaurada); from ``informe_semestral``, C 20-21-22-fin and D
20-21-20-21-22-fin (observaciones subsanadas).
"""

from __future__ import annotations

from typing import Any

import pytest

from mapro.core.testing import ensure_unit, make_user
from mapro.procedures.testing import API, Act, Cast, Step, Walk, client_for, publish_ficha, run_path

CODE = "S04.03.02.02"
REGISTER = {"register": "Registro de requerimientos de copia de restauración"}


class RequesterCast(Cast):
    """The walk's cast with the requester (``personal``) in DGRRHH, not in OGTIE."""

    def __init__(self) -> None:
        super().__init__()
        self.uo = ensure_unit("DGRRHH", "Dirección General de Recursos Humanos", parent=self.sg)

    def __getitem__(self, role: str) -> Any:
        if role in ("personal", "director-uo") and role not in self._users:
            self._users[role] = make_user(role, unit=self.uo)
        return super().__getitem__(role)


ACTS: dict[int, Act] = {
    15: Act(
        ("personal",),
        ("operador-mesa", "profesional-ogtie", "coord-infraestructura"),
        {
            "tipo_informacion": "base_datos",
            "origen": "BD del sistema de legajos (LEGAJOS_PRD)",
            "periodo": "Registros del 1 al 15 de marzo de 2025",
            "descripcion": "Se eliminaron por error registros de legajos.",
            "telefono": "Anexo 6120",
        },
    ),
    16: Act(
        ("operador-mesa",),
        ("profesional-ogtie", "coord-infraestructura", "resp-bd"),
        {"numero_ticket": "MA-2025-005120"},
    ),
    17: Act(
        ("operador-mesa",),
        ("profesional-ogtie", "jefe-ogtie", "resp-soporte"),
        {
            "motivo_rechazo": "El periodo solicitado es anterior a la retención de respaldos.",
            "fecha_devolucion": "2025-03-18",
        },
    ),
    18: Act(
        ("operador-mesa",),
        ("profesional-ogtie", "coord-infraestructura", "resp-bd"),
        {"asignado_a": "Ing. Vargas"},
    ),
    19: Act(
        ("profesional-ogtie",),
        ("operador-mesa", "resp-bd", "coord-infraestructura", "resp-infraestructura"),
        {
            "accion": "restauracion",
            "copia_utilizada": "Respaldo completo 2025-03-16",
            "fecha_ejecucion": "2025-03-19",
            "resultado": "Se restauraron 42 registros en un esquema temporal y se validaron.",
            "informacion_brindada": "Se coordinó con el solicitante la verificación.",
        },
    ),
    20: Act(
        ("profesional-ogtie",),
        ("operador-mesa", "coord-infraestructura", "jefe-ogtie", "resp-bd"),
        {
            "anio": 2025,
            "semestre": "1",
            "restauraciones": [
                {
                    "ticket": "MA-2025-005120",
                    "fecha": "2025-03-19",
                    "unidad": "DGRRHH",
                    "origen": "LEGAJOS_PRD",
                    "resultado": "restaurada",
                }
            ],
            "acciones_ejecutadas": "Una restauración atendida y una solicitud devuelta.",
            "informe": "adjunto-informe-semestral",
            "documento_sistradoc": "INFORME N° 0007-2025-MINDEF/SG-OGTIE",
        },
    ),
    21: Act(
        ("coord-infraestructura",),
        ("profesional-ogtie", "jefe-ogtie", "coord-innovacion"),
        {"documento_sistradoc": "HOJA DE ELEVACIÓN N° 0012-2025", "fecha_remision": "2025-07-10"},
    ),
    22: Act(
        ("jefe-ogtie",),
        ("coord-infraestructura", "profesional-ogtie", "operador-mesa"),
        {},
    ),
}

A_DEVUELTA: list[Step] = [(15, {}, [16]), (16, {"corresponde_atencion": "no"}, [17]), (17, {}, [])]
B_RESTAURADA: list[Step] = [
    (15, {}, [16]),
    (16, {"corresponde_atencion": "si"}, [18]),
    (18, {}, [19]),
    (19, {}, []),
]
C_INFORME: list[Step] = [(20, {}, [21]), (21, {"hay_observaciones": "no"}, [22]), (22, {}, [])]
OBSERVADO: list[Step] = [
    (20, {}, [21]),
    (21, {"hay_observaciones": "si", "observaciones": "Falta la solicitud devuelta."}, [20]),
]
D_SUBSANADO: list[Step] = [*OBSERVADO, *C_INFORME]

REQUEST_PATHS = {"A-devuelta": A_DEVUELTA, "B-restaurada": B_RESTAURADA}
TICKETS = {
    "A-devuelta": [(15, "create"), (17, "close")],
    "B-restaurada": [(15, "create"), (18, "assign"), (19, "close")],
}


@pytest.fixture
def cast(db: Any) -> RequesterCast:
    publish_ficha(CODE)
    return RequesterCast()


@pytest.fixture
def ogtie_cast(db: Any) -> Cast:
    """Everyone in OGTIE: the requester of the ``necesidad`` start is an OGTIE employee."""
    publish_ficha(CODE)
    return Cast()


def _tickets(history: list[dict[str, Any]]) -> list[tuple[int, str]]:
    return [(step["n"], e["ticket"]) for step in history for e in step["effects"] if "ticket" in e]


@pytest.mark.parametrize("name", list(REQUEST_PATHS))
def test_a_units_request_ends_completed(cast: RequesterCast, name: str) -> None:
    walk = run_path(CODE, cast, ACTS, REQUEST_PATHS[name], first=[15], start="requerimiento")
    detail = walk.detail()
    assert detail["start"] == "requerimiento"
    assert detail["unit"] == "DGRRHH"
    assert _tickets(detail["history"]) == TICKETS[name]
    assert REGISTER in detail["history"][-1]["effects"]


@pytest.mark.parametrize("name", list(REQUEST_PATHS))
def test_an_ogtie_need_ends_completed(ogtie_cast: Cast, name: str) -> None:
    walk = run_path(
        CODE, ogtie_cast, ACTS, REQUEST_PATHS[name], first=[15], start="necesidad", rotate=1
    )
    detail = walk.detail()
    assert detail["start"] == "necesidad"
    assert detail["unit"] == "OGTIE"
    assert _tickets(detail["history"]) == TICKETS[name]


@pytest.mark.parametrize(
    ("path", "rotate"),
    [(C_INFORME, 0), (D_SUBSANADO, 1)],
    ids=["C-sin-observaciones", "D-subsanado"],
)
def test_the_semiannual_report_ends_completed(
    ogtie_cast: Cast, path: list[Step], rotate: int
) -> None:
    walk = run_path(
        CODE, ogtie_cast, ACTS, path, first=[20], start="informe_semestral", rotate=rotate
    )
    detail = walk.detail()
    assert detail["start"] == "informe_semestral"
    assert _tickets(detail["history"]) == []
    reports = [s for s in detail["history"] if s["n"] == 20]
    assert len(reports) == len([s for s in path if s[0] == 20])
    assert all(
        {"document": "Informe de copia de restauración de información"} in s["effects"]
        for s in reports
    )


def test_a_request_does_not_run_into_the_semiannual_report(cast: RequesterCast) -> None:
    """Correction 2: after 19 the request ends; 20 only opens from its own start."""
    walk = run_path(CODE, cast, ACTS, B_RESTAURADA, first=[15], start="requerimiento")
    assert 20 not in [s["n"] for s in walk.detail()["history"]]


def test_the_paths_cover_every_activity_and_branch() -> None:
    paths = [A_DEVUELTA, B_RESTAURADA, C_INFORME, D_SUBSANADO]
    assert {n for path in paths for n, _, _ in path} == set(range(15, 23))
    answers = {(n, e[k]) for path in paths for n, e, _ in path for k in e if k != "observaciones"}
    assert answers == {(16, "si"), (16, "no"), (21, "si"), (21, "no")}


@pytest.mark.parametrize(
    ("start", "steps", "n", "field", "question", "options"),
    [
        (
            "requerimiento",
            [(15, {}, [16])],
            16,
            "corresponde_atencion",
            "¿Corresponde dar atención?",
            [("si", "Sí"), ("no", "No")],
        ),
        (
            "informe_semestral",
            [(20, {}, [21])],
            21,
            "hay_observaciones",
            "¿Hay observaciones al Informe de copia de restauración?",
            [
                ("si", "Sí (se remiten al Profesional para la OGTIE para la subsanación)"),
                ("no", "No (se eleva al Jefe(a) de la OGTIE, vía SISTRADOC)"),
            ],
        ),
    ],
)
def test_decisions_ask_the_manuals_questions(
    cast: RequesterCast,
    start: str,
    steps: list[Step],
    n: int,
    field: str,
    question: str,
    options: list[Any],
) -> None:
    walk = Walk(CODE, cast, starter=ACTS[steps[0][0]].roles[0], start=start)
    for m, extra, _ in steps:
        walk.complete(m, role=ACTS[m].roles[0], data={**ACTS[m].data, **extra})
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


def test_a_request_without_system_or_period_is_refused(cast: RequesterCast) -> None:
    walk = Walk(CODE, cast, starter="personal", start="requerimiento")
    task = walk.task_id(15)
    data = {k: v for k, v in ACTS[15].data.items() if k not in ("origen", "periodo")}
    response = client_for(cast["personal"]).post(
        f"{API}/tasks/{task}/complete/", {"data": data}, format="json"
    )
    assert response.status_code == 400
    assert {"origen", "periodo"} <= set(response.json()["errors"])
    walk.assert_open(15)
    assert walk.detail()["history"] == []


def test_the_request_is_entered_by_staff_of_the_requesting_unit_only(cast: RequesterCast) -> None:
    walk = Walk(CODE, cast, starter="personal", start="requerimiento")
    task = walk.task_id(15)
    for other in (cast.outsider("personal"), make_user("personal", unit=cast.ogtie)):
        response = client_for(other).post(
            f"{API}/tasks/{task}/complete/", {"data": ACTS[15].data}, format="json"
        )
        assert response.status_code == 404
    walk.assert_open(15)


def test_who_may_start_each_way(cast: RequesterCast) -> None:
    url = f"{API}/procedures/{CODE}/instances/"
    for start in ("requerimiento", "necesidad"):
        for role in ("operador-mesa", "profesional-ogtie", "jefe-ogtie"):
            body = {"start": start}
            assert client_for(cast[role]).post(url, body, format="json").status_code == 403
        body = {"start": start}
        assert client_for(cast["personal"]).post(url, body, format="json").status_code == 201
    for role in ("personal", "operador-mesa", "coord-infraestructura", "jefe-ogtie"):
        body = {"start": "informe_semestral"}
        assert client_for(cast[role]).post(url, body, format="json").status_code == 403
    body = {"start": "informe_semestral"}
    assert client_for(cast["profesional-ogtie"]).post(url, body, format="json").status_code == 201
