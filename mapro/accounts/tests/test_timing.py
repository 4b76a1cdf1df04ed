"""Every failed login costs one password hash, so response time does not reveal the cause."""

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.urls import reverse

from mapro.accounts.models import LoginThrottle
from mapro.core.testing import make_user

pytestmark = pytest.mark.django_db


class CountingHasher(MD5PasswordHasher):
    """A real (fast, test-only) hasher that counts how many hashes it computes."""

    algorithm = "counting_md5"
    calls = 0

    def encode(self, password, salt):
        type(self).calls += 1
        return super().encode(password, salt)


@pytest.fixture
def counting(settings):
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    settings.LOGIN_MAX_FAILURES = 2
    CountingHasher.calls = 0
    return CountingHasher


def attempt(client, username, password):
    before = CountingHasher.calls
    client.post(reverse("accounts:login"), {"username": username, "password": password})
    return CountingHasher.calls - before


def test_each_kind_of_failure_hashes_once(client, counting):
    user = make_user()  # its password hashed with the counting hasher
    inactive = make_user()
    inactive.is_active = False
    inactive.save()
    assert attempt(client, user.username, "mala") == 1  # wrong password
    assert attempt(client, "no-existe", "mala") == 1  # unknown user
    assert attempt(client, inactive.username, "clave-de-prueba-segura-1") == 1  # inactive
    attempt(client, user.username, "mala")  # the limit of 2
    attempt(client, user.username, "mala")  # over it: the pair waits
    assert LoginThrottle.objects.get(scope="pair", key=f"{user.username}|127.0.0.1").locked_until
    assert attempt(client, user.username, "mala") == 1  # throttled
