"""Choices of the run records."""

from django.db import models


class RunKind(models.TextChoices):
    """What was run: the four kinds of scheduled work of S04.03.01.04, .02.01 and .03.01."""

    BACKUP_DB = "backup-bd", "Copia de respaldo de base de datos"
    BACKUP_FILES = "backup-comun", "Copia de respaldo de información común"
    CONFIG = "config", "Respaldo de configuración (conmutación / central telefónica)"
    LOG = "log", "Revisión y copia de eventos y log"


BACKUP_KINDS = (RunKind.BACKUP_DB, RunKind.BACKUP_FILES)
#: The procedure whose cronograma each kind fulfils.
PROCEDURE_OF_KIND = {
    RunKind.BACKUP_DB: "S04.03.02.01",
    RunKind.BACKUP_FILES: "S04.03.02.01",
    RunKind.CONFIG: "S04.03.03.01",
    RunKind.LOG: "S04.03.01.04",
}
#: The start of S04.03.02.01 that a failed backup opens (its correction path).
CORRECTION_START = {RunKind.BACKUP_DB: "falla-copia-bd", RunKind.BACKUP_FILES: "falla-copia-comun"}


class Outcome(models.TextChoices):
    OK = "ok", "Correcto"
    FAILED = "failed", "Fallido"
    PARTIAL = "partial", "Parcial"


class CorrectionState(models.TextChoices):
    """Whether a run needs (or got) its corrective action."""

    NONE = "none", "No requiere"
    PENDING = "pending", "Corrección pendiente"
    DONE = "done", "Corregido"


class Source(models.TextChoices):
    MANUAL = "manual", "Registrado a mano"
    API = "api", "Enviado por un servidor o script (token)"
    PROCEDURE = "procedure", "Registrado en un paso de procedimiento"
