"""``do_notify``: who is told (roles in scope, users), once per key, never a secret; the mail
follows each user's choice (immediate through the outbox, or a daily digest)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from mapro.core.exceptions import InvalidInput
from mapro.core.testing import ensure_unit
from mapro.notifications.actions import do_notify, do_set_mail_delivery
from mapro.notifications.choices import MailDelivery, MailState
from mapro.notifications.fanout import fan_out_notifications, send_digests
from mapro.notifications.models import Notification, NotificationPreference
from mapro.notifications.testing import deliver_outbox, mail_text
from mapro.organization.models import Person

pytestmark = pytest.mark.django_db


def _mail(user: Any, address: str) -> Any:
    Person.objects.filter(user=user).update(email=address)
    return user


def notify(**kwargs: Any) -> Any:
    kwargs.setdefault("subject", "Aviso de prueba")
    with transaction.atomic():
        return do_notify(**kwargs)


def test_role_holders_in_scope_are_told_once_each(make_user: Any) -> None:
    sg = ensure_unit("SG", "Secretaría General")
    uo = ensure_unit("DGRRHH", "Dirección General de Recursos Humanos", parent=sg)
    other = ensure_unit("DIGEP", "Dirección de Gestión Patrimonial", parent=sg)
    jefe = make_user("jefe-ogtie")
    both = make_user("jefe-ogtie", roles=("oficial-seguridad-digital",))
    director = make_user("director-uo", unit=uo)
    outsider = make_user("director-uo", unit=other)
    result = notify(roles=["jefe-ogtie", "oficial-seguridad-digital", "director-uo"], unit=uo)
    assert result.recipients == sorted([jefe.username, both.username, director.username])
    assert outsider.username not in result.recipients
    assert Notification.objects.filter(recipient=both).count() == 1
    assert result.roles_without_holders == []


def test_users_are_told_as_given_and_nobody_is_reported(make_user: Any) -> None:
    user = make_user()
    assert notify(users=[user]).recipients == [user.username]
    nobody = notify(roles=["coord-estadistica"])
    assert nobody.nobody and nobody.roles_without_holders == ["coord-estadistica"]


def test_a_key_tells_nobody_twice(make_user: Any) -> None:
    user = make_user("jefe-ogtie")
    notify(roles=["jefe-ogtie"], key="recordatorio:7")
    notify(roles=["jefe-ogtie"], key="recordatorio:7")
    assert Notification.objects.filter(recipient=user).count() == 1


def test_a_secret_is_refused_and_nothing_is_written(make_user: Any) -> None:
    make_user("jefe-ogtie")
    with pytest.raises(ValueError, match="contraseñas"):
        notify(roles=["jefe-ogtie"], body="Su contraseña: Xk9!pq")
    assert not Notification.objects.exists()


def test_immediate_mail_goes_through_the_outbox_after_the_request(
    make_user: Any, smtp_server: Any
) -> None:
    user = _mail(make_user("jefe-ogtie"), "jefe@mindef.gob.pe")
    silent = make_user("jefe-ogtie")  # no address: in the app only
    notify(roles=["jefe-ogtie"], subject="Caso 42", body="Revise el caso.", url="/x/")
    assert Notification.objects.get(recipient=silent).mail_state == MailState.NO_ADDRESS
    assert Notification.objects.get(recipient=user).mail_state == MailState.PENDING
    assert fan_out_notifications() == 1
    deliver_outbox()
    (mail,) = smtp_server.messages
    assert mail["To"] == "jefe@mindef.gob.pe" and mail["Subject"] == "Caso 42"
    assert "Revise el caso." in mail_text(mail)


def test_the_digest_user_gets_one_mail_a_day_listing_the_notices(
    make_user: Any, smtp_server: Any
) -> None:
    user = _mail(make_user("jefe-ogtie"), "jefe@mindef.gob.pe")
    do_set_mail_delivery(actor=user, mail_delivery=MailDelivery.DIGEST)
    notify(roles=["jefe-ogtie"], subject="Primer aviso")
    notify(roles=["jefe-ogtie"], subject="Segundo aviso")
    assert fan_out_notifications() == 0  # nothing immediate
    deliver_outbox()
    assert smtp_server.messages == []
    assert send_digests() == 1
    assert send_digests() == 0  # already queued: not twice
    deliver_outbox()
    (mail,) = smtp_server.messages
    text = mail_text(mail)
    assert "Primer aviso" in text and "Segundo aviso" in text
    assert mail["Subject"] == "Resumen de avisos de mapro (2)"


def test_the_preference_is_validated_and_moves_waiting_notices(make_user: Any) -> None:
    user = _mail(make_user("jefe-ogtie"), "jefe@mindef.gob.pe")
    notify(roles=["jefe-ogtie"])
    with pytest.raises(InvalidInput) as exc:
        do_set_mail_delivery(actor=user, mail_delivery="semanal")
    assert "mail_delivery" in exc.value.errors
    assert not NotificationPreference.objects.filter(user=user).exists()
    do_set_mail_delivery(actor=user, mail_delivery=MailDelivery.DIGEST)
    assert Notification.objects.get(recipient=user).mail_state == MailState.DIGEST


def test_the_page_changes_the_preference_and_marks_all_read(make_user: Any) -> None:
    user = make_user("jefe-ogtie")
    notify(roles=["jefe-ogtie"])
    notify(roles=["jefe-ogtie"])
    client = Client()
    client.force_login(user)
    assert client.get("/avisos/?estado=sin-leer").context["page"].paginator.count == 2
    response = client.post("/avisos/preferencia/", {"mail_delivery": "semanal"}, follow=True)
    assert "Elija" in response.content.decode()
    client.post("/avisos/preferencia/", {"mail_delivery": "digest"})
    assert NotificationPreference.objects.get(user=user).mail_delivery == MailDelivery.DIGEST
    client.post("/avisos/leer-todos/")
    assert client.get("/avisos/").context["unread"] == 0
    assert client.get("/avisos/leer-todos/").status_code == 405


def test_the_list_needs_a_login() -> None:
    response = Client().get("/avisos/")
    assert response.status_code == 302 and response["Location"].startswith("/cuenta/ingresar/")


def test_a_large_audience_is_written_by_the_worker(
    make_user: Any, settings: Any, smtp_server: Any
) -> None:
    settings.NOTIFICATIONS_SYNC_LIMIT = 2
    holders = [_mail(make_user("jefe-ogtie"), f"jefe{i}@mindef.gob.pe") for i in range(3)]
    result = notify(roles=["jefe-ogtie"], subject="Aviso a muchos")
    assert result.deferred and result.count == 3 and not result.nobody
    assert not Notification.objects.exists()  # nothing per recipient in the request
    assert fan_out_notifications() == 3
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {
        u.pk for u in holders
    }
    assert fan_out_notifications() == 0  # the batch is expanded once
    deliver_outbox()
    assert len(smtp_server.messages) == 3


def test_the_admin_shows_notices_and_changes_nothing(make_user: Any) -> None:
    holder = make_user("jefe-ogtie")
    notify(roles=["jefe-ogtie"], subject="Aviso visible en el admin")
    admin = make_user(is_superuser=True)
    client = Client()
    client.force_login(admin)
    page = client.get("/admin/notifications/notification/")
    assert page.status_code == 200 and "Aviso visible en el admin" in page.content.decode()
    notice = Notification.objects.get(recipient=holder)
    assert client.post(f"/admin/notifications/notification/{notice.pk}/delete/").status_code == 403
    assert Notification.objects.filter(pk=notice.pk).exists()
