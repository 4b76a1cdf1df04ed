"""``Instance.state``: ``json`` (lz4-compressed) on PostgreSQL, text on SQLite; both read back
the same workflow, through the ORM and through the completion path's plain SQL."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection

from mapro.procedures import storage
from mapro.procedures.actions import do_complete_task, do_start_instance
from mapro.procedures.engine import runner
from mapro.procedures.engine.specs import get_spec
from mapro.procedures.models import Instance, WorkItem, WorkItemState

from .runtime_helpers import fresh

pytestmark = pytest.mark.django_db


def _open_item(instance: Instance) -> WorkItem:
    return WorkItem.objects.get(instance=instance, state=WorkItemState.OPEN)


def test_state_reads_back_the_same_through_the_orm_and_the_step_sql(people: Any, t01: Any) -> None:
    instance = do_start_instance(
        "T.01", start="solicitud", data={"asunto": "Correo ñandú"}, actor=fresh(people.requester)
    )
    item = _open_item(instance)
    do_complete_task(item.pk, {"detalle": "No funciona"}, actor=fresh(people.requester))

    state = Instance.objects.get(pk=instance.pk).state
    assert isinstance(state, dict)
    assert Instance.objects.filter(pk=instance.pk).values_list("state", flat=True).get() == state
    # The completion path reads the stored text itself: the same document, not a decoded one.
    nxt = _open_item(instance)
    loaded = storage.load_work_item(nxt.pk)
    assert loaded is not None
    assert isinstance(loaded.state_json, str)
    assert json.loads(loaded.state_json) == state
    workflow = runner.load_workflow(loaded.state_json, get_spec(t01.bpmn_xml))
    [ready] = runner.ready_user_tasks(workflow)
    assert str(ready.id) == nxt.task_id
    assert (ready.data["asunto"], ready.data["detalle"]) == ("Correo ñandú", "No funciona")
    # A key of the document is still reachable with the JSON operators.
    key = sorted(state)[0]
    assert (
        Instance.objects.filter(pk=instance.pk).values_list(f"state__{key}", flat=True).get()
        == (state[key])
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the column type is PostgreSQL's")
def test_state_is_a_json_column_compressed_with_lz4(people: Any, t01: Any) -> None:
    instance = do_start_instance("T.01", start="solicitud", actor=fresh(people.requester))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT atttypid::regtype::text, attcompression FROM pg_attribute "
            "WHERE attrelid = 'procedures_instance'::regclass AND attname = 'state'"
        )
        column_type, compression = cursor.fetchone()
        cursor.execute(
            "SELECT pg_column_compression(state) FROM procedures_instance WHERE id = %s",
            [instance.pk],
        )
        (stored,) = cursor.fetchone()
    assert column_type == "json"
    assert compression in ("l", "")  # lz4, or the default where the server lacks it
    assert stored in ("lz4", "pglz", None)  # None: stored uncompressed (small enough)
