"""Drop the indexes no query needs (docs/architecture.md, "Indexes"): the single-column indexes of
the foreign keys ticketarticlelink.ticket, which a composite index or unique constraint of the
same table already leads with (only the indexes go: Django's AlterField would also drop and re-
add each foreign-key constraint, re-validating it over the whole table, to change nothing)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("helpdesk", "0009_requester_list_indexes"),
        ("knowledge", "0001_articles_and_ticket_links"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="ticketarticlelink",
                    name="ticket",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="article_links",
                        to="helpdesk.ticket",
                        verbose_name="ticket",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "knowledge_ticketarticlelink_ticket_id_040cc524"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "knowledge_ticketarticlelink_ticket_id_040cc524" ON "knowledge_ticketarticlelink" ("ticket_id")',
                ),
            ],
        ),
    ]
