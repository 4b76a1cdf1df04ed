"""Routing by unit (routing.py): the requesting unit named at start, a unit field answered in an
earlier step, who may start for which unit, and where each work item goes. Through API v1."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from rest_framework.test import APIClient

from mapro.audit.models import AuditEvent
from mapro.core.exceptions import InvalidInput
from mapro.core.testing import ensure_unit, make_user
from mapro.procedures.exceptions import EngineError
from mapro.procedures.models import Instance, WorkItem, WorkItemRole
from mapro.procedures.routing import (
    ItemRequest,
    ItemUnit,
    starter_may_act_for,
    unit_for_work_item,
    units_for_starter,
    units_for_work_items,
)

from .runtime_helpers import FICHA, People, fresh, publish

pytestmark = pytest.mark.django_db

API = "/api/v1"

#: 1 (OGTIE, coord-innovacion) asks which unit; 2 ("U.O.", director-uo) goes to that unit;
#: 3 ("U.O.", personal) goes to the requesting unit; then end.
ROUTED: dict[str, Any] = {
    "code": "T.05",
    "name": "Consulta a una unidad",
    "version": 1,
    "process": {"level1": "S04.02", "level2": None},
    "owner": "Jefe(a) de la OGTIE",
    "objective": "Probar el enrutamiento por unidad.",
    "starts": [
        {
            "key": "consulta",
            "label": "Consulta",
            "activity": 1,
            "ask_unit": "Unidad de organización solicitante",
        }
    ],
    "activities": [
        {
            "n": 1,
            "name": "Elegir la unidad consultada",
            "unit": "OGTIE",
            "roles": ["coord-innovacion"],
            "form": {
                "type": "object",
                "required": ["unidad"],
                "properties": {
                    "unidad": {"type": "string", "format": "unit", "title": "Unidad consultada"},
                    "oficio": {"type": "string", "title": "N° de oficio", "maxLength": 100},
                },
            },
            "next": 2,
        },
        {
            "n": 2,
            "name": "Responder la consulta",
            "unit": "U.O.",
            "unit_from": "unidad",
            "roles": ["director-uo"],
            "form": {
                "type": "object",
                "properties": {
                    "respuesta": {"type": "string", "title": "Respuesta", "maxLength": 100},
                    "oficio": {"type": "string", "title": "N° de oficio", "maxLength": 100},
                },
            },
            "next": 3,
        },
        {
            "n": 3,
            "name": "Tomar conocimiento",
            "unit": "U.O.",
            "roles": ["personal"],
            "next": "end",
        },
    ],
}


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(fresh(user))
    return client


def start(user: Any, code: str = "T.01", **body: Any) -> Any:
    return client_for(user).post(f"{API}/procedures/{code}/instances/", body, format="json")


def inbox_ids(user: Any) -> set[int]:
    response = client_for(user).get(f"{API}/tasks/")
    assert response.status_code == 200
    return {task["id"] for task in response.json()}


def open_item(instance_id: int, n: int) -> WorkItem:
    return WorkItem.objects.get(instance_id=instance_id, n=n, state="open")


@pytest.fixture
def t05(db: Any) -> None:
    publish(ROUTED)


# --- who may start for which unit ------------------------------------------------------------


def test_ogtie_staff_may_start_for_any_unit(people: People, t01: Any) -> None:
    response = start(people.operador, start="oficio", unit="OTRA")
    assert response.status_code == 201, response.content
    assert response.json()["unit"] == "OTRA"
    instance = Instance.objects.get(pk=response.json()["id"])
    assert instance.unit == people.otra
    event = AuditEvent.objects.get(action="instance.start", object_id=str(instance.pk))
    assert event.after["unit"] == "OTRA"


def test_others_may_start_only_for_their_own_unit(people: People, t01: Any) -> None:
    own = start(people.requester, start="solicitud", unit="DIGEP")
    assert own.status_code == 201, own.content
    assert own.json()["unit"] == "DIGEP"
    before = Instance.objects.count()
    other = start(people.requester, start="solicitud", unit="OTRA")
    assert other.status_code == 403
    assert "OTRA" in other.json()["detail"]
    assert Instance.objects.count() == before
    assert not WorkItem.objects.filter(instance__unit=people.otra).exists()


def test_without_unit_the_instance_is_the_starters(people: People, t01: Any) -> None:
    response = start(people.requester, start="solicitud")
    assert response.status_code == 201
    assert response.json()["unit"] == "DIGEP"


def test_unknown_unit_is_a_field_error_and_creates_nothing(people: People, t01: Any) -> None:
    response = start(people.operador, start="oficio", unit="NOEXISTE")
    assert response.status_code == 400
    assert response.json()["errors"]["unit"] == ["No existe la unidad de organización 'NOEXISTE'."]
    assert not Instance.objects.exists()


def test_blank_unit_means_the_starters(people: People, t01: Any) -> None:
    response = start(people.operador, start="oficio", unit="")
    assert response.status_code == 201
    assert response.json()["unit"] == "OGTIE"


def test_inactive_unit_is_refused(people: People, t01: Any) -> None:
    people.otra.is_active = False
    people.otra.save()
    response = start(people.operador, start="oficio", unit="OTRA")
    assert response.status_code == 400
    assert response.json()["errors"]["unit"] == ["La unidad de organización 'OTRA' no está activa."]
    assert not Instance.objects.exists()


def test_starter_needs_the_first_role_in_the_chosen_unit(people: People, t01: Any) -> None:
    """Start 'solicitud' begins with the requester's own step (personal of the U.O.): OGTIE
    staff may name any unit, but still need that role there."""
    response = start(people.operador, start="solicitud", unit="DIGEP")
    assert response.status_code == 403
    assert not Instance.objects.exists()


def test_units_for_starter(people: People) -> None:
    staff = {u.code for u in units_for_starter(fresh(people.operador))}
    assert staff >= {"SG", "OGTIE", "DIGEP", "OTRA"}
    # A unit-scoped grant covers the units under it.
    sub = ensure_unit("SG-SUB", "Oficina de la SG", parent=people.sg)
    assert {u.code for u in units_for_starter(fresh(people.director_sg))} >= {"SG", "SG-SUB"}
    assert {u.code for u in units_for_starter(fresh(people.requester))} == {"DIGEP"}
    assert starter_may_act_for(fresh(people.director_sg), sub)
    assert not starter_may_act_for(fresh(people.requester), sub)
    assert {u.code for u in units_for_starter(fresh(people.nobody))} == {"OTRA"}


# --- the requesting unit ---------------------------------------------------------------------


def test_requesting_unit_activity_goes_to_the_unit_named_at_start(people: People, t01: Any) -> None:
    """T.01 activity 6 ("U.O.", director-uo): started by OGTIE for OTRA, it is OTRA's."""
    response = start(people.operador, start="oficio", unit="OTRA")
    instance_id = response.json()["id"]
    item = open_item(instance_id, 2)
    assert (
        client_for(people.operador)
        .post(f"{API}/tasks/{item.pk}/complete/", {"data": {"procede": "si"}}, format="json")
        .status_code
        == 200
    )
    for n, user in ((3, people.jefe), (4, people.coord_inn), (5, people.coord_inf)):
        task = open_item(instance_id, n)
        done = client_for(user).post(
            f"{API}/tasks/{task.pk}/complete/", {"data": {}}, format="json"
        )
        assert done.status_code == 200, done.content
    last = open_item(instance_id, 6)
    assert last.unit == people.otra
    assert set(WorkItemRole.objects.filter(work_item=last).values_list("role", "unit")) == {
        ("director-uo", people.otra.pk)
    }
    assert last.pk in inbox_ids(people.director_otra)
    assert last.pk not in inbox_ids(people.director)
    wrong = client_for(people.director).post(
        f"{API}/tasks/{last.pk}/complete/", {"data": {}}, format="json"
    )
    assert wrong.status_code == 404
    done = client_for(people.director_otra).post(
        f"{API}/tasks/{last.pk}/complete/", {"data": {}}, format="json"
    )
    assert done.status_code == 200
    assert done.json()["status"] == "completed"


