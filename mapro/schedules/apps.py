from django.apps import AppConfig


class SchedulesConfig(AppConfig):
    name = "mapro.schedules"
    label = "schedules"
    verbose_name = "Calendario laboral"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (drops the cached calendar when it changes)
