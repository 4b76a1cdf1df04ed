"""State changes of cronogramas: create, change, approve, retire — and the worker's starts.

Who may do what (``SCHEDULE_MANAGER_ROLES``): the Jefe(a) de la OGTIE and the team
coordinators write and approve cronogramas; superusers too. Every action runs in one
transaction with its audit event. Changing what or when an approved cronograma starts sends it
back to draft: a changed cronograma needs a new approval, as a signed paper one would.

``do_start_due_occurrences`` is the worker's job (``tasks.start_due_schedules``, every minute):
for each approved schedule whose next occurrence is due it inserts the occurrence row with
``INSERT … ON CONFLICT (schedule, occurs_at) DO NOTHING`` and, only when that inserted a row,
starts the instance in the same transaction. A second worker racing on the same occurrence
waits on the unique index until the first commits, then inserts nothing and starts nothing;
if the first rolls back, the second starts it. Never check-then-insert.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from mapro.audit.actions import actor_name, record_event
from mapro.core.exceptions import Forbidden, InvalidInput, InvalidTransition, MaproError
from mapro.organization.models import Role, Unit
from mapro.organization.permissions import has_role

from ..choices import OccurrenceStatus, ScheduleStatus
from ..models import Schedule, ScheduleOccurrence
from ..recurrence import Recurrence, check_recurrence, dates_to_json, zone

logger = logging.getLogger(__name__)

SCHEDULE_MANAGER_ROLES = frozenset(
    {
        "jefe-ogtie",
        "coord-innovacion",
        "coord-infraestructura",
        "coord-ciberseguridad",
        "coord-estadistica",
        "coord-gobierno-ti",
    }
)
#: Fields whose change needs a new approval (what is started, for whom, when).
_APPROVED_FIELDS = ("procedure", "start_key", "unit", "role", "rrule", "dtstart", "dates")
#: How many due schedules one tick handles; the next tick takes the rest.
DUE_BATCH = 100


def can_manage_schedules(actor: Any) -> bool:
    if actor is None:
        return True
    if not getattr(actor, "is_authenticated", False) or not actor.is_active:
        return False
    return bool(actor.is_superuser or has_role(actor, SCHEDULE_MANAGER_ROLES))


def check_can_manage_schedules(actor: Any) -> None:
    if not can_manage_schedules(actor):
        raise Forbidden(
            "Solo el Jefe(a) de la OGTIE y los coordinadores de equipo gestionan los cronogramas."
        )


def snapshot(schedule: Schedule) -> dict[str, Any]:
    """What the audit trail keeps of a schedule."""
    return {
        "name": schedule.name,
        "procedure": schedule.procedure.code if schedule.procedure_id else None,
        "start_key": schedule.start_key,
        "unit": schedule.unit.code if schedule.unit_id else None,
        "role": schedule.role,
        "rrule": schedule.rrule,
        "dtstart": schedule.dtstart.astimezone(zone()).isoformat() if schedule.dtstart else None,
        "dates": list(schedule.dates or []),
        "status": schedule.status,
    }


def check_schedule(
    *,
    name: Any,
    procedure_code: Any,
    start_key: Any,
    unit: Any,
    role: Any,
    rrule: Any,
    dtstart: Any,
    dates: Any,
) -> dict[str, Any]:
    """Validate a schedule's fields; ``InvalidInput`` with every wrong field, else clean values.

    ``unit`` may be a ``Unit`` or its code. The procedure must be published and have the start
    named; the role must exist; the occurrences must be valid and at least one
    (``recurrence.check_recurrence``).
    """
    from mapro.procedures.models import Procedure

    errors: dict[str, list[str]] = {}
    name = name.strip() if isinstance(name, str) else ""
    if not name:
        errors["name"] = ["Indique el nombre del cronograma."]
    elif len(name) > 200:
        errors["name"] = ["Use como máximo 200 caracteres."]
    procedure = None
    if not isinstance(procedure_code, str) or not procedure_code.strip():
        errors["procedure"] = ["Indique el procedimiento."]
    else:
        procedure = (
            Procedure.objects.select_related("current_version")
            .filter(code=procedure_code.strip())
            .first()
        )
        if procedure is None or procedure.current_version is None:
            errors["procedure"] = [f"No hay un procedimiento publicado {procedure_code!r}."]
            procedure = None
    if procedure is not None and procedure.current_version is not None:
        starts = procedure.current_version.ficha.get("starts") or []
        keys = [str(s.get("key")) for s in starts]
        if start_key in (None, "") and len(keys) == 1:
            start_key = keys[0]
        if start_key not in keys:
            errors["start_key"] = [
                f"Elija una forma de inicio del procedimiento: {', '.join(keys)}."
            ]
    if isinstance(unit, str):
        unit = Unit.objects.filter(code=unit.strip()).first() if unit.strip() else None
        if unit is None:
            errors["unit"] = ["Unidad desconocida."]
    if unit is None and "unit" not in errors:
        errors["unit"] = ["Indique la unidad responsable."]
    if not isinstance(role, str) or not Role.objects.filter(code=role).exists():
        errors["role"] = ["Indique un rol responsable existente (código de roles.md)."]
    try:
        recurrence = check_recurrence(rrule=rrule, dtstart=dtstart, dates=dates)
    except InvalidInput as exc:
        errors.update(exc.errors)
        recurrence = None
    if errors:
        raise InvalidInput(errors=errors)
    assert recurrence is not None
    return {
        "name": name,
        "procedure": procedure,
        "start_key": start_key,
        "unit": unit,
        "role": role,
        "recurrence": recurrence,
    }


def _apply(schedule: Schedule, clean: dict[str, Any]) -> None:
    recurrence: Recurrence = clean["recurrence"]
    schedule.name = clean["name"]
    schedule.procedure = clean["procedure"]
    schedule.start_key = clean["start_key"]
    schedule.unit = clean["unit"]
    schedule.role = clean["role"]
    schedule.rrule = recurrence.rule
    schedule.dtstart = recurrence.dtstart
    schedule.dates = dates_to_json(recurrence)


def do_create_schedule(
    *,
    actor: Any,
    name: str,
    procedure_code: str,
    start_key: str | None,
    unit: Unit | str | None,
    role: str,
    rrule: str = "",
    dtstart: Any = None,
    dates: Any = None,
    description: str = "",
) -> Schedule:
    """Register a cronograma, as a draft: it starts nothing until approved."""
    check_can_manage_schedules(actor)
    clean = check_schedule(
        name=name,
        procedure_code=procedure_code,
        start_key=start_key,
        unit=unit,
        role=role,
        rrule=rrule,
        dtstart=dtstart,
        dates=dates,
    )
    with transaction.atomic():
        schedule = Schedule(description=(description or "").strip(), created_by=actor)
        _apply(schedule, clean)
        schedule.save()
        record_event(actor=actor, action="schedule.create", obj=schedule, after=snapshot(schedule))
    return schedule


def do_update_schedule(schedule: Schedule, *, actor: Any, **changes: Any) -> Schedule:
    """Change a schedule (not a retired one). ``changes`` are any of ``name``,
    ``procedure_code``, ``start_key``, ``unit``, ``role``, ``rrule``, ``dtstart``, ``dates``,
    ``description``. A change to what or when it starts sends an approved schedule back to
    draft (its approval is cleared, and it starts nothing until approved again)."""
    check_can_manage_schedules(actor)
    unknown = set(changes) - {
        "name",
        "procedure_code",
        "start_key",
        "unit",
        "role",
        "rrule",
        "dtstart",
        "dates",
        "description",
    }
    if unknown:
        raise TypeError(f"Campos desconocidos: {sorted(unknown)}")
    with transaction.atomic():
        current = (
            Schedule.objects.select_for_update()
            .select_related("procedure", "unit")
            .get(pk=schedule.pk)
        )
        if current.status == ScheduleStatus.RETIRED:
            raise InvalidTransition("Un cronograma dado de baja no se modifica.")
        before = snapshot(current)
        clean = check_schedule(
            name=changes.get("name", current.name),
            procedure_code=changes.get("procedure_code", current.procedure.code),
            start_key=changes.get("start_key", current.start_key),
            unit=changes.get("unit", current.unit),
            role=changes.get("role", current.role),
            rrule=changes.get("rrule", current.rrule),
            dtstart=changes.get("dtstart", current.dtstart),
            dates=changes.get("dates", current.dates),
        )
        _apply(current, clean)
        if "description" in changes:
            current.description = (changes["description"] or "").strip()
        after = snapshot(current)
        if current.status == ScheduleStatus.APPROVED and any(
            before[f] != after[f] for f in _APPROVED_FIELDS
        ):
            current.status = ScheduleStatus.DRAFT
            current.approved_by = None
            current.approved_by_name = ""
            current.approved_at = None
            current.next_occurrence_at = None
            after = snapshot(current)
        current.save()
        changed = [key for key in after if after[key] != before[key]]
        record_event(
            actor=actor,
            action="schedule.update",
            obj=current,
            before={key: before[key] for key in changed},
            after={key: after[key] for key in changed},
        )
    return current


def do_approve_schedule(schedule: Schedule, *, actor: Any) -> Schedule:
    """Approve a draft: from now on each occurrence starts an instance.

    Occurrences before the approval are not started (the cronograma did not exist for them);
    a schedule with no occurrence left is refused (``InvalidInput`` on ``rrule``).
    """
    check_can_manage_schedules(actor)
    if actor is None:
        raise Forbidden("Un cronograma lo aprueba una persona.")
    with transaction.atomic():
        current = (
            Schedule.objects.select_for_update()
            .select_related("procedure", "unit")
            .get(pk=schedule.pk)
        )
        if current.status != ScheduleStatus.DRAFT:
            raise InvalidTransition("Solo se aprueba un cronograma en borrador.")
        now = timezone.now()
        upcoming = current.recurrence().next_after(now, inclusive=True)
        if upcoming is None:
            raise InvalidInput(
                errors={"rrule": ["El cronograma no tiene ocurrencias futuras que aprobar."]}
            )
        before = snapshot(current)
        current.status = ScheduleStatus.APPROVED
        current.approved_by = actor
        current.approved_by_name = actor_name(actor)
        current.approved_at = now
        current.next_occurrence_at = upcoming
        current.save()
        record_event(
            actor=actor,
            action="schedule.approve",
            obj=current,
            before={"status": before["status"]},
            after={"status": current.status, "next_occurrence_at": upcoming.isoformat()},
        )
    return current


def do_retire_schedule(schedule: Schedule, reason: str, *, actor: Any) -> Schedule:
    """Retire a schedule (with a reason): it starts nothing more; its history stays."""
    check_can_manage_schedules(actor)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(errors={"reason": ["Indique el motivo de la baja."]})
    with transaction.atomic():
        current = Schedule.objects.select_for_update().get(pk=schedule.pk)
        if current.status == ScheduleStatus.RETIRED:
            raise InvalidTransition("El cronograma ya está dado de baja.")
        before = current.status
        current.status = ScheduleStatus.RETIRED
        current.retired_reason = reason
        current.next_occurrence_at = None
        current.save()
        record_event(
            actor=actor,
            action="schedule.retire",
            obj=current,
            before={"status": before},
            after={"status": current.status, "reason": reason},
        )
    return current


# --- the worker's job ------------------------------------------------------------------------


def due_schedules(now: datetime.datetime, limit: int = DUE_BATCH) -> list[Schedule]:
    """Approved schedules whose next occurrence is due, earliest first: one query on a
    partial index, whatever the number of schedules (docs/benchmarks.md)."""
    return list(
        Schedule.objects.filter(status=ScheduleStatus.APPROVED, next_occurrence_at__lte=now)
        .select_related("procedure", "unit")
        .order_by("next_occurrence_at", "id")[:limit]
    )


def _claim_occurrence(schedule_id: int, occurs_at: datetime.datetime, now: Any) -> int | None:
    """``INSERT … ON CONFLICT DO NOTHING RETURNING id``: the new row's id, or None when the
    occurrence already has its row (another worker, or an earlier run, handled it)."""
    table = connection.ops.quote_name(ScheduleOccurrence._meta.db_table)
    at_field = ScheduleOccurrence._meta.get_field("occurs_at")
    sql = (
        f"INSERT INTO {table} (schedule_id, occurs_at, status, error, handled_at, instance_id) "  # noqa: S608
        "VALUES (%s, %s, %s, '', %s, NULL) "
        "ON CONFLICT (schedule_id, occurs_at) DO NOTHING RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                schedule_id,
                at_field.get_db_prep_save(occurs_at, connection),
                OccurrenceStatus.STARTED,
                at_field.get_db_prep_save(now, connection),
            ],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else None


def _tell_failure(schedule: Schedule, occurs_at: datetime.datetime, reason: str) -> None:
    """The responsible role (in the schedule's unit) and the Jefe(a) learn that an occurrence
    did not start: a cronograma that silently stops is worse than one that fails loudly."""
    from django.urls import reverse

    from mapro.notifications.notices import do_notify

    when = occurs_at.astimezone(zone()).strftime("%d/%m/%Y %H:%M")
    do_notify(
        roles=sorted({schedule.role, "jefe-ogtie"}),
        unit=schedule.unit,
        subject=f"No se pudo iniciar el cronograma «{schedule.name}» ({when})",
        body=(
            f"El cronograma «{schedule.name}» debía iniciar el procedimiento "
            f"{schedule.procedure.code} (forma de inicio «{schedule.start_key}») el {when}, y "
            f"no se pudo: {reason} Revise el cronograma o el procedimiento."
        ),
        url=reverse("schedules:schedule_detail", args=[schedule.pk]),
        key=f"schedule:{schedule.pk}:{occurs_at.isoformat()}:failed",
    )


def do_start_occurrence(
    schedule: Schedule, occurs_at: datetime.datetime
) -> ScheduleOccurrence | None:
    """Start the instance of one occurrence, exactly once (the system acts).

    Returns the occurrence row written, or None when another run had it already. A refused
    start (``MaproError``: procedure unpublished, start removed, engine failure) is kept as a
    ``failed`` occurrence with its reason and audited; it is not retried. Either way the
    schedule moves on to its next occurrence.
    """
    from mapro.procedures.actions import do_start_instance

    with transaction.atomic():
        now = timezone.now()
        occurrence_id = _claim_occurrence(schedule.pk, occurs_at, now)
        occurrence = None
        if occurrence_id is not None:
            occurrence = ScheduleOccurrence.objects.get(pk=occurrence_id)
            try:
                instance = do_start_instance(
                    schedule.procedure.code,
                    start=schedule.start_key,
                    unit=schedule.unit,
                    actor=None,
                    system=True,
                )
            except MaproError as exc:
                logger.error(
                    "Schedule %s could not start its occurrence %s: %s",
                    schedule.pk,
                    occurs_at,
                    exc.message,
                )
                occurrence.status = OccurrenceStatus.FAILED
                occurrence.error = exc.message
                _tell_failure(schedule, occurs_at, exc.message)
            else:
                occurrence.instance = instance
            occurrence.save(update_fields=["status", "error", "instance"])
            record_event(
                actor=None,
                action="schedule.occurrence",
                obj=schedule,
                after={
                    "occurs_at": occurs_at.isoformat(),
                    "status": occurrence.status,
                    "instance": occurrence.instance_id,
                    "error": occurrence.error,
                },
            )
        following = schedule.recurrence().next_after(occurs_at)
        # Conditional: a racing worker that already moved it on is left alone.
        Schedule.objects.filter(
            pk=schedule.pk, status=ScheduleStatus.APPROVED, next_occurrence_at=occurs_at
        ).update(next_occurrence_at=following)
    return occurrence


def do_start_due_occurrences(now: datetime.datetime | None = None) -> list[ScheduleOccurrence]:
    """The worker tick: start every due occurrence (one per schedule per tick; an occurrence
    missed while the worker was down is started late, and the next one at the next tick)."""
    now = now or timezone.now()
    started = []
    for schedule in due_schedules(now):
        assert schedule.next_occurrence_at is not None
        occurrence = do_start_occurrence(schedule, schedule.next_occurrence_at)
        if occurrence is not None:
            started.append(occurrence)
    return started
