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
from mapro.notifications.testing import deliver_outbox, mail_text

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
    body = mail_text(mail)
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


def test_the_html_part_is_escaped_and_sent_as_an_alternative(smtp_server):
    with transaction.atomic():
        enqueue_mail(
            to=["ana@mindef.gob.pe"],
            subject="Aviso",
            template="aviso",
            context={"nombre": "<b>Ana</b>", "mensaje": "Hola & adiós"},
            key="html:1",
        )
    deliver_outbox()
    [mail] = smtp_server.messages
    assert mail.get_content_type() == "multipart/alternative"
    text = mail.get_body(preferencelist=("plain",)).get_content()
    html = mail.get_body(preferencelist=("html",)).get_content()
    assert "Estimado(a) <b>Ana</b>:" in text
    assert "Hola & adiós" in text
    assert "&lt;b&gt;Ana&lt;/b&gt;" in html
    assert "Hola &amp; adiós" in html


def test_several_recipients_get_one_mail_each_addressed_to_all(smtp_server):
    _enqueue(to=["ana@mindef.gob.pe", "luis@mindef.gob.pe"])
    deliver_outbox()
    [mail] = smtp_server.messages
    assert mail.envelope_to == ["ana@mindef.gob.pe", "luis@mindef.gob.pe"]


def test_same_key_enqueued_twice_is_mailed_once(smtp_server):
    _enqueue(key="ticket:9:resuelto")
    _enqueue(key="ticket:9:resuelto")  # e.g. the action retried after a conflict
    deliver_outbox()
    deliver_outbox()
    assert len(smtp_server.by_key("ticket:9:resuelto")) == 1
    assert len(smtp_server.messages) == 1


def test_server_down_then_back_retries_with_backoff_and_delivers(smtp_server, settings):
    settings.NOTIFICATIONS_BACKOFF_BASE = 60
    message = _enqueue()
    smtp_server.stop()

    before = timezone.now()
    report = deliver_outbox()
    assert (report.sent, report.retried, report.failed) == (0, 1, 0)
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert "ConnectionRefusedError" in message.last_error
    # First back-off: 60 s shortened by at most 25 % of jitter.
    assert before + timedelta(seconds=44) <= message.next_attempt_at
    assert message.next_attempt_at <= timezone.now() + timedelta(seconds=61)
    first_wait = message.next_attempt_at - before

    # Not due yet: another run does not touch it, even with the server back.
    smtp_server.start()
    assert deliver_outbox().claimed == 0
    assert smtp_server.messages == []

    # Down again at the next attempt: the wait doubles.
    smtp_server.stop()
    _make_due(message)
    before = timezone.now()
    deliver_outbox()
    message.refresh_from_db()
    assert message.attempts == 2
    second_wait = message.next_attempt_at - before
    assert timedelta(seconds=89) <= second_wait <= timedelta(seconds=121)
    assert second_wait > first_wait

    # The server is back and the back-off is over: delivered, once.
    smtp_server.start()
    _make_due(message)
    assert deliver_outbox().sent == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 3
    assert len(smtp_server.messages) == 1


def test_a_temporary_refusal_is_retried(smtp_server):
    message = _enqueue()
    smtp_server.data_reply = "451 4.3.0 Intente más tarde"
    assert deliver_outbox().retried == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert "451" in message.last_error
    smtp_server.data_reply = None
    _make_due(message)
    assert deliver_outbox().sent == 1
    assert len(smtp_server.messages) == 1


def test_a_permanent_refusal_of_every_recipient_fails_at_once(smtp_server):
    smtp_server.rcpt_replies["nadie@mindef.gob.pe"] = "550 5.1.1 El buzón no existe"
    message = _enqueue(to=["nadie@mindef.gob.pe"])
    assert deliver_outbox().failed == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == 1
    assert "550" in message.last_error


def test_one_refused_message_does_not_stop_the_others(smtp_server):
    smtp_server.rcpt_replies["nadie@mindef.gob.pe"] = "550 5.1.1 El buzón no existe"
    _enqueue(key="a", to=["nadie@mindef.gob.pe"])
    _enqueue(key="b", to=["luis@mindef.gob.pe"])
    report = deliver_outbox()
    assert (report.sent, report.failed) == (1, 1)
    assert [m[IDEMPOTENCY_HEADER] for m in smtp_server.messages] == ["b"]


def test_after_max_attempts_the_message_is_failed(smtp_server, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    message = _enqueue()
    smtp_server.stop()
    for expected_attempts in (1, 2):
        deliver_outbox()
        message.refresh_from_db()
        assert (message.status, message.attempts) == (OutboxStatus.PENDING, expected_attempts)
        _make_due(message)
    report = deliver_outbox()
    assert report.failed == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 3)
    # A failed message is never picked up again, even with the server back.
    smtp_server.start()
    _make_due(message)
    assert deliver_outbox().claimed == 0
    assert smtp_server.messages == []


