"""Base class for management commands whose changes must be audited as coming from a command."""

from typing import Any

from django.core.management.base import BaseCommand

from mapro.core.context import command_context, current_context


class AuditedCommand(BaseCommand):
    """A command whose audit events carry source "command", even when run by ``call_command``.

    ``mapro <command>`` already runs every command in a command context (``mapro.cli``); this
    covers commands called from code or tests. An enclosing command context (and its request
    id) is kept, so one ``mapro`` run is one request id.
    """

    def execute(self, *args: Any, **options: Any) -> Any:
        if current_context().source == "command":
            return super().execute(*args, **options)
        with command_context():
            return super().execute(*args, **options)
