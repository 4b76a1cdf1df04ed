"""S04.01.00.03 Gestión de la seguridad de la información, walked path by path through API v1.

Paths (docs/procedures/S04.01.00.03.md), decision of activity 5 (``evento_inesperado``, the
manual's only question) and of activity 10 (``aceptacion``: the changes are accepted, or there
are observations and it goes back to the encargado, activity 4):
A 1-2-3-4-5-10-11-12-13-fin ("No", accepted), B 1-2-3-4-5-6-7-8-9-fin ("Sí"), and the loop
the manual's text implies ("En caso de observaciones, se regresa al encargado"):
C 1-…-5-10-4-5-10-11-…-fin and D 1-…-5-10-4-5-6-…-fin.
"""

from __future__ import annotations

from typing import Any

import pytest

from mapro.core.testing import make_user
from mapro.procedures.models import Instance
from mapro.procedures.testing import (
    API,
    Act,
    Cast,
    Step,
    Walk,
    client_for,
    inbox_tasks,
    publish_ficha,
    run_path,
)

CODE = "S04.01.00.03"
# Note 1 of the manual: exactly these four teams (no gobierno de TI).
COORDS = ("coord-innovacion", "coord-infraestructura", "coord-ciberseguridad", "coord-estadistica")
DOC = [
    {
        "codigo": "SGSI-POL-001",
        "documento": "Política de seguridad de la información",
        "archivo": "adjunto-1",
    }
]

ACTS: dict[int, Act] = {
    1: Act(
        COORDS,
        ("coord-gobierno-ti", "esp-seguridad-info", "jefe-ogtie"),
        {"documentos": [{"equipo": "ciberseguridad", **DOC[0]}]},
    ),
    2: Act(
        ("esp-seguridad-info",),
        ("coord-ciberseguridad", "oficial-seguridad-digital", "jefe-ogtie"),
        {"resultado_evaluacion": "Dos procedimientos con vigencia vencida."},
    ),
    3: Act(
        ("esp-seguridad-info",),
        ("coord-innovacion", "jefe-ogtie"),
        {
            "acuerdos_mejora": "Actualizar la política y el inventario de activos.",
            "fecha_reunion": "2025-05-06",
        },
    ),
    4: Act(
        COORDS,
        ("coord-gobierno-ti", "esp-seguridad-info"),
        {"cambios_efectuados": "Se actualizó la política.", "documentos_actualizados": DOC},
    ),
    5: Act(
        ("esp-seguridad-info",),
        ("coord-ciberseguridad", "jefe-ogtie", "oficial-seguridad-digital"),
        {"detalle_verificacion": "Verificado."},
    ),
    6: Act(
        ("personal",),
        ("esp-seguridad-info", "coord-infraestructura", "director-uo"),
        {"descripcion_evento": "Caída del servicio de correo.", "fecha_deteccion": "2025-05-10"},
    ),
    7: Act(
        COORDS,
        ("coord-gobierno-ti", "esp-seguridad-info", "jefe-ogtie"),
        {"origen_evento": "Certificado vencido en el servidor de correo."},
    ),
    8: Act(
        ("esp-seguridad-info",),
        ("coord-ciberseguridad", "jefe-ogtie"),
        {"resultado_evento": "Servicio restablecido.", "acciones_realizadas": "Renovación."},
    ),
    9: Act(("jefe-ogtie",), ("esp-seguridad-info", "coord-innovacion"), {}),
    10: Act(
        ("esp-seguridad-info",),
        ("coord-estadistica", "jefe-ogtie"),
        {"equipos": [{"equipo": "ciberseguridad"}], "fecha_comunicacion": "2025-05-12"},
    ),
    11: Act(
        COORDS,
        ("coord-gobierno-ti", "esp-seguridad-info", "jefe-ogtie"),
        {"documentos": DOC},
    ),
    12: Act(
        ("jefe-ogtie",),
        ("esp-seguridad-info", "coord-ciberseguridad"),
        {"memorandum": "MEMORÁNDUM N° 045-2025-MINDEF/SG-OGTIE", "fecha_memorandum": "2025-05-20"},
    ),
    13: Act(
        COORDS,
        ("coord-gobierno-ti", "esp-seguridad-info", "jefe-ogtie"),
        {"ubicacion_custodia": "Repositorio documental del SGSI / Ciberseguridad"},
    ),
}

