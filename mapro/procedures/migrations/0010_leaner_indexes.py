"""Drop the single-column indexes of seven foreign keys that a composite index already leads
with (docs/benchmarks.md, section 1: every step writes these rows, and each index is kept at every
write). Only the indexes go: Django's AlterField would also drop and re-add (and so re-validate
over the whole table) each foreign-key constraint, which does not change."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organization", "0003_zero_padded_unit_paths"),
        ("procedures", "0009_instance_state_json"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="effectoutcome",
                    name="instance",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="effect_outcomes",
                        to="procedures.instance",
                        verbose_name="expediente",
                    ),
                ),
                migrations.AlterField(
                    model_name="effectoutcome",
                    name="record",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="effect_outcomes",
                        to="procedures.taskrecord",
                        verbose_name="paso",
                    ),
                ),
                migrations.AlterField(
                    model_name="instance",
                    name="started_by",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="iniciado por",
                    ),
                ),
                migrations.AlterField(
                    model_name="instance",
                    name="unit",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organization.unit",
                        verbose_name="unidad",
                    ),
                ),
                migrations.AlterField(
                    model_name="taskrecord",
                    name="instance",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="history",
                        to="procedures.instance",
                        verbose_name="expediente",
                    ),
                ),
                migrations.AlterField(
                    model_name="workitem",
                    name="instance",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="work_items",
                        to="procedures.instance",
                        verbose_name="expediente",
                    ),
                ),
                migrations.AlterField(
                    model_name="workitemrole",
                    name="work_item",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="role_rows",
                        to="procedures.workitem",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "procedures_instance_started_by_id_883e0d69"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "procedures_instance_started_by_id_883e0d69" ON "procedures_instance" ("started_by_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "procedures_instance_unit_id_e76f401f"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "procedures_instance_unit_id_e76f401f" ON "procedures_instance" ("unit_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "procedures_taskrecord_instance_id_18f65efa"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "procedures_taskrecord_instance_id_18f65efa" ON "procedures_taskrecord" ("instance_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "procedures_workitem_instance_id_d4ceae58"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "procedures_workitem_instance_id_d4ceae58" ON "procedures_workitem" ("instance_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "procedures_workitemrole_work_item_id_67c9634f"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "procedures_workitemrole_work_item_id_67c9634f" ON "procedures_workitemrole" ("work_item_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "procedures_effectoutcome_instance_id_8a1aa107"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "procedures_effectoutcome_instance_id_8a1aa107" ON "procedures_effectoutcome" ("instance_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "procedures_effectoutcome_record_id_03a53628"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "procedures_effectoutcome_record_id_03a53628" ON "procedures_effectoutcome" ("record_id")',
                ),
            ],
        ),
    ]
