"""Drop the indexes no query needs (docs/architecture.md, "Indexes"): the single-column indexes of
the foreign keys visit.unit, visitperson.visit, which a composite index or unique constraint of
the same table already leads with (only the indexes go: Django's AlterField would also drop and
re-add each foreign-key constraint, re-validating it over the whole table, to change nothing)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("datacenter", "0001_visits_documents_and_logbook"),
        ("organization", "0003_zero_padded_unit_paths"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="visit",
                    name="unit",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organization.unit",
                        verbose_name="unidad",
                    ),
                ),
                migrations.AlterField(
                    model_name="visitperson",
                    name="visit",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="people",
                        to="datacenter.visit",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "datacenter_visit_unit_id_21bdb89a"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "datacenter_visit_unit_id_21bdb89a" ON "datacenter_visit" ("unit_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "datacenter_visitperson_visit_id_2609875c"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "datacenter_visitperson_visit_id_2609875c" ON "datacenter_visitperson" ("visit_id")',
                ),
            ],
        ),
    ]
