"""The two PostgreSQL roles of a deployment: the owner that migrates, the runtime role that runs.

The owner role owns every table (it runs ``mapro migrate``); web processes and workers connect
as a runtime role that may read and write the application's tables but, on the audit table,
only INSERT and SELECT: no UPDATE, DELETE or TRUNCATE privilege, no ownership (so no ALTER
TABLE, no DISABLE TRIGGER, no DROP), whatever session settings it sets (the test suite's
``mapro.allow_audit_truncate`` needs the TRUNCATE privilege the runtime role lacks).
``mapro audit grants <role>`` prints the statements; the owner runs them after each migrate
(docs/deploy.md; ``ALTER DEFAULT PRIVILEGES`` covers tables later migrations create, the audit
table's own REVOKE is re-run each time).
"""

from __future__ import annotations

from django.db import connection

from .models import AuditEvent


def runtime_grants(role: str, *, schema: str = "public") -> list[str]:
    """SQL the owner runs to give ``role`` the runtime privileges (module doc)."""
    q = connection.ops.quote_name
    r, s, audit = q(role), q(schema), q(AuditEvent._meta.db_table)
    return [
        f"GRANT USAGE ON SCHEMA {s} TO {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {r}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {s} TO {r}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT SELECT, INSERT, UPDATE, DELETE "
        f"ON TABLES TO {r}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {r}",
        f"REVOKE ALL ON {s}.{audit} FROM {r}",
        f"GRANT SELECT, INSERT ON {s}.{audit} TO {r}",
    ]
