"""Login and logout pages: generic errors, throttling, session key rotation, audit."""

import datetime

import pytest
import time_machine
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


def _expire_waits():
    """The clock moves past every wait (and only that: failures are still remembered)."""
    LoginThrottle.objects.update(locked_until=timezone.now() - datetime.timedelta(seconds=1))


class TestThrottling:
    """Growing waits by account+address, address and account (issue 13, item 3)."""

    @pytest.fixture(autouse=True)
    def _limits(self, settings):
        settings.LOGIN_MAX_FAILURES = 3
        settings.LOGIN_MAX_FAILURES_PER_ADDRESS = 5
        settings.LOGIN_MAX_ADDRESSES_PER_ACCOUNT = 5
        settings.LOGIN_LOCKOUT_SECONDS = 900
        settings.LOGIN_FAILURE_WINDOW = 3600
        settings.TRUSTED_PROXIES = []

    def test_the_pair_waits_after_its_free_failures_even_with_the_right_password(self, client):
        user = make_user("operador-mesa")
        for _ in range(4):
            post_login(client, user.username, "mala", address="10.0.1.1")
        response = post_login(client, user.username, address="10.0.1.1")
        assert SESSION_KEY not in client.session
        assert response.context["form"].non_field_errors() == [LOGIN_FAILED_MESSAGE]
        # The same account from another address, another account from this one: not slowed.
        post_login(client, user.username, address="10.0.2.1")
        assert client.session[SESSION_KEY] == str(user.pk)
        client.post(reverse("accounts:logout"))
        other = make_user("operador-mesa")
        post_login(client, other.username, address="10.0.1.1")
        assert client.session[SESSION_KEY] == str(other.pk)

    def test_waits_grow_and_are_capped(self, client):
        user = make_user()
        waits = []
        for _ in range(16):
            post_login(client, user.username, "mala", address="10.0.3.3")
            row = LoginThrottle.objects.get(scope="pair")
            if row.locked_until and row.locked_until > row.last_failure_at:
                waits.append(round((row.locked_until - row.last_failure_at).total_seconds()))
            _expire_waits()
        assert waits == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]

    def test_a_thousand_guesses_from_one_address_slow_only_that_pair(self, client):
        """Behind the proxy (trusted), 1,000 guesses against ``admin`` from one client address:
        that pair waits; other users through the same proxy, and admin from elsewhere, log in.
        The audit table grows by the counted failures only, not by the refused attempts."""
        from django.conf import settings

        settings.TRUSTED_PROXIES = ["10.99.0.1"]
        admin = make_user(is_superuser=True)
        via_proxy = {"REMOTE_ADDR": "10.99.0.1"}
        attacker = {**via_proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.7"}
        audited_before = AuditEvent.objects.count()
        with time_machine.travel(timezone.now(), tick=False):  # the 1,000 come within a second
            for _ in range(1000):
                client.post(LOGIN, {"username": admin.username, "password": "mala"}, **attacker)
        pair = LoginThrottle.objects.get(scope="pair")
        assert pair.key == f"{admin.username.casefold()}|203.0.113.7"
        assert pair.failures == 4 and pair.refused == 996 and pair.locked_until
        assert AuditEvent.objects.count() - audited_before == 4
        assert LoginThrottle.objects.get(scope="account").failures == 1  # one address
        assert LoginThrottle.objects.get(scope="address").failures == 1  # one account
        # Everybody else behind the same proxy: in at once.
        for user in [make_user("operador-mesa") for _ in range(3)]:
            office = Client()
            office.post(
                LOGIN,
                {"username": user.username, "password": DEFAULT_PASSWORD},
                **via_proxy,
                HTTP_X_FORWARDED_FOR="198.51.100.20",
            )
            assert office.session[SESSION_KEY] == str(user.pk)
        owner = Client()
        owner.post(
            LOGIN,
            {"username": admin.username, "password": DEFAULT_PASSWORD},
            **via_proxy,
            HTTP_X_FORWARDED_FOR="198.51.100.21",
        )
        assert owner.session[SESSION_KEY] == str(admin.pk)

    def test_refused_attempts_do_not_extend_the_wait(self, client):
        user = make_user()
        for _ in range(4):
            post_login(client, user.username, "mala")
        locked_until = LoginThrottle.objects.get(scope="pair").locked_until
        for _ in range(5):
            post_login(client, user.username, "mala")
        row = LoginThrottle.objects.get(scope="pair")
        assert row.locked_until == locked_until and row.refused == 5 and row.failures == 4

    def test_success_clears_the_pair_and_the_account(self, client):
        user = make_user()
        for _ in range(2):
            post_login(client, user.username, "mala")
        post_login(client, user.username)
        assert client.session[SESSION_KEY] == str(user.pk)
        assert not LoginThrottle.objects.filter(scope__in=["pair", "account"]).exists()

    def test_failures_are_forgotten_a_window_after_the_last(self, client):
        user = make_user()
        for _ in range(3):
            post_login(client, user.username, "mala")
        LoginThrottle.objects.update(
            last_failure_at=timezone.now() - datetime.timedelta(seconds=3601)
        )
        post_login(client, user.username, "mala")
        row = LoginThrottle.objects.get(scope="pair")
        assert row.locked_until is None and row.failures == 1

    def test_case_variants_share_the_pair(self, client):
        user = make_user(username="operador")
        for name in ("operador", "OPERADOR", "Operador", "operador"):
            post_login(client, name, "mala")
        post_login(client, user.username)
        assert SESSION_KEY not in client.session

    def test_a_spraying_address_waits_after_its_distinct_accounts(self, client):
        users = [make_user() for _ in range(7)]
        for user in users[:6]:
            post_login(client, user.username, "mala", address="10.7.7.7")
        assert not LoginThrottle.objects.filter(scope="pair", locked_until__isnull=False)
        assert LoginThrottle.objects.get(scope="address", key="10.7.7.7").locked_until
        post_login(client, users[6].username, address="10.7.7.7")
        assert SESSION_KEY not in client.session
        post_login(client, users[6].username, address="10.7.7.8")
        assert client.session[SESSION_KEY] == str(users[6].pk)

    def test_an_account_attacked_from_many_addresses_waits(self, client):
        user = make_user()
        for i in range(6):
            post_login(client, user.username, "mala", address=f"10.8.0.{i}")
        assert LoginThrottle.objects.get(scope="account").locked_until
        post_login(client, user.username, address="10.8.1.1")
        assert SESSION_KEY not in client.session

    def test_an_administrator_sees_the_wait_and_lifts_it(self, client):
        from mapro.accounts.actions import do_unlock_login

        user = make_user()
        for _ in range(5):
            post_login(client, user.username, "mala")
        admin = make_user(is_superuser=True)
        staff = Client()
        staff.force_login(admin)
        page = staff.get(reverse("admin:accounts_loginthrottle_changelist"))
        assert user.username.casefold() in page.content.decode()
        do_unlock_login(LoginThrottle.objects.get(scope="pair"), actor=admin)
        event = AuditEvent.objects.get(action="login_throttle.unlock")
        assert (event.before["failures"], event.before["refused"]) == (4, 1)
        post_login(client, user.username)
        assert client.session[SESSION_KEY] == str(user.pk)

    def test_successful_login_does_not_clear_the_address(self, client):
        users = [make_user() for _ in range(3)]
        for user in users[:2]:
            post_login(client, user.username, "mala", address="10.5.5.5")
        post_login(client, users[2].username, address="10.5.5.5")
        assert LoginThrottle.objects.get(scope="address", key="10.5.5.5").failures == 2

    def test_admin_login_is_throttled_too(self, client):
        admin = make_user(is_superuser=True)
        for _ in range(4):
            client.post(
                reverse("admin:login"),
                {"username": admin.username, "password": "mala"},
                REMOTE_ADDR="10.1.1.1",
            )
        client.post(
            reverse("admin:login"),
            {"username": admin.username, "password": DEFAULT_PASSWORD},
            REMOTE_ADDR="10.1.1.1",
        )
        assert SESSION_KEY not in client.session


def test_the_forwarded_address_is_believed_only_from_a_trusted_proxy(settings, rf):
    from mapro.core.middleware import client_address

    settings.TRUSTED_PROXIES = ["10.99.0.0/24"]
    forged = rf.get("/", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.0.0.1")
    assert client_address(forged) == "203.0.113.9"
    proxied = rf.get("/", REMOTE_ADDR="10.99.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 198.51.100.7")
    assert client_address(proxied) == "198.51.100.7"  # the nearest hop the proxy saw
    chained = rf.get("/", REMOTE_ADDR="10.99.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7, 10.99.0.2")
    assert client_address(chained) == "198.51.100.7"
    garbage = rf.get("/", REMOTE_ADDR="10.99.0.1", HTTP_X_FORWARDED_FOR="no-es-ip")
    assert client_address(garbage) == "10.99.0.1"
    settings.TRUSTED_PROXIES = []
    assert client_address(proxied) == "10.99.0.1"


def test_fresh_client_cookie_names():
    # The session and CSRF cookies are HttpOnly/SameSite as configured.
    client = Client()
    user = make_user()
    response = post_login(client, user.username)
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
