"""Copy each work item's creation time into its ``WorkItemRole`` rows, for the inbox order.

The column is added nullable, filled from ``procedures_workitem`` (one UPDATE with a
correlated subquery, on SQLite and PostgreSQL alike), then made NOT NULL. Two partial indexes
over the open rows give a role's items (or a role's items in one unit) already in inbox order.
"""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_created_at(apps, schema_editor):
    WorkItem = apps.get_model("procedures", "WorkItem")
    WorkItemRole = apps.get_model("procedures", "WorkItemRole")
    WorkItemRole.objects.using(schema_editor.connection.alias).update(
        created_at=Subquery(
            WorkItem.objects.filter(pk=OuterRef("work_item_id")).values("created_at")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("procedures", "0003_effect_outcome"),
    ]

    operations = [
        migrations.AddField(
            model_name="workitemrole",
            name="created_at",
            field=models.DateTimeField(null=True, verbose_name="creada (copia de la tarea)"),
        ),
        migrations.RunPython(copy_created_at, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="workitemrole",
            name="created_at",
            field=models.DateTimeField(verbose_name="creada (copia de la tarea)"),
        ),
        migrations.AddIndex(
            model_name="workitemrole",
            index=models.Index(
                condition=models.Q(("is_open", True)),
                fields=["role", "created_at", "work_item"],
                name="proc_wirole_open_order",
            ),
        ),
        migrations.AddIndex(
            model_name="workitemrole",
            index=models.Index(
                condition=models.Q(("is_open", True)),
                fields=["role", "unit", "created_at", "work_item"],
                name="proc_wirole_open_unit_order",
            ),
        ),
    ]
