"""Read side of the statistics registers: what each user may see, and the calendar's state."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from mapro.core.exceptions import Forbidden, NotFound

from .access import designated_organizations, is_team
from .choices import CalendarStatus, SubmissionStatus
from .models import CalendarEntry, Dataset, Designation, Publication, Submission

VALID_STATUSES = (SubmissionStatus.RECIBIDO, SubmissionStatus.OBSERVADO, SubmissionStatus.ACEPTADO)


def current_designation_q(day: datetime.date, prefix: str = "") -> Q:
    """A designation in force on ``day`` whose person is still in office (dates inclusive)."""
    return (
        Q(**{f"{prefix}valid_from__lte": day})
        & (Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": day}))
        & (
            Q(**{f"{prefix}person__valid_until__isnull": True})
            | Q(**{f"{prefix}person__valid_until__gte": day})
        )
    )


def current_designations(day: datetime.date | None = None) -> QuerySet[Designation]:
    day = day or timezone.localdate()
    return Designation.objects.filter(current_designation_q(day)).select_related(
        "organization", "person", "person__user"
    )


def entries_for(user: Any) -> QuerySet[CalendarEntry]:
    """Calendar entries ``user`` may see: all for the team and the SG, own organs' otherwise."""
    qs = CalendarEntry.objects.select_related("dataset", "organization", "calendar")
    if is_team(user):
        return qs
    from mapro.organization.permissions import has_role

    if has_role(user, "secretario-general"):
        return qs
    return qs.filter(
        organization__in=designated_organizations(user),
        calendar__status=CalendarStatus.APROBADO,
    )


def submissions_for(user: Any) -> QuerySet[Submission]:
    qs = Submission.objects.select_related("entry", "entry__dataset", "entry__organization").defer(
        "content"
    )
    if is_team(user):
        return qs
    return qs.filter(entry__organization__in=designated_organizations(user))


def get_submission_for_user(user: Any, pk: int) -> Submission:
    try:
        return submissions_for(user).get(pk=pk)
    except Submission.DoesNotExist:
        raise NotFound("No existe el envío o no es de su órgano.") from None


def entry_status(entry: CalendarEntry, today: datetime.date | None = None) -> dict[str, Any]:
    """What the representative's page says of an entry: its latest submission and lateness."""
    today = today or timezone.localdate()
    latest = entry.submissions.defer("content").order_by("-id").first()
    valid = entry.submissions.filter(status__in=VALID_STATUSES).exists()
    return {
        "entry": entry,
        "latest": latest,
        "sent": valid,
        "overdue": not valid and today > entry.due_date,
        "days_left": (entry.due_date - today).days,
    }


def due_entries_for_representative(user: Any, today: datetime.date | None = None) -> list[Any]:
    """The representative's entries of approved calendars, each with its state, by due date."""
    entries = (
        CalendarEntry.objects.filter(
            organization__in=designated_organizations(user),
            calendar__status=CalendarStatus.APROBADO,
        )
        .select_related("dataset", "organization")
        .order_by("due_date", "dataset__code")
    )
    return [entry_status(e, today) for e in entries]


def find_entry_for_submission(
    user: Any, dataset: str, organization: str, period: str
) -> CalendarEntry:
    """The approved calendar entry a submission is for, or 403.

    A period not in an approved cronograma, or an organ the user is not designated for today,
    is a 403 (nothing is read of the file).
    """
    if not designated_organizations(user).filter(code=organization).exists():
        raise Forbidden(f"Usted no está designado(a) como representante de «{organization}».")
    entry = (
        CalendarEntry.objects.filter(
            dataset__code=dataset,
            organization__code=organization,
            period=period,
            calendar__status=CalendarStatus.APROBADO,
        )
        .select_related("dataset", "organization", "calendar")
        .first()
    )
    if entry is None:
        raise Forbidden(
            f"El periodo «{period}» de «{dataset}» no está en el cronograma de envío aprobado."
        )
    return entry


def active_datasets() -> QuerySet[Dataset]:
    return Dataset.objects.filter(is_active=True)


def published_publications() -> QuerySet[Publication]:
    from .choices import PublicationStatus

    return Publication.objects.filter(status=PublicationStatus.PUBLICADO).defer("pdf", "xlsx")
