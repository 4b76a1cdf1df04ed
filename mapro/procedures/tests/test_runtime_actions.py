"""Starting, completing and cancelling instances through the actions, with roles and scope."""

from __future__ import annotations

from typing import Any

import pytest

from mapro.audit.models import AuditEvent
from mapro.core.exceptions import Conflict, Forbidden, InvalidInput, NotFound
from mapro.procedures.actions import do_cancel_instance, do_complete_task, do_start_instance
from mapro.procedures.exceptions import (
    InstanceNotRunning,
    ProcedureNotFound,
    TaskAlreadyCompleted,
    UnknownStart,
)
from mapro.procedures.models import (
    Instance,
    InstanceStatus,
    TaskRecord,
    WorkItem,
    WorkItemRole,
    WorkItemState,
)

from .runtime_helpers import FICHA, fresh, publish

pytestmark = pytest.mark.django_db


def open_items(instance: Instance) -> list[WorkItem]:
    return list(instance.work_items.filter(state=WorkItemState.OPEN).order_by("n"))


def start(people: Any, **kwargs: Any) -> Instance:
    kwargs.setdefault("start", "solicitud")
    kwargs.setdefault("actor", people.requester)
    return do_start_instance("T.01", data=kwargs.pop("data", {}), **kwargs)


def complete(item: WorkItem, user: Any, data: dict[str, Any] | None = None) -> WorkItem:
    return do_complete_task(item.pk, data or {}, actor=fresh(user))


def test_start_creates_instance_first_task_and_audit(people, t01):
    instance = start(people, data={"asunto": "Correo"})
    assert instance.status == InstanceStatus.RUNNING
    assert instance.procedure_version == t01
    assert instance.unit == people.digep
    assert instance.start_key == "solicitud"
    assert instance.version == 1
    [item] = open_items(instance)
    assert (item.n, item.name, item.roles) == (1, "Registrar solicitud", ["personal"])
    assert item.unit == people.digep
    rows = list(WorkItemRole.objects.filter(work_item=item).values_list("role", "unit", "is_open"))
    assert rows == [("personal", people.digep.pk, True)]
    event = AuditEvent.objects.get(action="instance.start", object_id=str(instance.pk))
    assert event.after["procedure"] == "T.01"
    assert event.after["open_tasks"] == [1]


def test_start_needs_a_start_key_when_there_are_several(people, t01):
    with pytest.raises(UnknownStart) as err:
        start(people, start=None)
    assert "start" in err.value.errors
    assert err.value.status_code == 400
    with pytest.raises(UnknownStart):
        start(people, start="inexistente")
    assert not Instance.objects.exists()


def test_start_only_one_start_may_be_omitted(people):
    ficha = {**FICHA, "code": "T.09", "starts": [FICHA["starts"][0]]}
    publish(ficha)
    instance = do_start_instance("T.09", data={}, actor=people.requester)
    assert instance.start_key == "solicitud"


def test_start_checks_the_roles_of_the_first_activity(people, t01):
    # "oficio" starts at activity 2, done by operador-mesa: a requester may not start it.
    with pytest.raises(Forbidden):
        start(people, start="oficio", actor=people.requester)
    with pytest.raises(Forbidden):
        start(people, start="solicitud", actor=people.nobody)
    instance = start(people, start="oficio", actor=people.operador)
    assert [i.n for i in open_items(instance)] == [2]
    assert instance.unit == people.ogtie


def test_start_unknown_procedure_is_404(people, t01):
    with pytest.raises(ProcedureNotFound) as err:
        do_start_instance("X.99", data={}, actor=people.requester)
    assert err.value.status_code == 404


def test_full_flow_with_decision_parallel_and_director(people, t01):
    instance = start(people)
    [item1] = open_items(instance)
    complete(item1, people.requester, {"detalle": "No funciona el correo"})
    [item2] = open_items(instance)
    assert item2.n == 2
    complete(item2, people.operador, {"procede": "si"})
    [item3] = open_items(instance)
    complete(item3, people.jefe)
    item4, item5 = open_items(instance)
    assert (item4.n, item5.n) == (4, 5)
    complete(item5, people.coord_inf)
    # the other branch is still open with the same id; the join waits for it
    assert [i.pk for i in open_items(instance)] == [item4.pk]
    complete(item4, people.coord_inn)
    [item6] = open_items(instance)
    assert item6.n == 6
    assert list(item6.role_rows.values_list("role", "unit")) == [("director-uo", people.digep.pk)]
    complete(item6, people.director)
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.COMPLETED
    assert instance.ended_at is not None
    assert instance.version == 7  # start + six stored steps
    history = list(instance.history.order_by("id"))
    assert [h.n for h in history] == [1, 2, 3, 5, 4, 6]
    assert history[0].data == {"detalle": "No funciona el correo"}
    assert history[0].completed_by_name.startswith(people.requester.username)
    assert history[4].effects == [{"document": "Informe"}]
    assert not WorkItemRole.objects.filter(work_item__instance=instance, is_open=True).exists()
    assert AuditEvent.objects.filter(action="task.complete").count() == 6


