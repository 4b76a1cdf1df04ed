"""Drop the indexes no query needs (docs/architecture.md, "Indexes"): the single-column indexes of
the foreign keys maintenance.equipment, platformprofile.platform, which a composite index or
unique constraint of the same table already leads with (only the indexes go: Django's
AlterField would also drop and re-add each foreign-key constraint, re-validating it over the
whole table, to change nothing); and the varchar_pattern_ops twins of equipment.code, unique
character fields only ever looked up exactly, never by prefix (their uniqueness moves to a
named UniqueConstraint, which brings no twin)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0002_maintenance_visits_and_referral"),
        ("organization", "0003_zero_padded_unit_paths"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="maintenance",
                    name="equipment",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="maintenances",
                        to="inventory.equipment",
                        verbose_name="equipo",
                    ),
                ),
                migrations.AlterField(
                    model_name="platformprofile",
                    name="platform",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="profiles",
                        to="inventory.equipment",
                        verbose_name="plataforma",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "inventory_maintenance_equipment_id_06a61e68"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "inventory_maintenance_equipment_id_06a61e68" ON "inventory_maintenance" ("equipment_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "inventory_platformprofile_platform_id_b9697ac1"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "inventory_platformprofile_platform_id_b9697ac1" ON "inventory_platformprofile" ("platform_id")',
                ),
            ],
        ),
        migrations.AlterField(
            model_name="equipment",
            name="code",
            field=models.CharField(max_length=40, verbose_name="código de inventario"),
        ),
        migrations.AddConstraint(
            model_name="equipment",
            constraint=models.UniqueConstraint(
                fields=("code",), name="inventory_equipment_code_uniq"
            ),
        ),
    ]
