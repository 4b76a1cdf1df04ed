from django.apps import AppConfig


class ProceduresConfig(AppConfig):
    name = "mapro.procedures"
    label = "procedures"
    verbose_name = "Procedimientos"

    def ready(self) -> None:
        # Every {notify: …} and {mail: …} of the fichas (notify_effects.py, through
        # mapro.notifications).
        from .effects import register_effect_handler
        from .notify_effects import handle_mail_effect, handle_notify_effect

        register_effect_handler("notify", handle_notify_effect)
        register_effect_handler("mail", handle_mail_effect)
