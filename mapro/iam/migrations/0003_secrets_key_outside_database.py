"""One-time secrets sealed with a key outside the database: the link token goes.

Pending secrets sealed under a link token cannot be opened by the new page (which needs no
token); they are destroyed, as a new link would, and the manager issues a new one.
"""

from django.db import migrations
from django.utils import timezone


def destroy_token_sealed(apps, schema_editor):
    secret = apps.get_model("iam", "OneTimeSecret")
    secret.objects.filter(ciphertext__isnull=False).update(
        ciphertext=None, expires_at=timezone.now()
    )


class Migration(migrations.Migration):
    dependencies = [("iam", "0002_other_privilege")]

    operations = [
        migrations.RunPython(destroy_token_sealed, migrations.RunPython.noop),
        migrations.RemoveField(model_name="onetimesecret", name="token_hash"),
    ]
