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


class MailDelivery(models.TextChoices):
    """How a user wants the mail of their notifications (their preference)."""

    IMMEDIATE = "immediate", "Un correo por aviso, al momento"
    DIGEST = "digest", "Un resumen diario"


class MailState(models.TextChoices):
    """Where the mail of one notification stands."""

    PENDING = "pending", "Por enviar"  # immediate: the fan-out job writes it to the outbox
    DIGEST = "digest", "Para el resumen diario"
    QUEUED = "queued", "En la bandeja de salida"
    NO_ADDRESS = "no_address", "Sin dirección de correo"
