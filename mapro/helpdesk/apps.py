from django.apps import AppConfig


class HelpdeskConfig(AppConfig):
    name = "mapro.helpdesk"
    label = "helpdesk"
    verbose_name = "Mesa de ayuda"