HEAD: list[Step] = [(1, {}, [2]), (2, {}, [3]), (3, {}, [4]), (4, {}, [5])]
OBSERVATIONS = {"aceptacion": "observaciones", "observaciones_documentacion": "Falta el alcance."}
OBSERVED: list[Step] = [
    (5, {"evento_inesperado": "no"}, [10]),
    (10, OBSERVATIONS, [4]),
    (4, {}, [5]),
]
ACCEPTED: list[Step] = [
    (5, {"evento_inesperado": "no"}, [10]),
    (10, {"aceptacion": "si"}, [11]),
    (11, {}, [12]),
    (12, {}, [13]),
    (13, {}, []),
]
EVENT: list[Step] = [
    (5, {"evento_inesperado": "si"}, [6]),
    (6, {}, [7]),
    (7, {}, [8]),
    (8, {}, [9]),
    (9, {}, []),
]


@pytest.fixture
def cast(db: Any) -> Cast:
    publish_ficha(CODE)
    return Cast()


@pytest.mark.parametrize(
    ("path", "rotate"),
    [
        (HEAD + ACCEPTED, 0),
        (HEAD + EVENT, 1),
        (HEAD + OBSERVED + ACCEPTED, 2),
        (HEAD + OBSERVED + EVENT, 3),
        (HEAD + OBSERVED + OBSERVED + ACCEPTED, 1),
    ],
    ids=[
        "A-aceptada",
        "B-evento-inesperado",
        "C-observaciones-luego-aceptada",
        "D-observaciones-luego-evento",
        "C2-dos-rondas-de-observaciones",
    ],
)
def test_every_path_ends_completed(cast: Cast, path: list[Step], rotate: int) -> None:
    run_path(CODE, cast, ACTS, path, first=[1], rotate=rotate)


def _choices(form: dict[str, Any], field: str) -> tuple[str, list[tuple[str, str]]]:
    prop = form["properties"][field]
    return prop["title"], [(o["const"], o["title"]) for o in prop["oneOf"]]


def test_event_and_observations_are_two_separate_questions(cast: Cast) -> None:
    """Activity 5 asks only the manual's question; the observations are activity 10's own
    choice (issue 18: the decision no longer mixes them). Bad answers are 400 and change
    nothing; the wrong role gets 403."""
    walk = Walk(CODE, cast, starter="coord-innovacion")
    for n, _, _ in HEAD:
        walk.complete(n, role=ACTS[n].roles[0], data=ACTS[n].data)
    specialist = client_for(cast["esp-seguridad-info"])
    task = walk.task_id(5)
    form = specialist.get(f"{API}/tasks/{task}/").json()["form"]
    assert _choices(form, "evento_inesperado") == (
        "¿Se presenta un evento inesperado?",
        [("si", "Sí"), ("no", "No")],
    )
    mixed = specialist.post(
        f"{API}/tasks/{task}/complete/",
        {"data": {"evento_inesperado": "observaciones"}},
        format="json",
    )
    assert mixed.status_code == 400 and "evento_inesperado" in mixed.json()["errors"]
    walk.assert_open(5)
    walk.complete(
        5,
        role="esp-seguridad-info",
        data={"evento_inesperado": "no"},
        wrong=[cast["jefe-ogtie"], cast["coord-ciberseguridad"]],
    )
    task = walk.task_id(10)
    form = specialist.get(f"{API}/tasks/{task}/").json()["form"]
    assert _choices(form, "aceptacion") == (
        "¿Se aceptan los cambios efectuados en la documentación?",
        [
            ("si", "Sí: se comunica la aceptación"),
            (
                "observaciones",
                "No, hay observaciones (se regresa al encargado para su actualización)",
            ),
        ],
    )
    # Observations without their text, or acceptance without the teams told: field errors.
    for data, field in (
        ({"aceptacion": "observaciones"}, "observaciones_documentacion"),
        ({"aceptacion": "si"}, "equipos"),
        ({"aceptacion": "quizas", "equipos": [{"equipo": "ciberseguridad"}]}, "aceptacion"),
    ):
        answer = specialist.post(f"{API}/tasks/{task}/complete/", {"data": data}, format="json")
        assert answer.status_code == 400, data
        assert field in answer.json()["errors"], answer.json()
        walk.assert_open(10)
    for wrong in ("coord-estadistica", "jefe-ogtie"):
        answer = client_for(cast[wrong]).post(
            f"{API}/tasks/{task}/complete/", {"data": OBSERVATIONS}, format="json"
        )
        assert answer.status_code == 403
    walk.complete(10, role="esp-seguridad-info", data=OBSERVATIONS)
    walk.assert_open(4)


