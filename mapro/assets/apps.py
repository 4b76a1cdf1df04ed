from django.apps import AppConfig


class AssetsConfig(AppConfig):
    name = "mapro.assets"
    label = "assets"
    verbose_name = "Equipos, dispositivos y restauraciones"

    def ready(self) -> None:
        # Procedure steps write these registers through their effects (procedure_effects.py).
        from .procedure_effects import register_handlers

        register_handlers()
