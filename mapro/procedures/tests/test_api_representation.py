"""The API's instance and task serializers write each field by hand (``api/serializers.py``):
their answers must be exactly DRF's, built from the same declared and model fields, for every
kind of row — open, completed, returned, cancelled and failed instances, items with and
without a unit, a multi-instance item, due dates, hidden (internal) history steps."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from rest_framework import serializers
from rest_framework.test import APIRequestFactory

from mapro.procedures.actions import do_cancel_instance, do_complete_task, do_start_instance
from mapro.procedures.api.serializers import (
    HistorySerializer,
    InboxTaskSerializer,
    InstanceSerializer,
    TaskDetailSerializer,
    WorkItemSerializer,
)
from mapro.procedures.models import Instance, TaskRecord, WorkItem, WorkItemState
from mapro.procedures.rewind import do_return_task
from mapro.procedures.selectors import get_work_item_for_user, inbox_page, inbox_rows

from . import ficha_samples as s
from .runtime_helpers import fresh, publish

pytestmark = pytest.mark.django_db


def _plain(data: Any) -> str:
    """The JSON text of an answer, keys in their order (ReturnDict/ReturnList made plain)."""
    return json.dumps(data, cls=DjangoJSONEncoder)


def assert_as_drf(serializer: serializers.ModelSerializer, obj: Any) -> None:
    """The hand-written answer equals DRF's generic one over the serializer's fields."""
    mine = serializer.to_representation(obj)
    theirs = serializers.ModelSerializer.to_representation(serializer, obj)
    assert _plain(mine) == _plain(theirs)


def _request(user: Any) -> Any:
    request = APIRequestFactory().get("/")
    request.user = user
    return request


def _open(instance: Instance) -> list[WorkItem]:
    return list(
        WorkItem.objects.select_related("instance__procedure_version__procedure", "unit")
        .filter(instance_id=instance.pk, state=WorkItemState.OPEN)
        .order_by("n", "id")
    )


def _every_kind_of_row(people: Any) -> list[Instance]:
    """T.01 instances: one returned at its parallel branches (a due date on one branch), one
    completed to its end, one cancelled, one marked failed and demo."""
    returned = do_start_instance("T.01", start="solicitud", data={}, actor=fresh(people.requester))
    for user, data in (
        (people.requester, {"detalle": "Dato equivocado", "fecha": "2025-03-04"}),
        (people.operador, {"procede": "si"}),
        (people.jefe, {}),
    ):
        do_complete_task(_open(returned)[0].pk, data, actor=fresh(user))
    branch_a, _branch_b = _open(returned)
    WorkItem.objects.filter(pk=branch_a.pk).update(
        due_at=timezone.now() - datetime.timedelta(days=1)
    )
    do_return_task(_open(returned)[1].pk, 1, "Falta la fecha", actor=fresh(people.coord_inf))

    ended = do_start_instance("T.01", start="oficio", data={}, actor=fresh(people.operador))
    do_complete_task(_open(ended)[0].pk, {"procede": "no"}, actor=fresh(people.operador))

    cancelled = do_start_instance("T.01", start="oficio", data={}, actor=fresh(people.operador))
    do_cancel_instance(cancelled, "Duplicado", actor=fresh(people.jefe))

    failed = do_start_instance("T.01", start="oficio", data={}, actor=fresh(people.operador))
    Instance.objects.filter(pk=failed.pk).update(
        status="failed", failure="La unidad no existe", is_demo=True
    )
    return [returned, ended, cancelled, failed]


def _instances(pks: list[int]) -> list[Instance]:
    return list(
        Instance.objects.select_related("procedure_version__procedure", "unit")
        .filter(pk__in=pks)
        .order_by("pk")
    )


def test_instances_tasks_and_history_are_written_as_drf_writes_them(people, t01):
    instances = _every_kind_of_row(people)
    request = _request(fresh(people.jefe))
    for instance in _instances([i.pk for i in instances]):
        assert_as_drf(InstanceSerializer(instance, context={"request": request}), instance)
        for record in TaskRecord.objects.filter(instance=instance):
            for hidden in (set(), {record.n}):
                assert_as_drf(HistorySerializer(context={"hidden_steps": hidden}), record)
    kinds = set(TaskRecord.objects.values_list("kind", flat=True))
    assert len(kinds) > 1, kinds  # a completion and a return, at least
    items = list(
        WorkItem.objects.select_related("instance__procedure_version__procedure", "unit")
        .filter(instance__in=instances)
        .order_by("pk")
    )
    states = {item.state for item in items}
    assert {WorkItemState.OPEN, WorkItemState.COMPLETED} <= states
    assert any(item.due_at for item in items)
    for item in items:
        assert_as_drf(WorkItemSerializer(), item)
        detail = get_work_item_for_user(request.user, item.pk)
        assert_as_drf(TaskDetailSerializer(context={"request": request}), detail)


def test_inbox_rows_are_written_as_drf_writes_them(people, t01):
    _every_kind_of_row(people)
    seen = 0
    for user in (people.requester, people.coord_inn, people.coord_inf, people.operador):
        page = inbox_page(fresh(user))
        seen += len(page.items)
        rows = {row.item.pk: row for row in inbox_rows(page.items)}
        serializer = InboxTaskSerializer(context={"rows": rows})
        for item in page.items:
            assert_as_drf(serializer, item)
    assert seen


def test_a_multi_instance_item_and_its_unit_are_written_as_drf_writes_them(people):
    publish(s.multi())
    instance = do_start_instance("S04.02.00.03", actor=fresh(people.coord_inn))
    (first,) = _open(instance)
    units = [{"unidad": "DIGEP"}, {"unidad": "OTRA", "nota": "segunda"}]
    do_complete_task(first.pk, {"unidades": units}, actor=fresh(people.coord_inn))
    items = _open(instance)
    assert [item.item["unit"] for item in items] == ["DIGEP", "OTRA"]
    assert all(item.unit_id is not None for item in items)
    for item in items:
        assert_as_drf(WorkItemSerializer(), item)
    request = _request(fresh(people.jefe))
    (fetched,) = _instances([instance.pk])
    assert_as_drf(InstanceSerializer(fetched, context={"request": request}), fetched)
