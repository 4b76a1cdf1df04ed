"""Applying the directory operations: claim due rows safely across workers, apply, record.

The same discipline as the mail outbox (``mapro.notifications.delivery``, docs/decisions/
outbox.md): a claim is a lease (``next_attempt_at`` becomes its end) and ``attempts`` fences the
outcome, so a worker killed mid-batch leaves its row "applying" with an expired lease and the
next run claims it again. What makes the replay harmless is the connector: every operation
reads the directory before writing (``connector``), so an operation that reached the directory
before the crash is recognised as done and not written twice.

Claiming: PostgreSQL ``SELECT … FOR UPDATE SKIP LOCKED``; other databases a conditional
``UPDATE … WHERE id = ? AND status = ? AND attempts = ?`` per candidate.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from mapro.notifications.delivery import backoff_delay

from . import conf, connector
from .choices import OperationStatus
from .models import DirectoryOperation

logger = logging.getLogger(__name__)

ERROR_MAX_LENGTH = 2000
LEASE_EXHAUSTED = "El proceso se detuvo durante el último intento permitido."


@dataclass
class ApplyReport:
    claimed: int = 0
    done: int = 0
    retried: int = 0
    failed: int = 0
    manual: int = 0


def _due_q(now: Any) -> Q:
    return Q(
        status__in=[OperationStatus.PENDING, OperationStatus.APPLYING], next_attempt_at__lte=now
    )


def claim_due(limit: int) -> list[DirectoryOperation]:
    """Claim up to ``limit`` due operations, oldest first (an account's creation before the
    change of its groups): "applying", attempts + 1, leased."""
    now = timezone.now()
    lease_until = now + timedelta(seconds=conf.lease_seconds())
    if db_connection.vendor == "postgresql":
        with transaction.atomic():
            rows = list(
                DirectoryOperation.objects.select_for_update(skip_locked=True)
                .filter(_due_q(now))
                .order_by("id")[:limit]
            )
            DirectoryOperation.objects.filter(pk__in=[r.pk for r in rows]).update(
                status=OperationStatus.APPLYING,
                attempts=F("attempts") + 1,
                next_attempt_at=lease_until,
            )
        for row in rows:
            row.status, row.attempts, row.next_attempt_at = (
                OperationStatus.APPLYING,
                row.attempts + 1,
                lease_until,
            )
        return rows
    candidates = list(
        DirectoryOperation.objects.filter(_due_q(now))
        .order_by("id")
        .values_list("pk", "status", "attempts")[:limit]
    )
    claimed: dict[int, int] = {}
    for pk, status, attempts in candidates:
        if DirectoryOperation.objects.filter(
            pk=pk, status=status, attempts=attempts, next_attempt_at__lte=now
        ).update(
            status=OperationStatus.APPLYING, attempts=attempts + 1, next_attempt_at=lease_until
        ):
            claimed[pk] = attempts + 1
    return [
        row
        for row in DirectoryOperation.objects.filter(pk__in=list(claimed)).order_by("id")
        if row.attempts == claimed[row.pk]
    ]


def _fenced(op: DirectoryOperation) -> Any:
    return DirectoryOperation.objects.filter(
        pk=op.pk, status=OperationStatus.APPLYING, attempts=op.attempts
    )


def _clip(text: str) -> str:
    password = conf.bind_password()
    if password:
        text = text.replace(password, "********")
    return text[:ERROR_MAX_LENGTH]


def _record(op: DirectoryOperation, report: ApplyReport, **fields: Any) -> None:
    status = fields["status"]
    if status in (OperationStatus.DONE, OperationStatus.FAILED, OperationStatus.MANUAL):
        fields.setdefault("finished_at", timezone.now())
    if not _fenced(op).update(**fields):
        logger.warning("directorio: %s terminó tras perder su plazo", op.key)
        return
    counter = {"done": "done", "failed": "failed", "pending": "retried"}.get(status, "manual")
    setattr(report, counter, getattr(report, counter) + 1)


def fail_exhausted_leases() -> int:
    return DirectoryOperation.objects.filter(
        status=OperationStatus.APPLYING,
        next_attempt_at__lte=timezone.now(),
        attempts__gte=conf.max_attempts(),
    ).update(status=OperationStatus.FAILED, last_error=LEASE_EXHAUSTED, finished_at=timezone.now())


def _unavailable(op: DirectoryOperation, exc: BaseException, report: ApplyReport) -> None:
    error = _clip(str(exc))
    if conf.when_down() == "manual":
        _record(
            op,
            report,
            status=OperationStatus.MANUAL,
            last_error=error,
            result="Directorio no disponible: por completar a mano.",
        )
    elif op.attempts >= conf.max_attempts():
        _record(op, report, status=OperationStatus.FAILED, last_error=error)
    else:
        _record(
            op,
            report,
            status=OperationStatus.PENDING,
            last_error=error,
            next_attempt_at=timezone.now() + backoff_delay(op.attempts),
        )


def apply_due_operations(limit: int = 100) -> ApplyReport:
    """Apply up to ``limit`` due operations over one connection to the directory.

    A refusal is recorded on its own row (failed, with the directory's message) and the run goes
    on; an unreachable directory records the rest of the batch as retried (or for manual
    completion, ``DIRECTORY_WHEN_DOWN=manual``) and stops the run.
    """
    report = ApplyReport()
    if not conf.configured():
        return report
    fail_exhausted_leases()
    pause = float(getattr(settings, "DIRECTORY_PAUSE_BETWEEN", 0) or 0)
    ldap: Any = None
    try:
        while report.claimed < limit:
            batch = claim_due(min(10, limit - report.claimed))
            if not batch:
                break
            report.claimed += len(batch)
            for index, op in enumerate(batch):
                try:
                    if ldap is None:
                        ldap = connector.connect()
                    result = connector.apply(ldap, op)
                except connector.DirectoryUnavailable as exc:
                    for rest in batch[index:]:
                        _unavailable(rest, exc, report)
                    return report
                except connector.DirectoryRefused as exc:
                    _record(op, report, status=OperationStatus.FAILED, last_error=_clip(str(exc)))
                else:
                    _record(
                        op, report, status=OperationStatus.DONE, result=result[:300], last_error=""
                    )
                if pause:  # tests: room for a kill between two operations of a batch
                    time.sleep(pause)
    finally:
        if ldap is not None:
            try:
                ldap.unbind()
            except Exception:  # already broken; nothing more to do
                logger.debug("directorio: error al cerrar la conexión", exc_info=True)
    return report
