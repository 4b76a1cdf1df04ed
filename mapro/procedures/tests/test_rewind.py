"""Returning a task to an earlier activity, and moving an instance (rewind.py)."""

from __future__ import annotations

from typing import Any

import pytest

from mapro.audit.models import AuditEvent
from mapro.core.exceptions import Forbidden, InvalidInput
from mapro.procedures.actions import do_complete_task, do_start_instance
from mapro.procedures.exceptions import InstanceNotRunning, TaskAlreadyCompleted, WorkItemNotFound
from mapro.procedures.models import (
    Instance,
    InstanceStatus,
    TaskRecord,
    TaskRecordKind,
    WorkItem,
    WorkItemState,
)
from mapro.procedures.rewind import (
    do_move_instance,
    do_return_task,
    move_targets,
    return_targets,
)
from mapro.procedures.task_forms import task_form

from .runtime_helpers import fresh

pytestmark = pytest.mark.django_db


def open_items(instance: Instance) -> list[WorkItem]:
    """The open items, each with its instance as stored now."""
    return list(
        WorkItem.objects.select_related("instance__procedure_version")
        .filter(instance_id=instance.pk, state=WorkItemState.OPEN)
        .order_by("n")
    )


def complete(item: WorkItem, user: Any, data: dict[str, Any] | None = None) -> None:
    do_complete_task(item.pk, data or {}, actor=fresh(user))


def at_parallel(people: Any) -> Instance:
    """An instance of T.01 past activities 1, 2 and 3: branches 4 and 5 open."""
    instance = do_start_instance("T.01", start="solicitud", data={}, actor=fresh(people.requester))
    complete(open_items(instance)[0], people.requester, {"detalle": "Dato equivocado"})
    complete(open_items(instance)[0], people.operador, {"procede": "si"})
    complete(open_items(instance)[0], people.jefe)
    return instance


def test_return_to_the_capturing_activity_reopens_it_with_its_data(people, t01):
    instance = at_parallel(people)
    branch_a, branch_b = open_items(instance)
    assert [t.n for t in return_targets(branch_a)] == [1, 2, 3]

    do_return_task(branch_a.pk, 1, "El detalle no corresponde", actor=fresh(people.coord_inn))

    [reopened] = open_items(instance)
    assert reopened.n == 1
    assert task_form(reopened)["properties"]["detalle"]["default"] == "Dato equivocado"
    branch_a.refresh_from_db()
    branch_b.refresh_from_db()
    assert (branch_a.state, branch_b.state) == (WorkItemState.CANCELLED, WorkItemState.CANCELLED)
    record = TaskRecord.objects.get(instance=instance, kind=TaskRecordKind.RETURNED)
    assert (record.n, record.target_n, record.reason) == (4, 1, "El detalle no corresponde")
    assert record.completed_by_name.startswith(people.coord_inn.username)
    event = AuditEvent.objects.get(action="instance.return", object_id=str(instance.pk))
    assert event.after["to"] == 1 and event.after["open_tasks"] == [1]

    # The case goes on from there, to its end.
    complete(reopened, people.requester, {"detalle": "Dato corregido"})
    complete(open_items(instance)[0], people.operador, {"procede": "no"})
    instance.refresh_from_db()
    assert instance.status == InstanceStatus.COMPLETED


def test_return_needs_the_tasks_role_a_reason_and_an_upstream_activity(people, t01):
    instance = at_parallel(people)
    branch_a = open_items(instance)[0]
    instance.refresh_from_db()
    version = instance.version
    with pytest.raises(Forbidden):
        do_return_task(branch_a.pk, 1, "motivo", actor=fresh(people.coord_inf))
    with pytest.raises(WorkItemNotFound):
        do_return_task(branch_a.pk, 1, "motivo", actor=fresh(people.outsider))
    with pytest.raises(InvalidInput) as err:
        do_return_task(branch_a.pk, 1, "  ", actor=fresh(people.coord_inn))
    assert "reason" in err.value.errors
    for bad in (5, 6, 99, "x", None):  # a sibling branch, a later step, no such activity
        with pytest.raises(InvalidInput) as err:
            do_return_task(branch_a.pk, bad, "motivo", actor=fresh(people.coord_inn))
        assert "to_activity" in err.value.errors
    instance.refresh_from_db()
    assert instance.version == version
    assert [i.n for i in open_items(instance)] == [4, 5]
    assert (
        not TaskRecord.objects.filter(instance=instance)
        .exclude(kind=TaskRecordKind.COMPLETED)
        .exists()
    )