def test_decision_no_ends_the_instance(people, t01):
    instance = start(people)
    complete(open_items(instance)[0], people.requester, {"detalle": "x"})
    complete(open_items(instance)[0], people.operador, {"procede": "no"})
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.COMPLETED
    assert open_items(instance) == []


def test_form_data_reaches_later_decisions_through_the_workflow(people, t01):
    instance = start(people, start="oficio", actor=people.operador, data={"origen": "DIGEP"})
    complete(open_items(instance)[0], people.operador, {"procede": "si"})
    [item3] = open_items(instance)
    assert item3.n == 3


def test_wrong_role_is_403_and_out_of_scope_is_404(people, t01):
    instance = start(people)
    [item] = open_items(instance)
    # OGTIE staff see every instance but do not hold "personal": 403
    with pytest.raises(Forbidden):
        complete(item, people.operador, {"detalle": "x"})
    # the director of the requesting unit sees the instance, but is not "personal": 403
    with pytest.raises(Forbidden):
        complete(item, people.director, {"detalle": "x"})
    # a requester of another unit does not see it at all: 404
    with pytest.raises(NotFound):
        complete(item, people.outsider, {"detalle": "x"})
    with pytest.raises(NotFound):
        complete(item, people.director_otra, {"detalle": "x"})
    with pytest.raises(NotFound):
        do_complete_task(999_999, {}, actor=people.jefe)
    # a colleague of the same unit holds "personal" there and may take it
    complete(item, people.colleague, {"detalle": "x"})
    assert open_items(instance)[0].n == 2


def test_director_of_a_parent_unit_may_take_unit_scoped_tasks(people, t01):
    instance = start(people, start="oficio", actor=people.operador)
    # instance of OGTIE: its director-uo step is scoped to OGTIE, under SG
    complete(open_items(instance)[0], people.operador, {"procede": "si"})
    complete(open_items(instance)[0], people.jefe)
    for item in open_items(instance):
        complete(item, people.coord_inn if item.n == 4 else people.coord_inf)
    [item6] = open_items(instance)
    with pytest.raises(NotFound):
        complete(item6, people.director, {})  # director of DIGEP: not his unit
    complete(item6, people.director_sg, {})
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.COMPLETED


def _observable(instance: Instance) -> tuple[Any, ...]:
    instance.refresh_from_db()
    items = list(
        WorkItem.objects.filter(instance=instance).order_by("id").values_list("id", "state", "n")
    )
    roles = list(WorkItemRole.objects.filter(work_item__instance=instance).values_list("is_open"))
    return (
        instance.state,
        instance.version,
        instance.status,
        items,
        roles,
        TaskRecord.objects.filter(instance=instance).count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "detalle"),
        ({"detalle": ""}, "detalle"),
        ({"detalle": "x" * 201}, "detalle"),
        ({"detalle": 5}, "detalle"),
        ({"detalle": "x", "fecha": "2024-02-30"}, "fecha"),
        ({"detalle": "x", "desconocido": 1}, "desconocido"),
    ],
)
def test_invalid_data_is_400_and_changes_nothing(people, t01, data, field):
    instance = start(people)
    [item] = open_items(instance)
    before = _observable(instance)
    with pytest.raises(InvalidInput) as err:
        complete(item, people.requester, data)
    assert err.value.status_code == 400
    assert list(err.value.errors) == [field]
    assert all(isinstance(m, str) and m for m in err.value.errors[field])
    assert _observable(instance) == before


def test_decision_value_must_be_one_of_the_branches(people, t01):
    instance = start(people, start="oficio", actor=people.operador)
    [item] = open_items(instance)
    before = _observable(instance)
    with pytest.raises(InvalidInput) as err:
        complete(item, people.operador, {"procede": "quizas"})
    assert "procede" in err.value.errors
    assert _observable(instance) == before


def test_completed_task_is_409(people, t01):
    instance = start(people)
    [item] = open_items(instance)
    complete(item, people.requester, {"detalle": "x"})
    with pytest.raises(TaskAlreadyCompleted) as err:
        complete(item, people.requester, {"detalle": "x"})
    assert err.value.status_code == 409
    assert TaskRecord.objects.filter(instance=instance).count() == 1


