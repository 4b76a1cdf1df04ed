"""System checks of the one-time secrets' key (``mapro check --deploy``)."""

from __future__ import annotations

import os
from typing import Any

from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_secrets_keys(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The key that seals initial passwords must be set explicitly and be long enough."""
    from .passwords import SecretsKeyError, keyring

    found: list[checks.CheckMessage] = []
    try:
        keyring()
    except SecretsKeyError as exc:
        found.append(checks.Error(str(exc), id="iam.E001"))
    if not (os.environ.get("MAPRO_SECRETS_KEYS") or os.environ.get("MAPRO_SECRETS_KEY_FILE")):
        found.append(
            checks.Warning(
                "La clave de las contraseñas de un solo uso es la generada en var/secrets_key.",
                hint="Defina MAPRO_SECRETS_KEYS o MAPRO_SECRETS_KEY_FILE (docs/deploy.md).",
                id="iam.W001",
            )
        )
    return found
