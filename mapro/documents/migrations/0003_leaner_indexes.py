"""Drop the indexes no query needs (docs/architecture.md, "Indexes"): the single-column indexes of
the foreign keys document.record, which a composite index or unique constraint of the same
table already leads with (only the indexes go: Django's AlterField would also drop and re-add
each foreign-key constraint, re-validating it over the whole table, to change nothing)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_one_number_and_signatures"),
        ("procedures", "0009_instance_state_json"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="document",
                    name="record",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="documents",
                        to="procedures.taskrecord",
                        verbose_name="paso del expediente",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "documents_document_record_id_940bd0ec"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "documents_document_record_id_940bd0ec" ON "documents_document" ("record_id")',
                ),
            ],
        ),
    ]
