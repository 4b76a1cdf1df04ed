"""The form a task presents (task_forms.py): earlier answers as ``default``, values recorded in
an earlier list as ``examples``, never for decisions, long texts or other fields that merely
share a name. Through ``GET /api/v1/tasks/{id}/``."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from mapro.procedures.models import WorkItem

from .runtime_helpers import People, fresh, publish

pytestmark = pytest.mark.django_db

API = "/api/v1"
TICKET = {"type": "string", "title": "N° de ticket", "maxLength": 30}
NOTE = {"type": "string", "format": "textarea", "title": "Notas"}
TEAMS = {
    "type": "array",
    "title": "Equipos",
    "items": {
        "type": "object",
        "properties": {"equipo": {"type": "string", "title": "Equipo", "maxLength": 50}},
    },
}
FICHA: dict[str, Any] = {
    "code": "T.07",
    "name": "Respuestas previas",
    "version": 1,
    "process": {"level1": "S04.01", "level2": None},
    "owner": "Jefe(a) de la OGTIE",
    "objective": "Probar los valores por defecto.",
    "starts": [{"key": "inicio", "label": "Inicio", "activity": 1}],
    "activities": [
        {
            "n": 1,
            "name": "Registrar",
            "unit": "OGTIE",
            "roles": ["operador-mesa"],
            "form": {
                "type": "object",
                "properties": {
                    "ticket": TICKET,
                    "nota": NOTE,
                    "equipos": TEAMS,
                    "fecha": {"type": "string", "format": "date", "title": "Fecha de registro"},
                },
            },
            "next": 2,
        },
        {
            "n": 2,
            "name": "Revisar",
            "unit": "OGTIE",
            "roles": ["operador-mesa"],
            "form": {
                "type": "object",
                "properties": {
                    "ticket": TICKET,
                    "nota": NOTE,
                    "equipos": TEAMS,
                    "equipo": {"type": "string", "title": "Equipo", "maxLength": 50},
                    "fecha": {"type": "string", "format": "date", "title": "Fecha de revisión"},
                },
            },
            "decision": {
                "field": "repetir",
                "question": "¿Revisar otra vez?",
                "branches": [
                    {"const": "si", "title": "Sí", "next": 2},
                    {"const": "no", "title": "No", "next": "end"},
                ],
            },
        },
    ],
}


def client_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(fresh(user))
    return client


def form_of(user: Any, item: WorkItem) -> dict[str, Any]:
    response = client_for(user).get(f"{API}/tasks/{item.pk}/")
    assert response.status_code == 200
    return response.json()["form"]["properties"]


def complete(user: Any, item: WorkItem, data: dict[str, Any]) -> None:
    response = client_for(user).post(
        f"{API}/tasks/{item.pk}/complete/", {"data": data}, format="json"
    )
    assert response.status_code == 200, response.content


def test_earlier_answers_are_defaults_and_list_values_suggestions(people: People) -> None:
    publish(FICHA)
    started = client_for(people.operador).post(f"{API}/procedures/T.07/instances/", {})
    instance_id = started.json()["id"]
    first = WorkItem.objects.get(instance_id=instance_id, n=1)
    assert "default" not in form_of(people.operador, first)["ticket"]
    teams = [{"equipo": "Ciberseguridad"}, {"equipo": "Estadística"}]
    complete(
        people.operador,
        first,
        {"ticket": "T-1", "nota": "Primera nota", "equipos": teams, "fecha": "2025-05-02"},
    )
    review = WorkItem.objects.get(instance_id=instance_id, n=2, state="open")
    shown = form_of(people.operador, review)
    assert shown["ticket"]["default"] == "T-1"
    assert shown["equipos"]["default"] == teams
    assert shown["equipo"]["examples"] == ["Ciberseguridad", "Estadística"]
    assert "default" not in shown["nota"]  # a step's own narrative
    assert "default" not in shown["fecha"]  # same name, another field (its title differs)
    assert "default" not in shown["repetir"]
    complete(people.operador, review, {"repetir": "si", "ticket": "T-2", "equipo": "Estadística"})
    again = WorkItem.objects.get(instance_id=instance_id, n=2, state="open")
    shown = form_of(people.operador, again)
    assert shown["ticket"]["default"] == "T-2"  # the latest answer wins
    assert shown["equipo"]["default"] == "Estadística"
    assert "examples" not in shown["equipo"]
    assert "default" not in shown["repetir"]  # each pass decides anew
    # The defaults only propose: validation is the ficha's own form.
    response = client_for(people.operador).post(
        f"{API}/tasks/{again.pk}/complete/",
        {"data": {"repetir": "no", "equipo": "Otro"}},
        format="json",
    )
    assert response.status_code == 200


def test_internal_answers_are_never_proposed_to_who_may_not_read_them(people: People) -> None:
    """An internal step's answer (internal.py) is proposed to OGTIE staff, never to the
    requester: a default must not leak what the history hides."""
    from mapro.procedures.internal import register_internal_effect

    register_internal_effect("register", "Bitácora interna de prueba")
    ficha = {
        **FICHA,
        "code": "T.08",
        "starts": [{"key": "inicio", "label": "Inicio", "activity": 1}],
        "activities": [
            {
                "n": 1,
                "name": "Anotar internamente",
                "unit": "OGTIE",
                "roles": ["operador-mesa"],
                "form": {"type": "object", "properties": {"ticket": TICKET}},
                "effects": [{"register": "Bitácora interna de prueba"}],
                "next": 2,
            },
            {
                "n": 2,
                "name": "Confirmar",
                "unit": "U.O.",
                "roles": ["personal", "operador-mesa"],
                "form": {"type": "object", "properties": {"ticket": TICKET}},
                "next": "end",
            },
        ],
    }
    publish(ficha)
    started = client_for(people.operador).post(
        f"{API}/procedures/T.08/instances/", {"unit": "DIGEP"}, format="json"
    )
    assert started.status_code == 201, started.content
    instance_id = started.json()["id"]
    complete(people.operador, WorkItem.objects.get(instance_id=instance_id, n=1), {"ticket": "X"})
    second = WorkItem.objects.get(instance_id=instance_id, n=2)
    assert "default" not in form_of(people.requester, second)["ticket"]
    assert form_of(people.operador, second)["ticket"]["default"] == "X"
