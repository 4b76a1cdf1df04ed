"""Multi-instance activities (``each``) through the actions, on the synthetic ``multi`` ficha.

1 answers ``unidades`` → 2 is one task per unit, for that unit's director-uo → 3 is one task per
holder of coord-innovacion or coord-infraestructura, and the first answer ends it (``join:
first``): the other tasks are cancelled.
"""

from __future__ import annotations

from typing import Any

import pytest

from mapro.core.exceptions import Forbidden, InvalidInput
from mapro.core.testing import make_user
from mapro.procedures.actions import do_complete_task, do_start_instance
from mapro.procedures.models import (
    InstanceStatus,
    WorkItem,
    WorkItemRole,
    WorkItemState,
)
from mapro.procedures.selectors import inbox_page, instances_visible_to

from . import ficha_samples as s
from .runtime_helpers import People, fresh, publish

CODE = "S04.02.00.03"


@pytest.fixture
def people(db: Any) -> People:
    publish(s.multi())
    return People()


def _open(instance: Any, n: int) -> list[WorkItem]:
    return list(instance.work_items.filter(n=n, state=WorkItemState.OPEN).order_by("id"))


def _through_1(people: People) -> Any:
    instance = do_start_instance(CODE, actor=people.coord_inn)
    (first,) = _open(instance, 1)
    units = [{"unidad": "DIGEP"}, {"unidad": "OTRA", "nota": "segunda"}]
    do_complete_task(first.pk, {"unidades": units}, actor=people.coord_inn)
    return instance


def test_one_task_per_unit_scoped_to_it_and_the_join_waits_for_all(people: People) -> None:
    instance = _through_1(people)
    digep, otra = _open(instance, 2)
    assert (digep.unit_id, otra.unit_id) == (people.digep.pk, people.otra.pk)
    assert digep.item == {"label": "DIGEP", "value": {"unidad": "DIGEP"}, "unit": "DIGEP"}
    rows = WorkItemRole.objects.filter(work_item__in=[digep, otra]).order_by("work_item_id")
    assert [(r.role, r.unit_id) for r in rows] == [
        ("director-uo", people.digep.pk),
        ("director-uo", people.otra.pk),
    ]
    # The director of a unit above both (SG) sees both; each unit's director only their own.
    assert [i.pk for i in inbox_page(fresh(people.director)).items] == [digep.pk]
    assert [i.pk for i in inbox_page(fresh(people.director_otra)).items] == [otra.pk]
    assert {i.pk for i in inbox_page(fresh(people.director_sg)).items} == {digep.pk, otra.pk}
    with pytest.raises(Forbidden):
        do_complete_task(otra.pk, {"respuesta": "no"}, actor=fresh(people.director))
    do_complete_task(digep.pk, {"respuesta": "DIGEP responde"}, actor=fresh(people.director))
    assert [i.n for i in instance.work_items.filter(state=WorkItemState.OPEN)] == [2]
    do_complete_task(otra.pk, {"respuesta": "OTRA responde"}, actor=fresh(people.director_otra))
    records = list(instance.history.filter(n=2).order_by("id"))
    assert [(r.item["unit"], r.data["respuesta"]) for r in records] == [
        ("DIGEP", "DIGEP responde"),
        ("OTRA", "OTRA responde"),
    ]
    assert {i.n for i in instance.work_items.filter(state=WorkItemState.OPEN)} == {3}


def test_holders_get_one_task_each_and_the_first_answer_cancels_the_rest(people: People) -> None:
    second = make_user("coord-innovacion", unit=people.ogtie)
    instance = _through_1(people)
    for item in _open(instance, 2):
        director = people.director if item.unit_id == people.digep.pk else people.director_otra
        do_complete_task(item.pk, {"respuesta": "ok"}, actor=fresh(director))
    tasks = _open(instance, 3)
    assignees = {t.item["user_id"]: t for t in tasks}
    assert set(assignees) == {people.coord_inn.pk, people.coord_inf.pk, second.pk}
    rows = WorkItemRole.objects.filter(work_item__in=tasks)
    assert {r.role for r in rows} == {f"@{pk}" for pk in assignees}
    # Only the person it is assigned to takes it, even holding the same role.
    with pytest.raises(Forbidden):
        do_complete_task(assignees[second.pk].pk, {}, actor=fresh(people.coord_inn))
    assert [i.pk for i in inbox_page(fresh(second)).items] == [assignees[second.pk].pk]
    assert instances_visible_to(fresh(second)).filter(pk=instance.pk).exists()
    do_complete_task(assignees[second.pk].pk, {}, actor=fresh(second))
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.COMPLETED
    states = {t.pk: t.state for t in WorkItem.objects.filter(pk__in=[t.pk for t in tasks])}
    assert sorted(states.values()) == ["cancelled", "cancelled", "completed"]
    assert not WorkItemRole.objects.filter(work_item__in=tasks, is_open=True).exists()


def test_an_empty_list_is_a_field_error_and_changes_nothing(people: People) -> None:
    instance = do_start_instance(CODE, actor=people.coord_inn)
    (first,) = _open(instance, 1)
    version = instance.version
    for data in ({}, {"unidades": []}):
        with pytest.raises(InvalidInput) as refused:
            do_complete_task(first.pk, data, actor=people.coord_inn)
        assert list(refused.value.errors) == ["unidades"]
    instance.refresh_from_db()
    assert instance.version == version
    assert [i.pk for i in _open(instance, 1)] == [first.pk]
    assert not instance.history.exists()


def test_a_loop_back_runs_the_activity_again_over_the_new_list() -> None:
    """1 (list) → 2 (one task per row) → 3 (decision: again → 1, done → end). The second pass
    runs over the list answered the second time (SpiffWorkflow would refuse the first pass's
    answers still in ``mi_answers_2``)."""
    from mapro.procedures.engine import runner
    from mapro.procedures.engine.multi_instance import task_item
    from mapro.procedures.engine.specs import parse_spec
    from mapro.procedures.ficha.compiler import compile_bpmn

    ficha = s.multi()
    third = ficha["activities"][2]
    del third["next"], third["each"]
    third["decision"] = {
        "field": "otra_vez",
        "question": "¿Otra ronda?",
        "branches": [
            {"const": "si", "title": "Sí", "next": 1},
            {"const": "no", "title": "No", "next": "end"},
        ],
    }
    workflow = runner.new_workflow(parse_spec(compile_bpmn(ficha)), {"start": "baja"})

    def ready(n: int) -> list[Any]:
        return [t for t in runner.ready_user_tasks(workflow) if runner.activity_number(t) == n]

    def complete(task: Any, data: dict[str, Any]) -> None:
        # What the step returns is what a new walk of the tree finds (steps.item_changes
        # uses it instead of walking again), in the same order.
        after = runner.complete_user_task(workflow, str(task.id), data)
        assert [t.id for t in after] == [t.id for t in runner.ready_user_tasks(workflow)]

    for units, again in ((["A", "B"], "si"), (["C", "D", "E"], "no")):
        (first,) = ready(1)
        rows = [{"unidad": u} for u in units]
        complete(first, {"unidades": rows})
        tasks = ready(2)
        assert [task_item(t)[1]["unidad"] for t in tasks] == units
        for task in tasks:
            complete(task, {"respuesta": "ok"})
        (decide,) = ready(3)
        answers = decide.data["mi_answers_2"]
        assert [a["item"]["unidad"] for a in answers] == units
        complete(decide, {"otra_vez": again})
    assert workflow.is_completed()
    assert runner.check_can_go_on(workflow) == []
