"""Drop the indexes no query needs (docs/architecture.md, "Indexes"): the single-column indexes of
the foreign keys incident.reporting_unit, incidentaction.incident, which a composite index or
unique constraint of the same table already leads with (only the indexes go: Django's
AlterField would also drop and re-add each foreign-key constraint, re-validating it over the
whole table, to change nothing); and the varchar_pattern_ops twins of incident.code, unique
character fields only ever looked up exactly, never by prefix (their uniqueness moves to a
named UniqueConstraint, which brings no twin)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("helpdesk", "0009_requester_list_indexes"),
        ("incidents", "0001_incident_matrix"),
        ("organization", "0003_zero_padded_unit_paths"),
        ("procedures", "0009_instance_state_json"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="incident",
                    name="reporting_unit",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organization.unit",
                        verbose_name="unidad que reporta",
                    ),
                ),
                migrations.AlterField(
                    model_name="incidentaction",
                    name="incident",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="actions",
                        to="incidents.incident",
                        verbose_name="incidente",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "incidents_incident_reporting_unit_id_858822e9"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "incidents_incident_reporting_unit_id_858822e9" ON "incidents_incident" ("reporting_unit_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "incidents_incidentaction_incident_id_194be927"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "incidents_incidentaction_incident_id_194be927" ON "incidents_incidentaction" ("incident_id")',
                ),
            ],
        ),
        migrations.AlterField(
            model_name="incident",
            name="code",
            field=models.CharField(editable=False, max_length=20, verbose_name="código"),
        ),
        migrations.AddConstraint(
            model_name="incident",
            constraint=models.UniqueConstraint(
                fields=("code",), name="incidents_incident_code_uniq"
            ),
        ),
    ]
