"""Drop the indexes no query needs (docs/architecture.md, "Indexes"): the single-column indexes of
the foreign keys leaverevent.person, reconciliationrow.reconciliation, which a composite index
or unique constraint of the same table already leads with (only the indexes go: Django's
AlterField would also drop and re-add each foreign-key constraint, re-validating it over the
whole table, to change nothing); and the varchar_pattern_ops twins of leaverevent.event_id,
unique character fields only ever looked up exactly, never by prefix (their uniqueness moves to
a named UniqueConstraint, which brings no twin)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("hr", "0002_reconciliation_source_and_more"),
        ("organization", "0003_zero_padded_unit_paths"),
        ("procedures", "0009_instance_state_json"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="leaverevent",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="leaver_events",
                        to="organization.person",
                        verbose_name="persona",
                    ),
                ),
                migrations.AlterField(
                    model_name="reconciliationrow",
                    name="reconciliation",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rows",
                        to="hr.reconciliation",
                        verbose_name="conciliación",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "hr_leaverevent_person_id_0d9e684c"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "hr_leaverevent_person_id_0d9e684c" ON "hr_leaverevent" ("person_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "hr_reconciliationrow_reconciliation_id_84a1f4a1"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "hr_reconciliationrow_reconciliation_id_84a1f4a1" ON "hr_reconciliationrow" ("reconciliation_id")',
                ),
            ],
        ),
        migrations.AlterField(
            model_name="leaverevent",
            name="event_id",
            field=models.CharField(max_length=100, verbose_name="id del evento"),
        ),
        migrations.AddConstraint(
            model_name="leaverevent",
            constraint=models.UniqueConstraint(
                fields=("event_id",), name="hr_leaverevent_event_id_uniq"
            ),
        ),
    ]
