"""The outbox admin: read-only, filtered by status; retrying failed mail is audited."""

import pytest
from django.db import transaction
from django.urls import reverse

from mapro.audit.models import AuditEvent
from mapro.core.exceptions import Conflict, Forbidden
from mapro.notifications.actions import do_retry_outbox_message, enqueue_mail
from mapro.notifications.choices import OutboxStatus
from mapro.notifications.models import OutboxMessage
from mapro.notifications.testing import deliver_outbox

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:notifications_outboxmessage_changelist"


def _message(key, status=OutboxStatus.PENDING, **fields):
    with transaction.atomic():
        message = enqueue_mail(
            to=["ana@mindef.gob.pe"],
            subject=f"Asunto {key}",
            template="aviso",
            context={"mensaje": "Hola"},
            key=key,
        )
    OutboxMessage.objects.filter(pk=message.pk).update(status=status, **fields)
    message.refresh_from_db()
    return message


@pytest.fixture
def admin_client_(client, make_user):
    client.force_login(make_user(is_superuser=True))
    return client


def test_changelist_filters_by_status(admin_client_):
    _message("lista:fallido", OutboxStatus.FAILED, attempts=10, last_error="Error X")
    _message("lista:enviado", OutboxStatus.SENT)
    response = admin_client_.get(reverse(CHANGELIST), {"status__exact": "failed"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Asunto lista:fallido" in content
    assert "Asunto lista:enviado" not in content
    assert "Reintentar los mensajes fallidos seleccionados" in content


def test_the_admin_is_read_only(admin_client_):
    message = _message("solo-lectura")
    change_url = reverse("admin:notifications_outboxmessage_change", args=[message.pk])
    assert admin_client_.get(change_url).status_code == 200
    response = admin_client_.post(change_url, {"subject": "cambiado"})
    assert response.status_code == 403
    assert admin_client_.get(reverse("admin:notifications_outboxmessage_add")).status_code == 403
    delete_url = reverse("admin:notifications_outboxmessage_delete", args=[message.pk])
    assert admin_client_.post(delete_url, {"post": "yes"}).status_code == 403
    message.refresh_from_db()
    assert message.subject == "Asunto solo-lectura"


def test_retry_action_requeues_failed_mail_audited_and_it_is_delivered(admin_client_, smtp_server):
    failed = _message("retry:fallido", OutboxStatus.FAILED, attempts=10, last_error="Error X")
    sent = _message("retry:enviado", OutboxStatus.SENT, attempts=1)
    response = admin_client_.post(
        reverse(CHANGELIST),
        {"action": "retry", "_selected_action": [failed.pk, sent.pk]},
        follow=True,
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "1 mensaje(s) programado(s) para reenvío." in content
    assert "Solo se pueden reintentar mensajes en estado fallido." in content

    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == (OutboxStatus.PENDING, 0)
    sent.refresh_from_db()
    assert sent.status == OutboxStatus.SENT
    event = AuditEvent.objects.get(action="outbox_message.retry")
    assert event.object_id == str(failed.pk)
    assert event.before["status"] == "failed"
    assert event.before["attempts"] == 10
    assert event.after == {"status": "pending", "attempts": 0}
    assert event.source == "web"

    assert deliver_outbox().sent == 1
    assert smtp_server.by_key("retry:fallido")
    assert not smtp_server.by_key("retry:enviado")


@pytest.mark.parametrize("role", ["jefe-ogtie", "profesional-ogtie"])
def test_office_administrators_may_retry(make_user, role):
    message = _message(f"rol:{role}", OutboxStatus.FAILED, attempts=3)
    do_retry_outbox_message(message, actor=make_user(role))
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING


def test_other_roles_and_anonymous_may_not_retry(make_user):
    from django.contrib.auth.models import AnonymousUser

    message = _message("rol:otro", OutboxStatus.FAILED, attempts=3)
    for actor in (make_user("operador-mesa"), make_user(), AnonymousUser()):
        with pytest.raises(Forbidden):
            do_retry_outbox_message(message, actor=actor)
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert not AuditEvent.objects.filter(action="outbox_message.retry").exists()


@pytest.mark.parametrize("status", [OutboxStatus.PENDING, OutboxStatus.SENDING, OutboxStatus.SENT])
def test_only_failed_messages_can_be_retried(make_user, status):
    message = _message(f"estado:{status}", status, attempts=1)
    with pytest.raises(Conflict):
        do_retry_outbox_message(message, actor=make_user("jefe-ogtie"))
    message.refresh_from_db()
    assert (message.status, message.attempts) == (status, 1)


def test_anonymous_gets_the_admin_login(client):
    response = client.get(reverse(CHANGELIST))
    assert response.status_code == 302
    assert "/login/" in response["Location"]