def test_server_down_fails_the_batch_without_reconnecting_per_message(smtp_server):
    for n in range(5):
        _enqueue(key=f"lote:{n}")
    smtp_server.stop()
    report = deliver_outbox()
    assert report.claimed == 5  # one batch, then the run stops
    assert report.retried == 5
    assert set(OutboxMessage.objects.values_list("status", "attempts")) == {
        (OutboxStatus.PENDING, 1)
    }


def test_a_run_sends_at_most_limit_messages(smtp_server, settings):
    settings.NOTIFICATIONS_CLAIM_BATCH = 2
    for n in range(5):
        _enqueue(key=f"lim:{n}")
    report = deliver_due_messages(limit=3)
    assert (report.claimed, report.sent) == (3, 3)
    assert OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count() == 2
    assert deliver_due_messages(limit=10).sent == 2
    assert len(smtp_server.messages) == 5


def test_a_message_stuck_in_sending_past_its_lease_is_sent_again(smtp_server):
    message = _enqueue()
    # A worker claimed it and died before sending: it stays "sending" under its lease.
    [claimed] = delivery.claim_due_messages(10)
    assert claimed.pk == message.pk
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENDING, 1)
    assert message.next_attempt_at > timezone.now() + timedelta(minutes=9)

    assert deliver_outbox().claimed == 0  # still leased: nobody else touches it
    _make_due(message)  # the lease expired
    assert deliver_outbox().sent == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 2)
    assert len(smtp_server.messages) == 1


def test_a_worker_that_lost_its_lease_cannot_overwrite_the_new_claim(smtp_server):
    message = _enqueue()
    [stale] = delivery.claim_due_messages(10)  # worker A claims, then stalls
    _make_due(message)
    [fresh] = delivery.claim_due_messages(10)  # worker B takes over after the lease
    assert (stale.attempts, fresh.attempts) == (1, 2)
    assert delivery._record_sent(stale) is False  # A's late outcome is ignored
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENDING, 2)
    assert delivery._record_sent(fresh) is True
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT


def test_a_claim_whose_lease_is_about_to_end_is_not_sent(smtp_server):
    message = _enqueue()
    [claimed] = delivery.claim_due_messages(10)
    claimed.next_attempt_at = timezone.now() + timedelta(seconds=1)  # lease nearly over
    report = delivery.DeliveryReport()
    assert delivery._deliver_batch([claimed], _smtp_connection(), report) is True
    assert report.skipped == 1
    assert smtp_server.messages == []
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENDING  # left for the next claim


def _smtp_connection():
    from django.core.mail import get_connection

    return get_connection(fail_silently=False, timeout=5)


def test_a_worker_dying_on_its_last_attempt_leaves_the_message_failed(smtp_server, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 1
    message = _enqueue()
    delivery.claim_due_messages(10)  # attempt 1 of 1, and the worker dies
    _make_due(message)
    assert deliver_outbox().claimed == 0
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.last_error == delivery.LEASE_EXHAUSTED_ERROR
    assert smtp_server.messages == []


def test_errors_never_keep_the_smtp_password(settings):
    settings.EMAIL_HOST_PASSWORD = "clave-smtp-secreta"
    text = delivery.describe_error(RuntimeError("login failed for clave-smtp-secreta"))
    assert "clave-smtp-secreta" not in text
    assert text == "RuntimeError: login failed for ********"


@pytest.mark.parametrize(
    ("attempts", "low", "high"),
    [(1, 45, 60), (2, 90, 120), (3, 180, 240), (4, 360, 480), (7, 2700, 3600), (30, 2700, 3600)],
)
def test_backoff_doubles_and_is_capped_at_an_hour(attempts, low, high):
    waits = {delivery.backoff_delay(attempts).total_seconds() for _ in range(50)}
    assert all(low <= wait <= high for wait in waits)
    assert len(waits) > 1  # jittered


def test_the_command_delivers_and_reports(smtp_server):
    from io import StringIO

    _enqueue()
    out = StringIO()
    call_command("notifications", "deliver", "--limit", "5", stdout=out)
    assert "Enviados: 1" in out.getvalue()
    assert len(smtp_server.messages) == 1


def test_the_periodic_task_runs_every_minute_and_delivers(smtp_server):
    import datetime

    from huey.contrib.djhuey import HUEY

    from mapro.notifications.tasks import deliver_outbox as periodic

    for minute in (0, 17, 59):
        due = HUEY.read_periodic(datetime.datetime(2026, 5, 4, 9, minute))
        assert "deliver_outbox" in {type(task).__name__ for task in due}
    _enqueue()
    periodic.call_local()
    assert len(smtp_server.messages) == 1
