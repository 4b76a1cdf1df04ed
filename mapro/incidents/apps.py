"""Incidentes de seguridad."""

from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "mapro.incidents"
    label = "incidents"
    verbose_name = "Incidentes de seguridad"

    def ready(self) -> None:
        # The fichas' {register: "Matriz … (SGSI-FOR-006)"} steps write the matrix.
        from mapro.procedures.effects import register_effect_handler

        from .procedure_effects import MATRIX, handle_matrix_effect

        register_effect_handler("register", handle_matrix_effect, value=MATRIX)
