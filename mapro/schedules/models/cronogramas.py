"""The schedule register (cronograma): procedures started by the calendar, and their runs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from ..choices import OccurrenceStatus, ScheduleStatus


class Schedule(models.Model):
    """A cronograma: when a procedure is started, for which unit and under which role.

    The occurrences are an RFC 5545 rule (``rrule``, anchored at ``dtstart``) and/or a list of
    extra ``dates`` (``recurrence.check_recurrence`` validates them: at least one occurrence).
    A schedule starts nothing until someone entitled approves it (``do_approve_schedule``); any
    later change to what or when it starts sends it back to draft, to be approved again, as a
    signed cronograma would be. ``next_occurrence_at`` is the next occurrence the worker has not
    yet handled, kept only while approved: the worker's due scan reads a partial index on it and
    its cost does not grow with the number of schedules (docs/benchmarks.md).
    """

    name = models.CharField("nombre", max_length=200)
    description = models.TextField("descripción", blank=True)
    procedure = models.ForeignKey(
        "procedures.Procedure",
        verbose_name="procedimiento",
        on_delete=models.PROTECT,
        related_name="schedules",
    )
    start_key = models.CharField("forma de inicio", max_length=60)
    unit = models.ForeignKey(
        "organization.Unit",
        verbose_name="unidad responsable",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="La unidad del expediente que se inicia.",
    )
    role = models.CharField(
        "rol responsable",
        max_length=40,
        help_text="Código del rol que responde por el cronograma (roles.md).",
    )
    rrule = models.CharField(
        "regla de recurrencia",
        max_length=500,
        blank=True,
        help_text="RRULE de RFC 5545, p. ej. «FREQ=YEARLY;BYMONTH=3,9;BYMONTHDAY=1».",
    )
    dtstart = models.DateTimeField("inicio de la recurrencia")
    dates = models.JSONField(
        "fechas adicionales", default=list, blank=True, help_text="Fechas y horas (ISO 8601)."
    )
    status = models.CharField(
        "estado", max_length=10, choices=ScheduleStatus.choices, default=ScheduleStatus.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="aprobado por",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by_name = models.CharField("nombre de quien aprobó", max_length=200, blank=True)
    approved_at = models.DateTimeField("aprobado", null=True, blank=True)
    next_occurrence_at = models.DateTimeField("próxima ocurrencia", null=True, blank=True)
    retired_reason = models.TextField("motivo de la baja", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="creado por",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("creado", auto_now_add=True)
    updated_at = models.DateTimeField("modificado", auto_now=True)

    class Meta:
        verbose_name = "cronograma"
        verbose_name_plural = "cronogramas"
        ordering = ["name", "id"]
        indexes = [
            models.Index(
                fields=["next_occurrence_at", "id"],
                condition=models.Q(status="approved"),
                name="sched_schedule_due",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def recurrence(self) -> Any:
        from ..recurrence import recurrence_of

        return recurrence_of(self.rrule, self.dtstart, self.dates)


class ScheduleOccurrence(models.Model):
    """One occurrence of a schedule that the worker handled: the instance it started.

    Invariant: one row per ``(schedule, occurs_at)`` (unique), inserted with ``INSERT … ON
    CONFLICT DO NOTHING`` in the transaction that starts the instance — whoever inserts it
    starts the instance, and a second worker (or the same one after a restart) inserts nothing
    and starts nothing. ``failed`` keeps an occurrence whose start was refused (the procedure
    unpublished, its start removed, the engine failing) with the reason; it is not retried.
    """

    # No index of its own: sched_occurrence_uniq leads with it.
    schedule = models.ForeignKey(
        Schedule,
        verbose_name="cronograma",
        on_delete=models.PROTECT,
        related_name="occurrences",
        db_index=False,
    )
    occurs_at = models.DateTimeField("fecha programada")
    status = models.CharField(
        "estado",
        max_length=10,
        choices=OccurrenceStatus.choices,
        default=OccurrenceStatus.STARTED,
    )
    instance = models.ForeignKey(
        "procedures.Instance",
        verbose_name="expediente",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    error = models.TextField("motivo", blank=True)
    handled_at = models.DateTimeField("procesado")

    class Meta:
        verbose_name = "ocurrencia de cronograma"
        verbose_name_plural = "ocurrencias de cronograma"
        ordering = ["schedule", "occurs_at"]
        constraints = [
            models.UniqueConstraint(fields=["schedule", "occurs_at"], name="sched_occurrence_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.schedule} — {self.occurs_at:%d/%m/%Y %H:%M}"


class CalendarFeedToken(models.Model):
    """A user's secret address for the iCalendar feed of their team's schedules.

    Only the SHA-256 of the token is stored: the address is shown once, when it is created,
    and no copy of the database can rebuild it. One per user; a new one replaces the old.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed_token"
    )
    # Unique by schedules_calendarfeedtoken_token_hash_uniq (Meta): a unique field would add a
    # varchar_pattern_ops twin, and no query reads it by prefix.
    token_hash = models.CharField("huella del token", max_length=64)
    created_at = models.DateTimeField("creado", auto_now_add=True)
    last_used_at = models.DateTimeField("último uso", null=True, blank=True)

    class Meta:
        verbose_name = "suscripción a calendario"
        verbose_name_plural = "suscripciones a calendario"
        constraints = [
            models.UniqueConstraint(
                fields=["token_hash"], name="schedules_calendarfeedtoken_token_hash_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"Calendario de {self.user}"
