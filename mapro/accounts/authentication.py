"""``Authorization: Token <token>`` against hashed tokens (DRF's own stores them in clear)."""

import datetime
from typing import Any

from django.db.models import Q
from django.utils import timezone
from rest_framework import authentication, exceptions

from .models import ApiToken, hash_token

# ``last_used_at`` is written at most this often, so that API traffic is not one write per call.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=5)


class HashedTokenAuthentication(authentication.BaseAuthentication):
    """Look the token up by its SHA-256; refuse unknown tokens and inactive users with 401."""

    keyword = "Token"

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Cabecera de token no válida.")
        try:
            raw = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("Cabecera de token no válida.") from exc
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Token no válido.")
        now = timezone.now()
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return self.keyword
