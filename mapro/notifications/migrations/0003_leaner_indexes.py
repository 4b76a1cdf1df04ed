"""Drop the indexes no query needs (docs/architecture.md, "Indexes"): the single-column indexes of
the foreign keys notification.recipient, which a composite index or unique constraint of the
same table already leads with (only the indexes go: Django's AlterField would also drop and re-
add each foreign-key constraint, re-validating it over the whole table, to change nothing); and
the plain unique index of outboxmessage.key, looked up both exactly and by prefix: one unique
varchar_pattern_ops index serves both."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_notification"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="notification",
                    name="recipient",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notifications",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="destinatario",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "notifications_notification_recipient_id_d055f3f0"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS "notifications_notification_recipient_id_d055f3f0" ON "notifications_notification" ("recipient_id")',
                ),
            ],
        ),
        migrations.AlterField(
            model_name="outboxmessage",
            name="key",
            field=models.CharField(
                help_text="Identifica el efecto; encolar dos veces la misma clave produce un solo envío.",
                max_length=200,
                verbose_name="clave de idempotencia",
            ),
        ),
        migrations.AddConstraint(
            model_name="outboxmessage",
            constraint=models.UniqueConstraint(
                fields=("key",), name="outbox_key_uniq", opclasses=["varchar_pattern_ops"]
            ),
        ),
    ]
