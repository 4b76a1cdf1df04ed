"""Delivery over a real SMTP server on loopback: once, retried with back-off, failed at the end."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from mapro.notifications import delivery
from mapro.notifications.actions import enqueue_mail
from mapro.notifications.choices import OutboxStatus
from mapro.notifications.delivery import IDEMPOTENCY_HEADER, deliver_due_messages, message_id_for
from mapro.notifications.models import OutboxMessage
from mapro.notifications.testing import deliver_outbox

pytestmark = pytest.mark.django_db


def _enqueue(key="ticket:1:registrado", to=("ana@mindef.gob.pe",), subject=None):
    with transaction.atomic():
        return enqueue_mail(
            to=list(to),
            subject=subject or "Su ticket MA-2026-000001 fue registrado",
            template="aviso",
            context={
                "nombre": "Ana Núñez",
                "mensaje": "Su solicitud de soporte técnico fue registrada.",
                "enlace": "https://mapro.mindef.gob.pe/mesa/tickets/1/",
            },
            key=key,
        )


def _make_due(message):
    """Time passes: the row's next attempt (or lease end) is now in the past."""
    OutboxMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )


def test_delivery_sends_once_with_subject_recipient_and_spanish_body(smtp_server):
    message = _enqueue()
    report = deliver_outbox()
    assert (report.claimed, report.sent, report.retried, report.failed) == (1, 1, 0, 0)

    [mail] = smtp_server.messages
    assert mail["Subject"] == "Su ticket MA-2026-000001 fue registrado"
    assert mail["To"] == "ana@mindef.gob.pe"
    assert mail.envelope_to == ["ana@mindef.gob.pe"]
    assert mail.envelope_from == "mapro@mindef.gob.pe"
    assert mail[IDEMPOTENCY_HEADER] == "ticket:1:registrado"
    assert mail["Message-ID"] == message_id_for("ticket:1:registrado")
    body = mail.get_content()
    assert body.startswith("Estimado(a) Ana Núñez:")
    assert "Su solicitud de soporte técnico fue registrada." in body
    assert "https://mapro.mindef.gob.pe/mesa/tickets/1/" in body

    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.sent_at is not None
    assert message.attempts == 1
    assert message.last_error == ""

    # Nothing is due any more: a second run sends nothing.
    assert deliver_outbox().claimed == 0
    assert len(smtp_server.messages) == 1
