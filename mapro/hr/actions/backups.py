"""The PST backup of a leaver's mailbox and the physical deletion of the account from the AD.

S04.03.01.02 activity 3 ("Generar un backup tipo PST del buzón de correo") then 4 ("Eliminar
físicamente la cuenta del AD"), and their repetition in 15 for the bajas the reconciliation
finds. The deletion is refused while no backup of that leaver is recorded: the mailbox would
be lost.
"""

from __future__ import annotations

import datetime
import decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from mapro.audit.actions import actor_name, record_event
from mapro.core.exceptions import InvalidInput
from mapro.iam.actions import do_remove_account
from mapro.iam.choices import AccountKind
from mapro.iam.selectors import accounts_of
from mapro.organization.models import Person
from mapro.organization.permissions import check_role

from ..access import BACKUP_RECORD_ROLES
from ..models import DirectoryDeletion, MailboxBackup


def _check(actor: Any) -> None:
    """The system (a procedure step already checked) or a role that records them."""
    if actor is not None:
        check_role(actor, BACKUP_RECORD_ROLES)


def _who(person: Person | None, dni: str, person_name: str) -> tuple[Person | None, str, str]:
    dni = (dni or "").strip()
    if person is None and dni:
        person = Person.objects.filter(dni=dni).first()
    if person is not None:
        return person, person.dni, (person_name or "").strip() or person.full_name
    return None, dni, (person_name or "").strip()


def do_record_mailbox_backup(
    *,
    actor: Any,
    mailbox: str,
    location: str,
    backed_up_at: datetime.datetime | None,
    person: Person | None = None,
    dni: str = "",
    person_name: str = "",
    size_mb: Any = None,
    notes: str = "",
    instance: Any = None,
) -> MailboxBackup:
    """Record where and when the PST backup of a leaver's mailbox was made; the actor is who
    made it. Required: the mailbox, the location in the storage site, the date and time, and
    who the leaver is (a person, a DNI or a name)."""
    _check(actor)
    person, dni, person_name = _who(person, dni, person_name)
    errors: dict[str, list[str]] = {}
    mailbox, location = (mailbox or "").strip(), (location or "").strip()
    if not mailbox:
        errors["mailbox"] = ["Indique el buzón de correo respaldado."]
    if not location:
        errors["location"] = ["Indique la ubicación del archivo PST en el sitio de almacenamiento."]
    if backed_up_at is None:
        errors["backed_up_at"] = ["Indique la fecha y hora del backup."]
    if not person_name:
        errors["person_name"] = ["Indique el nombre (o el DNI) del personal dado de baja."]
    size = None
    if size_mb not in (None, ""):
        try:
            size = decimal.Decimal(str(size_mb)).quantize(decimal.Decimal("0.01"))
        except decimal.InvalidOperation:
            errors["size_mb"] = ["El tamaño debe ser un número de MB."]
        else:
            if size < 0:
                errors["size_mb"] = ["El tamaño no puede ser negativo."]
    if errors or backed_up_at is None:
        raise InvalidInput(errors=errors)
    with transaction.atomic():
        backup = MailboxBackup.objects.create(
            person=person,
            dni=dni[:20],
            person_name=person_name[:200],
            mailbox=mailbox[:200],
            location=location[:300],
            backed_up_at=backed_up_at,
            size_mb=size,
            notes=(notes or "").strip(),
            instance=instance,
            recorded_by=actor,
            recorded_by_name=actor_name(actor),
        )
        record_event(
            actor=actor,
            action="mailbox_backup.record",
            obj=backup,
            after={
                "persona": person_name,
                "dni": dni,
                "buzon": backup.mailbox,
                "ubicacion": backup.location,
                "fecha_backup": backup.backed_up_at,
                "tamano_mb": backup.size_mb,
                "expediente": instance.pk if instance is not None else None,
            },
        )
    return backup