def test_unexpected_event_is_reported_by_staff_of_the_instances_unit(cast: Cast) -> None:
    """Activity 6 ("U.O.", personal) belongs to staff of the instance's unit, not of others."""
    walk = Walk(CODE, cast, starter="coord-estadistica")
    for n, _, _ in HEAD:
        walk.complete(n, role=ACTS[n].roles[0], data=ACTS[n].data)
    walk.complete(5, role="esp-seguridad-info", data={"evento_inesperado": "si"})
    task = walk.task_id(6)
    other_unit = client_for(cast.outsider("personal")).post(
        f"{API}/tasks/{task}/complete/", {"data": ACTS[6].data}, format="json"
    )
    assert other_unit.status_code == 404
    walk.assert_open(6)


def test_only_the_coordinators_may_start(cast: Cast) -> None:
    url = f"{API}/procedures/{CODE}/instances/"
    for role in ("esp-seguridad-info", "coord-gobierno-ti", "jefe-ogtie"):
        assert client_for(cast[role]).post(url, {}, format="json").status_code == 403
    for role in COORDS:
        assert client_for(cast[role]).post(url, {}, format="json").status_code == 201


def test_started_by_ogtie_for_a_unit_reaches_that_units_personal(cast: Cast) -> None:
    """Issue 12's "done when": started by OGTIE through API v1 naming a U.O., activity 6 goes
    to the personal of that unit — in their inbox, completable by them — and to nobody else's.
    """
    walk = Walk(CODE, cast, starter="coord-ciberseguridad", unit="DIGEP")
    assert walk.unit == "DIGEP"
    for n, _, _ in HEAD:
        walk.complete(n, role=ACTS[n].roles[0], data=ACTS[n].data)
    walk.complete(5, role="esp-seguridad-info", data={"evento_inesperado": "si"})
    walk.assert_open(6)
    task = walk.task_id(6)
    digep_staff = cast.outsider("personal")  # personal of DIGEP
    ogtie_staff = cast["personal"]
    assert [t["unit"] for t in walk.detail()["tasks"]] == ["DIGEP"]
    assert task not in {t["id"] for t in inbox_tasks(client_for(ogtie_staff))}
    refused = client_for(ogtie_staff).post(
        f"{API}/tasks/{task}/complete/", {"data": ACTS[6].data}, format="json"
    )
    assert refused.status_code == 404
    shown = client_for(digep_staff).get(f"{API}/tasks/{task}/")
    assert shown.status_code == 200
    assert shown.json()["roles"] == ["personal"]
    walk.complete(
        6, role="personal", data=ACTS[6].data, by=digep_staff, wrong=[cast["esp-seguridad-info"]]
    )
    walk.assert_open(7)
    for n in (7, 8, 9):
        walk.complete(n, role=ACTS[n].roles[0], data=ACTS[n].data)
    walk.assert_completed([1, 2, 3, 4, 5, 6, 7, 8, 9])
    history = walk.detail()["history"]
    assert history[5]["completed_by"].startswith(digep_staff.username)


def test_start_offers_the_unit_and_keeps_it_within_reach(cast: Cast) -> None:
    """The ficha asks for the requesting unit at start (``ask_unit``); someone outside the
    OGTIE may name only their own unit: 403 and nothing created otherwise."""
    detail = client_for(cast["jefe-ogtie"]).get(f"{API}/procedures/{CODE}/").json()
    assert detail["starts"][0]["ask_unit"].startswith("Unidad de organización")
    url = f"{API}/procedures/{CODE}/instances/"
    digep_coord = make_user("coord-innovacion", unit=cast.otra, roles=())
    # coord-innovacion is an OGTIE role: its holder may start for any unit.
    assert client_for(digep_coord).post(url, {"unit": "SG"}, format="json").status_code == 201
    outsider = cast.outsider("personal")
    before = Instance.objects.count()
    response = client_for(outsider).post(url, {"unit": "OGTIE"}, format="json")
    assert response.status_code == 403
    assert Instance.objects.count() == before
    unknown = client_for(cast["coord-innovacion"]).post(url, {"unit": "NOEXISTE"}, format="json")
    assert unknown.status_code == 400
    assert list(unknown.json()["errors"]) == ["unit"]
    assert Instance.objects.count() == before
