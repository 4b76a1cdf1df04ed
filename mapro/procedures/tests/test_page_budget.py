"""The SQL statements of "Mis tareas", the task page and the instance page (issue #15).

Pinned numbers, counted with the session and user look-ups of a signed-in request: a change
that adds a statement to one of these pages fails here and must say why (docs/benchmarks.md,
section 8). None of them grows with the rows: more tasks, instances or history cost the same.
"""

# The fixtures come from views_helpers: using them as arguments is not a redefinition.
# ruff: noqa: F811

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .test_views_tasks import valid_post
from .views_helpers import cast, open_item, published, start  # noqa: F401

pytestmark = pytest.mark.django_db

#: session, user, grants, the page of items, their tickets, unread notices, the procedures
INBOX_SQL = 7
#: session, user, grants, the item (with its instance) and its role rows, the timeline's effect
#: outcomes and records, the form's earlier answers, unread notices, the unit names of the
#: activity. Not the instance's state: the return targets are read when the folded panel is
#: opened (``task_return_targets``); not the documents or directory operations of a procedure
#: none of whose effects writes them (this one).
TASK_SQL = 10
#: session, user, grants, the instance, its open items, their role rows and notices, the
#: effect outcomes, the history, unread notices (no documents, no directory operations: see
#: TASK_SQL)
INSTANCE_SQL = 10


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_inbox_statements_are_pinned_and_do_not_grow(published, cast):
    client = _client(cast.operador2)
    start(cast.operador)
    one = _count(client, reverse("procedures:inbox"))
    for _ in range(4):
        start(cast.operador)
    assert _count(client, reverse("procedures:inbox")) == one == INBOX_SQL


def test_task_page_statements_are_pinned(published, cast):
    client = _client(cast.operador2)
    item = open_item(start(cast.operador))
    assert _count(client, reverse("procedures:task_detail", args=[item.pk])) == TASK_SQL


def test_instance_page_statements_are_pinned_and_do_not_grow_with_history(published, cast):
    client = _client(cast.operador2)
    instance = start(cast.operador)
    url = reverse("procedures:instance_detail", args=[instance.pk])
    assert _count(client, url) == INSTANCE_SQL
    item = open_item(instance)
    done = client.post(reverse("procedures:task_detail", args=[item.pk]), valid_post())
    assert done.status_code == 302
    assert instance.history.count() == 1
    assert _count(client, url) == INSTANCE_SQL


def test_only_fichas_that_can_have_documents_or_directory_operations_are_looked_up():
    """The skip is decided by the ficha's effects: the account procedures (iam, hr) enqueue
    directory operations, every ficha with a ``{document: …}`` effect can have documents; the
    synthetic ficha of these pins has neither (its pages skip both queries)."""
    from pathlib import Path

    import yaml

    from mapro.directory.selectors import may_hold_operations
    from mapro.documents.selectors import issues_documents

    from .views_helpers import FICHA

    real = Path(__file__).resolve().parents[3] / "procedures"
    holders = {
        p.stem for p in real.glob("S04*.yaml") if may_hold_operations(yaml.safe_load(p.read_text()))
    }
    assert holders == {"S04.03.01.01", "S04.03.01.02"}
    assert issues_documents(yaml.safe_load((real / "S04.02.00.03.yaml").read_text()))
    assert not issues_documents(FICHA) and not may_hold_operations(FICHA)
