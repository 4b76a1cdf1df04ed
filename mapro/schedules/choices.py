from django.db import models


class ExceptionKind(models.TextChoices):
    """What a calendar exception does to its date."""

    FERIADO = "feriado", "Feriado (no incluido en el calendario oficial cargado)"
    NO_LABORABLE = "no_laborable", "Día no laborable declarado"
    LABORABLE = "laborable", "Día laborable compensatorio"


NON_WORKING_KINDS = frozenset({ExceptionKind.FERIADO, ExceptionKind.NO_LABORABLE})
