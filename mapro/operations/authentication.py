"""``Authorization: Bearer <token>``: a backup server or script posting its runs.

The token is a ``RunToken`` (hashed, scoped, revocable), not a person's API token: the request
has no user (``request.user`` is a ``TokenPrincipal`` holding no role) and ``request.auth`` is
the token, which only the run-posting endpoint accepts. An unknown or revoked token is a 401.
"""

from __future__ import annotations

from typing import Any

from rest_framework import authentication, exceptions

from .actions import token_for_secret
from .models import RunToken


class TokenPrincipal:
    """Who a run token authenticates: no person, no role, nothing but posting runs."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    is_staff = False
    pk = None
    id = None

    def __init__(self, token: RunToken) -> None:
        self.token = token

    def get_username(self) -> str:
        return f"token:{self.token.name}"

    def get_full_name(self) -> str:
        return ""

    def __str__(self) -> str:
        return self.get_username()


class RunTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Any) -> tuple[TokenPrincipal, RunToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Cabecera de token no válida.")
        try:
            raw = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("Cabecera de token no válida.") from exc
        token = token_for_secret(raw)
        if token is None:
            raise exceptions.AuthenticationFailed("Token no válido o revocado.")
        return TokenPrincipal(token), token

    def authenticate_header(self, request: Any) -> str:
        return self.keyword
