"""The SQL statements of API v1's instance answer, pinned (issue #15; docs/benchmarks.md,
section 6): ``GET /api/v1/instances/<id>/`` and the instance a task completion answers with.

Counted with ``force_authenticate`` (no session or user look-up): the grants, the instance
(with its version, procedure and unit; the visibility rule inside the same statement), its
open tasks and its history. None of them grows with the history. The completion's answer
does not run the visibility rule again: whoever completed one of its tasks sees the instance.
Visibility still follows the grants of the request: a role change takes effect at once.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from mapro.core.testing import make_user
from mapro.organization.actions import do_end_role_assignment, do_save_role
from mapro.organization.models import Role, RoleAssignment
from mapro.procedures.actions import do_complete_task, do_start_instance
from mapro.procedures.models import Instance, WorkItem, WorkItemState

from .runtime_helpers import fresh

pytestmark = pytest.mark.django_db

API = "/api/v1"
#: grants, the instance, its open tasks, its history
INSTANCE_SQL = 4
#: what the completion's answer adds to the completion: the instance, its open tasks, its
#: history (the grants were read by the completion; no visibility rule)
ANSWER_SQL = 3


def _client(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(fresh(user))
    return client


def _get(user: Any, instance_id: int) -> tuple[int, int]:
    """(status, statements) of the instance's answer to a new request of ``user``."""
    client = _client(user)
    with CaptureQueriesContext(connection) as taken:
        response = client.get(f"{API}/instances/{instance_id}/")
    return response.status_code, len(taken.captured_queries)


def _open(instance: Instance) -> WorkItem:
    return WorkItem.objects.filter(instance=instance, state=WorkItemState.OPEN).order_by("id")[0]


def _start(people: Any) -> Instance:
    return do_start_instance("T.01", start="solicitud", data={}, actor=fresh(people.requester))


def test_the_instance_answer_is_pinned_for_every_kind_of_reader(people, t01):
    instance = _start(people)
    # The starter, a global OGTIE role (every instance, no condition), a unit-scoped director.
    for reader in (people.requester, people.jefe, people.director):
        assert _get(reader, instance.pk) == (200, INSTANCE_SQL)
    steps = ((people.requester, {"detalle": "Uno"}), (people.operador, {"procede": "si"}))
    for user, data in steps:
        do_complete_task(_open(instance).pk, data, actor=fresh(user))
    for reader in (people.requester, people.jefe, people.director):
        assert _get(reader, instance.pk) == (200, INSTANCE_SQL)  # not more with history
    # Outside the rule: 404 after the grants and the (empty) instance statement.
    assert _get(people.outsider, instance.pk) == (404, 2)


def test_the_completion_answers_without_running_the_visibility_rule_again(people, t01):
    first, twin, instance = _start(people), _start(people), _start(people)
    # The first step of a process reads the version's ficha and BPMN (storage.version_content).
    do_complete_task(_open(first).pk, {"detalle": "Uno"}, actor=fresh(people.requester))
    item, actor = _open(twin).pk, fresh(people.requester)
    with CaptureQueriesContext(connection) as action:
        do_complete_task(item, {"detalle": "Uno"}, actor=actor)
    client = _client(people.requester)
    url = f"{API}/tasks/{_open(instance).pk}/complete/"
    with CaptureQueriesContext(connection) as api:
        response = client.post(url, {"data": {"detalle": "Uno"}}, format="json")
    assert response.status_code == 200, response.content
    added = [q["sql"] for q in api.captured_queries[len(action.captured_queries) :]]
    assert len(added) == ANSWER_SQL, added
    assert 'FROM "procedures_instance"' in added[0] and "EXISTS" not in added[0].upper()
    answer = response.json()
    assert answer["id"] == instance.pk and [t["n"] for t in answer["tasks"]] == [2]
    assert [h["n"] for h in answer["history"]] == [1]
    assert answer == _client(people.requester).get(f"{API}/instances/{instance.pk}/").json()


def test_a_role_change_changes_what_the_next_request_sees(people, t01):
    """Visibility is decided from the grants each request reads: a role that leaves the OGTIE,
    or an assignment that ends, takes effect at the next request."""
    instance = _start(people)
    admin = make_user(None, is_superuser=True, is_staff=True)
    do_save_role(actor=admin, code="auditor-ti", name="Auditor(a) de TI", inside_ogtie=True)
    auditor = make_user("auditor-ti", unit=people.ogtie)
    assert _get(auditor, instance.pk)[0] == 200
    do_save_role(actor=admin, code="auditor-ti", name="Auditor(a) de TI", inside_ogtie=False)
    assert _get(auditor, instance.pk)[0] == 404
    do_save_role(actor=admin, code="auditor-ti", name="Auditor(a) de TI", inside_ogtie=True)
    assert _get(auditor, instance.pk)[0] == 200
    assignment = RoleAssignment.objects.get(person__user=auditor, role__code="auditor-ti")
    do_end_role_assignment(assignment, actor=admin)
    assert _get(auditor, instance.pk)[0] == 404
    assert Role.objects.get(code="auditor-ti").inside_ogtie
