from django.apps import AppConfig


class HelpdeskConfig(AppConfig):
    name = "mapro.helpdesk"
    label = "helpdesk"
    verbose_name = "Mesa de ayuda"

    def ready(self) -> None:
        # Procedures act on tickets through this one handler (mapro/procedures/effects.py), and
        # every effect handler reads the instance's ticket as ``EffectCall.ticket``.
        from mapro.procedures.effects import register_effect_handler, register_ticket_lookup

        from .procedure_effects import handle_ticket_effect, linked_ticket

        register_effect_handler("ticket", handle_ticket_effect)
        register_ticket_lookup(linked_ticket)
