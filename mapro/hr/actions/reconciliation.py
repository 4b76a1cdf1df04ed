"""The twice-a-year reconciliation (S04.03.01.02, activities 13 to 15): upload the DGRRHH list,
contrast it with the accounts register, list every difference, attend each one with a note.

The list is read as the DGRRHH's roster at its date: an ``alta`` has a working bond, a
``baja`` no longer does. Three kinds of difference (``DifferenceKind``):

- ``baja_con_cuentas``: a baja who still has active accounts (to remove, activity 15);
- ``alta_sin_cuenta``: an alta without any active account (unknown to mapro, or never given
  one: to check, and to create through S04.03.01.01 if due);
- ``cuenta_sin_persona``: active accounts of someone the list does not name at all.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from mapro.audit.actions import actor_name, record_event
from mapro.core.exceptions import InvalidInput, InvalidTransition
from mapro.iam.selectors import active_accounts_with_people
from mapro.organization.models import Person
from mapro.organization.permissions import check_role

from ..access import DIFFERENCE_ATTEND_ROLES, RECONCILIATION_UPLOAD_ROLES
from ..choices import DifferenceKind, DifferenceStatus, Movement
from ..importing import ListRow, read_list
from ..models import Reconciliation, ReconciliationDifference, ReconciliationRow

PERIOD = re.compile(r"^\d{4}-(I|II)$")


def save_differences(
    reconciliation: Reconciliation, differences: list[ReconciliationDifference]
) -> dict[str, int]:
    """Store ``differences`` under ``reconciliation``; how many of each kind (for its event)."""
    for difference in differences:
        difference.reconciliation = reconciliation
    ReconciliationDifference.objects.bulk_create(differences)
    counts: dict[str, int] = defaultdict(int)
    for difference in differences:
        counts[difference.kind] += 1
    return dict(counts)


def _accounts_label(accounts: list[Any]) -> str:
    text = ", ".join(f"{a.account_name} ({a.get_kind_display()})" for a in accounts)
    return text if len(text) <= 500 else text[:497] + "..."


def compare_with_register(rows: list[ListRow]) -> list[ReconciliationDifference]:
    """The differences between the list's rows and the active accounts (unsaved rows).

    Two queries whatever the sizes: the people of the listed DNIs, and every active account
    with its person.
    """
    listed = {row.dni: row for row in rows}
    people = {p.dni: p for p in Person.objects.filter(dni__in=list(listed))}
    accounts_by_dni: dict[str, list[Any]] = defaultdict(list)
    holders: dict[str, Person] = {}
    for account in active_accounts_with_people():
        accounts_by_dni[account.person.dni].append(account)
        holders[account.person.dni] = account.person
    differences = []
    for row in rows:
        person = people.get(row.dni)
        accounts = accounts_by_dni.get(row.dni, [])
        kind = None
        if row.movement == Movement.BAJA and accounts:
            kind = DifferenceKind.BAJA_CON_CUENTAS
        elif row.movement == Movement.ALTA and not accounts:
            kind = DifferenceKind.ALTA_SIN_CUENTA
        if kind is None:
            continue
        differences.append(
            ReconciliationDifference(
                kind=kind,
                dni=row.dni,
                person=person,
                person_name=(person.full_name if person else row.full_name)[:250],
                line=row.line,
                movement_date=row.date,
                accounts=_accounts_label(accounts),
            )
        )
    for dni in sorted(set(accounts_by_dni) - set(listed)):
        holder = holders[dni]
        differences.append(
            ReconciliationDifference(
                kind=DifferenceKind.CUENTA_SIN_PERSONA,
                dni=dni,
                person=holder,
                person_name=holder.full_name[:250],
                accounts=_accounts_label(accounts_by_dni[dni]),
            )
        )
    return differences


def do_upload_reconciliation(
    file: Any, *, actor: Any, period: str, filename: str = "", instance: Any = None
) -> Reconciliation:
    """Read the DGRRHH list (all or nothing: ``ImportRejected`` names every bad row), contrast
    it with the accounts register, and store the reconciliation with its rows and differences
    in one transaction. ``period`` is the semester, ``AAAA-I`` or ``AAAA-II``."""
    check_role(actor, RECONCILIATION_UPLOAD_ROLES)
    period = (period or "").strip().upper()
    if not PERIOD.match(period):
        raise InvalidInput(
            errors={"period": ["Indique el semestre como AAAA-I o AAAA-II (p. ej. 2026-II)."]}
        )
    rows, data, name = read_list(file, filename)
    with transaction.atomic():
        reconciliation = Reconciliation.objects.create(
            period=period,
            file_name=(name or "listado")[:200],
            file_sha256=hashlib.sha256(data).hexdigest(),
            rows_count=len(rows),
            instance=instance,
            uploaded_by=actor,
            uploaded_by_name=actor_name(actor),
        )
        ReconciliationRow.objects.bulk_create(
            ReconciliationRow(
                reconciliation=reconciliation,
                line=row.line,
                dni=row.dni,
                first_name=row.first_name,
                last_name=row.last_name,
                unit_code=row.unit_code,
                movement=row.movement,
                date=row.date,
            )
            for row in rows
        )
        counts = save_differences(reconciliation, compare_with_register(rows))
        record_event(
            actor=actor,
            action="reconciliation.upload",
            obj=reconciliation,
            after={
                "periodo": period,
                "archivo": reconciliation.file_name,
                "sha256": reconciliation.file_sha256,
                "filas": len(rows),
                "diferencias": counts,
            },
        )
    return reconciliation


def do_attend_difference(
    difference: ReconciliationDifference, *, actor: Any, note: str
) -> ReconciliationDifference:
    """Mark a difference attended, with a note saying what was done (required). Once only."""
    check_role(actor, DIFFERENCE_ATTEND_ROLES)
    note = (note or "").strip()
    if not note:
        raise InvalidInput(errors={"note": ["Indique qué se hizo con esta diferencia."]})
    with transaction.atomic():
        current = ReconciliationDifference.objects.select_for_update().get(pk=difference.pk)
        if current.status == DifferenceStatus.ATENDIDA:
            raise InvalidTransition("La diferencia ya fue atendida.")
        updated = ReconciliationDifference.objects.filter(
            pk=current.pk, status=DifferenceStatus.PENDIENTE
        ).update(
            status=DifferenceStatus.ATENDIDA,
            attended_by=actor,
            attended_by_name=actor_name(actor),
            attended_at=timezone.now(),
            note=note[:4000],
        )
        if updated != 1:  # SQLite ignores select_for_update; the conditional update decides
            raise InvalidTransition("La diferencia ya fue atendida.")
        current.refresh_from_db()
        record_event(
            actor=actor,
            action="reconciliation_difference.attend",
            obj=current,
            before={"estado": DifferenceStatus.PENDIENTE},
            after={"estado": current.status, "nota": current.note},
        )
    return current


def do_link_reconciliation(
    reconciliation: Reconciliation, instance: Any, *, actor: Any
) -> Reconciliation:
    """Link a reconciliation to the procedure instance whose activity 14 it is (once)."""
    if actor is not None:
        check_role(actor, RECONCILIATION_UPLOAD_ROLES)
    with transaction.atomic():
        if reconciliation.instance_id not in (None, instance.pk):
            raise InvalidTransition("La conciliación ya pertenece a otro expediente.")
        if reconciliation.instance_id == instance.pk:
            return reconciliation
        Reconciliation.objects.filter(pk=reconciliation.pk).update(instance=instance)
        reconciliation.instance = instance
        record_event(
            actor=actor,
            action="reconciliation.link",
            obj=reconciliation,
            after={"expediente": instance.pk},
        )
    return reconciliation
