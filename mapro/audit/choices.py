from django.db import models


class Source(models.TextChoices):
    """Where a change came from (``mapro.core.context.ChangeContext.source``)."""

    WEB = "web", "Web"
    API = "api", "API"
    COMMAND = "command", "Comando"
    WORKER = "worker", "Trabajador en segundo plano"
    SYSTEM = "system", "Sistema"
