"""Estadística del Sector Defensa: statistical organs, datasets, submissions and publications."""

from django.apps import AppConfig


class StatisticsConfig(AppConfig):
    name = "mapro.statistics"
    label = "statistics"
    verbose_name = "Estadística del Sector Defensa"

    def ready(self) -> None:
        from . import procedure_effects

        procedure_effects.register_handlers()
