"""Drop the indexes no query needs (docs/architecture.md, "Indexes"): the single-column indexes of
the foreign keys attendance.session, followupperiod.plan, objective.plan, project.plan,
projectprogress.period, which a composite index or unique constraint of the same table already
leads with (only the indexes go: Django's AlterField would also drop and re-add each foreign-
key constraint, re-validating it over the whole table, to change nothing); and the
varchar_pattern_ops twins of agreement.code, plan.code, project.code, risk.code, session.code,
unique character fields only ever looked up exactly, never by prefix (their uniqueness moves to
a named UniqueConstraint, which brings no twin)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("govdigital", "0001_pgd_cgd_risks"),
        ("procedures", "0009_instance_state_json"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="attendance",
                    name="session",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attendance",
                        to="govdigital.session",
                    ),
                ),
                migrations.AlterField(
                    model_name="followupperiod",
                    name="plan",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="periods",
                        to="govdigital.plan",
                    ),
                ),
                migrations.AlterField(
                    model_name="objective",
                    name="plan",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="objectives",
                        to="govdigital.plan",
                    ),
                ),
                migrations.AlterField(
                    model_name="project",
                    name="plan",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="projects",
                        to="govdigital.plan",
                    ),
                ),
                migrations.AlterField(
                    model_name="projectprogress",
                    name="period",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="progress",
                        to="govdigital.followupperiod",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "govdigital_attendance_session_id_a94450c9"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "govdigital_attendance_session_id_a94450c9" ON "govdigital_attendance" ("session_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "govdigital_followupperiod_plan_id_7ffd8983"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "govdigital_followupperiod_plan_id_7ffd8983" ON "govdigital_followupperiod" ("plan_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "govdigital_objective_plan_id_f06cc197"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "govdigital_objective_plan_id_f06cc197" ON "govdigital_objective" ("plan_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "govdigital_project_plan_id_7d65c267"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "govdigital_project_plan_id_7d65c267" ON "govdigital_project" ("plan_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "govdigital_projectprogress_period_id_e3b04ef7"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "govdigital_projectprogress_period_id_e3b04ef7" ON "govdigital_projectprogress" ("period_id")',
                ),
            ],
        ),
        migrations.AlterField(
            model_name="agreement",
            name="code",
            field=models.CharField(editable=False, max_length=30, verbose_name="código"),
        ),
        migrations.AlterField(
            model_name="plan",
            name="code",
            field=models.CharField(max_length=20, verbose_name="código"),
        ),
        migrations.AlterField(
            model_name="project",
            name="code",
            field=models.CharField(max_length=30, verbose_name="código"),
        ),
        migrations.AlterField(
            model_name="risk",
            name="code",
            field=models.CharField(editable=False, max_length=20, verbose_name="código"),
        ),
        migrations.AlterField(
            model_name="session",
            name="code",
            field=models.CharField(editable=False, max_length=20, verbose_name="código"),
        ),
        migrations.AddConstraint(
            model_name="agreement",
            constraint=models.UniqueConstraint(
                fields=("code",), name="govdigital_agreement_code_uniq"
            ),
        ),
        migrations.AddConstraint(
            model_name="plan",
            constraint=models.UniqueConstraint(fields=("code",), name="govdigital_plan_code_uniq"),
        ),
        migrations.AddConstraint(
            model_name="project",
            constraint=models.UniqueConstraint(
                fields=("code",), name="govdigital_project_code_uniq"
            ),
        ),
        migrations.AddConstraint(
            model_name="risk",
            constraint=models.UniqueConstraint(fields=("code",), name="govdigital_risk_code_uniq"),
        ),
        migrations.AddConstraint(
            model_name="session",
            constraint=models.UniqueConstraint(
                fields=("code",), name="govdigital_session_code_uniq"
            ),
        ),
    ]
