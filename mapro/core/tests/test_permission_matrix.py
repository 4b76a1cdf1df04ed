"""Every URL of the project against the access table in ``access_matrix.py``.

A new URL without a row fails ``test_every_url_pattern_has_a_row``: add the row (see the
instructions at the top of access_matrix.py).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mapro.accounts.models import ApiToken
from mapro.core import menu
from mapro.core.testing import make_user, seed_once

from .access_matrix import ANY_USER, PUBLIC, ROWS, STAFF, Row

# Access rules are Python and the ORM scopes the app tests run on both databases: CI runs the
# matrix in its PostgreSQL leg only (conftest.py).
pytestmark = pytest.mark.one_database

# Roles tried as "the wrong role", in this order, skipping the row's allowed ones.
WRONG_ROLE_CANDIDATES = ("personal", "operador-mesa", "director-uo", "jefe-ogtie", "cgd")


def url_pattern_names() -> tuple[set[str], list[str]]:
    """Qualified names of every URL pattern (admin internals aside), and unnamed routes."""
    names: set[str] = set()
    unnamed: list[str] = []

    def walk(patterns: list[Any], prefix: str, namespace: str | None) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                ns = namespace
                if pattern.namespace:
                    ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                if ns == "admin":
                    names.add("admin:index")  # the rest is Django's admin, see access_matrix
                    continue
                walk(pattern.url_patterns, route, ns)
            elif isinstance(pattern, URLPattern):
                if not pattern.name:
                    unnamed.append(route)
                    continue
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "", None)
    return names, unnamed


def test_every_url_pattern_has_a_row():
    names, unnamed = url_pattern_names()
    assert not unnamed, f"URL patterns without a name (name them): {unnamed}"
    missing = sorted(names - set(ROWS))
    assert not missing, (
        f"URL patterns without a row in mapro/core/tests/access_matrix.py: {missing}"
    )
    stale = sorted(set(ROWS) - names)
    assert not stale, f"rows in access_matrix.py for URL names that do not exist: {stale}"


def test_the_walk_sees_nested_namespaces():
    names, _ = url_pattern_names()
    assert {"core:home", "accounts:login", "auth-api:me", "admin:index", "schema"} <= names


# --- helpers ---------------------------------------------------------------------------------


def _kwargs(row: Row, user: Any) -> dict[str, Any]:
    if row.kwargs is None:
        return {}
    if callable(row.kwargs):
        return row.kwargs(user)
    return dict(row.kwargs)


def _request(row: Row, name: str, user: Any, kwargs: dict[str, Any] | None = None) -> Any:
    url = reverse(name, kwargs=_kwargs(row, user) if kwargs is None else kwargs)
    client = Client()
    if user is not None:
        if row.kind == "api":
            _token, raw = ApiToken.issue(user)
            client = Client(HTTP_AUTHORIZATION=f"Token {raw}")
        else:
            client.force_login(user)
    send = getattr(client, row.method)
    if row.kind == "api" and row.method != "get":
        return send(url, row.data or {}, content_type="application/json")
    if row.method != "get":
        return send(url, row.data or {})
    return send(url)


NO_ROLE = ""


def _make_cast() -> dict[str, int]:
    codes = {"personal", "jefe-ogtie", *WRONG_ROLE_CANDIDATES}
    for row in ROWS.values():
        if isinstance(row.allowed, frozenset):
            codes |= row.allowed
    ids = {code: make_user(code).pk for code in sorted(codes)}
    ids[NO_ROLE] = make_user().pk
    ids[STAFF] = make_user(is_staff=True).pk
    return ids


def _users(*keys: str) -> list[Any]:
    """The matrix's users: one per role code any row names (in OGTIE), one without roles
    (``NO_ROLE``) and one Django staff (``STAFF``), all made by ``make_user``.

    Made once per process and copied into each test (``seed_once``): a row allowed to the 21
    OGTIE staff roles made 21 users a test, most of the matrix's time.
    """
    ids = seed_once("core.permission_matrix.cast", _make_cast)
    found = get_user_model().objects.in_bulk([ids[key] for key in keys])
    return [found[ids[key]] for key in keys]


def _allowed_users(row: Row) -> list[Any]:
    if row.allowed in (PUBLIC, ANY_USER):
        return _users(NO_ROLE, "personal")
    if row.allowed == STAFF:
        return _users(STAFF)
    assert isinstance(row.allowed, frozenset)
    return _users(*sorted(row.allowed))


def _denied_users(row: Row) -> list[Any]:
    if row.allowed == STAFF:
        return _users(NO_ROLE, "jefe-ogtie")
    assert isinstance(row.allowed, frozenset)
    wrong = next(code for code in WRONG_ROLE_CANDIDATES if code not in row.allowed)
    return _users(NO_ROLE, wrong)


def _assert_login_redirect(response: Any, row: Row) -> None:
    assert response.status_code == 302, response.status_code
    assert response["Location"].startswith(reverse(row.login_url_name)), response["Location"]


# --- the matrix ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROWS))
def test_anonymous(name):
    row = ROWS[name]
    response = _request(row, name, None)
    if row.anonymous is not None:
        assert response.status_code == row.anonymous
    elif row.kind == "html":
        _assert_login_redirect(response, row)
    else:
        assert response.status_code == 401
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROWS))
def test_allowed_roles(name):
    row = ROWS[name]
    if row.pending:
        pytest.skip(f"pending: {row.pending}")
    for user in _allowed_users(row):
        response = _request(row, name, user)
        assert response.status_code in row.ok, (user.username, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", sorted(n for n, r in ROWS.items() if r.allowed not in (PUBLIC, ANY_USER))
)
def test_wrong_role_is_denied(name):
    row = ROWS[name]
    if row.pending:
        pytest.skip(f"pending: {row.pending}")
    for user in _denied_users(row):
        response = _request(row, name, user)
        if row.denied == 302:
            _assert_login_redirect(response, row)
        else:
            assert response.status_code == row.denied, (user.username, response.status_code)
        if row.kind == "api":
            assert response["Content-Type"].startswith("application/json")


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, r in ROWS.items() if r.out_of_scope))
def test_out_of_scope_is_not_found(name):
    row = ROWS[name]
    if row.pending:
        pytest.skip(f"pending: {row.pending}")
    assert row.out_of_scope is not None
    for user in _allowed_users(row):
        response = _request(row, name, user, kwargs=row.out_of_scope(user))
        assert response.status_code == 404, (user.username, response.status_code)


def test_menu_entries_promise_what_the_matrix_allows():
    """A menu link shown to a role must lead to a page that role may open (and no further)."""
    names, _ = url_pattern_names()
    for entry in menu.ENTRIES:
        if entry.url_name not in names:
            continue
        row = ROWS[entry.url_name]
        if entry.staff:
            assert row.allowed == STAFF, entry.url_name
        elif entry.roles is not None:
            assert row.allowed == entry.roles, entry.url_name
        else:
            assert row.allowed in (ANY_USER, PUBLIC), entry.url_name