def test_stale_version_is_a_conflict_and_rolls_back(people, t01, monkeypatch):
    instance = start(people)
    [item] = open_items(instance)
    # Another writer stored a step after we read the row: our UPDATE … WHERE version matches 0.
    from mapro.procedures import storage

    real = storage.write_step

    def racing(inst, expected, fields, **rest):
        Instance.objects.filter(pk=inst.pk).update(version=expected + 1)
        return real(inst, expected, fields, **rest)

    monkeypatch.setattr(storage, "write_step", racing)
    with pytest.raises(Conflict):
        complete(item, people.requester, {"detalle": "x"})
    item.refresh_from_db()
    assert item.state == WorkItemState.OPEN
    assert not TaskRecord.objects.filter(instance=instance).exists()
    assert not AuditEvent.objects.filter(action="task.complete").exists()
    assert WorkItem.objects.filter(instance=instance).count() == 1  # no next item either


def test_cancel_by_jefe_with_reason(people, t01):
    instance = start(people)
    with pytest.raises(Forbidden):
        do_cancel_instance(instance, "motivo", actor=fresh(people.operador))
    with pytest.raises(InvalidInput) as err:
        do_cancel_instance(instance, "  ", actor=fresh(people.jefe))
    assert "reason" in err.value.errors
    do_cancel_instance(instance, "Duplicado", actor=fresh(people.jefe))
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.CANCELLED
    assert instance.cancel_reason == "Duplicado"
    assert instance.version == 2
    assert open_items(instance) == []
    assert not WorkItemRole.objects.filter(work_item__instance=instance, is_open=True).exists()
    event = AuditEvent.objects.get(action="instance.cancel")
    assert event.after["reason"] == "Duplicado"
    with pytest.raises(InstanceNotRunning):
        do_cancel_instance(instance, "otra vez", actor=fresh(people.jefe))


def test_tasks_of_a_cancelled_instance_cannot_be_completed(people, t01):
    instance = start(people)
    [item] = open_items(instance)
    do_cancel_instance(instance, "Duplicado", actor=fresh(people.jefe))
    with pytest.raises(Conflict):
        complete(item, people.requester, {"detalle": "x"})


def test_running_instances_stay_on_their_version(people, t01):
    instance = start(people)
    changed = {**FICHA, "name": "Procedimiento de prueba (v2)", "version": 2}
    v2 = publish(changed)
    complete(open_items(instance)[0], people.requester, {"detalle": "x"})
    instance.refresh_from_db()
    assert instance.procedure_version == t01
    assert start(people).procedure_version == v2


def test_outcomes_keep_their_order_on_a_completed_task(people, t01):
    """404 (outside the view) before 403 (wrong role) before 409 (no longer open)."""
    instance = start(people)
    [item] = open_items(instance)
    complete(item, people.requester, {"detalle": "x"})
    with pytest.raises(NotFound):
        complete(item, people.outsider, {"detalle": "x"})
    with pytest.raises(Forbidden):
        complete(item, people.operador, {"detalle": "x"})
    with pytest.raises(TaskAlreadyCompleted):
        complete(item, people.colleague, {})  # 409 before the form's 400
    with pytest.raises(NotFound):
        do_complete_task(item.pk, {"detalle": "x"}, actor=None)


def test_audit_snapshots_follow_the_open_tasks(people, t01):
    instance = start(people)
    complete(open_items(instance)[0], people.requester, {"detalle": "x"})
    complete(open_items(instance)[0], people.operador, {"procede": "si"})
    complete(open_items(instance)[0], people.jefe)
    item4, item5 = open_items(instance)
    complete(item5, people.coord_inf)
    complete(item4, people.coord_inn)
    complete(open_items(instance)[0], people.director)
    events = AuditEvent.objects.filter(action="task.complete", object_id=str(instance.pk))
    snapshots = [
        (e.after["n"], e.before["open_tasks"], e.after["open_tasks"], e.after["version"])
        for e in events.order_by("id")
    ]
    assert snapshots == [
        (1, [1], [2], 2),
        (2, [2], [3], 3),
        (3, [3], [4, 5], 4),
        (5, [4, 5], [4], 5),
        (4, [4], [6], 6),
        (6, [6], [], 7),
    ]
    last = events.order_by("id").last()
    assert last is not None
    assert (last.before["status"], last.after["status"]) == ("running", "completed")


