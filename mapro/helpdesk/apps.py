from django.apps import AppConfig


class HelpdeskConfig(AppConfig):
    name = "mapro.helpdesk"
    label = "helpdesk"
    verbose_name = "Mesa de ayuda"

    def ready(self) -> None:
        # Procedures act on tickets through this one handler (mapro/procedures/effects.py).
        from mapro.procedures.effects import register_effect_handler

        from .procedure_effects import handle_ticket_effect

        register_effect_handler("ticket", handle_ticket_effect)
