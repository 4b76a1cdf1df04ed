"""Drop the indexes no query needs (docs/architecture.md, "Indexes"): the varchar_pattern_ops twins
of apitoken.key_hash, usersession.session_key, unique character fields only ever looked up
exactly, never by prefix (their uniqueness moves to a named UniqueConstraint, which brings no
twin)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_unlock_codes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="apitoken",
            name="key_hash",
            field=models.CharField(max_length=64),
        ),
        migrations.AlterField(
            model_name="usersession",
            name="session_key",
            field=models.CharField(max_length=40, verbose_name="clave de sesión"),
        ),
        migrations.AddConstraint(
            model_name="apitoken",
            constraint=models.UniqueConstraint(
                fields=("key_hash",), name="accounts_apitoken_key_hash_uniq"
            ),
        ),
        migrations.AddConstraint(
            model_name="usersession",
            constraint=models.UniqueConstraint(
                fields=("session_key",), name="accounts_usersession_session_key_uniq"
            ),
        ),
    ]
