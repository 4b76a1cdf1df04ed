"""Actions on the log of restore requests (S04.03.02.02)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from mapro.audit.actions import actor_name, record_event, snapshot
from mapro.core.exceptions import Conflict, InvalidInput
from mapro.organization.models import Person, Unit

from ..access import RESTORE_EXECUTORS, RESTORE_RECORDERS, check_manager
from ..choices import InformationKind, RestoreAction, RestoreOutcome
from ..models import RestoreRequest
from .common import require, text, today

REQUEST_FIELDS = (
    "information_kind",
    "system",
    "period",
    "requester_name",
    "unit",
    "ticket",
    "requested_on",
)
OUTCOME_FIELDS = ("outcome", "action", "backup_used", "result", "closed_on", "restored_by_name")


@transaction.atomic
def do_record_restore_request(
    *,
    system: str,
    period: str,
    information_kind: str = InformationKind.SISTEMA,
    description: str = "",
    requester: Person | None = None,
    requester_name: str = "",
    unit: Unit | None = None,
    ticket: str = "",
    requested_on: dt.date | None = None,
    instance: Any = None,
    actor: Any,
    check: bool = True,
) -> RestoreRequest:
    """Log a restore request. Without the system (or database, or location) and the date or
    period of the data there is nothing to restore: 400 naming each missing item, nothing
    written."""
    check_manager(actor, RESTORE_RECORDERS, check=check)
    system, period = text(system, 200), text(period, 100)
    name = text(requester_name, 200) or (requester.full_name if requester is not None else "")
    unit = unit or (requester.unit if requester is not None else None)
    require(
        {"system": system, "period": period, "requester_name": name, "unit": unit},
        {
            "system": "Indique el sistema, la base de datos o la ubicación de la información.",
            "period": "Indique la fecha o el periodo de la información a restaurar.",
            "requester_name": "Indique el solicitante.",
            "unit": "Indique la unidad de organización solicitante.",
        },
    )
    assert unit is not None
    if information_kind not in InformationKind.values:
        raise InvalidInput(errors={"information_kind": ["Tipo de información no válido."]})
    request = RestoreRequest.objects.create(
        information_kind=information_kind,
        system=system,
        period=period,
        description=text(description),
        requester=requester,
        requester_name=name,
        unit=unit,
        ticket=text(ticket, 50),
        requested_on=requested_on or today(),
        instance=instance,
    )
    record_event(
        actor=actor,
        action="restore_request.record",
        obj=request,
        after=snapshot(request, REQUEST_FIELDS),
    )
    return request


@transaction.atomic
def do_record_restore_outcome(
    request: RestoreRequest,
    *,
    outcome: str,
    result: str,
    action: str = "",
    backup_used: str = "",
    closed_on: dt.date | None = None,
    actor: Any,
    check: bool = True,
) -> RestoreRequest:
    """Record what came of a pending request: ``restaurada`` (with the action executed),
    ``fallida``, or ``rechazada`` (returned to the unit, the reason in ``result``). The help
    desk may only record a returned request; restoring is the Profesional para la OGTIE's."""
    roles = RESTORE_RECORDERS if outcome == RestoreOutcome.RECHAZADA else RESTORE_EXECUTORS
    check_manager(actor, roles, check=check)
    result = text(result)
    if outcome not in RestoreOutcome.values or outcome == RestoreOutcome.PENDIENTE:
        raise InvalidInput(
            errors={"outcome": ["Resultado no válido: «restaurada», «fallida» o «rechazada»."]}
        )
    require({"result": result}, {"result": "Describa el resultado (o el motivo del rechazo)."})
    if outcome == RestoreOutcome.RESTAURADA and action not in RestoreAction.values:
        raise InvalidInput(
            errors={"action": ["Indique la acción ejecutada: «restauracion» o «recuperacion»."]}
        )
    request = RestoreRequest.objects.select_for_update().get(pk=request.pk)
    if request.outcome != RestoreOutcome.PENDIENTE:
        raise Conflict(
            f"El requerimiento {request.pk} ya tiene resultado: {request.get_outcome_display()}."
        )
    day = closed_on or today()
    if day > today():
        raise InvalidInput(errors={"closed_on": ["La fecha de atención no puede ser futura."]})
    request.outcome, request.result, request.closed_on = outcome, result, day
    request.action = action if outcome == RestoreOutcome.RESTAURADA else ""
    request.backup_used = text(backup_used, 200)
    request.restored_by, request.restored_by_name = actor, actor_name(actor)
    request.save()
    record_event(
        actor=actor,
        action="restore_request.outcome",
        obj=request,
        before={"outcome": RestoreOutcome.PENDIENTE},
        after=snapshot(request, OUTCOME_FIELDS),
    )
    return request
