"""Test helpers for mail: a real SMTP server on loopback, and delivering the outbox now.

Use them from any app's ``conftest.py``::

    from mapro.notifications.testing import smtp_server  # noqa: F401 (pytest fixture)

    def test_assigning_mails_the_technician(smtp_server):
        do_assign_ticket(ticket, technician, actor=operator)
        deliver_outbox()                       # what the worker does
        [mail] = smtp_server.messages
        assert mail["To"] == "tecnico@mindef.gob.pe"
        assert "asignado" in mail_text(mail)

``smtp_server`` starts an ``aiosmtpd`` server on a free port of 127.0.0.1, points Django's SMTP
backend at it, and turns off the after-commit kick of the worker (so tests never touch the real
Huey queue under ``var/``; call ``deliver_outbox()`` where the worker would run). Each received
mail is an ``email.message.EmailMessage`` (``policy.default``) with ``envelope_from`` and
``envelope_to`` attributes added.
"""

from __future__ import annotations

import asyncio
import email
import logging
import socket
import threading
import time
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from typing import Any

import pytest

from .delivery import DeliveryReport, deliver_due_messages


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _RecordingHandler:
    def __init__(self, server: SMTPServer) -> None:
        self.server = server

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        reply = self.server.rcpt_replies.get(address.lower())
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        reply = self.server.data_reply
        if reply is not None:
            return reply
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        message.envelope_from = envelope.mail_from  # type: ignore[attr-defined]
        message.envelope_to = list(envelope.rcpt_tos)  # type: ignore[attr-defined]
        with self.server.lock:
            self.server.messages.append(message)  # type: ignore[arg-type]
        await asyncio.sleep(self.server.delay)
        return "250 Message accepted for delivery"


class SMTPServer:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives.

    ``stop()`` and ``start()`` take it down and up again on the same port (to test a mail server
    outage); ``data_reply = "451 4.3.0 Intente más tarde"`` makes it refuse every message with
    that reply until set back to ``None``; ``rcpt_replies["x@y.pe"] = "550 5.1.1 No existe"``
    refuses one recipient; ``delay`` (seconds) slows each acceptance.
    """

    def __init__(self, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.host = host
        self.port = port or free_port()
        self.messages: list[EmailMessage] = []
        self.lock = threading.Lock()
        self.data_reply: str | None = None
        self.rcpt_replies: dict[str, str] = {}
        self.delay = 0.0
        self._controller: Any = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        # aiosmtpd logs every SMTP command at INFO: keep test output readable.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        if self._controller is None:
            self._controller = Controller(
                _RecordingHandler(self), hostname=self.host, port=self.port, ready_timeout=10
            )
            self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def clear(self) -> None:
        with self.lock:
            self.messages.clear()

    def wait_for(self, count: int, timeout: float = 5.0) -> list[EmailMessage]:
        """Wait until at least ``count`` mails arrived (for mail sent by another thread)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if len(self.messages) >= count:
                    return list(self.messages)
            time.sleep(0.02)
        with self.lock:
            return list(self.messages)

    def by_key(self, key: str) -> list[EmailMessage]:
        """The mails that carry idempotency key ``key``."""
        with self.lock:
            return [m for m in self.messages if m.get("X-Mapro-Idempotency-Key") == key]


def use_smtp_server(settings: Any, server: SMTPServer) -> None:
    """Point Django's mail at ``server`` (plain SMTP, no TLS, no login), without the kick."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    # Generous: on a loaded machine (CI, other sessions) the in-process server can answer late;
    # a refused or stopped server still fails at once.
    settings.EMAIL_TIMEOUT = 30
    settings.NOTIFICATIONS_KICK_WORKER = False


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SMTPServer]:
    """A running loopback SMTP server that Django's mail backend points at."""
    server = SMTPServer()
    server.start()
    use_smtp_server(settings, server)
    try:
        yield server
    finally:
        server.stop()


def mail_text(message: EmailMessage) -> str:
    """The plain-text part of a received mail (the whole body when it has only one part)."""
    part = message.get_body(preferencelist=("plain",))
    if part is None:
        raise AssertionError("el correo no tiene parte de texto")
    return str(part.get_content())


def deliver_outbox(limit: int = 1000) -> DeliveryReport:
    """Deliver what is due now, as the worker's periodic task would."""
    return deliver_due_messages(limit=limit)
