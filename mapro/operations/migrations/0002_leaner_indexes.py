"""Drop the indexes no query needs (docs/architecture.md, "Indexes"): the single-column indexes of
the foreign keys runrecord.equipment, which a composite index or unique constraint of the same
table already leads with (only the indexes go: Django's AlterField would also drop and re-add
each foreign-key constraint, re-validating it over the whole table, to change nothing); and the
varchar_pattern_ops twins of runtoken.token_hash, unique character fields only ever looked up
exactly, never by prefix (their uniqueness moves to a named UniqueConstraint, which brings no
twin)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0002_maintenance_visits_and_referral"),
        ("operations", "0001_run_records"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="runrecord",
                    name="equipment",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="run_records",
                        to="inventory.equipment",
                        verbose_name="equipo",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "operations_runrecord_equipment_id_9530b008"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "operations_runrecord_equipment_id_9530b008" ON "operations_runrecord" ("equipment_id")',
                ),
            ],
        ),
        migrations.AlterField(
            model_name="runtoken",
            name="token_hash",
            field=models.CharField(max_length=64, verbose_name="huella del token"),
        ),
        migrations.AddConstraint(
            model_name="runtoken",
            constraint=models.UniqueConstraint(
                fields=("token_hash",), name="operations_runtoken_token_hash_uniq"
            ),
        ),
    ]
