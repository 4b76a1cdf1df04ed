"""The evidence file of a run (a log excerpt, a screenshot, the backup tool's report).

Kept in the default storage under a generated name, with its SHA-256 and the type its bytes
show (PDF, PNG, JPEG or UTF-8 text), never the type the client claimed. At most 5 MB.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from mapro.core.exceptions import InvalidInput

MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Evidence:
    name: str
    content: bytes
    content_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()


def _type_of(content: bytes) -> str | None:
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if any(ord(c) < 32 and c not in "\t\r\n" for c in text):
        return None
    return "text/plain"


def check_evidence(name: Any, content: bytes | None, *, field: str = "evidence") -> Evidence:
    """The checked file, or ``InvalidInput`` on ``field``."""
    name = (name or "").strip() if isinstance(name, str) else ""
    if not name or not content:
        raise InvalidInput(errors={field: ["Adjunte un archivo con nombre y contenido."]})
    if len(content) > MAX_BYTES:
        raise InvalidInput(errors={field: ["La evidencia no puede pasar de 5 MB."]})
    kind = _type_of(content)
    if kind is None:
        raise InvalidInput(
            errors={field: ["La evidencia debe ser PDF, PNG, JPEG o texto (UTF-8)."]}
        )
    return Evidence(
        name=name.replace("/", "_").replace("\\", "_")[-255:], content=content, content_type=kind
    )


def from_base64(value: Any, *, field: str = "evidence") -> Evidence:
    """``{"name": …, "content_base64": …}`` as a script posts it."""
    if not isinstance(value, dict):
        raise InvalidInput(errors={field: ['Envíe {"name", "content_base64"}.']})
    try:
        content = base64.b64decode(str(value.get("content_base64") or ""), validate=True)
    except (binascii.Error, ValueError):
        raise InvalidInput(errors={field: ["El contenido no es base64 válido."]}) from None
    return check_evidence(value.get("name"), content, field=field)


def store(evidence: Evidence) -> str:
    """Store the bytes; the generated name."""
    stored = f"operations/{secrets.token_hex(16)}"
    return default_storage.save(stored, ContentFile(evidence.content))


def open_stored(stored: str) -> bytes:
    with default_storage.open(stored, "rb") as handle:
        return bytes(handle.read())
