"""Session lifetime: idle and absolute timeouts, deactivation ends every session."""

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from mapro.accounts.actions import do_deactivate_user
from mapro.accounts.middleware import SESSION_SEEN, SESSION_STARTED
from mapro.accounts.models import ApiToken, UserSession
from mapro.audit.models import AuditEvent
from mapro.core.exceptions import Conflict, Forbidden
from mapro.core.testing import DEFAULT_PASSWORD, make_user

pytestmark = pytest.mark.django_db

HOME = reverse("core:home")
LOGIN = reverse("accounts:login")


def login(user, address="10.0.0.1"):
    client = Client(REMOTE_ADDR=address)
    response = client.post(LOGIN, {"username": user.username, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


def shift_session(client, **seconds_ago):
    """Move the stored timestamps into the past (time travel without sleeping)."""
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[{"started": SESSION_STARTED, "seen": SESSION_SEEN}[key]] = now - ago
    session.save()


def test_login_stores_session_start():
    client = login(make_user())
    session = client.session
    assert time.time() - session[SESSION_STARTED] < 60
    assert time.time() - session[SESSION_SEEN] < 60


def test_idle_timeout_logs_out(settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    user = make_user()
    client = login(user)
    shift_session(client, seen=599)
    assert client.get(HOME).status_code == 200
    shift_session(client, seen=601)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert SESSION_KEY not in client.session
    assert AuditEvent.objects.filter(action="session.logout").last().after == {"reason": "idle"}
    # The login page says why.
    page = client.get(response["Location"])
    assert "inactividad" in page.content.decode()


def test_activity_keeps_the_session_alive(settings):
    settings.SESSION_IDLE_TIMEOUT = 600
    settings.SESSION_SEEN_RESOLUTION = 0
    client = login(make_user())
    shift_session(client, seen=500)
    assert client.get(HOME).status_code == 200  # refreshes "seen"
    assert time.time() - client.session[SESSION_SEEN] < 60


def test_absolute_timeout_logs_out_even_when_active(settings):
    settings.SESSION_ABSOLUTE_TIMEOUT = 3600
    client = login(make_user())
    shift_session(client, started=3599, seen=1)
    assert client.get(HOME).status_code == 200
    shift_session(client, started=3601, seen=1)
    response = client.get(HOME)
    assert response["Location"].startswith(LOGIN)
    assert AuditEvent.objects.filter(action="session.logout").last().after == {"reason": "absolute"}


def test_expired_session_answers_401_on_the_api(settings):
    settings.SESSION_IDLE_TIMEOUT = 60
    client = login(make_user())
    shift_session(client, seen=61)
    assert client.get("/api/v1/auth/me/").status_code == 401


def test_inactive_user_is_refused_on_next_request():
    user = make_user()
    client = login(user)
    assert client.get(HOME).status_code == 200
    # Deactivated behind the action's back (e.g. a raw update): Django's backend refuses the
    # inactive user when it loads him from the session.
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_deactivation_ends_all_sessions_and_tokens():
    admin = make_user("profesional-ogtie")
    user = make_user("operador-mesa")
    other = make_user("operador-mesa")
    phone, desktop, bystander = login(user, "10.0.0.2"), login(user, "10.0.0.3"), login(other)
    _token, raw = ApiToken.issue(user)
    keys = set(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    assert len(keys) == 2

    do_deactivate_user(user, actor=admin)

    user.refresh_from_db()
    assert not user.is_active
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not UserSession.objects.filter(user=user).exists()
    assert not ApiToken.objects.filter(user=user).exists()
    for client in (phone, desktop):
        response = client.get(HOME)
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
    assert bystander.get(HOME).status_code == 200
    api = Client(HTTP_AUTHORIZATION=f"Token {raw}")
    assert api.get("/api/v1/auth/me/").status_code == 401
    event = AuditEvent.objects.get(action="user.deactivate")
    assert event.actor_id == admin.pk
    assert event.object_id == str(user.pk)
    assert event.before == {"is_active": True}
    assert event.after == {"is_active": False, "sessions_ended": 2, "tokens_revoked": 1}


def test_deactivation_requires_an_account_administrator():
    user = make_user("operador-mesa")
    with pytest.raises(Forbidden):
        do_deactivate_user(user, actor=make_user("operador-mesa"))
    with pytest.raises(Forbidden):
        do_deactivate_user(user, actor=make_user("director-uo"))
    user.refresh_from_db()
    assert user.is_active
    assert not AuditEvent.objects.filter(action="user.deactivate").exists()
    do_deactivate_user(user, actor=make_user(is_superuser=True))
    do_deactivate_user(make_user(), actor=make_user("jefe-ogtie"))
    assert AuditEvent.objects.filter(action="user.deactivate").count() == 2


def test_nobody_deactivates_themselves():
    admin = make_user("profesional-ogtie")
    with pytest.raises(Conflict):
        do_deactivate_user(admin, actor=admin)
    admin.refresh_from_db()
    assert admin.is_active
