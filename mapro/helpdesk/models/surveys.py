"""The requester's satisfaction survey of a finished ticket."""

from __future__ import annotations

from django.conf import settings
from django.db import models

#: The rating scale: 1 (muy insatisfecho) to 5 (muy satisfecho).
RATINGS = [
    (1, "Muy insatisfecho"),
    (2, "Insatisfecho"),
    (3, "Ni satisfecho ni insatisfecho"),
    (4, "Satisfecho"),
    (5, "Muy satisfecho"),
]


class TicketSurvey(models.Model):
    """The requester's answer to "¿Qué tan satisfecho está con la atención?" for one ticket.

    One per ticket, answered once by its requester after it was resolved or closed
    (``actions.surveys.do_answer_survey``). ``team`` and ``month`` copy the ticket's team and
    the month of the answer so the report groups by an index, not by a join per row.
    """

    ticket = models.OneToOneField(
        "helpdesk.Ticket", verbose_name="ticket", on_delete=models.CASCADE, related_name="survey"
    )
    rating = models.PositiveSmallIntegerField("calificación", choices=RATINGS)
    comment = models.TextField("comentario", blank=True)
    team = models.ForeignKey(
        "organization.Unit", verbose_name="equipo", on_delete=models.PROTECT, related_name="+"
    )
    month = models.DateField("mes (primer día)")
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="respondida por",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField("respondida el")

    class Meta:
        verbose_name = "encuesta de satisfacción"
        verbose_name_plural = "encuestas de satisfacción"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="hd_survey_rating_1_5"
            )
        ]
        indexes = [models.Index(fields=["month", "team"], name="hd_survey_month_team")]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.rating}"
