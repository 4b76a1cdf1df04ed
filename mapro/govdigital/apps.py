"""Gobierno digital: the PGD and its portfolio, the CGD's sessions and the risk matrix."""

from django.apps import AppConfig


class GovDigitalConfig(AppConfig):
    name = "mapro.govdigital"
    label = "govdigital"
    verbose_name = "Gobierno digital y SGSI"

    def ready(self) -> None:
        # S04.01.00.01 and S04.01.00.02 write the PGD, its portfolio and the CGD's agreements;
        # S04.01.00.01 (5, 6) and S04.03.01.05 (12) write the risk matrix SGSI-FOR-003.
        from .procedure_effects import register_handlers

        register_handlers()
