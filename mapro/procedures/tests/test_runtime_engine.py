"""The engine rules of design.md: specless state, spec cache, restricted evaluator, loud failure,
an inbox of constant cost, and exactly one winner under concurrency."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from django.db import connection
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer

from mapro.audit.models import AuditEvent
from mapro.core.exceptions import Conflict
from mapro.procedures.actions import do_complete_task, do_start_instance
from mapro.procedures.engine import runner, specs
from mapro.procedures.engine.evaluator import (
    RestrictedScriptEngine,
    evaluate_condition,
)
from mapro.procedures.exceptions import (
    EngineError,
    ExpressionNotAllowed,
    InstanceStuck,
    LoopLimitExceeded,
)
from mapro.procedures.models import Instance, InstanceStatus, TaskRecord, WorkItem, WorkItemState
from mapro.procedures.selectors import open_work_items_for

from .runtime_helpers import LOOP_FICHA, fresh, postgres_only, publish

pytestmark = pytest.mark.django_db


def open_items(instance: Instance) -> list[WorkItem]:
    return list(instance.work_items.filter(state=WorkItemState.OPEN).order_by("n"))


# --- a hand-written BPMN (same conventions as the compiler) for cases the compiler never makes

TWO_STEP_FICHA: dict[str, Any] = {
    "code": "T.03",
    "name": "Dos pasos",
    "version": 1,
    "process": {"level1": "S04.01", "level2": None},
    "owner": "Jefe",
    "objective": "Probar",
    "starts": [{"key": "inicio", "label": "Inicio", "activity": 1}],
    "activities": [
        {"n": n, "name": f"Paso {n}", "unit": "OGTIE", "roles": ["operador-mesa"], "next": "end"}
        for n in (1, 2, 3, 4)
    ],
}


def hand_bpmn(after_1: str) -> str:
    """Activity_1 → exclusive gateway (conditions on ``opcion``) → 2 or 3 → ``after_1``."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Definitions_T03"
  targetNamespace="http://mapro.mindef.gob.pe/bpmn">
  <bpmn:process id="Process_T_03" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>F0</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="F0" sourceRef="StartEvent_1" targetRef="Activity_1" />
    <bpmn:userTask id="Activity_1" name="1. Paso 1"><bpmn:incoming>F0</bpmn:incoming>
      <bpmn:outgoing>F1</bpmn:outgoing></bpmn:userTask>
    <bpmn:sequenceFlow id="F1" sourceRef="Activity_1" targetRef="Gateway_decision_1" />
    <bpmn:exclusiveGateway id="Gateway_decision_1"><bpmn:incoming>F1</bpmn:incoming>
      <bpmn:outgoing>F2</bpmn:outgoing><bpmn:outgoing>F3</bpmn:outgoing></bpmn:exclusiveGateway>
    <bpmn:sequenceFlow id="F2" sourceRef="Gateway_decision_1" targetRef="Activity_2">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{after_1}
      </bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="F3" sourceRef="Gateway_decision_1" targetRef="Activity_3">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">opcion == "b"
      </bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:userTask id="Activity_2" name="2. Paso 2"><bpmn:incoming>F2</bpmn:incoming>
      <bpmn:outgoing>F4</bpmn:outgoing></bpmn:userTask>
    <bpmn:userTask id="Activity_3" name="3. Paso 3"><bpmn:incoming>F3</bpmn:incoming>
      <bpmn:outgoing>F5</bpmn:outgoing></bpmn:userTask>
    <bpmn:sequenceFlow id="F4" sourceRef="Activity_2" targetRef="Gateway_join_4" />
    <bpmn:sequenceFlow id="F5" sourceRef="Activity_3" targetRef="Gateway_join_4" />
    <bpmn:parallelGateway id="Gateway_join_4"><bpmn:incoming>F4</bpmn:incoming>
      <bpmn:incoming>F5</bpmn:incoming><bpmn:outgoing>F6</bpmn:outgoing></bpmn:parallelGateway>
    <bpmn:sequenceFlow id="F6" sourceRef="Gateway_join_4" targetRef="Activity_4" />
    <bpmn:userTask id="Activity_4" name="4. Paso 4"><bpmn:incoming>F6</bpmn:incoming>
      <bpmn:outgoing>F7</bpmn:outgoing></bpmn:userTask>
    <bpmn:sequenceFlow id="F7" sourceRef="Activity_4" targetRef="EndEvent_4" />
    <bpmn:endEvent id="EndEvent_4"><bpmn:incoming>F7</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>"""


# --- state without the spec ------------------------------------------------------------------


def test_stored_state_has_no_spec_and_is_smaller(people, t01):
    instance = do_start_instance("T.01", start="solicitud", data={}, actor=people.requester)
    instance.refresh_from_db()
    state = instance.state
    assert "spec" not in state and "subprocess_specs" not in state
    assert set(state) >= {"tasks", "root", "data"}
    assert "task_specs" not in json.dumps(state)
    # the same workflow with SpiffWorkflow's default serializer carries the whole spec
    workflow = runner.load_workflow(state, specs.get_spec(t01.bpmn_xml))
    default = BpmnWorkflowSerializer().serialize_json(workflow)
    assert "task_specs" in default
    assert len(json.dumps(state)) < len(default) / 2


def test_state_round_trips_through_the_database(people, t01):
    instance = do_start_instance("T.01", start="oficio", data={"x": 1}, actor=people.operador)
    instance.refresh_from_db()
    workflow = runner.load_workflow(instance.state, specs.get_spec(t01.bpmn_xml))
    [task] = runner.ready_user_tasks(workflow)
    assert str(task.id) == open_items(instance)[0].task_id
    assert task.data["x"] == 1 and task.data["start"] == "oficio"
    assert runner.save_workflow(workflow) == instance.state


# --- spec cache ------------------------------------------------------------------------------


def test_spec_is_parsed_once_per_version(people, t01):
    specs.clear_cache()
    parses, hits = specs.stats["parses"], specs.stats["hits"]
    instance = do_start_instance("T.01", start="oficio", data={}, actor=people.operador)
    do_start_instance("T.01", start="oficio", data={}, actor=people.operador)
    do_complete_task(open_items(instance)[0].pk, {"procede": "no"}, actor=fresh(people.operador))
    assert specs.stats["parses"] == parses + 1
    assert specs.stats["hits"] == hits + 2
    assert specs.get_spec(t01.bpmn_xml) is specs.get_spec(t01.bpmn_xml)


def test_spec_cache_is_keyed_by_content():
    specs.clear_cache()
    a = specs.get_spec(hand_bpmn('opcion == "a"'))
    b = specs.get_spec(hand_bpmn('opcion == "c"'))
    assert a is not b and a.key != b.key
    assert specs.get_spec(hand_bpmn('opcion == "a"')) is a


def test_spec_found_by_the_same_text_object_or_by_equal_text():
    specs.clear_cache()
    xml = hand_bpmn('opcion == "a"')
    a = specs.get_spec(xml)
    parses = specs.stats["parses"]
    same_text = "".join(list(xml))  # equal text, another object: found by its hash
    assert same_text is not xml and specs.get_spec(same_text) is a
    other = hand_bpmn('opcion == "c"')
    assert specs.get_spec(other) is not a
    assert specs.get_spec(xml) is a and specs.get_spec(same_text) is a
    assert specs.stats["parses"] == parses + 1  # only the other text was parsed


# --- restricted evaluator --------------------------------------------------------------------


@pytest.mark.parametrize(
    "expression",
    [
        "f()",
        "opcion.upper() == 'A'",
        "__import__('os').system('true')",
        "[x for x in opcion]",
        "(lambda: 1)()",
        "opcion + 'a'",
        "opcion[len(opcion)]",
        "__builtins__",
        "{'a': 1}",
    ],
)
def test_evaluator_refuses_anything_but_comparisons(expression):
    with pytest.raises(ExpressionNotAllowed):
        evaluate_condition(expression, {"opcion": "a", "f": print})


def test_evaluator_accepts_compiler_conditions():
    data = {"procede": "si", "start": "oficio", "d": {"k": 2}, "ok": False}
    assert evaluate_condition('procede == "si"', data) is True
    assert evaluate_condition('start == "solicitud"', data) is False
    assert evaluate_condition('procede == "si" and not ok', data) is True
    assert evaluate_condition('d["k"] >= 2 or procede != "si"', data) is True


def test_reloaded_workflow_keeps_the_restricted_evaluator(people):
    # A condition with an attribute call works with plain eval; ours must refuse it even after
    # the workflow went through the database (a fresh unrestricted engine otherwise).
    publish(TWO_STEP_FICHA, bpmn_xml=hand_bpmn("opcion.upper() == 'A'"))
    instance = do_start_instance("T.03", data={}, actor=people.operador)
    instance.refresh_from_db()
    workflow = runner.load_workflow(
        instance.state, specs.get_spec(instance.procedure_version.bpmn_xml)
    )
    assert isinstance(workflow.script_engine, RestrictedScriptEngine)
    [item] = open_items(instance)
    with pytest.raises(ExpressionNotAllowed):
        do_complete_task(item.pk, {}, actor=fresh(people.operador))
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.FAILED
    assert "no permitida" in instance.failure


# --- loud failure ----------------------------------------------------------------------------


def test_stuck_instance_fails_loudly(people, caplog):
    # Exclusive choice into a parallel join: the join can never fire.
    publish(TWO_STEP_FICHA, bpmn_xml=hand_bpmn('opcion == "a"'))
    instance = do_start_instance("T.03", data={"opcion": "a"}, actor=people.operador)
    do_complete_task(open_items(instance)[0].pk, {}, actor=fresh(people.operador))
    [item2] = open_items(instance)
    assert item2.n == 2
    with pytest.raises(InstanceStuck) as err:
        do_complete_task(item2.pk, {}, actor=fresh(people.operador))
    assert err.value.status_code == 500
    assert "Gateway_join_4" in err.value.message
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.FAILED
    assert instance.ended_at is not None
    assert open_items(instance) == []
    # the failed step itself is not stored: the item was cancelled, not completed
    item2.refresh_from_db()
    assert item2.state == WorkItemState.CANCELLED
    assert AuditEvent.objects.filter(action="instance.fail", object_id=str(instance.pk)).exists()
    assert any("failed" in r.getMessage() for r in caplog.records if r.levelname == "ERROR")


def test_loop_depth_guard(people, monkeypatch):
    publish(LOOP_FICHA)
    monkeypatch.setattr(runner, "MAX_TASK_DEPTH", 12)
    instance = do_start_instance("T.02", data={}, actor=people.operador)
    passes = 0
    with pytest.raises(LoopLimitExceeded):
        while passes < 50:
            do_complete_task(
                open_items(instance)[0].pk, {"repetir": "si"}, actor=fresh(people.operador)
            )
            passes += 1
    assert 3 <= passes < 12
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.FAILED
    assert TaskRecord.objects.filter(instance=instance).count() == passes


def test_loops_work_below_the_guard(people):
    publish(LOOP_FICHA)
    instance = do_start_instance("T.02", data={}, actor=people.operador)
    for _ in range(5):
        do_complete_task(
            open_items(instance)[0].pk, {"repetir": "si"}, actor=fresh(people.operador)
        )
    do_complete_task(open_items(instance)[0].pk, {"repetir": "no"}, actor=fresh(people.operador))
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.COMPLETED
    assert instance.work_items.count() == 6


def test_no_matching_branch_fails_loudly(people):
    publish(TWO_STEP_FICHA, bpmn_xml=hand_bpmn('opcion == "a"'))
    instance = do_start_instance("T.03", data={}, actor=people.operador)
    with pytest.raises(EngineError):
        do_complete_task(open_items(instance)[0].pk, {}, actor=fresh(people.operador))
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.FAILED


# --- inbox -----------------------------------------------------------------------------------


def test_inbox_by_role_and_unit_scope(people, t01):
    mine = do_start_instance("T.01", start="solicitud", data={}, actor=people.requester)
    other = do_start_instance("T.01", start="solicitud", data={}, actor=people.outsider)
    by_op = do_start_instance("T.01", start="oficio", data={}, actor=people.operador)

    def inbox(user):
        return [(i.instance_id, i.n) for i in open_work_items_for(fresh(user))]

    assert inbox(people.requester) == [(mine.pk, 1)]
    assert inbox(people.colleague) == [(mine.pk, 1)]
    assert inbox(people.outsider) == [(other.pk, 1)]
    assert inbox(people.operador) == [(by_op.pk, 2)]
    assert inbox(people.director) == []
    assert inbox(people.nobody) == []


def test_inbox_query_count_is_constant(people, t01, django_assert_num_queries):
    do_start_instance("T.01", start="oficio", data={}, actor=people.operador)
    user = fresh(people.operador)
    with django_assert_num_queries(2):  # the user's grants, then the inbox itself
        assert len(list(open_work_items_for(user))) == 1
    for _ in range(6):
        do_start_instance("T.01", start="oficio", data={}, actor=people.operador)
    user = fresh(people.operador)
    with django_assert_num_queries(2):
        items = list(open_work_items_for(user))
        assert len(items) == 7
        # what the API renders comes with the same query
        assert {i.instance.procedure_version.procedure.code for i in items} == {"T.01"}


# --- concurrency -----------------------------------------------------------------------------


@pytest.mark.postgres
@postgres_only
@pytest.mark.django_db(transaction=True)
def test_sixteen_threads_complete_the_same_task_once(people, t01):
    instance = do_start_instance("T.01", start="oficio", data={}, actor=people.operador)
    [item] = open_items(instance)
    barrier = threading.Barrier(16)
    results: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            user = fresh(people.operador)
            barrier.wait(timeout=30)
            do_complete_task(item.pk, {"procede": "si"}, actor=user)
            outcome = "ok"
        except Conflict as exc:
            outcome = type(exc).__name__
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            outcome = f"error: {exc!r}"
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=worker) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert len(results) == 16
    assert results.count("ok") == 1, results
    assert set(results) - {"ok"} <= {"ConcurrentUpdate", "TaskAlreadyCompleted"}, results
    instance.refresh_from_db()
    assert instance.version == 2
    assert TaskRecord.objects.filter(instance=instance).count() == 1
    assert AuditEvent.objects.filter(action="task.complete").count() == 1
    assert [i.n for i in open_items(instance)] == [3]


# --- inbox pages -----------------------------------------------------------------------------


def _all_pages(user: Any, limit: int) -> list[int]:
    """Item ids of every page of ``user``'s inbox, following the cursors."""
    from mapro.procedures.selectors import inbox_page

    ids: list[int] = []
    cursor = None
    for _ in range(100):
        page = inbox_page(fresh(user), cursor=cursor, limit=limit)
        assert len(page.items) <= limit
        ids += [item.pk for item in page.items]
        if page.next_cursor is None:
            return ids
        assert len(page.items) == limit
        cursor = page.next_cursor
    raise AssertionError("the cursors never ended")


