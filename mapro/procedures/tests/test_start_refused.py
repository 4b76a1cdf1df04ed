"""A start the engine cannot open (issue 11's leftover): refused atomically, as Camunda refuses a
start whose synchronous part fails before the first wait state — 409 with the cause, a Spanish
message on the page, and nothing stored (no instance without tasks, no audit of a start)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from mapro.audit.models import AuditEvent
from mapro.procedures.actions import do_start_instance
from mapro.procedures.exceptions import EngineError, StartRefused
from mapro.procedures.ficha.compiler import compile_bpmn
from mapro.procedures.models import Instance, WorkItem

from . import test_api_runtime
from .runtime_helpers import FICHA, fresh, publish
from .test_api_runtime import API, check_response, client_for

pytestmark = pytest.mark.django_db
openapi = test_api_runtime.openapi  # the published schema (a fixture)

#: Its first activity takes its unit from the start's data (``unit_from``): a start without
#: that unit, or naming none that exists, cannot open its first task.
ROUTED: dict[str, Any] = {
    "code": "T.10",
    "name": "Inicio enrutado",
    "version": 1,
    "process": {"level1": "S04.01", "level2": None},
    "owner": "Jefe(a) de la OGTIE",
    "objective": "Probar el rechazo de un inicio.",
    "starts": [{"key": "inicio", "label": "Inicio", "activity": 1}],
    "activities": [
        {
            "n": 1,
            "name": "Atender en la unidad indicada",
            "unit": "U.O.",
            "unit_from": "unidad",
            "roles": ["operador-mesa"],
            "next": "end",
        }
    ],
}


def nothing_stored() -> bool:
    return (
        not Instance.objects.exists()
        and not WorkItem.objects.exists()
        and not AuditEvent.objects.filter(action__startswith="instance.").exists()
    )


def url(code: str = "T.10") -> str:
    return f"{API}/procedures/{code}/instances/"


def test_no_unit_for_the_first_activity_is_a_409_that_stores_nothing(people, openapi, caplog):
    publish(ROUTED)
    caplog.set_level(logging.ERROR, logger="mapro.procedures.actions")
    api = client_for(people.operador)
    for data, cause in [
        ({}, "toma su unidad del campo 'unidad', que no tiene valor"),
        ({"unidad": "NOEXISTE"}, "la unidad 'NOEXISTE' no existe"),
    ]:
        response = api.post(url(), {"data": data}, format="json")
        assert response.status_code == 409, response.content
        check_response(openapi, "/api/v1/procedures/{code}/instances/", "post", response)
        detail = response.json()["detail"]
        assert detail.startswith("No se pudo iniciar el expediente de T.10: ")
        assert cause in detail and "No se guardó nada" in detail
        assert nothing_stored()
    assert any("refused, nothing stored" in r.getMessage() for r in caplog.records)
    # The right data starts it, routed to the unit named.
    started = api.post(url(), {"data": {"unidad": "DIGEP"}}, format="json")
    assert started.status_code == 201
    assert WorkItem.objects.get().unit.code == "DIGEP"


def test_wrong_role_is_403_before_the_engine(people):
    publish(ROUTED)
    response = client_for(people.requester).post(url(), {"data": {}}, format="json")
    assert response.status_code == 403
    assert nothing_stored()


def test_a_bad_condition_at_start_is_refused_and_stores_nothing(people):
    """Before, the instance was kept as failed with no task (and the API answered 500)."""
    ficha = {**FICHA, "code": "T.04"}
    xml = compile_bpmn(ficha).replace('start == "solicitud"', 'start.lower() == "solicitud"')
    assert "start.lower()" in xml
    publish(ficha, bpmn_xml=xml)
    with pytest.raises(StartRefused) as err:
        do_start_instance("T.04", start="solicitud", data={}, actor=people.requester)
    assert isinstance(err.value, EngineError) and err.value.status_code == 409
    assert "no permitid" in err.value.message  # the cause (ExpressionNotAllowed) is named
    assert nothing_stored()
    response = client_for(people.requester).post(
        url("T.04"), {"start": "solicitud", "data": {}}, format="json"
    )
    assert response.status_code == 409 and "No se guardó nada" in response.json()["detail"]
    assert nothing_stored()


def test_the_page_says_why_in_spanish_and_stores_nothing(people):
    publish(ROUTED)
    web = Client()
    web.force_login(fresh(people.operador))
    response = web.post("/procedimientos/T.10/iniciar/", {"start": "inicio"})
    assert response.status_code == 302
    assert response["Location"] == "/procedimientos/T.10/"
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("No se pudo iniciar el expediente de T.10: ")
    assert "No se guardó nada" in message
    assert nothing_stored()
    # Someone without the first activity's role is refused before anything is tried.
    web.force_login(fresh(people.requester))
    refused = web.post("/procedimientos/T.10/iniciar/", {"start": "inicio"})
    assert refused.status_code in (302, 403)
    assert nothing_stored()


def test_a_refusal_inside_a_callers_transaction_leaves_it_usable(people):
    """A caller that catches the refusal (a cronograma's occurrence, a run's correction path)
    goes on in its own transaction: only the start's savepoint was rolled back."""
    from django.db import transaction

    publish(ROUTED)
    with transaction.atomic():
        with pytest.raises(StartRefused):
            do_start_instance("T.10", data={}, actor=fresh(people.operador))
        instance = do_start_instance("T.10", data={"unidad": "DIGEP"}, actor=people.operador)
    assert Instance.objects.get() == instance
    assert WorkItem.objects.filter(instance=instance).count() == 1
