"""The token endpoint, token authentication and /auth/me/."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from mapro.accounts.forms import LOGIN_FAILED_MESSAGE
from mapro.accounts.models import ApiToken, LoginThrottle, hash_token
from mapro.audit.models import AuditEvent
from mapro.core.testing import DEFAULT_PASSWORD, make_user

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
ME = "/api/v1/auth/me/"


@pytest.fixture
def api():
    return APIClient()


def test_urls_are_the_documented_ones():
    assert reverse("auth-api:token") == TOKEN
    assert reverse("auth-api:me") == ME


def test_token_for_valid_credentials_is_stored_only_hashed(api):
    user = make_user("operador-mesa")
    response = api.post(
        TOKEN, {"username": user.username, "password": DEFAULT_PASSWORD}, format="json"
    )
    assert response.status_code == 200
    raw = response.json()["token"]
    assert len(raw) >= 40
    token = ApiToken.objects.get(user=user)
    assert token.key_hash == hash_token(raw)
    assert raw not in {token.key_hash, token.prefix}
    assert not ApiToken.objects.filter(key_hash=raw).exists()
    event = AuditEvent.objects.get(action="api_token.issue")
    assert event.actor_id == user.pk
    assert raw not in event.canonical().decode()


def test_token_authenticates_api_calls(api):
    user = make_user("operador-mesa")
    raw = api.post(
        TOKEN, {"username": user.username, "password": DEFAULT_PASSWORD}, format="json"
    ).json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    response = api.get(ME)
    assert response.status_code == 200
    assert response.json() == {
        "username": user.username,
        "full_name": user.get_full_name(),
        "roles": ["operador-mesa"],
    }
    assert ApiToken.objects.get(user=user).last_used_at is not None


@pytest.mark.parametrize("case", ["wrong-password", "unknown-user", "inactive"])
def test_bad_credentials_answer_401_json_generic(api, case):
    user = make_user()
    password = "mala-clave" if case != "inactive" else DEFAULT_PASSWORD
    username = user.username if case != "unknown-user" else "nadie"
    if case == "inactive":
        user.is_active = False
        user.save()
    response = api.post(TOKEN, {"username": username, "password": password}, format="json")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": LOGIN_FAILED_MESSAGE}
    assert not ApiToken.objects.exists()


def test_missing_fields_answer_400_with_field_errors(api):
    response = api.post(TOKEN, {"username": ""}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body["errors"]) == {"username", "password"}
    assert body["detail"]


def test_token_endpoint_is_throttled(api, settings):
    settings.LOGIN_MAX_FAILURES = 2
    user = make_user()
    for _ in range(3):
        api.post(TOKEN, {"username": user.username, "password": "mala"}, format="json")
    assert LoginThrottle.objects.get(scope="pair").locked_until
    response = api.post(
        TOKEN, {"username": user.username, "password": DEFAULT_PASSWORD}, format="json"
    )
    assert response.status_code == 401
    assert response.json() == {"detail": LOGIN_FAILED_MESSAGE}


def test_token_endpoint_ignores_a_bad_token_header(api):
    user = make_user()
    api.credentials(HTTP_AUTHORIZATION="Token basura")
    response = api.post(
        TOKEN, {"username": user.username, "password": DEFAULT_PASSWORD}, format="json"
    )
    assert response.status_code == 200


@pytest.mark.parametrize("header", ["Token basura", "Token", "Token a b", "Bearer x"])
def test_bad_or_missing_token_answers_401_json(api, header):
    api.credentials(HTTP_AUTHORIZATION=header)
    response = api.get(ME)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_no_credentials_answers_401_json(api):
    response = api.get(ME)
    assert response.status_code == 401
    assert response.json()["detail"]
    assert response["WWW-Authenticate"] == "Token"


def test_token_of_inactive_user_is_refused(api):
    user = make_user()
    _token, raw = ApiToken.issue(user)
    user.is_active = False
    user.save()
    api.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert api.get(ME).status_code == 401


def test_me_with_session_lists_roles(client):
    user = make_user(roles=("operador-mesa", "resp-soporte"))
    client.force_login(user)
    response = client.get(ME)
    assert response.status_code == 200
    assert response.json()["roles"] == ["operador-mesa", "resp-soporte"]


def test_schema_documents_the_auth_endpoints(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    token = paths["/api/v1/auth/token/"]["post"]
    assert set(token["responses"]) >= {"200", "400", "401"}
    assert token["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "TokenRequest"
    )
    assert "/api/v1/auth/me/" in paths


def test_schema_declares_the_token_scheme(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    scheme = schema["components"]["securitySchemes"]["tokenAuth"]
    assert scheme == {**scheme, "type": "apiKey", "in": "header", "name": "Authorization"}
    me = schema["paths"]["/api/v1/auth/me/"]["get"]
    assert {"tokenAuth": []} in me["security"]
