"""What the statistics registers tell people, through ``mapro.notifications`` (in-app + mail).

- the team (``EVALUATOR_ROLES``) when a valid file arrives, to evaluate it;
- the organ's representatives when their version is accepted or observed (the observations
  are on their page);
- reminders of the cronograma (``do_send_submission_reminders``, run daily by the worker):
  ``REMIND_BEFORE`` days before the due date to organs that have not sent, and the day after
  it to those still without a valid file (and to the coordinator). Each reminder has a key
  per entry and kind, so it is sent once whatever the number of runs or workers.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mapro.notifications.notices import do_notify

from .access import EVALUATOR_ROLES
from .choices import CalendarStatus
from .models import CalendarEntry, Submission
from .selectors import VALID_STATUSES, current_designations

REMIND_BEFORE = 5


def _representatives(organization_id: int) -> list[Any]:
    return [
        d.person.user
        for d in current_designations().filter(organization_id=organization_id)
        if d.person.user is not None and d.person.user.is_active
    ]


def tell_team_of_submission(submission: Submission) -> None:
    entry = submission.entry
    do_notify(
        roles=EVALUATOR_ROLES,
        subject=f"Información estadística recibida: {entry.dataset.title} — "
        f"{entry.organization.code} {entry.period} (versión {submission.version})",
        body=f"{submission.row_count} filas, sin errores de formato. Evalúela en el sistema.",
        url=reverse("statistics:submission_detail", args=[submission.pk]),
        key=f"stat-recibido-{submission.pk}",
    )


def tell_representatives_of_evaluation(submission: Submission) -> None:
    entry = submission.entry
    verdict = "aceptada" if submission.status == "aceptado" else "observada"
    do_notify(
        users=_representatives(entry.organization_id),
        subject=f"Su información de {entry.dataset.title} {entry.period} fue {verdict}",
        body=submission.observations or "La versión fue consolidada.",
        url=reverse("statistics:representative_home"),
        key=f"stat-evaluado-{submission.pk}",
    )


def _pending(today: datetime.date) -> Any:
    return (
        CalendarEntry.objects.filter(calendar__status=CalendarStatus.APROBADO)
        .exclude(submissions__status__in=VALID_STATUSES)
        .select_related("dataset", "organization")
    )


def do_send_submission_reminders(today: datetime.date | None = None) -> dict[str, int]:
    """Send the cronograma's reminders due ``today``; returns how many entries were reminded."""
    today = today or timezone.localdate()
    sent = {"antes": 0, "vencido": 0}
    window = today + datetime.timedelta(days=REMIND_BEFORE)
    url = reverse("statistics:representative_home")
    for entry in _pending(today).filter(due_date__gte=today, due_date__lte=window):
        with transaction.atomic():
            result = do_notify(
                users=_representatives(entry.organization_id),
                subject=f"Recordatorio: {entry.dataset.title} {entry.period} vence el "
                f"{entry.due_date:%d/%m/%Y}",
                body="Según el cronograma de envío de información al MINDEF aprobado.",
                url=url,
                key=f"stat-antes-{entry.pk}",
            )
        sent["antes"] += bool(result.usernames())
    for entry in _pending(today).filter(due_date__lt=today):
        with transaction.atomic():
            result = do_notify(
                users=_representatives(entry.organization_id),
                roles=["coord-estadistica"],
                subject=f"Envío vencido: {entry.dataset.title} {entry.period} de "
                f"{entry.organization.code} (venció el {entry.due_date:%d/%m/%Y})",
                body="El órgano estadístico no ha remitido información válida.",
                url=url,
                key=f"stat-vencido-{entry.pk}",
            )
        sent["vencido"] += bool(result.usernames())
    return sent
