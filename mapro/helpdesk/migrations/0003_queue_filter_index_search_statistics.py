"""The queue's filtered pages and the full-text search at a million tickets.

Found by ``bench/bench_helpdesk_queue.py`` (docs/benchmarks.md, "Help desk queue"):

- ``hd_ticket_queue_filter`` on (status, category, priority, created_at, id): the console's
  main filters together. Without it PostgreSQL answered "open tickets of the cuentas subtree
  with priority alta" by AND-ing three bitmaps (≈ 30,000 category rows and ≈ 97,000 priority
  rows per category) and took ≈ 200 ms at 1M tickets against ≈ 1 ms at 10k; with it, it
  reads the ≈ 330 matches straight from the index.
- A larger statistics target for ``search_vector`` (PostgreSQL only; the column exists only
  there, migration 0002). With the default (100) ANALYZE keeps the ~1,000 most common
  lexemes and estimates any other word at half the rarest one's frequency: a word in 0.05 % of
  tickets was estimated at 0.3 %, so the planner walked the created_at index filtering the
  search instead of reading the word's few hundred matches from the GIN index (≈ 60 ms at 1M
  against ≈ 2 ms at 10k). 1000 keeps ~10,000 lexemes and estimated that word within 5 %.
"""

from django.db import migrations, models

SEARCH_STATISTICS = 1000


def _search_statistics(target: int):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                "ALTER TABLE helpdesk_ticket ALTER COLUMN search_vector "
                f"SET STATISTICS {int(target)}"
            )
            # New statistics now, not at autovacuum's next analyze of the table.
            schema_editor.execute("ANALYZE helpdesk_ticket")

    return run


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0002_search_vector")]

    operations = [
        migrations.AddIndex(
            model_name="ticket",
            index=models.Index(
                fields=["status", "category", "priority", "-created_at", "-id"],
                name="hd_ticket_queue_filter",
            ),
        ),
        migrations.RunPython(_search_statistics(SEARCH_STATISTICS), _search_statistics(-1)),
    ]
