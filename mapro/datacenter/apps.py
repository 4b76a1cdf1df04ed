"""Centro de datos: the access control of S04.03.01.03 and its bitácora (Formato N° 1)."""

from django.apps import AppConfig


class DatacenterConfig(AppConfig):
    name = "mapro.datacenter"
    label = "datacenter"
    verbose_name = "Centro de datos"

    def ready(self) -> None:
        # The procedure's steps write the bitácora through this one handler.
        from mapro.procedures.effects import register_effect_handler

        from .procedure_effects import LOGBOOK, handle_logbook_effect

        register_effect_handler("register", handle_logbook_effect, value=LOGBOOK)