def _mixed_inbox(people: Any) -> None:
    """Open items of many roles and scopes: requester, OGTIE, parallel and director steps."""
    for starter in (people.requester, people.colleague, people.outsider):
        do_start_instance("T.01", start="solicitud", data={}, actor=starter)
    for _ in range(3):
        do_start_instance("T.01", start="oficio", data={}, actor=people.operador)
    # Two instances of DIGEP and one of OTRA reach the parallel branches and the director step.
    for starter, unit_director in (
        (people.requester, people.director),
        (people.colleague, None),
        (people.outsider, people.director_otra),
    ):
        instance = do_start_instance("T.01", start="solicitud", data={}, actor=starter)
        steps = [
            (starter, {"detalle": "x"}),
            (people.operador, {"procede": "si"}),
            (people.jefe, {}),
        ]
        for user, data in steps:
            do_complete_task(open_items(instance)[0].pk, data, actor=fresh(user))
        if unit_director is not None:
            for item in open_items(instance):
                who = people.coord_inn if item.n == 4 else people.coord_inf
                do_complete_task(item.pk, {}, actor=fresh(who))


@pytest.mark.parametrize("limit", [1, 2, 50])
def test_inbox_pages_are_the_whole_inbox_in_order(people, t01, limit):
    _mixed_inbox(people)
    users = [
        people.requester,
        people.colleague,
        people.outsider,
        people.director,
        people.director_otra,
        people.director_sg,
        people.operador,
        people.jefe,
        people.coord_inn,
        people.coord_inf,
        people.nobody,
    ]
    seen = 0
    for user in users:
        whole = [item.pk for item in open_work_items_for(fresh(user))]
        assert _all_pages(user, limit) == whole, user.username
        seen += len(whole)
    assert seen > 10


