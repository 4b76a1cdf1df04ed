"""Drop the indexes no query needs (docs/architecture.md, "Indexes"): the single-column indexes of
the foreign keys calendarentry.dataset, consolidatedrow.dataset, publishedtable.publication,
which a composite index or unique constraint of the same table already leads with (only the
indexes go: Django's AlterField would also drop and re-add each foreign-key constraint, re-
validating it over the whole table, to change nothing); and the varchar_pattern_ops twins of
dataset.code, stattable.code, unique character fields only ever looked up exactly, never by
prefix (their uniqueness moves to a named UniqueConstraint, which brings no twin); and both
indexes of publishedtable.code, only ever read together with the column a unique constraint
leads with."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("statistics", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="calendarentry",
                    name="dataset",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="statistics.dataset",
                    ),
                ),
                migrations.AlterField(
                    model_name="consolidatedrow",
                    name="dataset",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="rows",
                        to="statistics.dataset",
                    ),
                ),
                migrations.AlterField(
                    model_name="publishedtable",
                    name="publication",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="tables",
                        to="statistics.publication",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "statistics_calendarentry_dataset_id_89547c1e"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "statistics_calendarentry_dataset_id_89547c1e" ON "statistics_calendarentry" ("dataset_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "statistics_consolidatedrow_dataset_id_232ce34c"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "statistics_consolidatedrow_dataset_id_232ce34c" ON "statistics_consolidatedrow" ("dataset_id")',
                ),
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "statistics_publishedtable_publication_id_53da5b8c"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "statistics_publishedtable_publication_id_53da5b8c" ON "statistics_publishedtable" ("publication_id")',
                ),
            ],
        ),
        migrations.AlterField(
            model_name="dataset",
            name="code",
            field=models.SlugField(db_index=False, max_length=60, verbose_name="código"),
        ),
        migrations.AlterField(
            model_name="publishedtable",
            name="code",
            field=models.SlugField(db_index=False, max_length=60, verbose_name="código"),
        ),
        migrations.AlterField(
            model_name="stattable",
            name="code",
            field=models.SlugField(db_index=False, max_length=60, verbose_name="código"),
        ),
        migrations.AddConstraint(
            model_name="dataset",
            constraint=models.UniqueConstraint(
                fields=("code",), name="statistics_dataset_code_uniq"
            ),
        ),
        migrations.AddConstraint(
            model_name="stattable",
            constraint=models.UniqueConstraint(
                fields=("code",), name="statistics_stattable_code_uniq"
            ),
        ),
    ]
