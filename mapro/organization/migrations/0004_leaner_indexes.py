"""Drop the indexes no query needs (docs/architecture.md, "Indexes"): the single-column indexes of
the foreign keys roleassignment.person, which a composite index or unique constraint of the
same table already leads with (only the indexes go: Django's AlterField would also drop and re-
add each foreign-key constraint, re-validating it over the whole table, to change nothing); and
the varchar_pattern_ops twins of externalorganization.code, role.code, unit.code, unique
character fields only ever looked up exactly, never by prefix (their uniqueness moves to a
named UniqueConstraint, which brings no twin); and the plain unique index of person.dni, looked
up both exactly and by prefix: one unique varchar_pattern_ops index serves both."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organization", "0003_zero_padded_unit_paths"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="roleassignment",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="assignments",
                        to="organization.person",
                        verbose_name="persona",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "organization_roleassignment_person_id_ab64c4cc"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "organization_roleassignment_person_id_ab64c4cc" ON "organization_roleassignment" ("person_id")',
                ),
            ],
        ),
        migrations.AlterField(
            model_name="externalorganization",
            name="code",
            field=models.CharField(max_length=30, verbose_name="sigla"),
        ),
        migrations.AlterField(
            model_name="person",
            name="dni",
            field=models.CharField(
                max_length=8,
                validators=[
                    django.core.validators.RegexValidator(
                        "^\\d{8}$", "El DNI debe tener exactamente 8 dígitos."
                    )
                ],
                verbose_name="DNI",
            ),
        ),
        migrations.AlterField(
            model_name="role",
            name="code",
            field=models.SlugField(db_index=False, max_length=40, verbose_name="código"),
        ),
        migrations.AlterField(
            model_name="unit",
            name="code",
            field=models.CharField(max_length=30, verbose_name="sigla"),
        ),
        migrations.AddConstraint(
            model_name="externalorganization",
            constraint=models.UniqueConstraint(
                fields=("code",), name="organization_externalorganization_code_uniq"
            ),
        ),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                fields=("dni",),
                name="organization_person_dni_uniq",
                opclasses=["varchar_pattern_ops"],
            ),
        ),
        migrations.AddConstraint(
            model_name="role",
            constraint=models.UniqueConstraint(
                fields=("code",), name="organization_role_code_uniq"
            ),
        ),
        migrations.AddConstraint(
            model_name="unit",
            constraint=models.UniqueConstraint(
                fields=("code",), name="organization_unit_code_uniq"
            ),
        ),
    ]
