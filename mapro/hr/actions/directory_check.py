"""The scheduled comparison of the directory with the accounts register and HR's leavers.

``do_reconcile_directory`` (nightly, ``hr.tasks``; ``mapro hr_directory_reconcile`` by hand)
reads every account of the directory (``mapro.directory.connector``) and stores a
``Reconciliation`` of source "directorio" with one difference per finding:

- an account in the directory with no entry in the accounts register (network accounts);
- an enabled account of a person who left: the person's term ended (``valid_until``), HR sent
  a leaver alert for their DNI, or the register has the account removed;
- a disabled account that still belongs to groups.

Each finding can start the right procedure (``do_start_removal_for_difference``: S04.03.01.02,
"cuentas", with the person and the accounts), or be attended with a note, as the differences of
the DGRRHH list.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from django.utils import timezone

from mapro.audit.actions import actor_name, record_event
from mapro.core.exceptions import InvalidTransition
from mapro.directory import conf as directory_conf
from mapro.directory import connector
from mapro.iam.selectors import network_accounts_by_name
from mapro.organization.models import Person
from mapro.organization.permissions import check_role
from mapro.procedures.actions import do_start_instance

from ..choices import DifferenceKind, DifferenceStatus, ReconciliationSource
from ..models import LeaverEvent, Reconciliation, ReconciliationDifference
from .reconciliation import save_differences

REMOVAL = "S04.03.01.02"
SYSTEM_NAME = "Sistema (comparación programada con el directorio)"
#: Who starts a removal from a finding: the first activity's role of S04.03.01.02 "cuentas".
START_ROLES = frozenset({"profesional-ogtie"})


def _cn(dn: str) -> str:
    first = dn.split(",", 1)[0]
    return first.split("=", 1)[1] if "=" in first else first


def do_reconcile_directory(*, actor: Any = None) -> Reconciliation | None:
    """Compare the directory now; None when no directory is configured. Raises
    ``connector.DirectoryUnavailable`` when it does not answer (the task logs it; nothing
    stored)."""
    if not directory_conf.configured():
        return None
    ldap = connector.connect()
    try:
        entries = connector.all_users(ldap)
    finally:
        ldap.unbind()
    today = timezone.localdate()
    register = network_accounts_by_name()
    leavers = set(LeaverEvent.objects.values_list("dni", flat=True))
    dnis = {str(e.first("employeeNumber") or "") for e in entries} - {""}
    people = {p.dni: p for p in Person.objects.filter(dni__in=dnis)}
    differences: list[ReconciliationDifference] = []
    for entry in entries:
        name = str(entry.first("sAMAccountName") or _cn(entry.dn))
        account = register.get(name.lower())
        dni = str(entry.first("employeeNumber") or "")
        person = account.person if account is not None else people.get(dni)
        shown = person.full_name if person else str(entry.first("displayName") or name)
        base = {
            "dni": (person.dni if person else dni)[:20],
            "person": person,
            "person_name": shown[:250],
        }
        if account is None:
            differences.append(
                ReconciliationDifference(
                    kind=DifferenceKind.DIRECTORIO_SIN_REGISTRO, accounts=name[:500], **base
                )
            )
        elif entry.enabled:
            left = (
                (
                    person is not None
                    and person.valid_until is not None
                    and person.valid_until < today
                )
                or (person is not None and person.dni in leavers)
                or account.status != "activa"
            )
            if left:
                differences.append(
                    ReconciliationDifference(
                        kind=DifferenceKind.DIRECTORIO_CESADO_HABILITADA,
                        accounts=name[:500],
                        movement_date=person.valid_until if person else None,
                        **base,
                    )
                )
        if not entry.enabled and entry.groups:
            groups = ", ".join(_cn(g) for g in entry.groups)
            differences.append(
                ReconciliationDifference(
                    kind=DifferenceKind.DIRECTORIO_DESHABILITADA_CON_GRUPOS,
                    accounts=f"{name} ({groups})"[:500],
                    **base,
                )
            )
    digest = hashlib.sha256("\n".join(sorted(e.dn.lower() for e in entries)).encode()).hexdigest()
    with transaction.atomic():
        reconciliation = Reconciliation.objects.create(
            source=ReconciliationSource.DIRECTORIO,
            period=today.isoformat(),
            file_name=directory_conf.url()[:200],
            file_sha256=digest,
            rows_count=len(entries),
            uploaded_by=actor,
            uploaded_by_name=actor_name(actor) if actor is not None else SYSTEM_NAME,
        )
        counts = save_differences(reconciliation, differences)
        record_event(
            actor=actor,
            action="reconciliation.directory",
            obj=reconciliation,
            after={"cuentas": len(entries), "diferencias": counts},
        )
    return reconciliation


def do_start_removal_for_difference(difference: ReconciliationDifference, *, actor: Any) -> Any:
    """Start S04.03.01.02 ("cuentas") for a finding: the person, their DNI and the accounts go
    in the instance's data; the difference keeps the instance (once)."""
    check_role(actor, START_ROLES)
    with transaction.atomic():
        current = ReconciliationDifference.objects.select_for_update().get(pk=difference.pk)
        if current.instance_id is not None:
            raise InvalidTransition("Ya se inició un expediente para esta diferencia.")
        if current.status == DifferenceStatus.ATENDIDA:
            raise InvalidTransition("La diferencia ya fue atendida.")
        initial = {
            "nombres_apellidos": current.person_name,
            "fecha_cese": (current.movement_date or timezone.localdate()).isoformat(),
            "alerta": f"Conciliación con el directorio n.° {current.reconciliation_id}",
        }
        if current.dni and len(current.dni) == 8 and current.dni.isdigit():
            initial["dni"] = current.dni
        person = current.person
        instance = do_start_instance(
            REMOVAL,
            start="cuentas",
            data=initial,
            unit=person.unit if person is not None else None,
            actor=actor,
        )
        ReconciliationDifference.objects.filter(pk=current.pk).update(instance=instance)
        current.instance = instance
        record_event(
            actor=actor,
            action="reconciliation_difference.start",
            obj=current,
            after={
                "expediente": instance.pk,
                "procedimiento": REMOVAL,
                "cuentas": current.accounts,
            },
        )
    return instance