def test_a_returned_or_completed_task_cannot_be_returned_again(people, t01):
    instance = at_parallel(people)
    branch_a = open_items(instance)[0]
    do_return_task(branch_a.pk, 2, "Revisar de nuevo", actor=fresh(people.coord_inn))
    with pytest.raises(TaskAlreadyCompleted):
        do_return_task(branch_a.pk, 1, "otra vez", actor=fresh(people.coord_inn))
    [again] = open_items(instance)
    assert again.n == 2


def test_the_jefe_moves_a_failed_instance_back_and_it_runs_again(people, t01):
    instance = at_parallel(people)
    Instance.objects.filter(pk=instance.pk).update(
        status=InstanceStatus.FAILED, failure="El motor no pudo avanzar"
    )
    WorkItem.objects.filter(instance=instance).update(state=WorkItemState.CANCELLED)
    instance.refresh_from_db()
    assert [t.n for t in move_targets(instance)] == [1, 2, 3]
    with pytest.raises(Forbidden):
        do_move_instance(instance.pk, 3, "Reintentar", actor=fresh(people.operador))
    with pytest.raises(InvalidInput):
        do_move_instance(instance.pk, 4, "Reintentar", actor=fresh(people.jefe))

    do_move_instance(instance.pk, 3, "Reintentar la asignación", actor=fresh(people.jefe))

    instance.refresh_from_db()
    assert (instance.status, instance.failure, instance.ended_at) == (
        InstanceStatus.RUNNING,
        "",
        None,
    )
    [item] = open_items(instance)
    assert item.n == 3
    record = TaskRecord.objects.get(instance=instance, kind=TaskRecordKind.MOVED)
    assert (record.target_n, record.reason) == (3, "Reintentar la asignación")
    assert AuditEvent.objects.filter(action="instance.move", object_id=str(instance.pk)).exists()
    complete(item, people.jefe)
    assert [i.n for i in open_items(instance)] == [4, 5]


def test_an_ended_instance_is_not_moved(people, t01):
    instance = do_start_instance("T.01", start="solicitud", data={}, actor=fresh(people.requester))
    complete(open_items(instance)[0], people.requester, {"detalle": "x"})
    complete(open_items(instance)[0], people.operador, {"procede": "no"})
    with pytest.raises(InstanceNotRunning):
        do_move_instance(instance.pk, 1, "motivo", actor=fresh(people.jefe))


# -- API v1 and pages ------------------------------------------------------------------------------


def api(user: Any) -> Any:
    from mapro.procedures.testing import client_for

    return client_for(fresh(user))


def test_api_offers_the_return_targets_and_returns_the_task(people, t01):
    instance = at_parallel(people)
    branch_a = open_items(instance)[0]
    client = api(people.coord_inn)
    detail = client.get(f"/api/v1/tasks/{branch_a.pk}/").json()
    assert [t["n"] for t in detail["return_targets"]] == [1, 2, 3]
    assert detail["return_targets"][0]["name"] == "Registrar solicitud"

    bad = client.post(
        f"/api/v1/tasks/{branch_a.pk}/return/", {"to_activity": 5, "reason": "x"}, format="json"
    )
    assert bad.status_code == 400 and "to_activity" in bad.json()["errors"]
    missing = client.post(f"/api/v1/tasks/{branch_a.pk}/return/", {}, format="json")
    assert missing.status_code == 400
    assert set(missing.json()["errors"]) == {"to_activity", "reason"}
    wrong = api(people.coord_inf).post(
        f"/api/v1/tasks/{branch_a.pk}/return/", {"to_activity": 1, "reason": "x"}, format="json"
    )
    assert wrong.status_code == 403

    ok = client.post(
        f"/api/v1/tasks/{branch_a.pk}/return/",
        {"to_activity": 1, "reason": "Detalle equivocado"},
        format="json",
    )
    assert ok.status_code == 200
    body = ok.json()
    assert [t["n"] for t in body["tasks"]] == [1]
    last = body["history"][-1]
    assert (last["kind"], last["target"], last["reason"]) == ("returned", 1, "Detalle equivocado")
    again = client.post(
        f"/api/v1/tasks/{branch_a.pk}/return/", {"to_activity": 1, "reason": "x"}, format="json"
    )
    assert again.status_code == 409


