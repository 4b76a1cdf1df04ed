"""A real IMAP server for tests: the Dovecot that ``.ci/dovecot.sh`` starts.

(``MAPRO_TEST_IMAP_URL``.)

The ``imap_mailboxes`` fixture gives the test two mailboxes of its own (the server takes any
user name with the password ``secret``: ``mesadeayuda-<random>``, ``alerta-<random>``, so tests
on several pytest-xdist workers never share one), points ``HELPDESK_IMAP_URLS`` at them and
returns a helper to deliver a message (IMAP APPEND, as the institution's MTA would) and count a
folder's messages.
Without ``MAPRO_TEST_IMAP_URL`` the test is skipped (CI always sets it).
"""

from __future__ import annotations

import imaplib
import os
import secrets
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest

ENV_URL = "MAPRO_TEST_IMAP_URL"
USERS = {"helpdesk": "mesadeayuda", "phishing": "alerta"}
FOLDERS = ("INBOX", "Procesados", "Revisar")


class TestMailboxes:
    def __init__(self, url: str) -> None:
        parts = urlparse(url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 143
        self.password = os.environ.get("MAPRO_TEST_IMAP_PASSWORD", "secret")
        suffix = secrets.token_hex(5)
        self.users = {kind: f"{name}-{suffix}" for kind, name in USERS.items()}

    def url(self, kind: str) -> str:
        return f"imap://{self.users[kind]}:{self.password}@{self.host}:{self.port}/INBOX"

    def _client(self, kind: str) -> imaplib.IMAP4:
        client = imaplib.IMAP4(self.host, self.port)
        client.login(self.users[kind], self.password)
        return client

    def deliver(self, kind: str, raw: bytes) -> None:
        client = self._client(kind)
        try:
            status, _ = client.append("INBOX", None, None, raw)
            assert status == "OK"
        finally:
            client.logout()

    def count(self, kind: str, folder: str) -> int:
        client = self._client(kind)
        try:
            status, data = client.select(folder, readonly=True)
            return int((data[0] or b"0").decode()) if status == "OK" else 0
        finally:
            client.logout()

    def empty(self) -> None:
        for kind in self.users:
            client = self._client(kind)
            try:
                for folder in FOLDERS:
                    status, data = client.select(folder)
                    if status != "OK" or int((data[0] or b"0").decode()) == 0:
                        continue
                    client.store("1:*", "+FLAGS", "(\\Deleted)")
                    client.expunge()
            finally:
                client.logout()


@pytest.fixture
def imap_mailboxes(settings: Any) -> Iterator[TestMailboxes]:
    url = os.environ.get(ENV_URL)
    if not url:
        pytest.skip(f"sin servidor IMAP de pruebas ({ENV_URL}; .ci/run lo inicia)")
    boxes = TestMailboxes(url)
    boxes.empty()
    settings.HELPDESK_IMAP_URLS = {kind: boxes.url(kind) for kind in USERS}
    settings.NOTIFICATIONS_KICK_WORKER = False
    try:
        yield boxes
    finally:
        boxes.empty()
