from django.db import models


class ExceptionKind(models.TextChoices):
    """What a calendar exception does to its date."""

    FERIADO = "feriado", "Feriado (no incluido en el calendario oficial cargado)"
    NO_LABORABLE = "no_laborable", "Día no laborable declarado"
    LABORABLE = "laborable", "Día laborable compensatorio"


NON_WORKING_KINDS = frozenset({ExceptionKind.FERIADO, ExceptionKind.NO_LABORABLE})


class ScheduleStatus(models.TextChoices):
    """Where a cronograma stands: only an approved one starts anything."""

    DRAFT = "draft", "Borrador (pendiente de aprobación)"
    APPROVED = "approved", "Aprobado"
    RETIRED = "retired", "Dado de baja"


class OccurrenceStatus(models.TextChoices):
    """What became of an occurrence the worker handled."""

    STARTED = "started", "Iniciado"
    FAILED = "failed", "No se pudo iniciar"


class NoticeKind(models.TextChoices):
    """The two notices of a task's deadline: each is sent once."""

    REMINDER = "reminder", "Recordatorio (plazo vencido)"
    ESCALATION = "escalation", "Escalamiento"


class PlanState(models.TextChoices):
    """What became of a planned occurrence (planned against executed)."""

    EXECUTED = "executed", "Ejecutado"
    FAILED = "failed", "No se pudo iniciar"
    SCHEDULED = "scheduled", "Programado"
    DUE = "due", "Por iniciar"
    MISSED = "missed", "No ejecutado"


class PlanStatus(models.TextChoices):
    """Where an annual cronograma (plan) stands: only an approved version is in force."""

    DRAFT = "draft", "Borrador (pendiente de firma)"
    APPROVED = "approved", "Aprobado (firmado)"
    SUPERSEDED = "superseded", "Reemplazado por una nueva versión"


class PlanOccurrenceStatus(models.TextChoices):
    """What became of one planned date of a cronograma's item."""

    PENDING = "pending", "Programado"
    DONE = "done", "Ejecutado"
    CANCELLED = "cancelled", "Anulado (versión reemplazada)"