def test_completing_runs_no_visibility_query_when_the_user_may_take_the_task(people, t01):
    """Taking the task implies seeing it: the instance-visibility query runs only on refusal."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def visibility(queries: list[dict[str, Any]]) -> list[str]:
        # The visibility query reads the instances table first (the item's load joins it).
        return [q["sql"] for q in queries if 'FROM "procedures_instance"' in q["sql"]]

    instance = start(people)
    [item] = open_items(instance)
    actor = fresh(people.requester)
    with CaptureQueriesContext(connection) as taken:
        do_complete_task(item.pk, {"detalle": "x"}, actor=actor)
    assert not visibility(taken.captured_queries)
    [item2] = open_items(instance)
    with CaptureQueriesContext(connection) as refused, pytest.raises(Forbidden):
        do_complete_task(item2.pk, {"procede": "si"}, actor=fresh(people.director))
    assert visibility(refused.captured_queries)


def test_a_completion_on_postgresql_is_four_statements_and_the_step_is_one(people, t01):
    """The item (the grants read inside its statement), the step (one statement: instance,
    item, history, next items and role rows), the chain lock and the audit row:
    docs/benchmarks.md, section 1. The version's ficha and BPMN are read once per process, at
    its first step."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mapro.organization.permissions import grants_for
    from mapro.procedures import storage

    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs the step's writes one by one")
    storage.version_content.cache_clear()
    counts = []
    for _ in range(2):
        instance = start(people)
        [item] = open_items(instance)
        actor = fresh(people.requester)
        with CaptureQueriesContext(connection) as taken:
            do_complete_task(item.pk, {"detalle": "x"}, actor=actor)
        # (The test's own transaction turns BEGIN/COMMIT into a savepoint and its release.)
        statements = [q["sql"] for q in taken.captured_queries if "SAVEPOINT" not in q["sql"]]
        counts.append(len(statements))
    assert counts == [5, 4], [sql[:60] for sql in statements]
    assert "json_agg" in statements[0]  # the grants, as a subquery of the item's statement
    # ... kept on the user as grants_for keeps them, equal to a separate read of them.
    with CaptureQueriesContext(connection) as again:
        kept = grants_for(actor)
    assert not again.captured_queries
    assert kept == grants_for(fresh(people.requester)) != frozenset()
    step = [sql for sql in statements if sql.startswith("WITH step AS (UPDATE")]
    assert len(step) == 1
    for table in ("procedures_workitem", "procedures_workitemrole", "procedures_taskrecord"):
        assert f'INSERT INTO "{table}"' in step[0] or f'UPDATE "{table}"' in step[0]
    [record] = TaskRecord.objects.filter(instance=instance)
    [next_item] = open_items(instance)
    assert (record.work_item_id, next_item.n) == (item.pk, 2)
    assert next_item.role_rows.filter(is_open=True).count() == len(next_item.roles)


def test_an_item_without_role_rows_is_taken_by_nobody(people, t01):
    instance = start(people)
    [item] = open_items(instance)
    WorkItemRole.objects.filter(work_item=item).delete()
    with pytest.raises(Forbidden):  # OGTIE sees every instance
        complete(item, people.jefe, {"detalle": "x"})
    with pytest.raises(Forbidden):  # the starter sees it too
        complete(item, people.requester, {"detalle": "x"})
    with pytest.raises(NotFound):
        complete(item, people.outsider, {"detalle": "x"})


def test_new_items_take_the_activity_unit_and_the_roles_scope_flags(people, t01):
    """Units by code and the Role table's ``unit_scoped`` flags are read at each step."""
    from mapro.organization.models import Role

    Role.objects.filter(code="coord-innovacion").update(unit_scoped=True)
    instance = start(people)
    complete(open_items(instance)[0], people.requester, {"detalle": "x"})
    [item2] = open_items(instance)
    assert item2.unit == people.ogtie
    assert list(item2.role_rows.values_list("role", "unit")) == [("operador-mesa", people.ogtie.pk)]
    complete(item2, people.operador, {"procede": "si"})
    complete(open_items(instance)[0], people.jefe)
    item4, item5 = open_items(instance)
    assert (item4.unit, item5.unit) == (people.ogtie, people.ogtie)
    # coord-innovacion is now unit-scoped: its row is scoped to the instance's unit (DIGEP)
    assert list(item4.role_rows.values_list("role", "unit")) == [
        ("coord-innovacion", people.digep.pk)
    ]
    assert list(item5.role_rows.values_list("role", "unit")) == [
        ("coord-infraestructura", people.ogtie.pk)
    ]
