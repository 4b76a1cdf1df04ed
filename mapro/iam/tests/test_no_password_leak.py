"""After a full account-creation run (procedure through the API, then the reveal), the generated
passwords are nowhere: no table (every column of every row), no outbox mail, no log line."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from mapro.iam.models import OneTimeSecret
from mapro.iam.passwords import is_robust
from mapro.notifications.models import OutboxMessage
from mapro.procedures.tests import test_flow_S04_03_01_01 as creation
from mapro.procedures.tests.flow_walk import publish_ficha, run_path


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
