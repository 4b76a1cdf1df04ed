"""S04.05.00.02 Atención a las necesidades de información estadística de las U.O., walked
through API v1.

Paths (docs/procedures/S04.05.00.02.md): A (unit's need, information at hand)
1-3-4-5(Sí)-8-9-10-11-12(No)-13-fin; B (information requested in the established formats)
1-3-4-5(No)-6-7-8-…-13; C (a need found by OGTIE, for another unit chosen at start)
2-3-…-5(Sí)-8-…-11-12(Sí)-11-12(No)-13.
"""

from __future__ import annotations

from typing import Any

import pytest

from mapro.procedures.testing import API, Act, Cast, Step, Walk, client_for, publish_ficha, run_path
from mapro.statistics.testing import datasets

CODE = "S04.05.00.02"
COORD, JEFE, ESP = "coord-estadistica", "jefe-ogtie", "esp-estadistico"

ACTS: dict[int, Act] = {
    1: Act(
        ("director-uo",), (COORD, JEFE), {"necesidad": "Personal por región para el plan anual."}
    ),
    2: Act((COORD,), (ESP, JEFE), {"propuesta": "Series de personal y operaciones."}),
    3: Act(("director-uo",), (COORD, JEFE), {"asunto": "Solicitud de información estadística"}),
    4: Act((JEFE,), (COORD, ESP), {"documento_sistradoc": "PROVEIDO 12-2026"}),
    5: Act((COORD,), (ESP, JEFE), {"recursos": "Cuadros por región y mes."}),
    6: Act(
        (ESP,),
        (COORD, JEFE),
        {"formato": "operaciones", "fecha_entrega": "2026-05-30", "asunto": "Formatos"},
    ),
    7: Act((ESP,), (COORD, JEFE), {"informacion_consolidada": "adjunto-7"}),
    8: Act((ESP,), (COORD, JEFE), {"cuadros_graficos": "adjunto-8"}),
    9: Act((COORD,), (ESP, JEFE), {}),
    10: Act((ESP,), (COORD, JEFE), {"documento_estadistico": "adjunto-10"}),
    11: Act((COORD,), (ESP, JEFE), {"informe": "adjunto-11", "asunto": "Informe"}),
    12: Act((JEFE,), (COORD, ESP), {}),
    13: Act((JEFE,), (COORD, ESP), {"asunto": "Remisión del documento estadístico"}),
}

PATH_A: list[Step] = [
    (1, {}, [3]),
    (3, {}, [4]),
    (4, {}, [5]),
    (5, {"cuenta_con_informacion": "si"}, [8]),
    (8, {}, [9]),
    (9, {}, [10]),
    (10, {}, [11]),
    (11, {}, [12]),
    (12, {"hay_observaciones": "no"}, [13]),
    (13, {}, []),
]
PATH_B: list[Step] = [
    (1, {}, [3]),
    (3, {}, [4]),
    (4, {}, [5]),
    (5, {"cuenta_con_informacion": "no"}, [6]),
    (6, {}, [7]),
    (7, {}, [8]),
    (8, {}, [9]),
    (9, {}, [10]),
    (10, {}, [11]),
    (11, {}, [12]),
    (12, {"hay_observaciones": "no"}, [13]),
    (13, {}, []),
]


@pytest.fixture
def cast(db: Any) -> Cast:
    publish_ficha(CODE)
    datasets()
    return Cast()


@pytest.mark.parametrize("path", [PATH_A, PATH_B], ids=["A-con-informacion", "B-formatos"])
def test_paths_from_a_units_need(cast: Cast, path: list[Step]) -> None:
    run_path(CODE, cast, ACTS, path, first=[1], start="unidad")


def test_path_from_ogtie_for_another_unit_with_the_loop(cast: Cast) -> None:
    for act in ACTS.values():
        for role in act.roles:
            cast[role]
    walk = Walk(CODE, cast, starter=COORD, start="ogtie", unit="DIGEP")
    assert walk.unit == "DIGEP"
    walk.assert_open(2)
    walk.complete(2, role=COORD, data=ACTS[2].data, wrong=[cast[ESP], cast[JEFE]])
    walk.assert_open(3)
    digep = cast.outsider("director-uo")
    # OGTIE's own director-uo is not the requesting unit's: it cannot take the task.
    task = walk.task_id(3)
    response = client_for(cast["director-uo"]).post(
        f"{API}/tasks/{task}/complete/", {"data": ACTS[3].data}, format="json"
    )
    assert response.status_code in (403, 404)
    walk.complete(3, role="director-uo", by=digep, data=ACTS[3].data, wrong=[cast[COORD]])
    for n, extra in (
        (4, {}),
        (5, {"cuenta_con_informacion": "si"}),
        (8, {}),
        (9, {}),
        (10, {}),
        (11, {}),
        (12, {"hay_observaciones": "si"}),
        (11, {}),
        (12, {"hay_observaciones": "no"}),
        (13, {}),
    ):
        act = ACTS[n]
        walk.complete(
            n, role=act.roles[0], data={**act.data, **extra}, wrong=[cast[r] for r in act.wrong]
        )
    walk.assert_completed([2, 3, 4, 5, 8, 9, 10, 11, 12, 11, 12, 13])


def test_an_unknown_format_is_refused_naming_the_field(cast: Cast) -> None:
    for act in ACTS.values():
        for role in act.roles:
            cast[role]
    walk = Walk(CODE, cast, starter="director-uo", start="unidad")
    for n, extra in ((1, {}), (3, {}), (4, {}), (5, {"cuenta_con_informacion": "no"})):
        walk.complete(n, role=ACTS[n].roles[0], data={**ACTS[n].data, **extra})
    task = walk.task_id(6)
    response = client_for(cast[ESP]).post(
        f"{API}/tasks/{task}/complete/",
        {"data": {**ACTS[6].data, "formato": "no-existe"}},
        format="json",
    )
    assert response.status_code == 400
    assert "no-existe" in response.json()["errors"]["formato"][0]
    walk.assert_open(6)


def test_the_start_decision_offers_both_starts(cast: Cast) -> None:
    response = client_for(cast[COORD]).get(f"{API}/procedures/{CODE}/")
    assert response.status_code == 200
    starts = {s["key"]: s for s in response.json()["starts"]}
    assert set(starts) == {"unidad", "ogtie"}
    assert starts["ogtie"]["ask_unit"].startswith("Unidad de organización")
    # Only the first activity's role of a start may start it.
    url = f"{API}/procedures/{CODE}/instances/"
    body = {"start": "ogtie", "data": {}}
    assert client_for(cast[ESP]).post(url, body, format="json").status_code == 403
