"""Read queries of the HR integration, each with its permission check (403 for a wrong role;
these registers belong to OGTIE roles acting across MINDEF, so there is no unit scope)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from mapro.core.exceptions import NotFound
from mapro.iam.selectors import accounts_removed_between
from mapro.organization.permissions import check_role

from .access import BACKUP_READ_ROLES, LEAVER_READ_ROLES, RECONCILIATION_READ_ROLES
from .choices import DifferenceStatus
from .models import (
    DirectoryDeletion,
    LeaverEvent,
    MailboxBackup,
    Reconciliation,
    ReconciliationDifference,
)


def leaver_events_for_user(user: Any) -> QuerySet[LeaverEvent]:
    check_role(user, LEAVER_READ_ROLES)
    return LeaverEvent.objects.select_related("person", "person__unit", "instance")


def get_leaver_event_for_user(user: Any, pk: Any) -> LeaverEvent:
    event = leaver_events_for_user(user).filter(pk=pk).first()
    if event is None:
        raise NotFound("Alerta de baja no encontrada.")
    return event


def backups_for_user(user: Any) -> QuerySet[MailboxBackup]:
    check_role(user, BACKUP_READ_ROLES)
    return MailboxBackup.objects.select_related("person").prefetch_related("deletions")


def deletions_for_user(user: Any) -> QuerySet[DirectoryDeletion]:
    check_role(user, BACKUP_READ_ROLES)
    return DirectoryDeletion.objects.select_related("backup", "person")


def reconciliations_for_user(user: Any) -> QuerySet[Reconciliation]:
    check_role(user, RECONCILIATION_READ_ROLES)
    return Reconciliation.objects.annotate(
        differences_total=Count("differences", distinct=True),
        differences_pending=Count(
            "differences",
            filter=Q(differences__status=DifferenceStatus.PENDIENTE),
            distinct=True,
        ),
    ).order_by("-uploaded_at", "-id")


def get_reconciliation_for_user(user: Any, pk: Any) -> Reconciliation:
    found = reconciliations_for_user(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("Conciliación no encontrada.")
    return found


def get_difference_for_user(user: Any, pk: Any) -> ReconciliationDifference:
    check_role(user, RECONCILIATION_READ_ROLES)
    found = ReconciliationDifference.objects.select_related("reconciliation").filter(pk=pk).first()
    if found is None:
        raise NotFound("Diferencia no encontrada.")
    return found


def differences_of(
    reconciliation: Reconciliation, *, kind: str = "", status: str = ""
) -> QuerySet[ReconciliationDifference]:
    qs = reconciliation.differences.select_related("person")
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return qs


# --- informe de eliminación de cuentas (activity 16) -------------------------------------


@dataclass(frozen=True)
class RemovalRow:
    """One account, access or privilege removed in the period, with the leaver's PST backup
    and deletion from the AD when recorded."""

    dni: str
    person: str
    unit: str
    account: str
    kind: str
    system: str
    removed_on: datetime.date
    reason: str
    backup_location: str
    backup_at: datetime.datetime | None
    ad_deleted_on: datetime.date | None


REPORT_HEADERS = [
    "DNI",
    "Personal",
    "Unidad",
    "Cuenta, acceso o privilegio",
    "Tipo",
    "Sistema",
    "Fecha de eliminación",
    "Motivo",
    "Backup PST (ubicación)",
    "Fecha y hora del backup",
    "Eliminada del AD",
]


def check_report_access(user: Any) -> None:
    """The informe de eliminación de cuentas: who reads reconciliations (403 otherwise)."""
    check_role(user, RECONCILIATION_READ_ROLES)


def default_report_period(
    today: datetime.date | None = None,
) -> tuple[datetime.date, datetime.date]:
    """The current semester (January–June or July–December) up to today."""
    day = today or datetime.date.today()
    start = datetime.date(day.year, 1 if day.month <= 6 else 7, 1)
    return start, day


def semester_bounds(period: str) -> tuple[datetime.date, datetime.date] | None:
    """``2026-I`` → 2026-01-01..2026-06-30; ``2026-II`` → 2026-07-01..2026-12-31."""
    try:
        year_text, half = period.strip().upper().split("-")
        year = int(year_text)
    except ValueError:
        return None
    if half == "I":
        return datetime.date(year, 1, 1), datetime.date(year, 6, 30)
    if half == "II":
        return datetime.date(year, 7, 1), datetime.date(year, 12, 31)
    return None


def removal_report(start: datetime.date, end: datetime.date) -> list[RemovalRow]:
    """What the accounts register shows removed between ``start`` and ``end`` (inclusive),
    oldest first: three queries whatever the size."""
    accounts = list(accounts_removed_between(start, end))
    dnis = {a.person.dni for a in accounts}
    backups: dict[str, MailboxBackup] = {}
    for found in MailboxBackup.objects.filter(dni__in=dnis).order_by("backed_up_at", "id"):
        backups[found.dni] = found  # the latest wins
    deletions = {
        (d.dni, d.account_name): d.deleted_on
        for d in DirectoryDeletion.objects.filter(dni__in=dnis)
    }
    rows = []
    for account in accounts:
        person = account.person
        backup = backups.get(person.dni)
        rows.append(
            RemovalRow(
                dni=person.dni,
                person=person.full_name,
                unit=person.unit.code,
                account=account.account_name,
                kind=str(account.get_kind_display()),
                system=account.system_name,
                removed_on=account.removed_on or end,
                reason=account.removal_reason,
                backup_location=backup.location if backup else "",
                backup_at=backup.backed_up_at if backup else None,
                ad_deleted_on=deletions.get((person.dni, account.account_name)),
            )
        )
    return rows


def report_cells(row: RemovalRow) -> list[Any]:
    return [
        row.dni,
        row.person,
        row.unit,
        row.account,
        row.kind,
        row.system,
        row.removed_on,
        row.reason,
        row.backup_location,
        row.backup_at,
        row.ad_deleted_on,
    ]
