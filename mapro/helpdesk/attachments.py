"""Attachment checks and storage: size limit, type by content (magic bytes), generated names.

``detect_type`` reads the bytes, never the name or the browser's claim: PDF, PNG, JPEG, DOCX and
XLSX (a ZIP whose ``[Content_Types].xml`` declares the Word or Excel main part) and plain text or
CSV (UTF-8 without control characters). The extension must also match what the content is,
so ``informe.pdf`` holding a PNG or an executable is refused. Files are stored in the default
storage as ``helpdesk/<yyyy>/<mm>/<uuid>`` (no user-chosen part in the path).

The storage is not transactional: a file stored by an action whose transaction later rolls back
(an outer transaction, e.g. a procedure step that fails after creating the ticket) has no
``Attachment`` row and is never served. ``do_clean_orphan_files`` deletes such files once they
are old enough (hourly task ``tasks.clean_orphan_attachment_files``, command
``mapro helpdesk_clean_files``).
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import io
import os
import re
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from mapro.audit.actions import record_event
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


# --- orphan files --------------------------------------------------------------------------------

ROOT = "helpdesk"
# What ``store`` names (the storage may add "_<7 characters>" if a name were ever taken): any
# other file under the folder is not ours to delete.
STORED_NAME_RE = re.compile(r"^helpdesk/\d{4}/\d{2}/[0-9a-f]{32}(_[A-Za-z0-9]{7})?$")
ORPHAN_MIN_AGE = datetime.timedelta(hours=1)
_BATCH = 500


@dataclass
class OrphanReport:
    """What a cleanup found: the orphans deleted (or, in a dry run, to delete) and the files
    examined."""

    orphans: list[str] = field(default_factory=list)
    examined: int = 0
    dry_run: bool = False


def _stored_files(folder: str = ROOT) -> Iterator[str]:
    try:
        dirs, names = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(names):
        yield f"{folder}/{name}"
    for sub in sorted(dirs):
        yield from _stored_files(f"{folder}/{sub}")


def _orphans_among(names: list[str]) -> list[str]:
    from .models import Attachment

    referenced = set(
        Attachment.objects.filter(stored_name__in=names).values_list("stored_name", flat=True)
    )
    return [name for name in names if name not in referenced]


def find_orphan_files(
    *, now: datetime.datetime | None = None, min_age: datetime.timedelta = ORPHAN_MIN_AGE
) -> OrphanReport:
    """Files ``store`` wrote that no ``Attachment`` row names and that are older than
    ``min_age`` (by modification time; a younger file may belong to a transaction still open).
    Names are checked against the table in batches of 500."""
    cutoff = (now or timezone.now()) - min_age
    report = OrphanReport()
    batch: list[str] = []
    for name in _stored_files():
        if not STORED_NAME_RE.match(name):
            continue
        report.examined += 1
        if default_storage.get_modified_time(name) < cutoff:
            batch.append(name)
        if len(batch) >= _BATCH:
            report.orphans += _orphans_among(batch)
            batch = []
    if batch:
        report.orphans += _orphans_among(batch)
    return report


def do_clean_orphan_files(
    *,
    actor: Any = None,
    now: datetime.datetime | None = None,
    min_age: datetime.timedelta = ORPHAN_MIN_AGE,
    dry_run: bool = False,
) -> OrphanReport:
    """Delete the orphan attachment files (``find_orphan_files``) and audit the cleanup as one
    event ``attachment.clean_orphans`` with the count (none when nothing was deleted).

    Run by the system (``actor=None``: the hourly task, the command). A file is deleted only if,
    right before, no ``Attachment`` row names it: each name is checked again inside the
    transaction that writes the audit event, so a row committed since the scan keeps its file.
    ``dry_run`` deletes nothing and writes no event.
    """
    report = find_orphan_files(now=now, min_age=min_age)
    report.dry_run = dry_run
    if dry_run or not report.orphans:
        return report
    deleted: list[str] = []
    with transaction.atomic():
        for start in range(0, len(report.orphans), _BATCH):
            for name in _orphans_among(report.orphans[start : start + _BATCH]):
                with contextlib.suppress(FileNotFoundError):
                    default_storage.delete(name)
                    deleted.append(name)
        report.orphans = deleted
        if deleted:
            record_event(
                actor=actor,
                action="attachment.clean_orphans",
                object_type="helpdesk.attachment",
                object_repr=f"{len(deleted)} archivo(s) sin adjunto eliminados",
                after={
                    "count": len(deleted),
                    "min_age_minutes": int(min_age.total_seconds() // 60),
                    "names": deleted[:100],
                },
            )
    return report
