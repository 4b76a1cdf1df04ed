"""Drop the indexes no query needs (docs/architecture.md, "Indexes"): the varchar_pattern_ops twins
of certdevice.serial, phoneequipment.serial, unique character fields only ever looked up
exactly, never by prefix (their uniqueness moves to a named UniqueConstraint, which brings no
twin)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("assets", "0001_inventories_and_registers"),
        ("organization", "0003_zero_padded_unit_paths"),
    ]

    operations = [
        migrations.AlterField(
            model_name="certdevice",
            name="serial",
            field=models.CharField(max_length=100, verbose_name="serie o código"),
        ),
        migrations.AlterField(
            model_name="phoneequipment",
            name="serial",
            field=models.CharField(max_length=100, verbose_name="N° de serie"),
        ),
        migrations.AddConstraint(
            model_name="certdevice",
            constraint=models.UniqueConstraint(
                fields=("serial",), name="assets_certdevice_serial_uniq"
            ),
        ),
        migrations.AddConstraint(
            model_name="phoneequipment",
            constraint=models.UniqueConstraint(
                fields=("serial",), name="assets_phoneequipment_serial_uniq"
            ),
        ),
    ]
