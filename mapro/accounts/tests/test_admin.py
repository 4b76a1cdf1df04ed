"""Admin changes to access go through the audited actions."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from mapro.accounts.actions import do_revoke_api_token, do_unlock_login
from mapro.accounts.models import ApiToken, LoginThrottle, UserSession
from mapro.audit.models import AuditEvent
from mapro.core.exceptions import Forbidden
from mapro.core.testing import DEFAULT_PASSWORD, make_user

pytestmark = pytest.mark.django_db


def test_unticking_active_in_the_admin_ends_sessions(client):
    admin = make_user(is_superuser=True)
    user = make_user("operador-mesa")
    ApiToken.issue(user)
    user_client = type(client)()
    user_client.post(
        reverse("accounts:login"), {"username": user.username, "password": DEFAULT_PASSWORD}
    )
    assert UserSession.objects.filter(user=user).exists()
    client.force_login(admin)
    change = reverse("admin:auth_user_change", args=[user.pk])
    form = client.get(change).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "is_active": "",
            "last_name": "Cambiado",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "groups": [],
            "user_permissions": [],
        }
    )
    data.pop("is_active")
    data.pop("last_login", None)
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert not user.is_active
    assert user.last_name == "Cambiado"
    assert not UserSession.objects.filter(user=user).exists()
    assert not ApiToken.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="user.deactivate", actor=admin).exists()
    assert user_client.get(reverse("core:home")).status_code == 302


def test_bulk_deactivate_action(client):
    admin = make_user(is_superuser=True)
    users = [make_user(), make_user()]
    client.force_login(admin)
    client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "deactivate", ACTION_CHECKBOX_NAME: [u.pk for u in users]},
    )
    assert AuditEvent.objects.filter(action="user.deactivate").count() == 2


def test_unlock_and_revoke_are_audited_and_guarded():
    owner = make_user()
    token, _raw = ApiToken.issue(owner)
    with pytest.raises(Forbidden):
        do_revoke_api_token(token, actor=make_user("operador-mesa"))
    do_revoke_api_token(token, actor=owner)
    assert not ApiToken.objects.exists()
    now = timezone.now()
    lock = LoginThrottle.objects.create(
        scope="account",
        key="x",
        failures=0,
        window_started_at=now,
        last_failure_at=now,
        locked_until=now + timezone.timedelta(minutes=5),
    )
    with pytest.raises(Forbidden):
        do_unlock_login(lock, actor=owner)
    do_unlock_login(lock, actor=make_user("profesional-ogtie"))
    assert not LoginThrottle.objects.exists()
    assert {"api_token.revoke", "login_throttle.unlock"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )


def test_throttle_admin_lists_locks(client):
    client.force_login(make_user(is_superuser=True))
    assert client.get(reverse("admin:accounts_loginthrottle_changelist")).status_code == 200
    assert client.get(reverse("admin:accounts_apitoken_changelist")).status_code == 200
