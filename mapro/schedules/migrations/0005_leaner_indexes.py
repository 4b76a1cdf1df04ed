"""Drop the indexes no query needs (docs/architecture.md, "Indexes"): the single-column indexes of
the foreign keys deadlinenotice.work_item, plan.procedure, planitem.plan, planoccurrence.item,
scheduleoccurrence.schedule, which a composite index or unique constraint of the same table
already leads with (only the indexes go: Django's AlterField would also drop and re-add each
foreign-key constraint, re-validating it over the whole table, to change nothing); and the
varchar_pattern_ops twins of calendarfeedtoken.token_hash, unique character fields only ever
looked up exactly, never by prefix (their uniqueness moves to a named UniqueConstraint, which
brings no twin)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0009_instance_state_json"),
        ("schedules", "0004_plans"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="deadlinenotice",
                    name="work_item",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deadline_notices",
                        to="procedures.workitem",
                        verbose_name="tarea",
                    ),
                ),
                migrations.AlterField(
                    model_name="plan",
                    name="procedure",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="plans",
                        to="procedures.procedure",
                        verbose_name="procedimiento",
                    ),
                ),
                migrations.AlterField(
                    model_name="planitem",
                    name="plan",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="schedules.plan",
                        verbose_name="cronograma",
                    ),
                ),
                migrations.AlterField(
                    model_name="planoccurrence",
                    name="item",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="occurrences",
                        to="schedules.planitem",
                        verbose_name="línea",
                    ),
                ),
                migrations.AlterField(
                    model_name="scheduleoccurrence",
                    name="schedule",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="occurrences",
                        to="schedules.schedule",
                        verbose_name="cronograma",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "schedules_deadlinenotice_work_item_id_08d315b7"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "schedules_deadlinenotice_work_item_id_08d315b7" ON "schedules_deadlinenotice" ("work_item_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "schedules_plan_procedure_id_b82cf9b5"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "schedules_plan_procedure_id_b82cf9b5" ON "schedules_plan" ("procedure_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "schedules_planitem_plan_id_ac47a830"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "schedules_planitem_plan_id_ac47a830" ON "schedules_planitem" ("plan_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "schedules_planoccurrence_item_id_2a9a0eb6"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "schedules_planoccurrence_item_id_2a9a0eb6" ON "schedules_planoccurrence" ("item_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "schedules_scheduleoccurrence_schedule_id_1c7ef2db"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "schedules_scheduleoccurrence_schedule_id_1c7ef2db" ON "schedules_scheduleoccurrence" ("schedule_id")',
                ),
            ],
        ),
        migrations.AlterField(
            model_name="calendarfeedtoken",
            name="token_hash",
            field=models.CharField(max_length=64, verbose_name="huella del token"),
        ),
        migrations.AddConstraint(
            model_name="calendarfeedtoken",
            constraint=models.UniqueConstraint(
                fields=("token_hash",), name="schedules_calendarfeedtoken_token_hash_uniq"
            ),
        ),
    ]