def test_api_move_and_cancel_are_the_jefes(people, t01):
    instance = at_parallel(people)
    url = f"/api/v1/instances/{instance.pk}/"
    refused = api(people.coord_inn).post(url + "move/", {"to_activity": 2, "reason": "x"})
    assert refused.status_code == 403
    moved = api(people.jefe).post(url + "move/", {"to_activity": 2, "reason": "Revisar"})
    assert moved.status_code == 200
    assert [t["n"] for t in moved.json()["tasks"]] == [2]
    assert api(people.coord_inn).post(url + "cancel/", {"reason": "x"}).status_code == 403
    assert api(people.jefe).post(url + "cancel/", {"reason": ""}).status_code == 400
    cancelled = api(people.jefe).post(url + "cancel/", {"reason": "Duplicado"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    late = api(people.jefe).post(url + "move/", {"to_activity": 2, "reason": "x"})
    assert late.status_code == 409


def test_pages_return_a_task_keeping_what_was_typed_on_error(people, t01, client):
    instance = at_parallel(people)
    branch_a = open_items(instance)[0]
    client.force_login(people.coord_inn)
    page = client.get(f"/tareas/{branch_a.pk}/").content.decode()
    # The panel is folded: its targets are read only when it is opened (issue #15).
    assert "Devolver a una actividad anterior" in page and "devolver-a" not in page
    panel_url = f"/tareas/{branch_a.pk}/devolver/actividades/"
    assert panel_url in page
    panel = client.get(panel_url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in panel
    assert "1. Registrar solicitud" in panel and "3. " in panel and 'name="reason"' in panel
    full = client.get(panel_url).content.decode()  # without htmx: the page, panel open
    assert "<html" in full and "1. Registrar solicitud" in full and "formulario-tarea" in full
    client.force_login(people.coord_inf)  # sees the case, may not take this task
    assert client.get(panel_url, headers={"HX-Request": "true"}).status_code in (403, 404)
    client.force_login(people.coord_inn)

    bad = client.post(f"/tareas/{branch_a.pk}/devolver/", {"to_activity": "1", "reason": " "})
    assert bad.status_code == 400
    assert "Indique el motivo." in bad.content.decode()

    done = client.post(
        f"/tareas/{branch_a.pk}/devolver/", {"to_activity": "2", "reason": "Revisar de nuevo"}
    )
    assert done.status_code == 302
    case = client.get(f"/procedimientos/instancias/{instance.pk}/").content.decode()
    assert "devuelta a la actividad 2" in case and "Revisar de nuevo" in case


def test_the_instance_page_offers_the_move_to_the_jefe_only(people, t01, client):
    instance = at_parallel(people)
    url = f"/procedimientos/instancias/{instance.pk}/"
    client.force_login(people.coord_inn)
    assert "Mover el expediente" not in client.get(url).content.decode()
    client.force_login(people.jefe)
    assert "Mover el expediente" in client.get(url).content.decode()
    kept = client.post(url + "mover/", {"to_activity": "9", "reason": "Motivo escrito"})
    assert kept.status_code == 400 and "Motivo escrito" in kept.content.decode()
    assert client.post(url + "mover/", {"to_activity": "1", "reason": "Volver"}).status_code == 302
    assert [i.n for i in open_items(instance)] == [1]
