"""No index of the project's tables is a leading prefix of another index on the same table
(docs/architecture.md, "Indexes"; docs/benchmarks.md, section 1).

PostgreSQL keeps every index of a row at each insert and at each update that is not HOT, and
the completion writes an instance, two work items, role rows, a history row and an audit event
per step, a ticket's change rewrites its row, and so on. An index whose columns (with their
operator classes) begin another index answers no query the longer one does not, and costs at
every write: Django adds one for each foreign key (``db_index``) and for each
``unique``/``db_index`` character field (its ``_like`` twin), so a new field or ``Meta.indexes``
entry can bring one back unnoticed.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's catalog"),
]

#: Tables not checked, and why.
#: Django's own (``auth_*``, ``django_*``): their indexes are Django's, not ours to change.
EXCLUDED_PREFIXES = ("auth_", "django_")
#: The tables Django creates for a ``ManyToManyField`` without a ``through`` model: Django
#: manages their ``(from_id, to_id)`` unique index and ``from_id`` index, and dropping the
#: latter would need a ``through`` model of our own for a few rows per parent (accounts of a
#: ticket, hosts of a system, what a release closes or was reviewed by).
AUTOMATIC_M2M_TABLES = frozenset(
    {
        "iam_account_instances",
        "iam_account_tickets",
        "systems_informationsystem_hosts",
        "systems_release_closes",
        "systems_release_reviews",
    }
)

_REDUNDANT = """
SELECT a.indrelid::regclass::text, a.indexrelid::regclass::text, b.indexrelid::regclass::text
FROM pg_index a
JOIN pg_index b ON b.indrelid = a.indrelid AND b.indexrelid <> a.indexrelid
JOIN pg_class ia ON ia.oid = a.indexrelid
JOIN pg_class ib ON ib.oid = b.indexrelid
JOIN pg_class t ON t.oid = a.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
WHERE NOT a.indisunique
  AND a.indpred IS NULL AND b.indpred IS NULL
  AND a.indexprs IS NULL AND b.indexprs IS NULL
  AND ia.relam = ib.relam
  AND a.indnatts <= b.indnatts
  AND (b.indkey::int2[])[0:a.indnatts - 1] = (a.indkey::int2[])[0:a.indnatts - 1]
  AND (b.indclass::oid[])[0:a.indnatts - 1] = (a.indclass::oid[])[0:a.indnatts - 1]
ORDER BY 1, 2
"""


def _redundant() -> list[tuple[str, str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(_REDUNDANT)
        return [tuple(row) for row in cursor.fetchall()]


def test_the_catalog_query_finds_a_prefix_index() -> None:
    # The check itself: an index that begins another one on the same table is reported.
    with connection.cursor() as cursor:
        cursor.execute("CREATE INDEX test_wi_n_prefix ON procedures_workitem (n)")
        cursor.execute("CREATE INDEX test_wi_n_state ON procedures_workitem (n, state)")
    found = _redundant()
    assert ("procedures_workitem", "test_wi_n_prefix", "test_wi_n_state") in found
    assert not any(row[1] == "test_wi_n_state" for row in found)


def test_the_excluded_m2m_tables_are_the_automatic_ones() -> None:
    # The exclusion list cannot go stale: a many-to-many that gains a through model of ours (or
    # a new automatic one) changes this set, and the list above with it.
    automatic = {
        model._meta.db_table
        for config in apps.get_app_configs()
        if config.name.startswith("mapro.")
        for model in config.get_models(include_auto_created=True)
        if model._meta.auto_created
    }
    assert automatic == AUTOMATIC_M2M_TABLES


def test_no_redundant_index_on_the_projects_tables() -> None:
    found = [
        row
        for row in _redundant()
        if not row[0].startswith(EXCLUDED_PREFIXES) and row[0] not in AUTOMATIC_M2M_TABLES
    ]
    assert found == [], f"índices redundantes (tabla, índice, cubierto por): {found}"


#: The pattern-operator-class twins kept beside another index on the same column, and why. A
#: ``unique``/``db_index`` character field brings one (``…_like``) unasked; one that no prefix
#: query reads goes (a unique field becomes a named ``UniqueConstraint``, which brings none).
KEPT_PATTERN_TWINS = {
    # The viewer filters by action exactly, newest first, on (action, id), and by prefix
    # ("ticket.") on the pattern index.
    ("audit_auditevent", "action"): "audit_action_id_idx + audit_action_prefix_idx",
    # Subtrees are prefix queries on the materialized path; the plain index gives the tree
    # order (ORDER BY path), which a pattern index cannot under the C.UTF-8 collation.
    ("helpdesk_category", "path"): "subtree prefix + tree order",
    ("organization_unit", "path"): "subtree prefix + tree order",
    # Written only when a ficha is published; not yet judged (procedures' indexes are the
    # lead's change, docs/benchmarks.md section 1).
    ("procedures_procedure", "code"): "written at publication only",
    ("procedures_procedureversion", "content_hash"): "written at publication only",
}

_PATTERN_TWINS = """
SELECT DISTINCT t.relname::text, att.attname::text
FROM pg_index a
JOIN pg_class t ON t.oid = a.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
JOIN pg_opclass oc ON oc.oid = (a.indclass::oid[])[0]
JOIN pg_attribute att ON att.attrelid = t.oid AND att.attnum = (a.indkey::int2[])[0]
JOIN pg_index b ON b.indrelid = a.indrelid AND b.indexrelid <> a.indexrelid
  AND (b.indkey::int2[])[0] = (a.indkey::int2[])[0]
  AND (b.indclass::oid[])[0] <> (a.indclass::oid[])[0]
WHERE oc.opcname LIKE '%pattern_ops'
ORDER BY 1, 2
"""


def test_no_unjudged_pattern_twin_on_the_projects_tables() -> None:
    # A column with both a pattern-ops index (LIKE 'x%') and another index beginning with it
    # is kept only where both are read (KEPT_PATTERN_TWINS says by what).
    with connection.cursor() as cursor:
        cursor.execute(_PATTERN_TWINS)
        found = {
            (table, column)
            for table, column in cursor.fetchall()
            if not table.startswith(EXCLUDED_PREFIXES) and table not in AUTOMATIC_M2M_TABLES
        }
    assert found == set(KEPT_PATTERN_TWINS), (
        f"sobran: {sorted(found - set(KEPT_PATTERN_TWINS))}; "
        f"ya no están: {sorted(set(KEPT_PATTERN_TWINS) - found)}"
    )


_UNINDEXED_FOREIGN_KEYS = """
SELECT c.conrelid::regclass::text, a.attname::text
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = current_schema()
JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
WHERE c.contype = 'f' AND array_length(c.conkey, 1) = 1
  AND NOT EXISTS (
    SELECT 1 FROM pg_index i
    WHERE i.indrelid = c.conrelid AND i.indpred IS NULL AND i.indkey[0] = c.conkey[1]
  )
ORDER BY 1, 2
"""


def test_every_foreign_key_keeps_an_index_that_leads_with_it() -> None:
    # The other side of the rule: ``db_index=False`` only where another index (not partial)
    # leads with the column, and that index not dropped later. Without one, deleting or
    # protecting a referenced row scans the whole referencing table.
    with connection.cursor() as cursor:
        cursor.execute(_UNINDEXED_FOREIGN_KEYS)
        found = cursor.fetchall()
    assert found == [], f"claves foráneas sin índice que empiece por ellas: {found}"
