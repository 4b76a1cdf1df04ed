"""S04.02.00.03 Bajas de sistemas de información, walked path by path through API v1.

Paths (docs/procedures/S04.02.00.03.md): 1-2-3-4-5, then 6 and 7 in parallel (either order),
joining at 8, then 9-fin. After 5 both 6 and 7 are open; after only one of them, 8 is not.

Activities 3 and 8 are multi-instance (``each``): activity 3 is one task per unit consulted in
activity 1, for the system owner (director-uo) of that unit; activity 8 one task per team
coordinator (each holder of coord-innovacion or coord-infraestructura). The flow goes on when
all have answered.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from mapro.core.testing import ensure_unit, make_user
from mapro.organization.models import RoleAssignment
from mapro.procedures.testing import API, Act, Cast, Walk, client_for, inbox_tasks, publish_ficha

CODE = "S04.02.00.03"
SISTEMAS = [
    {"nombre": "Sistema de Control de Asistencia", "version": "2.1", "motivo": "fin-vida-util"},
    {"nombre": "Intranet antigua", "version": "1.0", "motivo": "obsolescencia"},
    {"nombre": "Módulo de viáticos", "version": "3.4", "motivo": "seguridad-legalidad"},
]

ACTS: dict[int, Act] = {
    1: Act(
        ("coord-innovacion",),
        ("coord-infraestructura", "jefe-ogtie", "analista-programador"),
        {
            "proyecto_oficio": "Registro 2025-000812",
            "unidades_consultadas": [{"unidad": "DIGEP"}, {"unidad": "DGA"}],
        },
    ),
    2: Act(
        ("jefe-ogtie",),
        ("coord-innovacion", "director-uo"),
        {"oficio": "OFICIO N° 00210-2025-MINDEF/SG-OGTIE", "fecha_oficio": "2025-06-02"},
    ),
    3: Act(
        ("director-uo",),
        ("jefe-ogtie", "coord-innovacion"),
        {
            "oficio": "OFICIO N° 00077-2025-MINDEF/SG-DIGEP",
            "fecha_oficio": "2025-06-10",
            "sistemas": SISTEMAS,
        },
    ),
    4: Act(
        ("jefe-ogtie",),
        ("coord-innovacion", "director-uo"),
        {"fecha_derivacion": "2025-06-11"},
    ),
    5: Act(
        ("coord-innovacion", "coord-infraestructura"),
        ("jefe-ogtie", "coord-ciberseguridad", "resp-infraestructura", "analista-programador"),
        {"responsable_infraestructura": "Ing. Pérez", "analista_programador": "Bach. Soto"},
    ),
    6: Act(
        ("resp-infraestructura",),
        ("coord-infraestructura", "analista-programador", "resp-bd"),
        {
            "ubicacion_backup_bd": "NAS-01:/backups/asistencia",
            "fecha_backup_bd": "2025-06-15",
            "fecha_baja": "2025-06-16",
            "recursos_liberados": [{"recurso": "VM app-asistencia", "ubicacion_backup": "NAS-01"}],
        },
    ),
    7: Act(
        ("analista-programador",),
        ("coord-innovacion", "resp-infraestructura", "resp-analisis-sistemas"),
        {
            "ubicacion_backup_codigo": "git.mindef.gob.pe/archivo/asistencia",
            "fecha_backup_codigo": "2025-06-15",
            "matriz_actualizada": True,
        },
    ),
    8: Act(
        ("coord-innovacion", "coord-infraestructura"),
        ("jefe-ogtie", "resp-infraestructura", "analista-programador"),
        {"acciones_realizadas": "Backups realizados y recursos liberados."},
    ),
    9: Act(
        ("jefe-ogtie",),
        ("coord-innovacion", "coord-infraestructura"),
        {"oficio": "OFICIO N° 00260-2025-MINDEF/SG-OGTIE", "fecha_oficio": "2025-06-20"},
    ),
}

COORDINATORS = ("coord-innovacion", "coord-infraestructura")


class Baja:
    """An instance of S04.02.00.03 started by OGTIE (coord-innovacion), driven through the API.

    The units consulted are DIGEP and DGA, each with its own director (system owner).
    """

    def __init__(self, cast: Cast) -> None:
        self.cast = cast
        self.dga = ensure_unit("DGA", "Dirección General de Administración", parent=cast.sg)
        self.owners = {
            "DIGEP": make_user("director-uo", unit=cast.otra),
            "DGA": make_user("director-uo", unit=self.dga),
        }
        for role in COORDINATORS:  # both teams have their coordinator from the start
            cast[role]
        self.walk = Walk(CODE, cast, starter="coord-innovacion")

    def open_tasks(self, n: int) -> list[dict[str, Any]]:
        return [t for t in self.walk.detail()["tasks"] if t["n"] == n]

    def complete(self, user: Any, task: int, data: dict[str, Any]) -> Any:
        return client_for(user).post(f"{API}/tasks/{task}/complete/", {"data": data}, format="json")

    def step(self, n: int, role: str | None = None) -> None:
        self.walk.complete(n, role=role or ACTS[n].roles[0], data=ACTS[n].data)

    def to_activity_3(self) -> None:
        self.step(1)
        self.step(2)

    def answer_3(self) -> None:
        for task in self.open_tasks(3):
            unit = task["item"]["unit"]
            response = self.complete(self.owners[unit], task["id"], answer_3(unit))
            assert response.status_code == 200, response.content

    def to_activity_8(self) -> None:
        self.to_activity_3()
        self.answer_3()
        for n in (4, 5, 6, 7):
            self.step(n)


def answer_3(unit: str) -> dict[str, Any]:
    return {
        "oficio": f"OFICIO N° 00077-2025-MINDEF/SG-{unit}",
        "fecha_oficio": "2025-06-10",
        "sistemas": SISTEMAS[:1] if unit == "DIGEP" else SISTEMAS[1:],
    }


def answer_8(role: str) -> dict[str, Any]:
    return {"acciones_realizadas": f"Informe de {role}.", "fecha_informe": "2025-06-18"}


@pytest.fixture
def cast(db: Any) -> Cast:
    publish_ficha(CODE)
    return Cast()


@pytest.mark.parametrize("order", [("DIGEP", "DGA"), ("DGA", "DIGEP")])
def test_activity_3_is_one_task_per_unit_consulted_for_its_owner(
    cast: Cast, order: tuple[str, str]
) -> None:
    baja = Baja(cast)
    baja.to_activity_3()
    tasks = {t["item"]["unit"]: t for t in baja.open_tasks(3)}
    assert sorted(tasks) == ["DGA", "DIGEP"]
    assert {code: t["unit"] for code, t in tasks.items()} == {"DGA": "DGA", "DIGEP": "DIGEP"}
    assert [t["item"]["label"] for t in baja.open_tasks(3)] == ["DIGEP", "DGA"]
    # Each owner sees only the task of their unit; the director of OGTIE sees none.
    for code, owner in baja.owners.items():
        mine = [t["id"] for t in inbox_tasks(client_for(owner)) if t["instance"] == baja.walk.id]
        assert mine == [tasks[code]["id"]]
    assert not [
        t for t in inbox_tasks(client_for(cast["director-uo"])) if t["instance"] == baja.walk.id
    ]
    # The owner of one unit cannot answer for the other.
    first, second = order
    response = baja.complete(baja.owners[first], tasks[second]["id"], answer_3(second))
    assert response.status_code == 403
    assert baja.complete(cast["jefe-ogtie"], tasks[first]["id"], answer_3(first)).status_code == 403
    # The flow waits for every unit, then goes on.
    assert baja.complete(baja.owners[first], tasks[first]["id"], answer_3(first)).status_code == 200
    baja.walk.assert_open(3)
    assert baja.open_tasks(3)[0]["item"]["unit"] == second
    again = baja.complete(baja.owners[first], tasks[first]["id"], answer_3(first))
    assert again.status_code == 409
    assert (
        baja.complete(baja.owners[second], tasks[second]["id"], answer_3(second)).status_code == 200
    )
    baja.walk.assert_open(4)
    # Each answer is in the history, with the unit it is for.
    answers = [h for h in baja.walk.detail()["history"] if h["n"] == 3]
    assert [(h["item"]["unit"], h["data"]) for h in answers] == [
        (code, answer_3(code)) for code in order
    ]


def test_activity_8_is_one_task_per_coordinator_and_joins_when_all_answered(cast: Cast) -> None:
    baja = Baja(cast)
    baja.to_activity_8()
    tasks = {t["item"]["user"]: t for t in baja.open_tasks(8)}
    users = {role: cast[role] for role in COORDINATORS}
    assert sorted(tasks) == sorted(u.username for u in users.values())
    for role, user in users.items():
        mine = [t["id"] for t in inbox_tasks(client_for(user)) if t["instance"] == baja.walk.id]
        assert mine == [tasks[user.username]["id"]], role
    innovacion, infraestructura = (users[role] for role in COORDINATORS)
    # A coordinator answers only their own task.
    response = baja.complete(
        infraestructura, tasks[innovacion.username]["id"], answer_8("coord-infraestructura")
    )
    assert response.status_code == 403
    response = baja.complete(
        infraestructura, tasks[infraestructura.username]["id"], answer_8("coord-infraestructura")
    )
    assert response.status_code == 200
    baja.walk.assert_open(8)
    response = baja.complete(
        innovacion, tasks[innovacion.username]["id"], answer_8("coord-innovacion")
    )
    assert response.status_code == 200
    baja.walk.assert_open(9)
    baja.step(9)
    detail = baja.walk.detail()
    assert detail["status"] == "completed"
    assert [h["n"] for h in detail["history"]] == [1, 2, 3, 3, 4, 5, 6, 7, 8, 8, 9]
    reports = {h["item"]["user"]: h["data"] for h in detail["history"] if h["n"] == 8}
    assert reports == {
        infraestructura.username: answer_8("coord-infraestructura"),
        innovacion.username: answer_8("coord-innovacion"),
    }


def test_a_second_holder_of_a_coordinator_role_gets_a_task_too(cast: Cast) -> None:
    baja = Baja(cast)
    second = make_user("coord-innovacion", unit=cast.ogtie)
    baja.to_activity_8()
    users = sorted(t["item"]["user"] for t in baja.open_tasks(8))
    assert users == sorted([cast["coord-innovacion"].username, second.username,
                            cast["coord-infraestructura"].username])  # fmt: skip


def test_an_empty_or_unknown_list_of_units_is_a_field_error(cast: Cast) -> None:
    baja = Baja(cast)
    task = baja.walk.task_id(1)
    user = cast["coord-innovacion"]
    form = client_for(user).get(f"{API}/tasks/{task}/").json()["form"]
    assert "unidades_consultadas" in form["required"]
    assert form["properties"]["unidades_consultadas"]["minItems"] == 1
    for units, field in (
        ([], "unidades_consultadas"),
        ([{"unidad": "DIGEP"}, {"unidad": "NO-EXISTE"}], "unidades_consultadas.1.unidad"),
    ):
        data = {**ACTS[1].data, "unidades_consultadas": units}
        response = baja.complete(user, task, data)
        assert response.status_code == 400, response.content
        assert list(response.json()["errors"]) == [field]
        baja.walk.assert_open(1)
    assert baja.walk.detail()["history"] == []


def test_no_coordinator_in_office_refuses_the_step_before_activity_8(cast: Cast) -> None:
    baja = Baja(cast)
    baja.to_activity_3()
    baja.answer_3()
    for n in (4, 5, 6):
        baja.step(n)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    RoleAssignment.objects.filter(role__code__in=COORDINATORS).update(valid_until=yesterday)
    task = baja.walk.task_id(7)
    response = baja.complete(cast["analista-programador"], task, ACTS[7].data)
    assert response.status_code == 400, response.content
    assert "actividad 8" in response.json()["errors"]["__all__"][0]
    baja.walk.assert_open(7)
    assert baja.walk.detail()["status"] == "running"


def test_reasons_for_retirement_are_the_manuals_three(cast: Cast) -> None:
    baja = Baja(cast)
    baja.to_activity_3()
    task = baja.open_tasks(3)[0]
    director = baja.owners[task["item"]["unit"]]
    form = client_for(director).get(f"{API}/tasks/{task['id']}/").json()["form"]
    motivo = form["properties"]["sistemas"]["items"]["properties"]["motivo"]
    assert [o["title"] for o in motivo["oneOf"]] == [
        "Fin de su vida útil",
        "Obsolescencia tecnológica",
        "Problemas de seguridad o legalidad",
    ]
    bad = {**ACTS[3].data, "sistemas": [{"nombre": "X", "version": "1", "motivo": "capricho"}]}
    assert baja.complete(director, task["id"], bad).status_code == 400
    missing = {**ACTS[3].data, "sistemas": [{"nombre": "X", "motivo": "obsolescencia"}]}
    assert baja.complete(director, task["id"], missing).status_code == 400
    baja.walk.assert_open(3, 3)


@pytest.mark.parametrize("first", [6, 7], ids=["baja-antes-que-backup", "backup-antes-que-baja"])
def test_join_waits_for_both_branches(cast: Cast, first: int) -> None:
    baja = Baja(cast)
    baja.to_activity_3()
    baja.answer_3()
    for n in (4, 5):
        baja.step(n)
    baja.walk.assert_open(6, 7)
    baja.step(first)
    other = 13 - first
    baja.walk.assert_open(other)
    inbox = client_for(cast["coord-infraestructura"]).get(f"{API}/tasks/").json()
    assert [t["n"] for t in inbox if t["instance"] == baja.walk.id] == []
    baja.step(other)
    baja.walk.assert_open(8, 8)
    history = {h["n"]: h for h in baja.walk.detail()["history"]}
    assert {"register": "Matriz de gestión de cambios de sistemas y aplicaciones"} in (
        history[7]["effects"]
    )


def test_instance_page_shows_each_units_answer_and_open_task(cast: Cast) -> None:
    from django.test import Client
    from django.urls import reverse

    baja = Baja(cast)
    baja.to_activity_3()
    task = next(t for t in baja.open_tasks(3) if t["item"]["unit"] == "DIGEP")
    assert baja.complete(baja.owners["DIGEP"], task["id"], answer_3("DIGEP")).status_code == 200
    browser = Client()
    browser.force_login(cast["jefe-ogtie"])
    page = browser.get(reverse("procedures:instance_detail", args=[baja.walk.id]))
    html = page.content.decode()
    assert page.status_code == 200
    # DIGEP answered (its oficio in the history, labelled), DGA's task is still open.
    assert 'badge text-bg-secondary fw-normal">DIGEP</span>' in html
    assert "OFICIO N° 00077-2025-MINDEF/SG-DIGEP" in html
    assert 'badge text-bg-secondary fw-normal">DGA</span>' in html
    owner = Client()
    owner.force_login(baja.owners["DGA"])
    other = next(t for t in baja.open_tasks(3))
    task_page = owner.get(reverse("procedures:task_detail", args=[other["id"]]))
    assert task_page.status_code == 200
    assert "Elemento de esta tarea" in task_page.content.decode()
