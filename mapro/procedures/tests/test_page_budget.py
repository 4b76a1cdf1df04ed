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

from mapro.core.testing import session_read_statements

from .test_views_tasks import valid_post
from .views_helpers import cast, open_item, published, start  # noqa: F401

pytestmark = pytest.mark.django_db

#: session, user, grants, the page of items, their tickets, unread notices, the procedures
INBOX_SQL = 7
#: session, user, grants, the item (with its instance and unit) and its role rows, the
#: timeline's records with their effect outcomes (one join, ``views.history_with_notes``), the
#: form's earlier answers, unread notices. Not the instance's state: the return targets are
#: read when the folded panel is opened (``task_return_targets``); not the activity's unit name
#: (the item's unit, read with it); not the documents or directory operations of a procedure
#: none of whose effects writes them (this one).
TASK_SQL = 8
#: session, user, grants, the instance, its open items, their role rows and notices, the
#: history with its effect outcomes, unread notices (no documents, no directory operations:
#: see TASK_SQL)
INSTANCE_SQL = 9
#: A procedure whose steps issue documents (S04.02.00.03): the instance page lists them once a
#: step with a ``{document: …}`` effect was completed (one statement, without their related
#: rows or signatures); its activity 1 asks for units (the active units' list).
DOCUMENTS_SQL = 1
UNIT_FIELD_SQL = 1


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    # Counted as with database sessions (with Redis the session is read from the cache).
    return len(ctx.captured_queries) + 1 - session_read_statements()


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


def test_pages_of_a_procedure_that_issues_documents_stay_within_ten(published, cast):
    """S04.02.00.03: step 1 leaves a "Proyecto de oficio", step 2 the numbered "Oficio". The
    instance page reads the documents only once a completed step had a document effect, and
    costs the same with one document or two; the task page of activity 1 (a units field)."""
    from mapro.core.testing import make_user
    from mapro.documents.testing import STEP1, STEP2, complete, started_instance
    from mapro.organization.models import Unit

    instance = started_instance()
    starter = instance.started_by
    client = _client(starter)
    url = reverse("procedures:instance_detail", args=[instance.pk])
    assert _count(client, url) == INSTANCE_SQL  # nothing issued yet: no documents query
    item = instance.work_items.get(state="open", n=1)
    task_url = reverse("procedures:task_detail", args=[item.pk])
    assert _count(client, task_url) == TASK_SQL + UNIT_FIELD_SQL
    complete(instance, 1, STEP1, starter)
    one = _count(client, url)
    page = client.get(url).content.decode()
    assert "Documentos" in page and "Proyecto" in page
    ogtie = Unit.objects.get(code="OGTIE")
    complete(instance, 2, STEP2, make_user("jefe-ogtie", unit=ogtie))
    assert _count(client, url) == one == INSTANCE_SQL + DOCUMENTS_SQL <= 10
    assert STEP2["oficio"] in client.get(url).content.decode()
