"""Sign-in with the directory (the real slapd): directory users, local accounts, refusals."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from mapro.audit.models import AuditEvent
from mapro.core.testing import make_user
from mapro.iam.testing import make_person

pytestmark = pytest.mark.django_db

PASSWORD = "Clave-Del-Directorio-2026"


@pytest.fixture
def directory_login(ldap_directory: Any, settings: Any) -> Any:
    settings.DIRECTORY_LOGIN = True
    settings.AUTHENTICATION_BACKENDS = ["mapro.directory.backends.DirectoryBackend"]
    return ldap_directory


def _login(username: str, password: str) -> Client:
    client = Client()
    client.post(reverse("accounts:login"), {"username": username, "password": password})
    return client


def _signed_in(client: Client) -> Any:
    return get_user_model().objects.filter(pk=client.session.get("_auth_user_id")).first()


def test_a_directory_user_signs_in_linked_to_their_person_with_mapros_roles(
    directory_login: Any,
) -> None:
    person = make_person("Rosa", "Huamán Soto", dni="43218765")
    directory_login.add_user(
        "rhuaman",
        password=PASSWORD,
        dni="43218765",
        givenName="Rosa",
        sn="Huamán Soto",
        mail="rhuaman@mindef.gob.pe",
    )
    client = _login("rhuaman", PASSWORD)
    user = _signed_in(client)
    assert user is not None and user.username == "rhuaman"
    assert not user.has_usable_password()  # the password stays in the directory
    person.refresh_from_db()
    assert person.user == user
    assert AuditEvent.objects.filter(action="user.directory_signup").count() == 1
    # The second sign-in is the same user, no second record.
    assert _signed_in(_login("rhuaman", PASSWORD)) == user
    assert get_user_model().objects.filter(username="rhuaman").count() == 1


def test_wrong_password_disabled_account_and_unknown_user_are_refused(
    directory_login: Any,
) -> None:
    directory_login.add_user("ok1", password=PASSWORD)
    directory_login.add_user("apagado", password=PASSWORD, enabled=False)
    assert _signed_in(_login("ok1", "otra-clave")) is None
    assert _signed_in(_login("apagado", PASSWORD)) is None
    assert _signed_in(_login("nadie", PASSWORD)) is None
    assert not get_user_model().objects.filter(username__in=["ok1", "apagado", "nadie"]).exists()


def test_local_accounts_still_sign_in_and_the_directory_never_opens_a_superuser(
    directory_login: Any, settings: Any
) -> None:
    local = make_user("operador-mesa", username="local1")
    local.set_password("Local-Clave-2026")
    local.save()
    assert _signed_in(_login("local1", "Local-Clave-2026")) == local
    admin = get_user_model().objects.create_superuser("admin2", password="Admin-Local-2026")
    directory_login.add_user("admin2", password=PASSWORD)
    assert _signed_in(_login("admin2", PASSWORD)) is None
    assert _signed_in(_login("admin2", "Admin-Local-2026")) == admin
    # The directory down: local accounts keep working, directory users cannot sign in.
    settings.DIRECTORY_URL = "ldap://127.0.0.1:9"
    settings.DIRECTORY_TIMEOUT = 1
    assert _signed_in(_login("local1", "Local-Clave-2026")) == local
    assert _signed_in(_login("ok1", PASSWORD)) is None
