"""Reading the mailboxes over IMAP (the institution's server; Dovecot in tests and CI).

``fetch_all()`` reads every configured mailbox (``HELPDESK_IMAP_URLS``: kind → URL,
``imaps://user:password@host:993/INBOX``); for each message in the folder it downloads the
message (without marking it, ``BODY.PEEK[]``; a message larger than the limit is not
downloaded), hands it to ``intake.process`` and, after that committed, moves it to
``Procesados`` — or to ``Revisar`` when it was refused, so a person finds it in the mail client
too. A crash between the two finds the message again, and ``process`` returns its row without
doing anything twice. A message whose processing fails unexpectedly is left in place and logged
(retried on the next run), so nothing is lost.
"""

from __future__ import annotations

import imaplib
import logging
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlparse

from django.conf import settings

from ..models import InboundStatus
from . import intake

logger = logging.getLogger(__name__)

PROCESSED = "Procesados"
REVIEW = "Revisar"
_SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


@dataclass
class FetchReport:
    read: int = 0
    refused: int = 0
    errors: int = 0


def mailboxes() -> dict[str, str]:
    return {k: v for k, v in (getattr(settings, "HELPDESK_IMAP_URLS", {}) or {}).items() if v}


def connect(url: str) -> tuple[imaplib.IMAP4, str]:
    parts = urlparse(url)
    port = parts.port or (993 if parts.scheme == "imaps" else 143)
    timeout = float(getattr(settings, "HELPDESK_IMAP_TIMEOUT", 30))
    if parts.scheme == "imaps":
        client: imaplib.IMAP4 = imaplib.IMAP4_SSL(parts.hostname or "", port, timeout=timeout)
    elif parts.scheme == "imap":
        client = imaplib.IMAP4(parts.hostname or "", port, timeout=timeout)
    else:
        raise ValueError(f"Esquema de buzón desconocido: {parts.scheme!r} (imap o imaps).")
    client.login(unquote(parts.username or ""), unquote(parts.password or ""))
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    return client, folder


def _move(client: imaplib.IMAP4, uid: str, folder: str) -> None:
    if b"MOVE" in b" ".join(c.encode() if isinstance(c, str) else c for c in client.capabilities):
        status, _ = client.uid("MOVE", uid, folder)
        if status == "OK":
            return
    client.uid("COPY", uid, folder)
    client.uid("STORE", uid, "+FLAGS", "(\\Deleted)")
    client.expunge()


def fetch_mailbox(kind: str, url: str, *, limit: int = 200) -> FetchReport:
    report = FetchReport()
    client, folder = connect(url)
    try:
        for name in (PROCESSED, REVIEW):
            client.create(name)  # "already exists" is a NO answer, harmless
        client.select(folder)
        status, data = client.uid("SEARCH", "ALL")
        uids = [u.decode() for u in (data[0] or b"").split()] if status == "OK" else []
        for uid in uids[:limit]:
            try:
                row = _one(client, kind, uid)
            except Exception:  # left in the folder, retried next run; never lost
                logger.exception("buzón %s: no se pudo procesar el mensaje UID %s", kind, uid)
                report.errors += 1
                continue
            report.read += 1
            refused = row.status == InboundStatus.REJECTED
            report.refused += int(refused)
            _move(client, uid, REVIEW if refused else PROCESSED)
    finally:
        try:
            client.logout()
        except Exception:
            logger.debug("buzón %s: error al cerrar la sesión IMAP", kind, exc_info=True)
    return report


def _one(client: imaplib.IMAP4, kind: str, uid: str) -> Any:
    status, data = client.uid("FETCH", uid, "(RFC822.SIZE)")
    match = _SIZE.search(b" ".join(d if isinstance(d, bytes) else d[0] for d in data if d))
    size = int(match.group(1)) if match else 0
    if size > intake.max_bytes():
        return intake.process(kind, None, size=size, uid=uid)
    status, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
    raw = next((d[1] for d in data if isinstance(d, tuple)), None)
    if status != "OK" or raw is None:
        raise RuntimeError(f"El servidor no entregó el mensaje UID {uid}.")
    return intake.process(kind, raw, size=len(raw), uid=uid)


def fetch_all() -> dict[str, FetchReport]:
    return {kind: fetch_mailbox(kind, url) for kind, url in mailboxes().items()}
