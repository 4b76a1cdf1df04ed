"""Checking the audit chain: every hash recomputed, every link followed, in constant memory.

Used by ``mapro audit verify`` and by the viewer's "Verificar cadena" button.
"""

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connection

from .actions import GENESIS_HASH
from .models import AuditEvent

ALTERED = "altered"
BROKEN_LINK = "broken_link"
MISSING = "missing"

REASON_LABELS = {
    ALTERED: "contenido alterado",
    BROKEN_LINK: "enlace roto",
    MISSING: "evento faltante",
}

_TABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


@dataclass(frozen=True)
class ChainBreak:
    """The first event at which the chain stops being what was written."""

    event_id: int
    occurred_at: datetime.datetime | None
    reason: str  # ALTERED, BROKEN_LINK or MISSING
    detail: str

    @property
    def reason_label(self) -> str:
        return REASON_LABELS[self.reason]


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of one walk over the chain: how many events, the head, and the first break."""

    count: int
    head_id: int | None
    head_hash: str
    broken: ChainBreak | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None

    @property
    def message(self) -> str:
        if self.broken is None:
            return f"Cadena de auditoría íntegra: {self.count} eventos"
        b = self.broken
        when = f"{b.occurred_at:%Y-%m-%d %H:%M:%S} UTC" if b.occurred_at else "fecha desconocida"
        return (
            f"Cadena de auditoría rota en el evento {b.event_id} ({when}): "
            f"{b.reason_label}. {b.detail}"
        )


def _batches(table: str | None, batch_size: int) -> Iterator[list[AuditEvent]]:
    """Events in id order, ``batch_size`` at a time (keyset, so memory stays constant).

    ``table`` reads a copy of the audit table (same columns), e.g. a restored backup.
    """
    if table is None:
        table = AuditEvent._meta.db_table
    if not _TABLE_NAME.match(table):
        raise ValueError(f"Nombre de tabla no válido: {table!r}")
    sql = f"SELECT * FROM {connection.ops.quote_name(table)} WHERE id > %s ORDER BY id LIMIT %s"  # noqa: S608 - validated identifier
    last_id = 0
    while True:
        batch = list(AuditEvent.objects.raw(sql, [last_id, batch_size]))
        if not batch:
            return
        yield batch
        last_id = batch[-1].pk


def verify_chain(*, table: str | None = None, batch_size: int = 1000) -> VerifyResult:
    """Walk the chain in id order; stop at the first event whose content or link is wrong.

    - contenido alterado: the row's hash is not the hash of its content (edited in place);
    - evento faltante: the row does not link to the row before it and ids are missing between
      them (or the first row does not link to the genesis hash): rows were deleted;
    - enlace roto: the row does not link to the row right before it although no id is missing
      (a row before it was rewritten together with its hash, or the link itself was forged).

    Deleting the newest events leaves a shorter but consistent chain; compare ``count`` and
    ``head_hash`` with a previously noted value to catch that.
    """
    count = 0
    prev: AuditEvent | None = None
    for batch in _batches(table, batch_size):
        for event in batch:
            expected = prev.hash if prev is not None else GENESIS_HASH
            broken: ChainBreak | None = None
            if event.compute_hash() != event.hash:
                broken = ChainBreak(
                    event.pk,
                    event.occurred_at,
                    ALTERED,
                    "Su contenido no corresponde al hash registrado.",
                )
            elif event.prev_hash != expected:
                if prev is None:
                    broken = ChainBreak(
                        event.pk,
                        event.occurred_at,
                        MISSING,
                        "No enlaza con el origen de la cadena: se eliminaron eventos anteriores.",
                    )
                elif event.pk - prev.pk > 1:
                    broken = ChainBreak(
                        event.pk,
                        event.occurred_at,
                        MISSING,
                        f"No enlaza con el evento {prev.pk}: se eliminaron eventos entre "
                        f"{prev.pk} y {event.pk}.",
                    )
                else:
                    broken = ChainBreak(
                        event.pk,
                        event.occurred_at,
                        BROKEN_LINK,
                        f"No enlaza con el evento anterior {prev.pk} (pudo ser reescrito con "
                        "un hash recalculado).",
                    )
            if broken is not None:
                head = prev
                return VerifyResult(
                    count=count,
                    head_id=head.pk if head else None,
                    head_hash=head.hash if head else GENESIS_HASH,
                    broken=broken,
                )
            count += 1
            prev = event
    return VerifyResult(
        count=count,
        head_id=prev.pk if prev else None,
        head_hash=prev.hash if prev else GENESIS_HASH,
    )
