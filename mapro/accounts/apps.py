from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mapro.accounts"
    label = "accounts"
    verbose_name = "Acceso"

    def ready(self) -> None:
        # The token scheme's OpenAPI description (``schema``) is imported only when a schema is
        # generated (mapro.core.api.openapi.apply_deferred).
        from . import signals  # noqa: F401  (connects the login/logout receivers)
