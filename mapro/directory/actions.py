"""Writing directory operations, and the operator's retry and manual completion.

``enqueue_operation`` is called by the accounts register's steps (``mapro.iam``,
``mapro.hr``) inside their transaction: the operation is committed with the step or not at all,
and the worker applies it afterwards (``delivery``). Without a directory (``DIRECTORY_URL``
empty, the embedded default) it is recorded "por completar a mano", as the steps were before.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mapro.audit.actions import record_event
from mapro.core.exceptions import InvalidInput, InvalidTransition
from mapro.organization.permissions import check_role

from . import conf
from .choices import OPERATE_ROLES, Operation, OperationStatus
from .models import DirectoryOperation

logger = logging.getLogger(__name__)

NO_DIRECTORY = "Sin directorio configurado: por completar a mano."


def enqueue_operation(
    operation: str,
    username: str,
    *,
    key: str,
    groups: Iterable[str] = (),
    attributes: dict[str, Any] | None = None,
    account_id: int | None = None,
    instance: Any = None,
    activity_n: int | None = None,
    wait: bool = True,
) -> DirectoryOperation:
    """Write one operation in the caller's transaction (``RuntimeError`` outside one).

    ``key`` names the effect (e.g. ``iam:account:<id>:create``): the same key twice yields one
    row. ``wait``: the instance's next step waits for the directory's answer.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("enqueue_operation debe llamarse dentro de una transacción.")
    if operation not in Operation.values:
        raise ValueError(f"Operación desconocida: {operation!r}")
    if not username:
        raise InvalidInput(errors={"username": ["Indique la cuenta del directorio."]})
    configured = conf.configured()
    op, created = DirectoryOperation.objects.get_or_create(
        key=key[:200],
        defaults={
            "operation": operation,
            "username": username,
            "groups": list(groups),
            "attributes": dict(attributes or {}),
            "account_id": account_id,
            "instance": instance,
            "activity_n": activity_n,
            "wait": wait and configured,
            "status": OperationStatus.PENDING if configured else OperationStatus.MANUAL,
            "result": "" if configured else NO_DIRECTORY,
        },
    )
    if created and configured:
        transaction.on_commit(_kick_worker)
    return op


def _kick_worker() -> None:
    if not getattr(settings, "NOTIFICATIONS_KICK_WORKER", True):
        return
    try:
        from .tasks import apply_directory_soon

        apply_directory_soon()
    except Exception:  # the periodic task will apply them
        logger.warning("directorio: no se pudo avisar al worker", exc_info=True)


def _locked(op: DirectoryOperation) -> DirectoryOperation:
    current = DirectoryOperation.objects.select_for_update().filter(pk=op.pk).first()
    if current is None:
        raise InvalidTransition("La operación ya no existe.")
    return current


def do_retry_operation(op: DirectoryOperation, *, actor: Any) -> DirectoryOperation:
    """Apply a failed (or manual) operation again: pending, due now, fresh attempts."""
    check_role(actor, OPERATE_ROLES)
    if not conf.configured():
        raise InvalidTransition("No hay un directorio configurado; complétela a mano.")
    with transaction.atomic():
        current = _locked(op)
        if current.status not in (OperationStatus.FAILED, OperationStatus.MANUAL):
            raise InvalidTransition("Solo se reintenta una operación fallida o pendiente a mano.")
        before = {"estado": current.status, "intentos": current.attempts}
        current.status, current.attempts = OperationStatus.PENDING, 0
        current.next_attempt_at, current.finished_at = timezone.now(), None
        current.wait = current.instance_id is not None
        current.save(update_fields=["status", "attempts", "next_attempt_at", "finished_at", "wait"])
        record_event(
            actor=actor,
            action="directory_operation.retry",
            obj=current,
            before=before,
            after={"estado": current.status, "operacion": current.summary},
        )
        transaction.on_commit(_kick_worker)
    return current


def do_complete_manually(op: DirectoryOperation, note: str, *, actor: Any) -> DirectoryOperation:
    """The operator did the operation by hand in the directory (it is down, or refused it and
    the operator fixed the cause): recorded as such, and the instance moves on."""
    check_role(actor, OPERATE_ROLES)
    note = (note or "").strip()
    if not note:
        raise InvalidInput(errors={"note": ["Indique qué se hizo a mano en el directorio."]})
    with transaction.atomic():
        current = _locked(op)
        if current.status in (OperationStatus.DONE, OperationStatus.MANUAL_DONE):
            raise InvalidTransition("La operación ya está completada.")
        if current.status == OperationStatus.APPLYING and current.next_attempt_at > timezone.now():
            raise InvalidTransition("El worker está aplicando la operación; espere su respuesta.")
        before = {"estado": current.status}
        current.status = OperationStatus.MANUAL_DONE
        current.result = f"Completada a mano: {note}"[:300]
        current.finished_at, current.finished_by = timezone.now(), actor
        current.save(update_fields=["status", "result", "finished_at", "finished_by"])
        record_event(
            actor=actor,
            action="directory_operation.manual",
            obj=current,
            before=before,
            after={"estado": current.status, "operacion": current.summary, "nota": note},
        )
    return current
