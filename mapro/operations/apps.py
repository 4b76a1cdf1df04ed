"""Operaciones programadas: the run records of backups, configuration backups and log reviews."""

from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "mapro.operations"
    label = "operations"
    verbose_name = "Registro de ejecuciones"

    def ready(self) -> None:
        from .procedure_effects import register_handlers

        register_handlers()
