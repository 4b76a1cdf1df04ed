from django.apps import AppConfig


class IamConfig(AppConfig):
    name = "mapro.iam"
    label = "iam"
    verbose_name = "Cuentas, accesos y privilegios"
