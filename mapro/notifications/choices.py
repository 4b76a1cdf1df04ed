"""Channels and delivery states of an outbox message."""

from django.db import models


class Channel(models.TextChoices):
    """How the effect leaves the system. Only mail is delivered today; webhooks and LDAP
    operations will be added as channels of the same outbox, not as new tables."""

    MAIL = "mail", "Correo electrónico"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", "Pendiente"
    SENDING = "sending", "Enviando"
    SENT = "sent", "Enviado"
    FAILED = "failed", "Fallido"
