from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mapro.accounts"
    label = "accounts"
    verbose_name = "Acceso"

    def ready(self) -> None:
        from . import (
            schema,  # noqa: F401  (registers the token scheme with drf-spectacular)
            signals,  # noqa: F401  (connects the login/logout receivers)
        )
