"""Operations the connector applies to the directory, and where each one stands."""

from django.db import models


class Operation(models.TextChoices):
    CREATE_USER = "create_user", "Crear cuenta"
    ADD_GROUPS = "add_groups", "Agregar a grupos"
    REMOVE_GROUPS = "remove_groups", "Quitar de grupos"
    DISABLE_USER = "disable_user", "Deshabilitar cuenta"
    DELETE_USER = "delete_user", "Eliminar cuenta"


class OperationStatus(models.TextChoices):
    """pending → applying → done | pending (retry) | failed; manual: for a person to do by hand
    (no directory configured, or the operator chose it); manual_done: done by hand, recorded."""

    PENDING = "pending", "Pendiente"
    APPLYING = "applying", "Aplicando"
    DONE = "done", "Aplicada en el directorio"
    FAILED = "failed", "Fallida"
    MANUAL = "manual", "Por completar a mano"
    MANUAL_DONE = "manual_done", "Completada a mano"


#: States in which the operation still holds its instance's next step.
HOLDING = (OperationStatus.PENDING, OperationStatus.APPLYING, OperationStatus.FAILED)
#: States that close an operation.
CLOSED = (OperationStatus.DONE, OperationStatus.MANUAL_DONE)

#: Who may retry an operation or complete it by hand (those who run S04.03.01.01/.02).
OPERATE_ROLES = frozenset(
    {
        "profesional-ogtie",
        "tecnico-especialista",
        "coord-infraestructura",
        "resp-soporte",
        "jefe-ogtie",
    }
)
