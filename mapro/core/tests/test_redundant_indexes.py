"""No index on the tables every step and every audited action writes is a leading prefix of
another index on the same table (docs/benchmarks.md, section 1).

PostgreSQL keeps every index of a row at each insert and at each update that is not HOT, and
the completion writes an instance, two work items, role rows, a history row and an audit event
per step. An index whose columns (with their operator classes) begin another index answers no
query the longer one does not, and costs at every write: Django adds one for each foreign key
(``db_index``) and for each ``unique``/``db_index`` character field (its ``_like`` twin), so a
new field or ``Meta.indexes`` entry can bring one back unnoticed. Other apps' tables are not
checked yet (docs/benchmarks.md lists what they carry).
"""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's catalog"),
]

#: Tables written by every completion and every audited action.
CHECKED_PREFIXES = ("procedures_", "audit_")

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


def test_no_redundant_index_on_the_tables_each_step_writes() -> None:
    found = [row for row in _redundant() if row[0].startswith(CHECKED_PREFIXES)]
    assert found == [], f"índices redundantes (tabla, índice, cubierto por): {found}"
