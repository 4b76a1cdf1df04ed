from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "mapro.accounts"
    label = "accounts"
    verbose_name = "Acceso"
