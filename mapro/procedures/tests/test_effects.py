"""The effects dispatcher: registry rules, same-transaction handling, rollback, idempotence.

Uses the synthetic ficha T.01, whose activity 4 has ``{document: Informe}``; a real handler
for ``document`` is registered for each test and removed afterwards.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from mapro.core.exceptions import Conflict
from mapro.procedures.actions import activity
from mapro.procedures.effects import (
    EffectCall,
    Outcome,
    dispatch_effects,
    effect_handler,
    register_effect_handler,
    unregister_effect_handler,
)
from mapro.procedures.models import EffectOutcome, Instance, TaskRecord, WorkItemState

from .test_runtime_actions import complete, open_items, start

pytestmark = pytest.mark.django_db

calls: list[EffectCall] = []


def record_document(call: EffectCall) -> Outcome:
    calls.append(call)
    return Outcome.applied(document=f"{call.value} del expediente {call.instance.pk}")


@pytest.fixture
def document_handler() -> Iterator[None]:
    previous = unregister_effect_handler("document")
    calls.clear()
    register_effect_handler("document", record_document)
    yield
    unregister_effect_handler("document")
    if previous is not None:
        register_effect_handler("document", previous)


def test_registry_rules() -> None:
    with pytest.raises(ValueError, match="desconocido"):
        register_effect_handler("fax", record_document)
    previous = unregister_effect_handler("register")
    try:
        register_effect_handler("register", record_document)
        register_effect_handler("register", record_document)  # the same one again: harmless
        assert effect_handler("register") is record_document
        with pytest.raises(ValueError, match="Ya hay"):
            register_effect_handler("register", lambda call: None)
    finally:
        unregister_effect_handler("register")
        if previous is not None:
            register_effect_handler("register", previous)


def _to_activity_4(people: Any) -> Instance:
    instance = start(people)
    complete(open_items(instance)[0], people.requester, {"detalle": "Informe anual"})
    complete(open_items(instance)[0], people.operador, {"procede": "si"})
    complete(open_items(instance)[0], people.jefe)
    return instance


def test_effect_handled_in_the_step_and_recorded(people, t01, document_handler) -> None:
    instance = _to_activity_4(people)
    assert calls == []  # activities 1-3 have no effects
    item4 = next(i for i in open_items(instance) if i.n == 4)
    complete(item4, people.coord_inn)
    (call,) = calls
    assert (call.kind, call.value, call.position) == ("document", "Informe", 0)
    assert call.instance.pk == instance.pk and call.actor == people.coord_inn
    assert call.activity["name"] == "Atender rama A"
    record = TaskRecord.objects.get(instance=instance, n=4)
    assert call.record == record
    assert record.effects == [{"document": "Informe"}]  # the history is unchanged
    (outcome,) = EffectOutcome.objects.filter(record=record)
    assert (outcome.kind, outcome.value, outcome.status) == ("document", "Informe", "applied")
    assert outcome.detail == {"document": f"Informe del expediente {instance.pk}"}
    # Idempotent: the same completion dispatched again calls nothing and writes nothing.
    with transaction.atomic():
        assert dispatch_effects(record, activity(t01.ficha, 4), actor=people.coord_inn) == []
    assert len(calls) == 1 and EffectOutcome.objects.count() == 1


def test_without_a_handler_effects_stay_in_history_only(people, t01) -> None:
    previous = unregister_effect_handler("document")
    try:
        instance = _to_activity_4(people)
        complete(next(i for i in open_items(instance) if i.n == 4), people.coord_inn)
    finally:
        if previous is not None:
            register_effect_handler("document", previous)
    assert TaskRecord.objects.get(instance=instance, n=4).effects == [{"document": "Informe"}]
    assert not EffectOutcome.objects.exists()


def test_handler_error_rolls_the_step_back(people, t01, document_handler) -> None:
    instance = _to_activity_4(people)
    item4 = next(i for i in open_items(instance) if i.n == 4)
    version = Instance.objects.get(pk=instance.pk).version
    unregister_effect_handler("document")

    def refuse(call: EffectCall) -> Outcome:
        raise Conflict("El gestor documental rechazó el informe.")

    register_effect_handler("document", refuse)
    with pytest.raises(Conflict):
        complete(item4, people.coord_inn)
    item4.refresh_from_db()
    assert item4.state == WorkItemState.OPEN
    assert Instance.objects.get(pk=instance.pk).version == version
    assert not TaskRecord.objects.filter(instance=instance, n=4).exists()
    assert not EffectOutcome.objects.exists()


def test_a_handler_for_one_value_wins_over_the_kind(people, t01, document_handler) -> None:
    by_value: list[EffectCall] = []

    def record_informe(call: EffectCall) -> Outcome:
        by_value.append(call)
        return Outcome.applied(register="informe")

    register_effect_handler("document", record_informe, value="Informe")
    try:
        assert effect_handler("document", "Informe") is record_informe
        assert effect_handler("document", "Oficio") is record_document
        instance = _to_activity_4(people)
        complete(next(i for i in open_items(instance) if i.n == 4), people.coord_inn)
    finally:
        unregister_effect_handler("document", value="Informe")
    assert [c.value for c in by_value] == ["Informe"] and calls == []
    assert EffectOutcome.objects.get().detail == {"register": "informe"}


def test_a_step_handler_wins_and_a_before_handler_runs_first_reading_earlier_steps(
    people, t01, document_handler
) -> None:
    """``step=`` narrows a handler to one activity; ``before=True`` runs first in the same
    step and its details join the main handler's; ``call.step_data(n)`` reads earlier steps."""
    order: list[str] = []

    def at_step(call: EffectCall) -> Outcome:
        order.append("step")
        return Outcome.applied(detalle=call.step_data(1).get("detalle"), propio=call.n)

    def first(call: EffectCall) -> Outcome:
        order.append("before")
        assert call.step_record(4) is call.record and [r.n for r in call.records][-1] == 4
        return Outcome.applied(previo=True)

    step = ("T.01", 4)
    register_effect_handler("document", at_step, value="Informe", step=step)
    register_effect_handler("document", first, value="Informe", step=step, before=True)
    try:
        assert effect_handler("document", "Informe", step=step) is at_step
        assert effect_handler("document", "Informe", step=("T.01", 5)) is record_document
        with pytest.raises(ValueError, match="valor"):
            register_effect_handler("document", at_step, step=step)
        instance = _to_activity_4(people)
        complete(next(i for i in open_items(instance) if i.n == 4), people.coord_inn)
    finally:
        unregister_effect_handler("document", value="Informe", step=step)
        unregister_effect_handler("document", value="Informe", step=step, before=True)
    assert order == ["before", "step"] and calls == []
    assert EffectOutcome.objects.get().detail == {
        "previo": True,
        "detalle": "Informe anual",
        "propio": 4,
    }
