"""Access: API tokens (hashed), the user's open sessions, and the login throttle."""

import hashlib
import secrets

from django.conf import settings
from django.db import models


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """An API token. Only its SHA-256 is stored: the raw value is shown once, at creation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    # Unique by accounts_apitoken_key_hash_uniq (Meta): a unique field would add a
    # varchar_pattern_ops twin, and no query reads it by prefix.
    key_hash = models.CharField(max_length=64)
    prefix = models.CharField("prefijo", max_length=8)
    created_at = models.DateTimeField("creado", auto_now_add=True)
    last_used_at = models.DateTimeField("último uso", null=True, blank=True)

    class Meta:
        verbose_name = "token de API"
        verbose_name_plural = "tokens de API"
        constraints = [
            models.UniqueConstraint(fields=["key_hash"], name="accounts_apitoken_key_hash_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"

    @classmethod
    def issue(cls, user) -> tuple["ApiToken", str]:  # type: ignore[no-untyped-def]
        """Create a token for ``user``; return it and the raw value (never stored)."""
        raw = secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, key_hash=hash_token(raw), prefix=raw[:8])
        return token, raw


class UserSession(models.Model):
    """A session opened by a login: which session keys belong to which user.

    Written when the user logs in (``user_logged_in``) and removed at logout, so that
    deactivating a user ends every session of theirs without scanning the session table.
    Rows of sessions that simply expired are harmless (deleting a missing session is a no-op)
    and are pruned at the user's next login.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="login_sessions"
    )
    # Unique by accounts_usersession_session_key_uniq (Meta): a unique field would add a
    # varchar_pattern_ops twin, and no query reads it by prefix.
    session_key = models.CharField("clave de sesión", max_length=40)
    created_at = models.DateTimeField("inicio", auto_now_add=True)

    class Meta:
        verbose_name = "sesión de usuario"
        verbose_name_plural = "sesiones de usuario"
        constraints = [
            models.UniqueConstraint(
                fields=["session_key"], name="accounts_usersession_session_key_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class LoginThrottle(models.Model):
    """Failed logins counted per account+address pair, account or address (``throttling``).

    ``failures`` counts failures since ``window_started_at`` (for an account: distinct addresses;
    for an address: distinct accounts); past the limit each failure sets ``locked_until`` to a
    growing wait. ``refused`` counts the attempts refused while waiting (not audited one by one).
    Rows are shared by every web process; an administrator sees and lifts waits in the admin.
    """

    class Scope(models.TextChoices):
        PAIR = "pair", "Cuenta y dirección"
        ACCOUNT = "account", "Cuenta"
        ADDRESS = "address", "Dirección"

    scope = models.CharField("ámbito", max_length=10, choices=Scope.choices)
    key = models.CharField("clave", max_length=150)
    failures = models.PositiveIntegerField("intentos fallidos", default=0)
    window_started_at = models.DateTimeField("inicio de la ventana")
    last_failure_at = models.DateTimeField("último intento fallido", db_index=True)
    locked_until = models.DateTimeField("en espera hasta", null=True, blank=True)
    refused = models.PositiveIntegerField("intentos rechazados en espera", default=0)

    class Meta:
        verbose_name = "control de intentos de ingreso"
        verbose_name_plural = "controles de intentos de ingreso"
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="accounts_throttle_scope_key")
        ]

    def __str__(self) -> str:
        return f"{self.scope}:{self.key} ({self.failures})"


class UnlockCode(models.Model):
    """A one-time code mailed to an account's owner to lift its login wait (``unlock``).

    Only an HMAC of the code under ``SECRET_KEY`` is kept (the key is not in the database, so a
    copy of the table does not give the code away, not even by trying all million); the code
    itself exists only in the mail sent. Single use (``used_at``), short-lived
    (``expires_at``), and at most ``unlock.MAX_TRIES`` wrong guesses before it is spent.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="unlock_codes"
    )
    code_hash = models.CharField("hash del código", max_length=64)
    created_at = models.DateTimeField("creado", auto_now_add=True)
    expires_at = models.DateTimeField("vence")
    used_at = models.DateTimeField("usado", null=True, blank=True)
    tries = models.PositiveSmallIntegerField("intentos fallidos", default=0)

    class Meta:
        verbose_name = "código de desbloqueo"
        verbose_name_plural = "códigos de desbloqueo"

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"
