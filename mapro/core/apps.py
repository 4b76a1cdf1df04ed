from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mapro.core"
    label = "core"
    verbose_name = "Núcleo"

    def ready(self) -> None:
        from huey.contrib.djhuey import HUEY

        from .context import install_huey_hooks

        install_huey_hooks(HUEY)
