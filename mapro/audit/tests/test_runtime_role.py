"""The runtime database role cannot erase or rewrite the audit trail (issue 13, item 2).

Connected as a role set up by ``mapro audit grants`` (what docs/deploy.md has the owner run),
TRUNCATE, UPDATE, DELETE, ALTER TABLE and DISABLE TRIGGER on the audit table are refused,
whatever session setting it sets, while INSERT and SELECT (and the other tables) work.
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from mapro.audit.models import AuditEvent
from mapro.audit.roles import runtime_grants

from .helpers import add_events, postgres_only

pytestmark = [*postgres_only, pytest.mark.django_db]

ROLE = "mapro_runtime_prueba"


@pytest.fixture
def as_runtime():
    """Create the role (rolled back with the test), grant as the owner would, then SET ROLE."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {ROLE} NOLOGIN")
        for statement in runtime_grants(ROLE):
            cursor.execute(statement)
        cursor.execute(f"SET ROLE {ROLE}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")


def _refused(sql: str, params: list | None = None) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL mapro.allow_audit_truncate = 'on'")
            cursor.execute(sql, params or [])
    except DatabaseError as exc:
        return "permission denied" in str(exc) or "must be owner" in str(exc)
    return False


def test_the_runtime_role_cannot_erase_or_rewrite_the_audit_table(as_runtime):
    events = add_events(2)  # INSERT (through record_event) and SELECT work
    table = AuditEvent._meta.db_table
    assert _refused(f"TRUNCATE {table}")
    update = f"UPDATE {table} SET actor_name = 'x' WHERE id = %s"  # noqa: S608 - our table
    assert _refused(update, [events[0].pk])
    assert _refused(f"DELETE FROM {table} WHERE id = %s", [events[1].pk])  # noqa: S608
    assert _refused(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    assert _refused(f"ALTER TABLE {table} ADD COLUMN x int")
    assert _refused(f"DROP TABLE {table}")
    assert AuditEvent.objects.count() >= 2


def test_the_runtime_role_still_runs_the_application(as_runtime):
    from mapro.core.testing import make_user

    user = make_user("jefe-ogtie")  # inserts and updates on ordinary tables
    user.first_name = "Otro"
    user.save()
    add_events(1)
    assert AuditEvent.objects.exists()


def test_the_grants_command_prints_the_statements(capsys):
    from django.core.management import call_command

    call_command("audit", "grants", "mapro_app")
    out = capsys.readouterr().out
    assert 'GRANT SELECT, INSERT ON "public"."audit_auditevent" TO "mapro_app";' in out
    assert "TRUNCATE" not in out.split("REVOKE ALL")[0]
