"""Login and logout pages: generic errors, throttling, session key rotation, audit."""

import datetime

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mapro.accounts.forms import LOGIN_FAILED_MESSAGE
from mapro.accounts.models import LoginThrottle, UserSession
from mapro.audit.models import AuditEvent
from mapro.core.testing import DEFAULT_PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")


def post_login(client, username, password=DEFAULT_PASSWORD, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_login_page_is_spanish_and_accessible(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="es-PE"' in html
    assert "Iniciar sesión" in html
    assert '<label class="form-label" for="id_username">Usuario</label>' in html
    assert '<label class="form-label" for="id_password">Contraseña</label>' in html
    assert 'href="#contenido"' in html


def test_login_success_redirects_home_and_rotates_session_key(client):
    user = make_user("operador-mesa")
    session = client.session  # an anonymous session exists before login
    session["marker"] = 1
    session.save()
    before = session.session_key
    response = post_login(client, user.username)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    after = client.session.session_key
    assert after and after != before
    assert client.session[SESSION_KEY] == str(user.pk)
    assert UserSession.objects.filter(user=user, session_key=after).exists()
    event = AuditEvent.objects.get(action="session.login")
    assert event.actor_id == user.pk
    assert event.client_address == "10.0.0.1"


@pytest.mark.parametrize("case", ["wrong-password", "unknown-user", "inactive"])
def test_login_failure_message_is_generic(client, case):
    user = make_user("operador-mesa")
    if case == "wrong-password":
        response = post_login(client, user.username, "no-es-la-clave")
    elif case == "unknown-user":
        response = post_login(client, "nadie-con-este-nombre", "no-es-la-clave")
    else:
        user.is_active = False
        user.save()
        response = post_login(client, user.username)  # right password, inactive account
    assert response.status_code == 200
    assert SESSION_KEY not in client.session
    assert response.context["form"].non_field_errors() == [LOGIN_FAILED_MESSAGE]
    assert LOGIN_FAILED_MESSAGE in response.content.decode()


def test_failed_login_is_audited_without_password(client):
    user = make_user("operador-mesa")
    post_login(client, user.username, "clave-secreta-equivocada")
    post_login(client, "fantasma", "otra-clave-secreta")
    events = list(AuditEvent.objects.filter(action="session.login_failed").order_by("id"))
    assert len(events) == 2
    assert events[0].object_id == str(user.pk)
    assert events[0].after == {"username": user.username, "reason": "credentials"}
    assert events[1].object_id == ""
    assert events[1].object_repr == "fantasma"
    for event in events:
        assert "clave-secreta-equivocada" not in event.canonical().decode()
        assert "otra-clave-secreta" not in event.canonical().decode()


def test_logout_is_audited_and_ends_session(client):
    user = make_user("operador-mesa")
    post_login(client, user.username)
    key = client.session.session_key
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert SESSION_KEY not in client.session
    assert not UserSession.objects.filter(session_key=key).exists()
    event = AuditEvent.objects.get(action="session.logout")
    assert event.actor_id == user.pk
    assert event.after == {"reason": "logout"}
    # Back at a protected page: the login page again.
    assert client.get(reverse("core:home"))["Location"].startswith(LOGIN)


def test_logout_by_get_is_not_allowed(client):
    user = make_user()
    client.force_login(user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert SESSION_KEY in client.session


def test_login_page_sends_signed_in_user_home(client):
    client.force_login(make_user())
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_next_parameter_is_followed_only_within_the_site(client):
    user = make_user()
    response = client.post(
        LOGIN,
        {"username": user.username, "password": DEFAULT_PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("core:home")


class TestThrottling:
    @pytest.fixture(autouse=True)
    def _limits(self, settings):
        settings.LOGIN_MAX_FAILURES = 3
        settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 5
        settings.LOGIN_LOCKOUT_SECONDS = 60
        settings.LOGIN_FAILURE_WINDOW = 60

    def test_account_locked_after_max_failures_even_with_right_password(self, client):
        user = make_user("operador-mesa")
        for i in range(3):
            post_login(client, user.username, "mala", address=f"10.0.1.{i}")
        # Right password, from a fresh address: still refused, with the same generic message.
        response = post_login(client, user.username, address="10.0.2.1")
        assert SESSION_KEY not in client.session
        assert response.context["form"].non_field_errors() == [LOGIN_FAILED_MESSAGE]
        refused = AuditEvent.objects.filter(action="session.login_failed").last()
        assert refused.after["reason"] == "throttled"
        # Another account is not affected.
        other = make_user("operador-mesa")
        post_login(client, other.username, address="10.0.2.1")
        assert client.session[SESSION_KEY] == str(other.pk)

    def test_lock_is_temporary(self, client):
        user = make_user("operador-mesa")
        for _ in range(3):
            post_login(client, user.username, "mala")
        row = LoginThrottle.objects.get(scope="account", key=user.username)
        assert row.locked_until > timezone.now()
        # Time travel: the lock ended a second ago.
        LoginThrottle.objects.update(
            locked_until=timezone.now() - datetime.timedelta(seconds=1),
            window_started_at=timezone.now() - datetime.timedelta(seconds=61),
            last_failure_at=timezone.now() - datetime.timedelta(seconds=61),
        )
        post_login(client, user.username)
        assert client.session[SESSION_KEY] == str(user.pk)

    def test_refused_attempts_do_not_extend_the_lock(self, client):
        user = make_user()
        for _ in range(3):
            post_login(client, user.username, "mala")
        locked_until = LoginThrottle.objects.get(scope="account").locked_until
        for _ in range(5):
            post_login(client, user.username, "mala", address="10.9.9.9")
        assert LoginThrottle.objects.get(scope="account").locked_until == locked_until

    def test_success_clears_account_counter(self, client):
        user = make_user()
        for _ in range(2):
            post_login(client, user.username, "mala")
        post_login(client, user.username)
        assert client.session[SESSION_KEY] == str(user.pk)
        assert not LoginThrottle.objects.filter(scope="account").exists()
        client.post(reverse("accounts:logout"))
        # Two more failures do not lock: the count started again from zero.
        for _ in range(2):
            post_login(client, user.username, "mala")
        post_login(client, user.username)
        assert client.session[SESSION_KEY] == str(user.pk)

    def test_failures_outside_the_window_do_not_add_up(self, client):
        user = make_user()
        for _ in range(2):
            post_login(client, user.username, "mala")
        LoginThrottle.objects.update(
            window_started_at=timezone.now() - datetime.timedelta(seconds=120)
        )
        post_login(client, user.username, "mala")
        row = LoginThrottle.objects.get(scope="account")
        assert row.locked_until is None
        assert row.failures == 1

    def test_case_variants_share_the_account_counter(self, client):
        user = make_user(username="operador")
        for name in ("operador", "OPERADOR", "Operador"):
            post_login(client, name, "mala")
        post_login(client, user.username)
        assert SESSION_KEY not in client.session

    def test_address_locked_after_its_higher_limit(self, client):
        users = [make_user() for _ in range(6)]
        # 5 failures spread over 5 accounts (none reaches the account limit of 3).
        for user in users[:5]:
            post_login(client, user.username, "mala", address="10.7.7.7")
        assert not LoginThrottle.objects.filter(scope="account", locked_until__isnull=False)
        assert LoginThrottle.objects.get(scope="address", key="10.7.7.7").locked_until
        post_login(client, users[5].username, address="10.7.7.7")
        assert SESSION_KEY not in client.session
        # The same user from another address gets in.
        post_login(client, users[5].username, address="10.7.7.8")
        assert client.session[SESSION_KEY] == str(users[5].pk)

    def test_successful_login_does_not_clear_the_address(self, client):
        users = [make_user() for _ in range(2)]
        for _ in range(2):
            post_login(client, users[0].username, "mala", address="10.5.5.5")
        post_login(client, users[1].username, address="10.5.5.5")
        assert LoginThrottle.objects.get(scope="address", key="10.5.5.5").failures == 2

    def test_admin_login_is_throttled_too(self, client):
        admin = make_user(is_superuser=True)
        for _ in range(3):
            client.post(
                reverse("admin:login"),
                {"username": admin.username, "password": "mala"},
                REMOTE_ADDR="10.1.1.1",
            )
        client.post(
            reverse("admin:login"),
            {"username": admin.username, "password": DEFAULT_PASSWORD},
            REMOTE_ADDR="10.1.1.2",
        )
        assert SESSION_KEY not in client.session


def test_fresh_client_cookie_names():
    # The session and CSRF cookies are HttpOnly/SameSite as configured.
    client = Client()
    user = make_user()
    response = post_login(client, user.username)
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
