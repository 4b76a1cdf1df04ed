from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mapro.accounts"
    label = "accounts"
    verbose_name = "Acceso"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the login/logout receivers)
