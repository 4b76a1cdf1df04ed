from django.db import models

from ..choices import ExceptionKind


class CalendarException(models.Model):
    """A date whose working status differs from office hours plus Peru's public holidays.

    The government declares "días no laborables" for the public sector by decree each year, and
    sometimes a compensatory working day; a new holiday may also come before the ``holidays``
    package knows it. One row per date (unique): ``feriado`` and ``no_laborable`` make the date a
    non-working day, ``laborable`` makes it a working day even on a weekend or a holiday. The
    business calendar (``mapro.schedules.calendar``) reads these rows once per year and caches
    them; change them only through the actions so the change is audited and the cache dropped.
    """

    date = models.DateField("fecha", unique=True)
    kind = models.CharField("tipo", max_length=20, choices=ExceptionKind.choices)
    description = models.CharField("descripción", max_length=200)
    legal_basis = models.CharField(
        "base legal",
        max_length=200,
        blank=True,
        help_text="Norma que lo declara, p. ej. «Decreto Supremo N.° 000-2026-PCM».",
    )
    created_at = models.DateTimeField("creado", auto_now_add=True)
    updated_at = models.DateTimeField("modificado", auto_now=True)

    class Meta:
        verbose_name = "excepción del calendario"
        verbose_name_plural = "excepciones del calendario"
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.get_kind_display()}: {self.description}"
