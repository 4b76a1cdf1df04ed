from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "mapro.procedures"
    label = "procedures"
    verbose_name = "Procedimientos"
