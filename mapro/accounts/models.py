import hashlib
import secrets

from django.conf import settings
from django.db import models


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """An API token. Only its SHA-256 is stored: the raw value is shown once, at creation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField("prefijo", max_length=8)
    created_at = models.DateTimeField("creado", auto_now_add=True)
    last_used_at = models.DateTimeField("último uso", null=True, blank=True)

    class Meta:
        verbose_name = "token de API"
        verbose_name_plural = "tokens de API"

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"

    @classmethod
    def issue(cls, user) -> tuple["ApiToken", str]:  # type: ignore[no-untyped-def]
        raw = secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, key_hash=hash_token(raw), prefix=raw[:8])
        return token, raw