def backup_for(
    *, instance: Any = None, person: Person | None = None, dni: str = "", person_name: str = ""
) -> MailboxBackup | None:
    """The latest PST backup of this leaver: in the same instance first (by DNI or name),
    else any of the person's or DNI's."""
    qs = MailboxBackup.objects.order_by("-backed_up_at", "-id")
    who = Q(pk__in=[])
    if person is not None:
        who |= Q(person=person)
    if dni:
        who |= Q(dni=dni)
    if instance is not None:
        same = qs.filter(instance=instance)
        if person_name:
            found = same.filter(who | Q(person_name__iexact=person_name)).first()
        else:
            found = same.filter(who).first() if (person or dni) else same.first()
        if found is not None:
            return found
    if person is None and not dni:
        return None
    return qs.filter(who).first()


def do_record_directory_deletion(
    *,
    actor: Any,
    account_name: str,
    deleted_on: datetime.date | None,
    person: Person | None = None,
    dni: str = "",
    person_name: str = "",
    notes: str = "",
    instance: Any = None,
) -> DirectoryDeletion:
    """Record that ``account_name`` was deleted from the AD on ``deleted_on``.

    Refused (InvalidInput on ``backup``) while no PST backup of the leaver is recorded, and
    when the date precedes the backup's. The account's entry in the accounts register, if
    still active, is marked removed (``mapro.iam.actions.do_remove_account``, idempotent).
    """
    _check(actor)
    person, dni, person_name = _who(person, dni, person_name)
    account_name = (account_name or "").strip()
    errors: dict[str, list[str]] = {}
    if not account_name:
        errors["account_name"] = ["Indique la cuenta eliminada del AD."]
    if deleted_on is None:
        errors["deleted_on"] = ["Indique la fecha de eliminación física."]
    if errors or deleted_on is None:
        raise InvalidInput(errors=errors)
    backup = backup_for(instance=instance, person=person, dni=dni, person_name=person_name)
    if backup is None:
        raise InvalidInput(
            errors={
                "backup": [
                    "No hay un backup PST registrado del buzón de "
                    f"{person_name or dni or 'esta persona'}: regístrelo antes de eliminar la "
                    "cuenta del AD."
                ]
            }
        )
    backed_up_on = timezone.localdate(backup.backed_up_at)  # Lima's day, not UTC's
    if deleted_on < backed_up_on:
        raise InvalidInput(
            errors={
                "deleted_on": [
                    "La eliminación no puede ser anterior al backup PST "
                    f"({backed_up_on.isoformat()})."
                ]
            }
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                deletion = DirectoryDeletion.objects.create(
                    person=person or backup.person,
                    dni=(dni or backup.dni)[:20],
                    person_name=(person_name or backup.person_name)[:200],
                    account_name=account_name[:100],
                    deleted_on=deleted_on,
                    backup=backup,
                    notes=(notes or "").strip(),
                    instance=instance,
                    recorded_by=actor,
                    recorded_by_name=actor_name(actor),
                )
        except IntegrityError as exc:
            raise InvalidInput(
                errors={"account_name": ["Esta cuenta ya figura eliminada del AD."]}
            ) from exc
        removed = _remove_from_register(deletion, actor=actor, instance=instance)
        record_event(
            actor=actor,
            action="directory_deletion.record",
            obj=deletion,
            after={
                "persona": deletion.person_name,
                "dni": deletion.dni,
                "cuenta": deletion.account_name,
                "fecha_eliminacion": deletion.deleted_on,
                "backup_pst": backup.pk,
                "registro_de_cuentas": removed,
                "expediente": instance.pk if instance is not None else None,
            },
        )
    return deletion


def _remove_from_register(deletion: DirectoryDeletion, *, actor: Any, instance: Any) -> list[int]:
    """Mark the register's active AD / mail accounts of that name removed (once)."""
    if deletion.person is None:
        return []
    accounts = accounts_of(deletion.person, active_only=True).filter(
        account_name=deletion.account_name, kind__in=[AccountKind.RED, AccountKind.CORREO]
    )
    removed = []
    for account in accounts:
        do_remove_account(
            account,
            actor=actor,
            reason="Eliminada físicamente del AD.",
            instance=instance,
            removed_on=deletion.deleted_on,
        )
        removed.append(account.pk)
    return removed
