"""Drop the indexes no query needs (docs/architecture.md, "Indexes"): the single-column indexes of
the foreign keys directoryoperation.instance, which a composite index or unique constraint of
the same table already leads with (only the indexes go: Django's AlterField would also drop and
re-add each foreign-key constraint, re-validating it over the whole table, to change nothing);
and the varchar_pattern_ops twins of directoryoperation.key, unique character fields only ever
looked up exactly, never by prefix (their uniqueness moves to a named UniqueConstraint, which
brings no twin)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("directory", "0001_initial"),
        ("procedures", "0009_instance_state_json"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="directoryoperation",
                    name="instance",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="procedures.instance",
                        verbose_name="expediente",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "directory_directoryoperation_instance_id_a39c78e3"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "directory_directoryoperation_instance_id_a39c78e3" ON "directory_directoryoperation" ("instance_id")',
                ),
            ],
        ),
        migrations.AlterField(
            model_name="directoryoperation",
            name="key",
            field=models.CharField(max_length=200, verbose_name="clave de idempotencia"),
        ),
        migrations.AddConstraint(
            model_name="directoryoperation",
            constraint=models.UniqueConstraint(
                fields=("key",), name="directory_directoryoperation_key_uniq"
            ),
        ),
    ]
