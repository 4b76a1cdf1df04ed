"""The one-command start's promise: after `mapro seed --demo` every demo user can sign in."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_demo_user_signs_in_through_the_login_page(client, settings):
    settings.MAPRO_DEMO_PASSWORD = "demo"
    call_command("seed", "--demo")
    usernames = sorted(get_user_model().objects.values_list("username", flat=True))
    assert len(usernames) == 28  # 27 role codes + admin
    for username in usernames:
        client.logout()
        response = client.post(
            reverse("accounts:login"), {"username": username, "password": "demo"}
        )
        assert response.status_code == 302, username
        assert response.url == reverse("core:home"), username
        home = client.get(reverse("core:home"))
        assert home.status_code == 200
        assert home.context["user"].username == username


def test_a_demo_user_with_a_wrong_password_is_refused(client):
    call_command("seed", "--demo")
    response = client.post(
        reverse("accounts:login"), {"username": "operador-mesa", "password": "otra"}
    )
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
