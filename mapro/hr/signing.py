"""Verification of the HR system's signed calls (the leaver webhook).

The contract (docs/registers/hr.md): the caller sends ``X-Mapro-Timestamp`` (Unix seconds) and
``X-Mapro-Signature: sha256=<hex>``, the HMAC-SHA256 with the shared secret of
``<timestamp>.<raw body>``. The signature is checked over the exact bytes received, before the
body is parsed, with ``hmac.compare_digest`` (constant time). The timestamp must be within
``HR_WEBHOOK_TOLERANCE_SECONDS`` of now, either way, so a captured request cannot be replayed
later (and the event id makes a replay inside the window harmless).

The secret is read from the settings (``HR_WEBHOOK_SECRET``, from the environment) at each call
and never stored, logged or echoed; refusals say why, never what the signature should have been.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from dataclasses import dataclass

from django.conf import settings

TIMESTAMP_HEADER = "X-Mapro-Timestamp"
SIGNATURE_HEADER = "X-Mapro-Signature"
SIGNATURE_PREFIX = "sha256="


@dataclass(frozen=True)
class SignatureRefused(Exception):
    """The call is not from the HR system: ``reason`` is a Spanish sentence safe to show and
    to audit (it never contains the secret or the signature)."""

    reason: str
    code: str

    def __str__(self) -> str:
        return self.reason


def sign(body: bytes, timestamp: int | str, secret: str) -> str:
    """The header value for ``body`` sent at ``timestamp`` (what the HR system computes)."""
    message = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return SIGNATURE_PREFIX + digest


def verify(
    body: bytes, timestamp: str | None, signature: str | None, *, now: float | None = None
) -> None:
    """Raise ``SignatureRefused`` unless the call is signed with the shared secret, recently."""
    if not timestamp:
        raise SignatureRefused(f"Falta la cabecera {TIMESTAMP_HEADER}.", "sin_marca_de_tiempo")
    if not signature:
        raise SignatureRefused(f"Falta la cabecera {SIGNATURE_HEADER}.", "sin_firma")
    secret = getattr(settings, "HR_WEBHOOK_SECRET", "") or ""
    if not secret:
        raise SignatureRefused("El webhook no está configurado (falta el secreto).", "sin_secreto")
    stamp = timestamp.strip()
    if not stamp.isdigit() or len(stamp) > 12:
        raise SignatureRefused(
            f"La cabecera {TIMESTAMP_HEADER} debe ser la hora Unix en segundos.",
            "marca_de_tiempo_invalida",
        )
    tolerance = int(getattr(settings, "HR_WEBHOOK_TOLERANCE_SECONDS", 300))
    current = time.time() if now is None else now
    if abs(current - int(stamp)) > tolerance:
        raise SignatureRefused(
            f"La marca de tiempo está fuera de la tolerancia de {tolerance} segundos.",
            "marca_de_tiempo_vencida",
        )
    expected = sign(body, stamp, secret)
    if not hmac.compare_digest(expected.encode(), signature.strip().encode()):
        raise SignatureRefused("La firma no corresponde al cuerpo recibido.", "firma_invalida")
