"""Choices of the help desk: channels, statuses, impact × urgency → priority, action kinds."""

from django.db import models


class Channel(models.TextChoices):
    PORTAL = "portal", "Portal"
    CORREO = "correo", "Correo"
    TELEFONO = "telefono", "Teléfono"
    PRESENCIAL = "presencial", "Presencial"
    SISTEMA = "sistema", "Sistema"


class Status(models.TextChoices):
    REGISTRADO = "registrado", "Registrado"
    ASIGNADO = "asignado", "Asignado"
    EN_ATENCION = "en_atencion", "En atención"
    EN_ESPERA = "en_espera", "En espera"
    RESUELTO = "resuelto", "Resuelto"
    CERRADO = "cerrado", "Cerrado"
    DEVUELTO = "devuelto", "Devuelto"


# Statuses in which the SLA clock is stopped: the ticket waits for the requester.
PAUSED_STATUSES = frozenset({Status.EN_ESPERA, Status.DEVUELTO})
# Statuses in which nobody at OGTIE owes anything any more.
DONE_STATUSES = frozenset({Status.RESUELTO, Status.CERRADO})
# Statuses whose resolution due time still runs (used by the "overdue" filter).
RUNNING_STATUSES = frozenset({Status.REGISTRADO, Status.ASIGNADO, Status.EN_ATENCION})
# Statuses in which OGTIE still owes something (running or paused): the dashboard's "open"
# tickets, their SLA state and the oldest of them. In table order (a stable index condition).
OPEN_STATUSES = (
    Status.REGISTRADO,
    Status.ASIGNADO,
    Status.EN_ATENCION,
    Status.EN_ESPERA,
    Status.DEVUELTO,
)


class Impact(models.TextChoices):
    ALTO = "alto", "Alto"
    MEDIO = "medio", "Medio"
    BAJO = "bajo", "Bajo"


class Urgency(models.TextChoices):
    ALTA = "alta", "Alta"
    MEDIA = "media", "Media"
    BAJA = "baja", "Baja"


class Priority(models.TextChoices):
    CRITICA = "critica", "Crítica"
    ALTA = "alta", "Alta"
    MEDIA = "media", "Media"
    BAJA = "baja", "Baja"


# The ITIL impact × urgency matrix, as OGTIE uses it: rows impact, columns urgency.
PRIORITY_MATRIX: dict[tuple[str, str], str] = {
    (Impact.ALTO, Urgency.ALTA): Priority.CRITICA,
    (Impact.ALTO, Urgency.MEDIA): Priority.ALTA,
    (Impact.ALTO, Urgency.BAJA): Priority.MEDIA,
    (Impact.MEDIO, Urgency.ALTA): Priority.ALTA,
    (Impact.MEDIO, Urgency.MEDIA): Priority.MEDIA,
    (Impact.MEDIO, Urgency.BAJA): Priority.BAJA,
    (Impact.BAJO, Urgency.ALTA): Priority.MEDIA,
    (Impact.BAJO, Urgency.MEDIA): Priority.BAJA,
    (Impact.BAJO, Urgency.BAJA): Priority.BAJA,
}


def priority_for(impact: str, urgency: str) -> str:
    """The priority of ``impact`` × ``urgency`` (KeyError for values outside the choices)."""
    return str(PRIORITY_MATRIX[(Impact(impact), Urgency(urgency))])


class ActionKind(models.TextChoices):
    CREATED = "created", "Registro"
    COMMENT = "comment", "Comentario"
    INTERNAL_NOTE = "internal_note", "Nota interna"
    ASSIGNMENT = "assignment", "Asignación"
    STATUS_CHANGE = "status_change", "Cambio de estado"
    ATTACHMENT = "attachment", "Adjunto"
    DATA_ADDED = "data_added", "Información añadida"
    PROCEDURE = "procedure", "Procedimiento"
    RECLASSIFIED = "reclassified", "Reclasificación"