# --- a unit field answered earlier -----------------------------------------------------------


def test_unit_field_routes_the_later_activity(people: People, t05: Any) -> None:
    response = start(people.coord_inn, code="T.05")
    assert response.status_code == 201
    instance_id = response.json()["id"]
    assert response.json()["unit"] == "OGTIE"
    first = open_item(instance_id, 1)
    form = client_for(people.coord_inn).get(f"{API}/tasks/{first.pk}/").json()["form"]
    choices = [o["const"] for o in form["properties"]["unidad"]["oneOf"]]
    assert {"SG", "OGTIE", "DIGEP", "OTRA"} <= set(choices)
    done = client_for(people.coord_inn).post(
        f"{API}/tasks/{first.pk}/complete/",
        {"data": {"unidad": "DIGEP", "oficio": "OF-1"}},
        format="json",
    )
    assert done.status_code == 200, done.content
    answer = open_item(instance_id, 2)
    assert answer.unit == people.digep
    assert answer.pk in inbox_ids(people.director)
    assert answer.pk not in inbox_ids(people.director_otra)
    outsider = client_for(people.director_otra).post(
        f"{API}/tasks/{answer.pk}/complete/", {"data": {}}, format="json"
    )
    assert outsider.status_code == 404
    shown = client_for(people.director).get(f"{API}/tasks/{answer.pk}/").json()
    assert shown["unit"] == "DIGEP"
    assert shown["form"]["properties"]["oficio"]["default"] == "OF-1"
    done = client_for(people.director).post(
        f"{API}/tasks/{answer.pk}/complete/", {"data": {"respuesta": "Ninguno"}}, format="json"
    )
    assert done.status_code == 200, done.content
    # Activity 3 is the requesting unit's (OGTIE, the starter's), not the consulted one's.
    last = open_item(instance_id, 3)
    assert last.unit.code == "OGTIE"