def test_inbox_page_of_a_wide_unit_subtree(people, t01, monkeypatch):
    """Above _MAX_UNIT_BRANCHES units a scoped grant is one branch filtered by its units."""
    from mapro.procedures import selectors

    _mixed_inbox(people)
    whole = [item.pk for item in open_work_items_for(fresh(people.director_sg))]
    assert len(whole) == 2  # the director steps of DIGEP and OTRA, both under SG
    monkeypatch.setattr(selectors, "_MAX_UNIT_BRANCHES", 1)
    assert _all_pages(people.director_sg, 1) == whole
    assert _all_pages(people.director_sg, 50) == whole


def test_inbox_page_lists_an_item_held_through_two_roles_once(people):
    from mapro.core.testing import make_user
    from mapro.procedures.selectors import inbox_page

    ficha = json.loads(json.dumps(TWO_STEP_FICHA))
    ficha["code"] = "T.04"
    ficha["activities"] = [{**ficha["activities"][0], "roles": ["operador-mesa", "jefe-ogtie"]}]
    publish(ficha)
    both = make_user(roles=("operador-mesa", "jefe-ogtie"), unit=people.ogtie)
    started = [do_start_instance("T.04", data={}, actor=people.operador).pk for _ in range(3)]
    first = inbox_page(fresh(both), limit=2)
    assert [i.instance_id for i in first.items] == started[:2]
    assert first.next_cursor is not None
    rest = inbox_page(fresh(both), cursor=first.next_cursor, limit=2)
    assert [i.instance_id for i in rest.items] == started[2:]
    assert rest.next_cursor is None


