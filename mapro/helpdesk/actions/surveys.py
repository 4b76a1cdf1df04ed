"""The requester's satisfaction survey after a ticket ends, and its report by team and month.

As mature help desks do (ServiceNow's customer satisfaction survey, GLPI's satisfaction
survey): once a ticket is resolved or closed, its requester may rate the attention from 1 to 5
with a comment, once. The report gives, per team and month, how many answered, the average and
the share satisfied (4 or 5), for the mesa de ayuda and the Jefe(a).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone

from mapro.audit.actions import record_event
from mapro.core.exceptions import Conflict, Forbidden, InvalidInput
from mapro.organization.permissions import has_role

from .. import access
from ..choices import Status
from ..models import Ticket, TicketSurvey

#: Who reads the survey report: the desk and the Jefe(a).
REPORT_ROLES = access.DESK_ROLES
#: A ticket may be rated once it is in one of these statuses.
RATEABLE = {Status.RESUELTO, Status.CERRADO}
MAX_COMMENT = 2000


class SurveyAlreadyAnswered(Conflict):
    default_message = "La encuesta de este ticket ya fue respondida."


def survey_open(user: Any, ticket: Ticket) -> bool:
    """True when ``user`` may answer ``ticket``'s survey now (requester, ended, unanswered)."""
    return (
        ticket.status in RATEABLE and access.is_requester(user, ticket) and not _has_survey(ticket)
    )


def _has_survey(ticket: Ticket) -> bool:
    # The ticket pages read the survey with the ticket (``get_ticket_for_user``): no second read.
    if Ticket.survey.is_cached(ticket):
        return getattr(ticket, "survey", None) is not None
    return TicketSurvey.objects.filter(ticket=ticket).exists()


def _rating(value: Any) -> int:
    try:
        rating = int(value)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5 or str(value).strip() != str(rating):
        raise InvalidInput(errors={"rating": ["Elija una calificación del 1 al 5."]})
    return rating


def do_answer_survey(ticket: Ticket, *, actor: Any, rating: Any, comment: Any = "") -> TicketSurvey:
    """Record the requester's rating (1-5) and comment of an ended ticket, once.

    403 for anyone but the requester; 409 while the ticket has not ended, and when the survey
    was answered already; 400 for a rating outside 1-5 or a comment over 2,000 characters.
    """
    if not access.is_requester(actor, ticket):
        raise Forbidden("Solo quien solicitó la atención responde su encuesta.")
    if ticket.status not in RATEABLE:
        raise Conflict("La encuesta se responde cuando el ticket está resuelto o cerrado.")
    value = _rating(rating)
    text = comment.strip() if isinstance(comment, str) else ""
    if len(text) > MAX_COMMENT:
        raise InvalidInput(errors={"comment": [f"Escriba como máximo {MAX_COMMENT} caracteres."]})
    now = timezone.now()
    try:
        with transaction.atomic():
            survey = TicketSurvey.objects.create(
                ticket=ticket,
                rating=value,
                comment=text,
                team_id=ticket.team_id,
                month=now.date().replace(day=1),
                answered_by=actor,
                answered_at=now,
            )
            record_event(
                actor=actor,
                action="ticket.survey",
                obj=ticket,
                after={"rating": value, "comment": bool(text)},
            )
    except IntegrityError as exc:  # a second answer, even at the same moment
        raise SurveyAlreadyAnswered() from exc
    return survey


def report_month(value: str | None, field: str) -> datetime.date | None:
    """A report bound ``AAAA-MM`` → the month's first day; blank → None; else a field error."""
    if not value:
        return None
    try:
        return datetime.datetime.strptime(value, "%Y-%m").date()
    except ValueError as exc:
        raise InvalidInput(errors={field: ["Indique un mes como AAAA-MM."]}) from exc


@dataclass(frozen=True)
class SurveyRow:
    """One team and month of the report."""

    month: datetime.date
    team_code: str
    team_name: str
    answers: int
    average: float
    satisfied_pct: float


def survey_report(
    user: Any, *, since: datetime.date | None = None, until: datetime.date | None = None
) -> list[SurveyRow]:
    """Answers, average rating and share satisfied (4-5) per month and team, newest first."""
    if not has_role(user, REPORT_ROLES):
        raise Forbidden()
    qs = TicketSurvey.objects.all()
    if since is not None:
        qs = qs.filter(month__gte=since.replace(day=1))
    if until is not None:
        qs = qs.filter(month__lte=until)
    rows = (
        qs.values("month", "team__code", "team__name")
        .annotate(
            answers=Count("id"),
            average=Avg("rating"),
            satisfied=Count("id", filter=Q(rating__gte=4)),
        )
        .order_by("-month", "team__code")
    )
    return [
        SurveyRow(
            month=row["month"],
            team_code=row["team__code"],
            team_name=row["team__name"],
            answers=row["answers"],
            average=round(float(row["average"]), 2),
            satisfied_pct=round(100.0 * row["satisfied"] / row["answers"], 1),
        )
        for row in rows
    ]