def test_unknown_unit_in_the_field_is_a_field_error(people: People, t05: Any) -> None:
    instance_id = start(people.coord_inn, code="T.05").json()["id"]
    first = open_item(instance_id, 1)
    response = client_for(people.coord_inn).post(
        f"{API}/tasks/{first.pk}/complete/", {"data": {"unidad": "NOEXISTE"}}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["unidad"] == [
        "Elija una unidad de organización activa (por su sigla)."
    ]
    assert list(WorkItem.objects.filter(instance_id=instance_id).values_list("n", "state")) == [
        (1, "open")
    ]


def test_a_unit_removed_since_fails_the_instance_loudly(people: People, t05: Any) -> None:
    """The field's unit vanished between answer and routing (a defect, not input): the
    instance is stored as failed, never left with a task nobody sees."""
    ficha = copy.deepcopy(ROUTED)
    ficha["activities"][1]["unit_from"] = "oficio"  # a text field: no unit by that code
    ficha["code"] = "T.06"
    publish(ficha)
    instance_id = start(people.coord_inn, code="T.06").json()["id"]
    first = open_item(instance_id, 1)
    with pytest.raises(EngineError):
        from mapro.procedures.actions import do_complete_task

        do_complete_task(
            first.pk, {"unidad": "DIGEP", "oficio": "X-1"}, actor=fresh(people.coord_inn)
        )
    assert Instance.objects.get(pk=instance_id).status == "failed"


# --- the function the engine calls per item ---------------------------------------------------


def test_unit_for_work_item(people: People) -> None:
    fixed = {"n": 1, "unit": "OGTIE"}
    assert unit_for_work_item(fixed, instance_unit_id=7, data={}) == ItemUnit(None, "OGTIE", False)
    requesting = {"n": 2, "unit": "U.O."}
    assert unit_for_work_item(requesting, instance_unit_id=7, data={}) == ItemUnit(7, None, True)
    routed = {"n": 3, "unit": "U.O.", "unit_from": "unidad"}
    assert unit_for_work_item(routed, instance_unit_id=7, data={"unidad": "OTRA"}) == ItemUnit(
        people.otra.pk, None, True
    )
    # A per-unit task of a multi-instance activity goes to its item's unit, even when the
    # activity names a fixed one.
    assert unit_for_work_item(
        requesting, instance_unit_id=7, data={}, item_unit="DIGEP"
    ) == ItemUnit(people.digep.pk, None, True)
    assert unit_for_work_item(fixed, instance_unit_id=7, data={}, item_unit="DIGEP") == ItemUnit(
        people.digep.pk, None, True
    )
    with pytest.raises(InvalidInput) as refused:
        unit_for_work_item(requesting, instance_unit_id=7, data={}, item_unit="X")
    assert refused.value.errors == {"__all__": ["No existe la unidad de organización «X»."]}
    with pytest.raises(EngineError, match="no tiene valor"):
        unit_for_work_item(routed, instance_unit_id=7, data={})
    with pytest.raises(EngineError, match="no existe"):
        unit_for_work_item(routed, instance_unit_id=7, data={"unidad": "X"})


def test_units_for_work_items_look_every_code_up_at_once(
    people: People, django_assert_num_queries: Any
) -> None:
    fixed = {"n": 1, "unit": "OGTIE"}
    routed = {"n": 3, "unit": "U.O.", "unit_from": "unidad"}
    requests = [
        ItemRequest(fixed, {}),
        ItemRequest(routed, {"unidad": "OTRA"}),
        ItemRequest({"n": 4, "unit": "U.O."}, {}, item_unit="DIGEP"),
        ItemRequest({"n": 4, "unit": "U.O."}, {}, item_unit="OTRA"),
    ]
    with django_assert_num_queries(1):
        units = units_for_work_items(requests, instance_unit_id=7)
    assert units == [
        ItemUnit(None, "OGTIE", False),
        ItemUnit(people.otra.pk, None, True),
        ItemUnit(people.digep.pk, None, True),
        ItemUnit(people.otra.pk, None, True),
    ]
    with django_assert_num_queries(0):  # nothing to look up
        assert units_for_work_items([ItemRequest(fixed, {})], instance_unit_id=7) == [
            ItemUnit(None, "OGTIE", False)
        ]


# --- GET /api/v1/me/ -------------------------------------------------------------------------


def test_me_lists_roles_with_their_units(people: People) -> None:
    user = make_user("director-uo", unit=people.digep, roles=("jefe-ogtie",))
    response = client_for(user).get(f"{API}/me/")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == user.username
    assert body["name"] == user.get_full_name()
    assert body["unit"] == "DIGEP"
    assert body["roles"] == [
        {"role": "director-uo", "unit": "DIGEP"},
        {"role": "jefe-ogtie", "unit": None},
    ]


def test_me_needs_authentication(db: Any) -> None:
    assert APIClient().get(f"{API}/me/").status_code in (401, 403)


def test_me_is_in_the_schema(client: Any) -> None:
    schema = client.get(f"{API}/schema/", HTTP_ACCEPT="application/json").json()
    me = schema["paths"]["/api/v1/me/"]["get"]
    ref = me["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert set(component["properties"]) == {"username", "name", "unit", "roles"}
    start_body = schema["paths"]["/api/v1/procedures/{code}/instances/"]["post"]["requestBody"]
    ref = start_body["content"]["application/json"]["schema"]["$ref"]
    assert "unit" in schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]["properties"]


def test_t01_still_routes_its_requester_step_to_the_starters_unit(people: People, t01: Any) -> None:
    """The unchanged default: a personal starting 'solicitud' gets activity 1 in DIGEP."""
    assert FICHA["activities"][0]["unit"] == "U.O."
    instance_id = start(people.requester, start="solicitud").json()["id"]
    item = open_item(instance_id, 1)
    assert item.pk in inbox_ids(people.colleague)
    assert item.pk not in inbox_ids(people.outsider)
