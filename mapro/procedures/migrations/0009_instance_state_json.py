"""``Instance.state`` as PostgreSQL ``json`` compressed with lz4 (docs/benchmarks.md, section 1).

The state is written and read whole at every step and never queried inside, so ``json`` (the
text as written, its syntax checked) spares the server parsing and printing ``jsonb``; lz4
compresses and decompresses the TOASTed value several times faster than the default pglz.
SQLite keeps its text column.
"""

from django.db import migrations

import mapro.procedures.models.runtime

LZ4 = """
DO $$
BEGIN
    ALTER TABLE procedures_instance ALTER COLUMN state SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    NULL;  -- a server built without lz4 keeps pglz
END $$;
"""


def compress_with_lz4(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(LZ4)


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0008_work_item_return_to"),
    ]

    operations = [
        migrations.AlterField(
            model_name="instance",
            name="state",
            field=mapro.procedures.models.runtime.WorkflowStateField(
                default=dict, verbose_name="estado del flujo"
            ),
        ),
        migrations.RunPython(compress_with_lz4, migrations.RunPython.noop, elidable=True),
    ]
