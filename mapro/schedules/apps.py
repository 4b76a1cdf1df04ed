from django.apps import AppConfig


class SchedulesConfig(AppConfig):
    name = "mapro.schedules"
    label = "schedules"
    verbose_name = "Calendario laboral"

    def ready(self) -> None:
        from mapro.procedures.deadlines import DeadlinePolicy, register_deadline_policy

        from . import signals  # noqa: F401  (drops the cached calendar when it changes)
        from .limits import check_deadline, due_at_for

        # The engine counts activity limits on this business calendar (procedures.deadlines).
        register_deadline_policy(DeadlinePolicy(due_at_for=due_at_for, check=check_deadline))

        from .procedure_effects import register_handlers

        register_handlers()  # the annual cronograma's elaboration and signing steps
