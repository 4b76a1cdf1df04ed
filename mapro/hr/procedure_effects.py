"""The steps of S04.03.01.02 that write the HR integration's records.

Wired in ``HrConfig.ready``:

- activities 3 and 4 are steps of ``{register: "Registro de cuentas, accesos y privilegios"}``
  registered for their step (``register_effect_handler(..., step=(code, n))``): 3 records the
  PST backup of the leaver's mailbox (where, when; by whom: the actor), 4 the physical deletion
  from the AD, refused (400 on ``cuenta_ad``) while no backup of that leaver is recorded;
- activity 15 records the PST backup of each baja the reconciliation removes (400 on
  ``eliminaciones`` naming the row when a row has no backup, given or recorded earlier); it is
  registered ``before=True``, so the IAM app's handler of that step removes the accounts
  afterwards, in the same transaction, and the outcome carries both;
- ``{register: "Conciliación de altas y bajas"}`` (activity 14) links the uploaded
  reconciliation (field ``conciliacion``) to the instance;
- ``{document: "Informe de eliminación de cuentas"}`` (activity 16) takes the informe's
  listing from the accounts register for the semester of activity 11 (or ``desde``/``hasta``)
  and keeps its figures and link in the step's outcome.

Who the leaver is: the person of the HR alert that started the instance, else the DNI and name
that activity 1 (or 5) recorded.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils.dateparse import parse_datetime

from mapro.core.exceptions import InvalidInput
from mapro.directory.actions import enqueue_operation
from mapro.directory.choices import Operation
from mapro.organization.models import Person
from mapro.procedures.effects import EffectCall, Outcome

from .actions import do_link_reconciliation, do_record_directory_deletion, do_record_mailbox_backup
from .actions.backups import backup_for
from .models import LeaverEvent, Reconciliation
from .selectors import removal_report, semester_bounds

PROCEDURE = "S04.03.01.02"
ACCOUNTS_REGISTER = "Registro de cuentas, accesos y privilegios"
RECONCILIATION_REGISTER = "Conciliación de altas y bajas"
REMOVAL_REPORT = "Informe de eliminación de cuentas"


def leaver_of(call: EffectCall) -> tuple[Person | None, str, str]:
    """(person, DNI, name) of the leaver this instance is about."""
    event = LeaverEvent.objects.select_related("person").filter(instance=call.instance).first()
    request = call.step_data(1) or call.step_data(5)
    name = str(request.get("nombres_apellidos") or "").strip()
    if event is not None:
        return event.person, event.person.dni, name or event.person.full_name
    dni = str(request.get("dni") or "").strip()
    person = Person.objects.filter(dni=dni).first() if dni else None
    return person, dni, name or (person.full_name if person else "")


def _datetime(value: Any) -> datetime.datetime | None:
    if not value:
        return None
    return parse_datetime(str(value))


def _date(value: Any) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _renamed(exc: InvalidInput, names: dict[str, str]) -> InvalidInput:
    """The action's field errors under the step form's field names."""
    return InvalidInput(
        exc.message, errors={names.get(k, k): v for k, v in (exc.errors or {}).items()}
    )


def record_backup_step(call: EffectCall) -> Outcome:
    """Activity 3: the PST backup of the leaver's mailbox."""
    person, dni, name = leaver_of(call)
    data = call.data
    try:
        backup = do_record_mailbox_backup(
            actor=call.actor,
            person=person,
            dni=dni,
            person_name=name or str(data.get("buzon") or ""),
            mailbox=str(data.get("buzon") or ""),
            location=str(data.get("ubicacion_pst") or ""),
            backed_up_at=_datetime(data.get("fecha_backup")),
            size_mb=data.get("tamano_mb"),
            notes=str(data.get("observaciones") or ""),
            instance=call.instance,
        )
    except InvalidInput as exc:
        raise _renamed(
            exc,
            {
                "mailbox": "buzon",
                "location": "ubicacion_pst",
                "backed_up_at": "fecha_backup",
                "size_mb": "tamano_mb",
                "person_name": "buzon",
            },
        ) from exc
    return Outcome.applied(backup_pst=backup.pk, ubicacion=backup.location)


