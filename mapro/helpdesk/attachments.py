"""Attachment checks and storage: size limit, type by content (magic bytes), generated names.

``detect_type`` reads the bytes, never the name or the browser's claim: PDF, PNG, JPEG, DOCX and
XLSX (a ZIP whose ``[Content_Types].xml`` declares the Word or Excel main part) and plain text or
CSV (UTF-8 without control characters). The extension must also match what the content is,
so ``informe.pdf`` holding a PNG or an executable is refused. Files are stored in the default
storage as ``helpdesk/<yyyy>/<mm>/<uuid>`` (no user-chosen part in the path).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import uuid
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from mapro.core.exceptions import InvalidInput

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEXT = "text/plain"
CSV = "text/csv"

EXTENSIONS: dict[str, set[str]] = {
    PDF: {".pdf"},
    PNG: {".png"},
    JPEG: {".jpg", ".jpeg"},
    DOCX: {".docx"},
    XLSX: {".xlsx"},
    TEXT: {".txt", ".log", ""},
    CSV: {".csv"},
}
ALLOWED_DESCRIPTION = "PDF, PNG, JPEG, Word (.docx), Excel (.xlsx), texto (.txt) o CSV"

_OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
_MAX_CONTENT_TYPES_XML = 64 * 1024
# Control characters allowed in text: tab, line feed, form feed, carriage return.
_TEXT_CONTROLS_OK = {9, 10, 12, 13}


def max_bytes() -> int:
    return int(getattr(settings, "HELPDESK_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_BYTES))


def _ooxml_type(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            info = archive.getinfo("[Content_Types].xml")
            if info.file_size > _MAX_CONTENT_TYPES_XML:
                return None
            xml = archive.read(info).decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return None
    for marker, kind in _OOXML_MAIN.items():
        if marker in xml:
            return kind
    return None


def _is_text(content: bytes) -> bool:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(ord(ch) < 32 and ord(ch) not in _TEXT_CONTROLS_OK for ch in text)


def detect_type(content: bytes, name: str = "") -> str | None:
    """The content type of ``content`` among the allowed ones, or None when it is none of them.

    ``name`` only tells CSV from plain text (both are text by content).
    """
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"PK\x03\x04"):
        return _ooxml_type(content)
    if content and _is_text(content):
        return CSV if os.path.splitext(name)[1].lower() == ".csv" else TEXT
    return None


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks, ready to store."""

    original_name: str
    content: bytes
    content_type: str
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def _clean_name(name: str) -> str:
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '"<>|:*?')
    return base[:200] or "archivo"


def check_upload(upload: IO[bytes] | Any, *, field: str = "archivo") -> CheckedFile:
    """Read ``upload`` (a Django UploadedFile or any binary file with ``name``) and check it.

    Raises InvalidInput ``{field: [message]}`` when it is empty, larger than
    ``HELPDESK_MAX_ATTACHMENT_BYTES``, of a type not allowed, or named with an extension that
    does not match its content. Reads at most the limit plus one byte.
    """
    limit = max_bytes()
    declared = getattr(upload, "size", None)
    name = _clean_name(getattr(upload, "name", "") or "")
    if declared is not None and declared > limit:
        raise InvalidInput(errors={field: [_too_big(name, limit)]})
    if hasattr(upload, "seek"):
        upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise InvalidInput(errors={field: [_too_big(name, limit)]})
    if not content:
        raise InvalidInput(errors={field: [f"El archivo «{name}» está vacío."]})
    kind = detect_type(content, name)
    if kind is None:
        raise InvalidInput(
            errors={
                field: [
                    f"El contenido de «{name}» no es de un tipo permitido ({ALLOWED_DESCRIPTION})."
                ]
            }
        )
    extension = os.path.splitext(name)[1].lower()
    if extension not in EXTENSIONS[kind]:
        raise InvalidInput(
            errors={
                field: [
                    f"La extensión de «{name}» no corresponde a su contenido "
                    f"({kind}); renómbrelo con la extensión correcta."
                ]
            }
        )
    return CheckedFile(name, content, kind, hashlib.sha256(content).hexdigest())


def _too_big(name: str, limit: int) -> str:
    return f"El archivo «{name}» supera el tamaño máximo de {limit / (1024 * 1024):.0f} MB."


def store(checked: CheckedFile) -> str:
    """Save the bytes under a generated name; return the storage name."""
    now = timezone.now()
    wanted = f"helpdesk/{now:%Y}/{now:%m}/{uuid.uuid4().hex}"
    return default_storage.save(wanted, ContentFile(checked.content))


def discard(names: list[str]) -> None:
    """Delete stored files whose database rows were rolled back."""
    for name in names:
        with contextlib.suppress(OSError):
            default_storage.delete(name)
