"""Drop the indexes no query needs (docs/architecture.md, "Indexes"): the single-column indexes of
the foreign keys release.system, systemenvironment.system, which a composite index or unique
constraint of the same table already leads with (only the indexes go: Django's AlterField would
also drop and re-add each foreign-key constraint, re-validating it over the whole table, to
change nothing); and the varchar_pattern_ops twins of informationsystem.code, unique character
fields only ever looked up exactly, never by prefix (their uniqueness moves to a named
UniqueConstraint, which brings no twin)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0002_maintenance_visits_and_referral"),
        ("organization", "0003_zero_padded_unit_paths"),
        ("procedures", "0009_instance_state_json"),
        ("systems", "0003_system_hosts_in_inventory"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="release",
                    name="system",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="releases",
                        to="systems.informationsystem",
                        verbose_name="sistema",
                    ),
                ),
                migrations.AlterField(
                    model_name="systemenvironment",
                    name="system",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="environments",
                        to="systems.informationsystem",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "systems_release_system_id_c8fe4186"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "systems_release_system_id_c8fe4186" ON "systems_release" ("system_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "systems_systemenvironment_system_id_4a55026d"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "systems_systemenvironment_system_id_4a55026d" ON "systems_systemenvironment" ("system_id")',
                ),
            ],
        ),
        migrations.AlterField(
            model_name="informationsystem",
            name="code",
            field=models.CharField(max_length=40, verbose_name="código"),
        ),
        migrations.AddConstraint(
            model_name="informationsystem",
            constraint=models.UniqueConstraint(
                fields=("code",), name="systems_informationsystem_code_uniq"
            ),
        ),
    ]
