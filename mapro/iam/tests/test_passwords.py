"""Robust passwords, and their one-time links: issued by managers, revealed once to the
recipient, never stored in clear."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from mapro.audit.models import AuditEvent
from mapro.core.exceptions import Forbidden, InvalidInput, InvalidTransition, NotFound
from mapro.core.testing import make_user
from mapro.iam.actions import do_issue_password_link, do_remove_account, do_reveal_password
from mapro.iam.models import OneTimeSecret
from mapro.iam.passwords import (
    SPECIALS,
    SecretsKeyError,
    generate_password,
    is_robust,
    seal,
    unseal,
)
from mapro.iam.testing import make_account
from mapro.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_generated_passwords_meet_the_manuals_policy():
    seen = set()
    for _ in range(300):
        password = generate_password()
        assert len(password) == 16
        assert re.search(r"[a-z]", password) and re.search(r"[A-Z]", password)
        assert re.search(r"\d", password)
        assert any(c in SPECIALS for c in password)
        assert is_robust(password)
        seen.add(password)
    assert len(seen) == 300
    assert not is_robust("abcdefghijkl")
    assert not is_robust("Ab1.")


def test_length_setting_never_goes_under_twelve(settings):
    settings.IAM_PASSWORD_LENGTH = 20
    assert len(generate_password()) == 20
    settings.IAM_PASSWORD_LENGTH = 6
    assert len(generate_password()) == 12


KEY_A = "a" * 22 + "-clave-de-prueba-A"
KEY_B = "b" * 22 + "-clave-de-prueba-B"


def test_seal_needs_the_key_outside_the_database_and_the_same_account(settings):
    from cryptography.exceptions import InvalidTag

    settings.SECRETS_KEYS = [KEY_A]
    blob = seal("S3creto.*x", context="7")
    assert b"S3creto" not in blob and KEY_A.encode() not in blob
    assert unseal(blob, context="7") == "S3creto.*x"
    with pytest.raises(InvalidTag):
        unseal(blob, context="8")  # copied to another account's row
    settings.SECRETS_KEYS = [KEY_B]
    with pytest.raises(InvalidTag):
        unseal(blob, context="7")
    settings.SECRETS_KEYS = [KEY_B, KEY_A]  # rotation: the old key still opens
    assert unseal(blob, context="7") == "S3creto.*x"


def test_missing_or_short_keys_are_a_configuration_error(settings):
    settings.SECRETS_KEYS = []
    with pytest.raises(SecretsKeyError):
        seal("x", context="1")
    settings.SECRETS_KEYS = ["corta"]
    with pytest.raises(SecretsKeyError):
        seal("x", context="1")


def test_rotation_reseals_pending_secrets_and_the_old_key_can_go(settings):
    from django.core.management import call_command

    settings.SECRETS_KEYS = [KEY_A]
    manager, _account, link = _issue()
    _m, _other, lost = _issue(manager=manager)
    OneTimeSecret.objects.filter(pk=lost.secret.pk).update(ciphertext=b"\x02" + b"0" * 40)
    settings.SECRETS_KEYS = [KEY_B, KEY_A]
    call_command("secrets_rotate")
    settings.SECRETS_KEYS = [KEY_B]
    _, password = do_reveal_password(link.secret.pk, actor=manager)
    assert is_robust(password)
    assert OneTimeSecret.objects.get(pk=lost.secret.pk).ciphertext is None
    event = AuditEvent.objects.get(action="account.password_links_rekey")
    assert event.after == {"recifrados": [link.secret.pk], "destruidos": [lost.secret.pk]}
    call_command("secrets_rotate")  # nothing left to do: no new event
    assert AuditEvent.objects.filter(action="account.password_links_rekey").count() == 1


def _manager(role="profesional-ogtie"):
    user = make_user(role)
    user.email = f"{user.username}@mindef.test"
    user.save(update_fields=["email"])
    return user


def _issue(account=None, manager=None):
    manager = manager or _manager()
    account = account or make_account()
    return manager, account, do_issue_password_link(account, actor=manager, recipient=manager)


def test_issue_stores_only_ciphertext_and_mails_the_page_without_password():
    manager, account, link = _issue()
    secret = OneTimeSecret.objects.get(account=account)
    mail = OutboxMessage.objects.get(key=f"iam:secret:{secret.pk}")
    assert link.path == f"/cuentas-y-accesos/contrasena/{secret.pk}/"
    assert link.path in mail.body_text
    _, password = do_reveal_password(secret.pk, actor=manager)
    assert password not in mail.body_text
    assert AuditEvent.objects.filter(action="account.password_link").count() == 1


def test_reveal_once_then_conflict_and_ciphertext_gone():
    manager, _account, link = _issue()
    secret, password = do_reveal_password(link.secret.pk, actor=manager)
    assert is_robust(password)
    secret.refresh_from_db()
    assert secret.ciphertext is None and secret.revealed_at is not None
    with pytest.raises(InvalidTransition):
        do_reveal_password(link.secret.pk, actor=manager)


def test_only_the_recipient_reveals_and_unknown_tokens_are_not_found():
    manager, _account, link = _issue()
    with pytest.raises(NotFound):
        do_reveal_password(link.secret.pk, actor=make_user("profesional-ogtie"))
    with pytest.raises(NotFound):
        do_reveal_password(link.secret.pk + 1000, actor=manager)
    assert OneTimeSecret.objects.get().ciphertext is not None


def test_expired_link_reveals_nothing():
    manager, _account, link = _issue()
    OneTimeSecret.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(InvalidTransition, match="venció"):
        do_reveal_password(link.secret.pk, actor=manager)


def test_new_link_and_removal_destroy_unrevealed_ones():
    manager, account, first = _issue()
    second = do_issue_password_link(account, actor=manager, recipient=manager)
    with pytest.raises(InvalidTransition):
        do_reveal_password(first.secret.pk, actor=manager)
    do_remove_account(account, actor=manager, reason="Cese")
    assert not OneTimeSecret.objects.filter(ciphertext__isnull=False).exists()
    with pytest.raises(InvalidTransition):
        do_reveal_password(second.secret.pk, actor=manager)
    with pytest.raises(InvalidTransition):
        do_issue_password_link(account, actor=manager, recipient=manager)


def test_issue_needs_a_managing_role_and_a_managing_recipient():
    account = make_account()
    with pytest.raises(Forbidden):
        do_issue_password_link(account, actor=make_user("operador-mesa"), recipient=None)
    manager = make_user("resp-soporte")
    with pytest.raises(InvalidInput) as err:
        do_issue_password_link(account, actor=manager, recipient=make_user("personal"))
    assert "recipient" in err.value.errors
    assert not OneTimeSecret.objects.exists()


# --- pages ---------------------------------------------------------------------------------


def test_pages_issue_and_reveal_once(client):
    manager = make_user("tecnico-especialista")
    account = make_account()
    client.force_login(manager)
    response = client.post(reverse("iam:account_password_link", args=[account.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    url = re.search(r'href="([^"]+/cuentas-y-accesos/contrasena/[^"]+)"', response.content.decode())
    assert url is not None
    path = url.group(1).split("testserver", 1)[-1]
    confirm = client.get(path)
    assert confirm.status_code == 200 and "Mostrar la contraseña" in confirm.content.decode()
    assert OneTimeSecret.objects.get().revealed_at is None  # GET does not burn the link
    shown = client.post(path)
    assert shown.status_code == 200
    password = re.search(r'<code id="contrasena">([^<]+)</code>', shown.content.decode())
    assert password is not None and is_robust(password.group(1).replace("&amp;", "&"))
    assert client.post(path).status_code == 409
    other = make_user("tecnico-especialista")
    client.force_login(other)
    assert client.post(path).status_code == 404


def test_issue_page_wrong_role_and_director_out_of_scope(client):
    account = make_account()
    client.force_login(make_user("operador-mesa"))
    assert client.post(reverse("iam:account_password_link", args=[account.pk])).status_code == 403
    from mapro.core.testing import ensure_unit

    client.force_login(make_user("director-uo", unit=ensure_unit("DGA")))
    assert client.post(reverse("iam:account_password_link", args=[account.pk])).status_code == 404
    assert not OneTimeSecret.objects.exists()


def test_expired_links_are_purged_by_the_hourly_task():
    from mapro.iam.tasks import purge_expired_password_links

    manager, account, _expired = _issue()
    other = make_account()
    fresh = do_issue_password_link(other, actor=manager, recipient=manager)
    OneTimeSecret.objects.filter(account=account).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    purge_expired_password_links.call_local()
    assert OneTimeSecret.objects.get(account=account).ciphertext is None
    assert OneTimeSecret.objects.get(account=other).ciphertext is not None
    assert AuditEvent.objects.filter(action="account.password_links_purge").count() == 1
    purge_expired_password_links.call_local()  # nothing left: no new event
    assert AuditEvent.objects.filter(action="account.password_links_purge").count() == 1
    assert do_reveal_password(fresh.secret.pk, actor=manager)[1]
