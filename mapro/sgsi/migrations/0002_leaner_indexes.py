"""Drop the indexes no query needs (docs/architecture.md, "Indexes"): the single-column indexes of
the foreign keys sgsidocumentversion.document, which a composite index or unique constraint of
the same table already leads with (only the indexes go: Django's AlterField would also drop and
re-add each foreign-key constraint, re-validating it over the whole table, to change nothing);
and the varchar_pattern_ops twins of informationasset.code, sgsidocument.code, unique character
fields only ever looked up exactly, never by prefix (their uniqueness moves to a named
UniqueConstraint, which brings no twin)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organization", "0003_zero_padded_unit_paths"),
        ("sgsi", "0001_documents_and_asset_inventory"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="sgsidocumentversion",
                    name="document",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="versions",
                        to="sgsi.sgsidocument",
                        verbose_name="documento",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "sgsi_sgsidocumentversion_document_id_7c986b9c"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "sgsi_sgsidocumentversion_document_id_7c986b9c" ON "sgsi_sgsidocumentversion" ("document_id")',
                ),
            ],
        ),
        migrations.AlterField(
            model_name="informationasset",
            name="code",
            field=models.CharField(editable=False, max_length=20, verbose_name="código"),
        ),
        migrations.AlterField(
            model_name="sgsidocument",
            name="code",
            field=models.CharField(max_length=40, verbose_name="código"),
        ),
        migrations.AddConstraint(
            model_name="informationasset",
            constraint=models.UniqueConstraint(
                fields=("code",), name="sgsi_informationasset_code_uniq"
            ),
        ),
        migrations.AddConstraint(
            model_name="sgsidocument",
            constraint=models.UniqueConstraint(
                fields=("code",), name="sgsi_sgsidocument_code_uniq"
            ),
        ),
    ]
