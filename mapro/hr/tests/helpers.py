"""Helpers of the HR tests: signed webhook calls, people with accounts (through the actions)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from mapro.hr.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, sign

SECRET = "secreto-compartido-de-prueba-6f1c"
URL = "/api/v1/hooks/hr/leaver/"

postgres_only = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="necesita PostgreSQL (DATABASE_URL)"
    ),
]


def alert(event_id: str = "RRHH-CESE-2026-0001", dni: str = "40125896", **extra: Any) -> bytes:
    body = {"event_id": event_id, "dni": dni, "date": "2026-08-31", "kind": "cuentas", **extra}
    return json.dumps(body).encode()


def headers_for(
    body: bytes,
    *,
    secret: str = SECRET,
    timestamp: int | None = None,
    signature: str | None = None,
) -> dict[str, str]:
    stamp = int(time.time()) if timestamp is None else timestamp
    return {
        TIMESTAMP_HEADER: str(stamp),
        SIGNATURE_HEADER: signature if signature is not None else sign(body, stamp, secret),
    }


def post_alert(body: bytes, headers: dict[str, str] | None = None, client: Any = None) -> Any:
    """POST ``body`` to the webhook with ``headers`` (signed correctly by default)."""
    client = client or Client()
    sent = headers_for(body) if headers is None else headers
    return client.post(URL, data=body, content_type="application/json", headers=sent)
