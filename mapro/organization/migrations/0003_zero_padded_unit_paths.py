"""Rewrite unit paths with zero-padded ids ("/000001/000004/"), so text order is tree order."""

from django.db import migrations


def _rewrite(apps, schema_editor, segment):
    unit_model = apps.get_model("organization", "Unit")
    level = list(unit_model.objects.filter(parent__isnull=True))
    parent_paths = {}
    while level:
        for unit in level:
            base = parent_paths.get(unit.parent_id, "/")
            unit.path = base + segment(unit.pk)
            parent_paths[unit.pk] = unit.path
        unit_model.objects.bulk_update(level, ["path"])
        level = list(unit_model.objects.filter(parent_id__in=[u.pk for u in level]))


def forwards(apps, schema_editor):
    _rewrite(apps, schema_editor, lambda pk: f"{pk:06d}/")


def backwards(apps, schema_editor):
    _rewrite(apps, schema_editor, lambda pk: f"{pk}/")


class Migration(migrations.Migration):
    dependencies = [
        ("organization", "0002_person_entity_and_date_order"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
