"""Signed checkpoints of the audit chain, kept outside the database.

The hash chain shows an event edited in place or removed from the middle, but not a chain cut at
its tail or rewritten from some event on with recomputed hashes: whoever can write the table
can make a shorter or different chain that is consistent. A checkpoint notes the chain's head
(event id, hash, count) signed with HMAC-SHA256 under a key the database does not hold
(``AUDIT_CHECKPOINT_KEY``; by default one derived from ``SECRET_KEY``) and is appended to a
file outside the database (``AUDIT_CHECKPOINT_FILE``) and written to the log stream.
``mapro audit verify`` then checks every checkpoint: its signature, that its head event is still
there with the same hash, and that the chain has not shrunk. The worker writes one every hour
(``tasks.write_audit_checkpoint``); ``mapro audit checkpoint`` writes one at once.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from .models import AuditEvent
from .verify import VerifyResult, verify_chain

logger = logging.getLogger("mapro.audit.checkpoints")


def checkpoint_file() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_FILE)


def _key() -> bytes:
    key = getattr(settings, "AUDIT_CHECKPOINT_KEY", "") or ""
    if key:
        return key.encode()
    return hashlib.sha256(b"mapro.audit.checkpoint:" + settings.SECRET_KEY.encode()).digest()


def _signed_part(cp: dict[str, Any]) -> bytes:
    fields = {k: cp[k] for k in ("at", "count", "head_id", "head_hash")}
    return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()


def sign(cp: dict[str, Any]) -> str:
    return hmac.new(_key(), _signed_part(cp), hashlib.sha256).hexdigest()


def write_checkpoint(*, now: datetime.datetime | None = None) -> dict[str, Any] | None:
    """Verify the chain and, when intact, append a signed checkpoint of its head (and log it).
    Returns it; None (nothing written) when the chain is broken."""
    result = verify_chain()
    if not result.ok:
        logger.error("Audit checkpoint not written: %s", result.message)
        return None
    cp: dict[str, Any] = {
        "at": (now or timezone.now()).isoformat(),
        "count": result.count,
        "head_id": result.head_id,
        "head_hash": result.head_hash,
    }
    cp["sig"] = sign(cp)
    path = checkpoint_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(cp, sort_keys=True) + "\n")
    logger.info("Audit checkpoint %s", json.dumps(cp, sort_keys=True))
    return cp


@dataclass(frozen=True)
class CheckpointProblem:
    line: int
    detail: str


def check_checkpoints(result: VerifyResult, path: Path | None = None) -> list[CheckpointProblem]:
    """What the checkpoints in ``path`` say against the chain walked in ``result``."""
    path = path or checkpoint_file()
    if not path.exists():
        return []
    checkpoints: list[tuple[int, dict[str, Any]]] = []
    problems: list[CheckpointProblem] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            cp = json.loads(line)
            good = hmac.compare_digest(str(cp.get("sig", "")), sign(cp))
        except (ValueError, KeyError, TypeError):
            good = False
        if not good:
            problems.append(CheckpointProblem(n, "punto de control con firma no válida"))
            continue
        checkpoints.append((n, cp))
    ids = [cp["head_id"] for _, cp in checkpoints if cp["head_id"] is not None]
    hashes = dict(AuditEvent.objects.filter(pk__in=ids).values_list("pk", "hash"))
    for n, cp in checkpoints:
        if cp["head_id"] is not None and cp["head_id"] not in hashes:
            problems.append(
                CheckpointProblem(
                    n,
                    f"el evento {cp['head_id']} (último al {cp['at']}) ya no existe: "
                    "se eliminaron eventos del final",
                )
            )
        elif cp["head_id"] is not None and hashes[cp["head_id"]] != cp["head_hash"]:
            problems.append(
                CheckpointProblem(
                    n, f"el evento {cp['head_id']} tiene otro hash: la cadena fue reescrita"
                )
            )
        elif result.ok and result.count < cp["count"]:
            problems.append(
                CheckpointProblem(
                    n, f"la cadena tiene {result.count} eventos; al {cp['at']} tenía {cp['count']}"
                )
            )
    return problems
