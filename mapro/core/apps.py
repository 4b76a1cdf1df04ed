from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mapro.core"
    label = "core"
    verbose_name = "Núcleo"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules
        from huey.contrib.djhuey import HUEY

        from .context import install_huey_hooks

        install_huey_hooks(HUEY)
        # Each app's menu.py registers its own entries (mapro.core.menu).
        autodiscover_modules("menu")