def test_inbox_page_rejects_a_cursor_that_is_not_ours(people, t01):
    from mapro.core.exceptions import InvalidInput
    from mapro.procedures.selectors import inbox_page

    for cursor in ("nada", "MjAyNHwx", "eA"):
        with pytest.raises(InvalidInput) as err:
            inbox_page(fresh(people.operador), cursor=cursor)
        assert list(err.value.errors) == ["cursor"]


def test_inbox_page_query_count_is_constant(people, t01, django_assert_num_queries):
    from mapro.procedures.selectors import inbox_page

    do_start_instance("T.01", start="solicitud", data={}, actor=people.requester)
    do_start_instance("T.01", start="oficio", data={}, actor=people.operador)
    # a global grant: grants + page; a unit-scoped one: grants + its units + page; none: grants
    for person, expected, rows in ((people.operador, 2, 1), (people.requester, 3, 1),
                                   (people.nobody, 1, 0)):  # fmt: skip
        user = fresh(person)
        with django_assert_num_queries(expected):
            page = inbox_page(user)
            assert len(page.items) == rows
            assert {i.instance.procedure_version.procedure.code for i in page.items} <= {"T.01"}
    for _ in range(6):
        do_start_instance("T.01", start="solicitud", data={}, actor=people.requester)
        do_start_instance("T.01", start="oficio", data={}, actor=people.operador)
    operador, requester = fresh(people.operador), fresh(people.requester)
    with django_assert_num_queries(2):
        assert len(inbox_page(operador, limit=5).items) == 5
    with django_assert_num_queries(3):
        page = inbox_page(requester, limit=5)
        assert len(page.items) == 5
        assert page.next_cursor is not None
    requester = fresh(people.requester)
    with django_assert_num_queries(3):
        assert len(inbox_page(requester, cursor=page.next_cursor).items) == 2


def test_role_rows_carry_the_items_creation_time(people, t01):
    from mapro.procedures.models import WorkItemRole

    _mixed_inbox(people)
    rows = WorkItemRole.objects.select_related("work_item")
    assert rows.count() > 10
    assert all(row.created_at == row.work_item.created_at for row in rows)
