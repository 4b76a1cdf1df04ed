"""After a full account-creation run (procedure through the API, then the reveal), the generated
passwords are nowhere: no table (every column of every row), no outbox mail, no log line. And
before the reveal, everything the database and the log hold together does not open them."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import re
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.db import connection
from django.test import Client

from mapro.iam.models import OneTimeSecret
from mapro.iam.passwords import is_robust, unseal
from mapro.notifications.models import OutboxMessage
from mapro.procedures.testing import publish_ficha, run_path
from mapro.procedures.tests import test_flow_S04_03_01_01 as creation


def _dump_database() -> tuple[str, bytes]:
    """Every value of every row of every table, as text and as bytes."""
    texts: list[str] = []
    blobs: list[bytes] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            # Table names come from the database's own catalogue, quoted.
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview | bytearray):
                        blobs.append(bytes(value))
                    elif value is not None:
                        texts.append(
                            value if isinstance(value, str) else json.dumps(value, default=str)
                        )
    return "\n".join(texts), b"\n".join(blobs)


def _candidates(*texts: str) -> set[str]:
    """Every string that could be a token or a key: runs of base64 of 16+ characters."""
    found: set[str] = set()
    for text in texts:
        found.update(re.findall(r"[A-Za-z0-9_\-]{16,}", text))  # URL-safe (paths, tokens)
        found.update(re.findall(r"[A-Za-z0-9+/]{16,}={0,2}", text))  # standard base64
    return found


def _try_open(blob: bytes, candidate: str, account_id: int) -> str | None:
    """What an attacker holding the dump tries: the candidate as a link token (the previous
    scheme), as key material (HKDF, the way keys are derived) and as a raw base64 key."""
    attempts: list[tuple[bytes, bytes, bytes, bytes]] = []
    for info in (b"mapro.iam.one-time-secret.v1", b"mapro.iam.one-time-secret.v2"):
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(
            candidate.encode()
        )
        aad_token = hashlib.sha256(candidate.encode()).hexdigest().encode()
        attempts.append((key, blob[:12], blob[12:], aad_token))
        aad_account = f"mapro.iam.one-time-secret:{account_id}".encode()
        attempts.append((key, blob[9:21], blob[21:], aad_account))
    try:
        raw = base64.urlsafe_b64decode(candidate + "=" * (-len(candidate) % 4))
    except (binascii.Error, ValueError):
        raw = b""
    if len(raw) == 32:
        aad_account = f"mapro.iam.one-time-secret:{account_id}".encode()
        attempts.append((raw, blob[9:21], blob[21:], aad_account))
    for key, nonce, body, aad in attempts:
        if len(nonce) != 12:
            continue
        try:
            return AESGCM(key).decrypt(nonce, body, aad).decode()
        except (InvalidTag, UnicodeDecodeError):
            continue
    return None


def _reveal(user: Any, mail: OutboxMessage) -> str:
    match = re.search(r"(/cuentas-y-accesos/contrasena/[^/\s]+/)", mail.body_text)
    assert match is not None, mail.body_text
    client = Client()
    client.force_login(user)
    response = client.post(match.group(1))
    assert response.status_code == 200
    shown = re.search(r'<code id="contrasena">([^<]+)</code>', response.content.decode())
    assert shown is not None
    import html

    return html.unescape(shown.group(1))


@pytest.mark.django_db(transaction=True)
def test_generated_passwords_appear_in_no_table_mail_or_log(caplog: Any) -> None:
    caplog.set_level(logging.DEBUG)
    publish_ficha(creation.CODE)
    cast = creation.AccountsCast()
    for role in ("profesional-ogtie", "tecnico-especialista"):
        user = cast[role]
        user.email = f"{role}@mindef.test"
        user.save(update_fields=["email"])
    run_path(creation.CODE, cast, creation.ACTS, creation.C_CREACION, first=[1])
    run_path(creation.CODE, cast, creation.ACTS, creation.E_VPN_NUEVO, first=[1])

    mails = {
        m.recipients[0]: m for m in OutboxMessage.objects.filter(key__startswith="iam:secret:")
    }

    # Before the reveal: the whole database and the log, with every string they hold tried as
    # a token or a key, open no pending secret; the key kept outside the database does.
    pending = list(OneTimeSecret.objects.filter(ciphertext__isnull=False))
    assert len(pending) == 2
    text, blobs = _dump_database()
    candidates = _candidates(text, caplog.text, blobs.decode("latin-1"))
    assert len(candidates) > 100
    for secret in pending:
        blob = bytes(secret.ciphertext)
        opened = [c for c in candidates if _try_open(blob, c, secret.account_id) is not None]
        assert opened == [], f"la base y el log abren el secreto {secret.pk}"
    from django.conf import settings

    assert not any(key in text or key in caplog.text for key in settings.SECRETS_KEYS)
    for secret in pending:
        blob = bytes(secret.ciphertext)
        assert is_robust(unseal(blob, context=str(secret.account_id)))

    assert set(mails) == {"profesional-ogtie@mindef.test", "tecnico-especialista@mindef.test"}
    passwords = [
        _reveal(cast["profesional-ogtie"], mails["profesional-ogtie@mindef.test"]),
        _reveal(cast["tecnico-especialista"], mails["tecnico-especialista@mindef.test"]),
    ]
    assert all(is_robust(p) for p in passwords) and len(set(passwords)) == 2
    assert OneTimeSecret.objects.filter(ciphertext__isnull=False).count() == 0

    text, blobs = _dump_database()
    assert "mquispe" in text  # the dump does see the register
    logs = caplog.text
    for password in passwords:
        assert password not in text
        assert password.encode() not in blobs
        assert all(password not in (m.body_text + m.body_html + m.subject) for m in mails.values())
        assert password not in logs