def record_deletion_step(call: EffectCall) -> Outcome:
    """Activity 4: the physical deletion from the AD (needs the backup of activity 3)."""
    person, dni, name = leaver_of(call)
    try:
        deletion = do_record_directory_deletion(
            actor=call.actor,
            person=person,
            dni=dni,
            person_name=name,
            account_name=str(call.data.get("cuenta_ad") or ""),
            deleted_on=_date(call.data.get("fecha_eliminacion")),
            notes=str(call.data.get("observaciones") or ""),
            instance=call.instance,
        )
    except InvalidInput as exc:
        raise _renamed(
            exc,
            {"backup": "cuenta_ad", "account_name": "cuenta_ad", "deleted_on": "fecha_eliminacion"},
        ) from exc
    # The deletion itself is the directory connector's (mapro.directory), after the backup check.
    operation = enqueue_operation(
        Operation.DELETE_USER,
        deletion.account_name,
        key=f"hr:step:{call.record.pk}:delete:{deletion.pk}",
        instance=call.instance,
        activity_n=call.n,
    )
    return Outcome.applied(
        eliminacion_ad=deletion.pk, backup_pst=deletion.backup_id, directorio=[operation.summary]
    )


def record_reconciled_backups(call: EffectCall) -> Outcome:
    """Activity 15, before the removals: each row's PST backup (given now or recorded before);
    the IAM app's handler of the step then removes the accounts."""
    rows = [r for r in call.data.get("eliminaciones") or [] if isinstance(r, dict)]
    errors: list[str] = []
    backups: list[int] = []
    for index, row in enumerate(rows, start=1):
        name = str(row.get("nombres_apellidos") or "").strip()
        location = str(row.get("ubicacion_pst") or "").strip()
        when = _datetime(row.get("fecha_backup"))
        if location and when is not None:
            account = str(row.get("nombre_cuenta") or "").strip()
            backup = do_record_mailbox_backup(
                actor=call.actor,
                person_name=name,
                mailbox=account or name,
                location=location,
                backed_up_at=when,
                instance=call.instance,
            )
            backups.append(backup.pk)
        elif backup_for(instance=call.instance, person_name=name) is None:
            errors.append(
                f"Fila {index} ({name or 'sin nombre'}): indique la ubicación y la fecha del "
                "backup PST; el buzón se respalda antes de eliminar la cuenta."
            )
    if errors:
        raise InvalidInput(errors={"eliminaciones": errors})
    return Outcome.applied(backups_pst=backups)


def handle_reconciliation_register(call: EffectCall) -> Outcome:
    """Activity 14: link the reconciliation uploaded for this semester (field ``conciliacion``,
    its number) to the instance."""
    number = call.data.get("conciliacion")
    if number in (None, ""):
        return Outcome.skipped("No se indicó el n.° de la conciliación cargada.")
    reconciliation = Reconciliation.objects.filter(pk=number).first()
    if reconciliation is None:
        raise InvalidInput(
            errors={"conciliacion": [f"No existe la conciliación n.° {number}; cárguela primero."]}
        )
    do_link_reconciliation(reconciliation, call.instance, actor=call.actor)
    return Outcome.applied(
        conciliacion=reconciliation.pk,
        diferencias=reconciliation.differences.count(),
        url=reverse("hr:reconciliation_detail", args=[reconciliation.pk]),
    )


def handle_removal_report(call: EffectCall) -> Outcome:
    """Activity 16: the informe's listing of what was removed in the semester."""
    period = str(call.step_data(11).get("periodo") or "")
    start = _date(call.data.get("desde"))
    end = _date(call.data.get("hasta"))
    bounds = semester_bounds(period)
    if (start is None or end is None) and bounds is not None:
        start, end = start or bounds[0], end or bounds[1]
    if start is None or end is None:
        raise InvalidInput(
            errors={
                "desde": [
                    "Indique el periodo del informe (desde y hasta): el periodo de la actividad "
                    "11 no es un semestre AAAA-I o AAAA-II."
                ]
            }
        )
    if start > end:
        raise InvalidInput(errors={"hasta": ["«Hasta» no puede ser anterior a «desde»."]})
    rows = removal_report(start, end)
    url = reverse("hr:removal_report") + f"?desde={start.isoformat()}&hasta={end.isoformat()}"
    return Outcome.applied(
        desde=start.isoformat(),
        hasta=end.isoformat(),
        cuentas_eliminadas=len(rows),
        personas=len({r.dni for r in rows}),
        informe=url,
    )
